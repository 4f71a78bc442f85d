// Paths on the platform stitch runs on, which decides the separator: `/`, or on Windows
// `\` and `/` both. (text.ts's basename and splitPath take both on every platform, since a
// process table may show either.) On the ground floor: the store, the agents' records, the
// opt-out file and the shims all build paths (docs/contributing.md, "Floors").

const isSeparator = (c: number, platform: string) => c === 0x2f || (platform === "win32" && c === 0x5c);

/** An absolute path on the platform: `/...`, or on Windows `C:\...` or `\\server\...`. */
export function isAbsolutePath(value: string, platform: string): boolean {
  if (platform !== "win32") return value.charCodeAt(0) === 0x2f;
  const first = value.charCodeAt(0) | 0x20; // ASCII letters to lower case
  if (first >= 0x61 && first <= 0x7a && value.charCodeAt(1) === 0x3a) return isSeparator(value.charCodeAt(2), platform);
  return isSeparator(value.charCodeAt(0), platform) && isSeparator(value.charCodeAt(1), platform) && value.length > 2 && !isSeparator(value.charCodeAt(2), platform);
}

/**
 * A directory named by the environment, if usable. A relative HOME or RAILWAY_SESSIONS_DIR
 * would mean "in whatever directory stitch was started in": the store and Railway's
 * preferences would come from the working directory, where a cloned repository can plant
 * files (design §10). Such a value is unusable, and treated as unset.
 */
export function absoluteDir(value: string | undefined, platform = process.platform as string): string | undefined {
  return value && isAbsolutePath(value, platform) ? value : undefined;
}

/** `dir` + `name`, with the platform's separator. */
export function joinPath(dir: string, name: string, platform: string): string {
  let end = dir.length;
  while (end > 0 && isSeparator(dir.charCodeAt(end - 1), platform)) end--;
  return `${dir.slice(0, end)}${platform === "win32" ? "\\" : "/"}${name}`;
}
