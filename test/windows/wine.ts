// A Windows to run stitch-windows-x64.exe in, for test/smoke/windows.test.ts: Wine on Linux,
// or Windows itself (the windows-latest CI job).
//
// openWindowsHost() makes a private temporary directory with
//   bin/      stitch.exe (a copy of dist/stitch-windows-x64.exe) and the C helpers of this
//             folder compiled with MinGW (exitwith, exitcode, cat, printenv, args, parentpid);
//             under Wine < 8.13 also the stand-in bcryptprimitives.dll (bcryptprimitives.c)
//   prefix/   Wine only: a fresh WINEPREFIX, so no test reads or leaves anything in ~/.wine
// and host.run() starts a program there with a clean environment: nothing of the test
// runner's (its CI variables would make every call a CI caller), only what Windows or
// Wine needs (on Windows: SystemRoot, ComSpec, PATHEXT, TEMP, USERPROFILE and the like),
// bin/ on the Windows PATH, and what the case adds. close() stops the prefix's wineserver
// and removes the directory.
//
// Under Wine: Wine copies the Linux environment into the Windows one (HOME excepted), takes
// the Windows PATH's extra directories from WINEPATH, and keeps a wineserver per prefix:
// started here with `-p` (persistent), so each run costs ~0.1 s instead of the ~2.5 s of a
// server and its services starting again; the first run in a new prefix creates it (~4-7 s).
// Wine's own exit status, as Linux sees it, keeps only 8 bits of the Windows exit code:
// 32-bit codes are read inside Windows (exitcode.c). Only Windows processes are in Wine's
// process table, and the first one started has parent pid 0.

import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

const HERE = import.meta.dir;
const native = process.platform === "win32";

/** The helpers (see each .c file), and the flags beyond the common ones. */
const PROGRAMS: readonly (readonly [name: string, flags: readonly string[]])[] = [
  ["exitwith", []],
  ["exitcode", []],
  ["cat", []],
  ["parentpid", []],
  ["printenv", ["-municode"]],
  ["args", ["-municode"]],
];
const CFLAGS = ["-O2", "-s", "-static", "-Wall"];

/** Wine added bcryptprimitives.dll!ProcessPrng, which Bun's runtime imports, in 8.13. */
const PROCESS_PRNG_SINCE: readonly [number, number] = [8, 13];

export interface Run {
  /** The exit status (under Wine: as Linux sees it, the low 8 bits only). */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout as bytes. */
  readonly bytes: Uint8Array;
}

export interface RunOptions {
  /** Variables the case adds (under Wine they pass into the Windows environment). */
  readonly env?: Record<string, string>;
  /** Directories (host paths) put on the Windows PATH ahead of bin/. */
  readonly path?: readonly string[];
  readonly stdin?: Uint8Array;
  /** Host path; default bin/. */
  readonly cwd?: string;
  /** Milliseconds before the run is killed; default 60 s. */
  readonly timeout?: number;
}

export interface WindowsHost {
  /** "wine-8.0 (Debian 8.0~repack-4)", or "Windows" when native. */
  readonly how: string;
  readonly wine: boolean;
  /** The private temporary directory (a host path). */
  readonly root: string;
  /** root/bin: stitch.exe and the helpers. */
  readonly bin: string;
  /** Why the C helpers are missing, or undefined when they are built. */
  readonly helpersMissing: string | undefined;
  /** Windows' own cmd.exe, as a host path (copied to make an agent stand-in). */
  readonly cmdExe: string;
  /** %USERPROFILE% as a host path (under Wine, inside the prefix; on Windows the runner's own). */
  readonly userProfile: string;
  /** %USERPROFILE% as Windows names it (C:\users\root under Wine). */
  readonly userProfileWin: string;
  /** A host path as Windows names it: Z:\tmp\... under Wine, itself on Windows. */
  win(hostPath: string): string;
  /** A new empty directory under root. */
  dir(name: string): string;
  /**
   * Windows' cmd.exe copied into bin/ as `name` (`claude.exe`): a process whose executable
   * is named like an agent's. On Windows its message resources go along (en-US\cmd.exe.mui
   * becomes en-US\claude.exe.mui), which a renamed cmd.exe looks for beside itself.
   */
  cmdCopy(name: string): string;
  /** Runs `program` (a file in bin/, or a Windows program by name, like cmd.exe). */
  run(program: string, args: readonly string[], options?: RunOptions): Run;
  close(): void;
}

export type Opened = { readonly host: WindowsHost } | { readonly skip: string };

