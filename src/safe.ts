// design §7: a value taken from the environment or a file is used only if, after trimming,
// it is 1 to 256 characters of [A-Za-z0-9._:@/-]. Anything else is skipped, never truncated
// or repaired, so a hostile value can neither smuggle bytes downstream nor alias a real id.

// Written as loops over char codes, not regular expressions: these run on every call, and
// in JavaScriptCore the first use of a RegExp method (test, replace, ...) compiles a built-in
// written in JavaScript, which costs more at start-up than all the checks themselves.

/** [A-Za-z0-9._:@/-] */
export function isSafeChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x30 && c <= 0x3a) || // 0-9 :
    c === 0x2e || c === 0x5f || c === 0x40 || c === 0x2f || c === 0x2d // . _ @ / -
  );
}

export function safeValue(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (trimmed.length < 1 || trimmed.length > 256) return undefined;
  for (let i = 0; i < trimmed.length; i++) if (!isSafeChar(trimmed.charCodeAt(i))) return undefined;
  return trimmed;
}
