// `stitch export`: the variables the command would gain, for `eval "$(stitch export)"`.
// Nothing (or `{}`) when the environment would stay untouched.

import type { Shell } from "./args.ts";
import { jsonText } from "./printable.ts";

// Values are safe by construction (design §7), but quoting keeps the output valid shell
// whatever they hold.
const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const fishQuote = (s: string) => `'${s.replace(/[\\']/g, "\\$&")}'`;

export function renderExport(vars: Readonly<Record<string, string>>, shell: Shell): string {
  const entries = Object.entries(vars);
  if (shell === "json") return jsonText(vars);
  if (entries.length === 0) return "";
  const line = shell === "fish" ? ([k, v]: [string, string]) => `set -gx ${k} ${fishQuote(v)};` : ([k, v]: [string, string]) => `export ${k}=${shQuote(v)}`;
  return `${entries.map(line).join("\n")}\n`;
}