function spawnText(argv: string[], env: Record<string, string>, cwd?: string) {
  const r = Bun.spawnSync(argv, { env, cwd, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
  return { ok: r.exitCode === 0, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/**
 * Runs a program to its end, reading its stdout; stderr goes to `log` when given. A run
 * that starts Wine's services (the first in a prefix) must not have its stderr on a pipe:
 * the services inherit it and keep it open for the wineserver's lifetime, and reading it to
 * its end would never end.
 */
async function spawnAsync(argv: string[], env: Record<string, string>, log?: string) {
  const logFd = log === undefined ? undefined : openSync(log, "w");
  try {
    const p = Bun.spawn(argv, { env, stdio: ["ignore", "pipe", logFd ?? "pipe"], timeout: 120_000 });
    const stderr = logFd === undefined ? new Response(p.stderr as ReadableStream).text() : Promise.resolve("");
    const [stdout, code] = await Promise.all([new Response(p.stdout).text(), p.exited]);
    return { ok: code === 0, stdout, stderr: logFd === undefined ? await stderr : readFileSync(log!, "utf8") };
  } finally {
    if (logFd !== undefined) closeSync(logFd);
  }
}

function wineVersion(wine: string): { text: string; needsPrng: boolean } | undefined {
  const r = spawnText([wine, "--version"], { PATH: process.env.PATH ?? "/usr/bin:/bin" });
  const m = /wine-(\d+)\.(\d+)/.exec(r.stdout);
  if (!r.ok || !m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const [since, sinceMinor] = PROCESS_PRNG_SINCE;
  return { text: r.stdout.trim(), needsPrng: major < since || (major === since && minor < sinceMinor) };
}

/**
 * Sets up a Windows for the tests, or says why there is none here. `stitchExe` is the
 * binary under test (dist/stitch-windows-x64.exe); it must exist (the caller checks).
 */
export async function openWindowsHost(stitchExe: string): Promise<Opened> {
  if (!native && process.platform !== "linux") return { skip: `no Wine setup for ${process.platform} in these tests` };
  const wine = native ? undefined : Bun.which("wine") ?? Bun.which("wine64");
  if (!native && !wine) return { skip: "wine is not installed (apt-get install wine wine64)" };
  const version = wine ? wineVersion(wine) : undefined;
  if (wine && !version) return { skip: `${wine} --version did not say which Wine it is` };
  const gcc = native ? Bun.which("gcc") : Bun.which("x86_64-w64-mingw32-gcc");
  let gccMissing = gcc
    ? undefined
    : native
      ? "no gcc (MinGW) on PATH to build the C helpers"
      : "x86_64-w64-mingw32-gcc is not installed (apt-get install gcc-mingw-w64-x86-64-win32)";
  // Without the stand-in DLL, Wine < 8.13 cannot load stitch.exe at all.
  if (version?.needsPrng && gccMissing) return { skip: `${version.text} lacks ProcessPrng and ${gccMissing} to build the stand-in` };

  const root = mkdtempSync(join(tmpdir(), "stitch-windows-"));
  const bin = join(root, "bin");
  const prefix = join(root, "prefix");
  mkdirSync(bin);
  copyFileSync(stitchExe, join(bin, "stitch.exe"));
  // The compiler is not under test: it gets the runner's environment (TEMP and all).
  const toolEnv = { ...process.env } as Record<string, string>;

  // The compiler runs alongside the creation of the prefix (both take seconds).
  type Built = { ok: boolean; stdout: string; stderr: string };
  const programs: Promise<Built>[] = [];
  let prng: Promise<Built> | undefined;
  if (gcc) {
    for (const [name, flags] of PROGRAMS) {
      programs.push(spawnAsync([gcc, ...CFLAGS, ...flags, "-o", join(bin, `${name}.exe`), join(HERE, `${name}.c`)], toolEnv));
    }
    if (version?.needsPrng) {
      const dll = ["-shared", "-o", join(bin, "bcryptprimitives.dll"), join(HERE, "bcryptprimitives.c"), join(HERE, "bcryptprimitives.def"), "-ladvapi32"];
      prng = spawnAsync([gcc, "-O2", "-s", "-Wall", ...dll], toolEnv);
    }
  }

  const win = (p: string) => (native ? p : `Z:${p.replaceAll("/", "\\")}`);
  const wineserver = wine ? Bun.which("wineserver", { PATH: `${dirname(wine)}:${process.env.PATH ?? ""}` }) : undefined;
  const baseEnv = (path: readonly string[], extra: Record<string, string> = {}): Record<string, string> => {
    const windowsPath = [...path, bin].map(win);
    if (wine) {
      return {
        PATH: `${dirname(wine)}:/usr/bin:/bin`,
        HOME: root,
        WINEPREFIX: prefix,
        WINEDEBUG: "-all",
        // Wine turns Linux argv and environment bytes into UTF-16 by the locale: UTF-8.
        LC_ALL: "C.UTF-8",
        // No Mono or Gecko installer prompts when the prefix is created.
        WINEDLLOVERRIDES: "mscoree,mshtml=",
        WINEPATH: windowsPath.join(";"),
        ...extra,
      };
    }
    const sys = process.env.SystemRoot ?? "C:\\Windows";
    // USERPROFILE stays the runner's own: stitch finds the profile folder as Windows knows
    // it (SHGetKnownFolderPath), whatever the variable says.
    const keep = ["SystemDrive", "ComSpec", "PATHEXT", "TEMP", "TMP", "windir", "USERPROFILE", "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE"];
    return {
      ...Object.fromEntries(keep.flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : []))),
      SystemRoot: sys,
      PATH: [...windowsPath, join(sys, "System32"), sys].join(";"),
      ...extra,
    };
  };

  let userProfile: string;
  let userProfileWin: string;
  let cmdExe: string;
  const close = () => {
    if (wineserver) Bun.spawnSync([wineserver, "-k"], { env: baseEnv([]), stdio: ["ignore", "ignore", "ignore"], timeout: 30_000 });
    rmSync(root, { recursive: true, force: true });
  };
  try {
    if (wine) {
      mkdirSync(prefix);
      // A persistent server first, so the prefix's services stay up between runs.
      if (wineserver) Bun.spawnSync([wineserver, "-p"], { env: baseEnv([]), stdio: ["ignore", "ignore", "ignore"] });
      const created = await spawnAsync([wine, "cmd.exe", "/c", "echo %USERPROFILE%"], baseEnv([]), join(root, "prefix.log"));
      const profile = created.stdout.trim();
      if (!created.ok || !/^[A-Za-z]:\\/.test(profile)) throw new Error(`could not create a Wine prefix: ${created.stderr.trim() || created.stdout.trim()}`);
      // C: is the prefix's drive_c.
      userProfileWin = profile;
      userProfile = join(prefix, `drive_${profile[0]!.toLowerCase()}`, ...profile.slice(3).split("\\"));
      cmdExe = join(prefix, "drive_c/windows/system32/cmd.exe");
    } else {
      userProfile = userProfileWin = process.env.USERPROFILE ?? "";
      cmdExe = process.env.ComSpec ?? join(process.env.SystemRoot ?? "C:\\Windows", "System32", "cmd.exe");
    }
    const dll = await prng;
    if (dll && !dll.ok) throw new Error(`could not build the stand-in bcryptprimitives.dll: ${dll.stderr.trim()}`);
    const failed = (await Promise.all(programs)).find((b) => !b.ok);
    // Under Wine the compiler is part of the setup (.ci/run installs it): a failure fails.
    // On a Windows runner it is whatever gcc the image has: the cases that need the
    // helpers skip, saying why.
    if (failed && wine) throw new Error(`could not build the C helpers: ${failed.stderr.trim()}`);
    if (failed) gccMissing = `${gcc} could not build the C helpers: ${failed.stderr.trim().split("\n")[0]}`;
  } catch (e) {
    close();
    throw e;
  }

  const host: WindowsHost = {
    how: version?.text ?? "Windows",
    wine: Boolean(wine),
    root,
    bin,
    helpersMissing: gccMissing,
    cmdExe,
    userProfile,
    userProfileWin,
    win,
    dir(name) {
      const d = join(root, name);
      mkdirSync(d, { recursive: true });
      return d;
    },
    cmdCopy(name) {
      const to = join(bin, name);
      copyFileSync(cmdExe, to);
      if (native) {
        const system = dirname(cmdExe);
        for (const lang of readdirSync(system).filter((d) => /^[a-z]{2}-[A-Z]{2}$/.test(d))) {
          const mui = join(system, lang, `${basename(cmdExe)}.mui`);
          if (!existsSync(mui)) continue;
          mkdirSync(join(bin, lang), { recursive: true });
          copyFileSync(mui, join(bin, lang, `${name}.mui`));
        }
      }
      return to;
    },
    run(program, args, options = {}) {
      const inBin = join(bin, program);
      const env = baseEnv(options.path ?? [], options.env);
      let file = existsSync(inBin) ? inBin : program;
      // Natively, a Windows program by name is found on the run's own PATH.
      if (native && file === program) file = Bun.which(program, { PATH: env.PATH! }) ?? program;
      const r = Bun.spawnSync(wine ? [wine, file, ...args] : [file, ...args], {
        env,
        cwd: options.cwd ?? bin,
        stdio: [options.stdin ?? "ignore", "pipe", "pipe"],
        timeout: options.timeout ?? 60_000,
      });
      return { status: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString(), bytes: new Uint8Array(r.stdout) };
    },
    close,
  };
  return { host };
}
