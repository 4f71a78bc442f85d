// Every value stitch prints (design §2.3) comes through here. Text that came from elsewhere
// (process names, paths from the environment, session files, a command name) is shown with
// what could drive the terminal or break the line escaped: a process named with escape
// sequences must not be able to rewrite the user's screen through `stitch resolve` or
// `stitch sessions`, and one value stays on one line.

/**
 * What is escaped: C0 controls, DEL and C1 controls (`\xNN`); the line and paragraph
 * separators U+2028 and U+2029 (some terminals and most viewers break the line there);
 * the bidirectional controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069),
 * which reorder what is shown ("Trojan Source"); and lone surrogates, which have no UTF-8
 * form (the encoder would silently show U+FFFD) (`\u{XXXX}`). A path that was not valid
 * UTF-8 reaches stitch already decoded, its bad bytes as U+FFFD: shown as that.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udfff]/gu;

const hex = (c: number, width: number) => c.toString(16).padStart(width, "0");

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0xa0 ? `\\x${hex(code, 2)}` : `\\u{${hex(code, 4)}}`;
  });
}

/**
 * What JSON.stringify leaves raw in a string that UNPRINTABLE escapes: DEL, C1, U+2028/2029
 * and the bidirectional controls. (It escapes C0 and lone surrogates itself; the only raw C0
 * in its output are the newlines of the indentation.)
 */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * JSON for stdout: JSON.stringify, then those characters `\uXXXX`-escaped. Still valid
 * JSON, every value the same once parsed, and safe to show on a terminal.
 */
export function jsonText(value: unknown, indent?: number): string {
  return `${JSON.stringify(value, null, indent).replace(RAW_IN_JSON, (c) => `\\u${hex(c.charCodeAt(0), 4)}`)}\n`;
}
