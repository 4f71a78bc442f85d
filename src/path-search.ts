// The one PATH search (design §10, §11): where a command name may be, in order. Running the
// command (exec.ts, every mode), `stitch stitch` (§2.2) and `stitch shim list` (§12) all ask
// here, so what a shim is reported to run is what it runs. Pure: which of the candidates is
// taken (the file probe, stitch skipped) is self.ts's rule, applied by the caller.

import { concat, CStrings } from "./sys/cstrings.ts";

/** The environment in either form stitch holds it: the exact block, or name → value. */
export type SearchEnv = CStrings | Readonly<Record<string, string | undefined>>;

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** glibc's default search path (confstr _CS_PATH), execvp's answer to an unset PATH. */
const UNIX_DEFAULT_PATH = "/bin:/usr/bin";
const WINDOWS_DEFAULT_PATHEXT = ".COM;.EXE;.BAT;.CMD";

const windows = (platform: string) => platform === "win32";

/** Whether the command names a path (used as it is) rather than a name to search for. */
export function namesPath(file: Uint8Array, platform: string): boolean {
  return file.includes(SLASH) || (windows(platform) && file.includes(BACKSLASH));
}

/** ASCII letters compared without case: Windows' variable names (`Path`, `PATH`, `path`). */
function sameName(bytes: Uint8Array, name: string, ignoreCase: boolean): boolean {
  if (bytes.length !== name.length) return false;
  for (let i = 0; i < bytes.length; i++) {
    const a = bytes[i]!;
    const b = name.charCodeAt(i);
    if (a !== b && !(ignoreCase && (a | 0x20) === (b | 0x20) && (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a)) return false;
  }
  return true;
}

/**
 * A variable's value as the command reads it: the first entry of that name (getenv's
 * answer, design Appendix A); on Windows its name matched in any case.
 */
export function variable(env: SearchEnv, name: string, platform: string): Uint8Array | undefined {
  const ignoreCase = windows(platform);
  if (env instanceof CStrings) {
    for (let i = 0; i < env.length; i++) {
      const entry = env.at(i);
      const eq = entry.indexOf(0x3d);
      if (eq > 0 && sameName(entry.subarray(0, eq), name, ignoreCase)) return entry.subarray(eq + 1);
    }
    return undefined;
  }
  if (!ignoreCase) return env[name] === undefined ? undefined : encoder.encode(env[name]);
  for (const key in env) {
    if (env[key] !== undefined && sameName(encoder.encode(key), name, true)) return encoder.encode(env[key]);
  }
  return undefined;
}

/** PATH's entries, split; unset, the platform's default (Windows: the current directory). */
function entries(env: SearchEnv, platform: string): Uint8Array[] {
  const path = variable(env, "PATH", platform) ?? encoder.encode(windows(platform) ? "" : UNIX_DEFAULT_PATH);
  const separator = windows(platform) ? 0x3b : 0x3a;
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i < path.length && path[i] !== separator) continue;
    out.push(path.subarray(start, i));
    start = i + 1;
  }
  return out;
}

/** PATHEXT's extensions, the name as it is first; none but that on Unix. */
function extensions(env: SearchEnv, platform: string): Uint8Array[] {
  if (!windows(platform)) return [new Uint8Array()];
  const value = variable(env, "PATHEXT", platform);
  const list = (value ? decoder.decode(value) : WINDOWS_DEFAULT_PATHEXT).split(";").filter((e) => e !== "");
  return [new Uint8Array(), ...list.map((e) => encoder.encode(e))];
}

/**
 * Where `file` may be, in search order: `file` itself when it names a path; otherwise, on
 * Unix as execvp builds them (an empty entry: `file`, in the current directory; the bytes of
 * PATH as they are, UTF-8 or not), on Windows each entry (an empty one: `.`) with the name
 * as it is, then with each of PATHEXT's extensions.
 */
export function searchCandidates(file: Uint8Array, env: SearchEnv, platform: string): Uint8Array[] {
  if (namesPath(file, platform)) return [file];
  const win = windows(platform);
  const separator = encoder.encode(win ? "\\" : "/");
  const exts = extensions(env, platform);
  const out: Uint8Array[] = [];
  for (const entry of entries(env, platform)) {
    const dir = entry.length === 0 && win ? encoder.encode(".") : entry;
    const last = dir[dir.length - 1];
    const ends = last === SLASH || (win && last === BACKSLASH);
    for (const ext of exts) out.push(dir.length === 0 ? concat(file, ext) : concat(dir, ends ? new Uint8Array() : separator, file, ext));
  }
  return out;
}

/**
 * The same candidates as text, each a path: one in the current directory as `./NAME`, so
 * that a runtime given it (a spawn) does not search PATH for it again.
 */
export function searchCandidatesText(name: string, env: SearchEnv, platform: string): string[] {
  const file = encoder.encode(name);
  const searched = !namesPath(file, platform);
  return searchCandidates(file, env, platform).map((c) => {
    const text = decoder.decode(c);
    return searched && !namesPath(c, platform) ? `.${windows(platform) ? "\\" : "/"}${text}` : text;
  });
}

/** PATH's directories as text, for messages ("put the directory on PATH"). */
export function pathDirectories(env: SearchEnv, platform: string): string[] {
  return entries(env, platform).map((e) => decoder.decode(e));
}
