// SPEC §7: a value taken from the environment or a file is used only if, after trimming,
// it is 1 to 256 characters of [A-Za-z0-9._:@/-]. Anything else is skipped, never truncated
// or repaired, so a hostile value can neither smuggle bytes downstream nor alias a real id.

const SAFE_VALUE = /^[A-Za-z0-9._:@/-]{1,256}$/;

export function safeValue(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return SAFE_VALUE.test(trimmed) ? trimmed : undefined;
}

/** `1` or `true` in any case: the spelling Railway's CLI and DO_NOT_TRACK use. */
export function isOneOrTrue(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  return v === "1" || v === "true";
}

/**
 * A flag variable that is set to anything but an explicit "off" value. `CI=false` and
 * `CODESPACES=0` must not count: people set those precisely to say "not CI".
 */
export function isTruthy(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  return v !== "" && v !== "0" && v !== "false" && v !== "no" && v !== "off";
}

/** Lower-cases ASCII letters only, byte for byte what Rust's `to_ascii_lowercase` does. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
