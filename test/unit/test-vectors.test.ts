// design.md Appendix B's test vectors, read out of the document itself and asserted against
// the code: a vector edited in the doc, or a change to the naming, the ps start time or the
// cli_ id, fails here (a second implementation relies on these values).

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startTimeFromLstart } from "../../src/proc/ps.ts";
import { cliFallbackId } from "../../src/resolve/session.ts";
import { sessionFileName } from "../../src/store/identity.ts";

const design = readFileSync(join(import.meta.dir, "../../docs/design.md"), "utf8");
const appendix = design.slice(design.indexOf("\n## Appendix B. Test vectors"));

/** The rows of the session file name table: `| pid | start time | \`argv0\` | \`name\` |`. */
function nameRows(): { pid: number; start: bigint; argv0: string; name: string }[] {
  const rows = [];
  for (const line of appendix.split("\n")) {
    const m = /^\| (\d+) \| (\d+) \| `([^`]+)` \| `([0-9a-f]{16}\.session)` \|$/.exec(line);
    if (m) rows.push({ pid: Number(m[1]), start: BigInt(m[2]!), argv0: m[3]!, name: m[4]! });
  }
  return rows;
}

describe("design Appendix B", () => {
  test("the appendix is there and its tables parse (else this test would assert nothing)", () => {
    expect(appendix.length).toBeGreaterThan(100);
    expect(nameRows().length).toBe(2);
  });

  test("session file names (§6.3): each row of the table", () => {
    for (const r of nameRows()) {
      expect({ ...r, computed: sessionFileName({ pid: r.pid, startTime: r.start, argv0: r.argv0 }) }).toEqual({ ...r, computed: r.name });
    }
  });

  test("the ps start time (§6.2): SHA-256 of the lstart text, first 8 bytes big-endian, is the second row's start time", () => {
    const m = /a `ps` start time \(§6\.2\): the first 8 bytes, big-endian, of\s+SHA-256 of the `lstart` text `([^`]+)`/.exec(appendix);
    expect(m).not.toBeNull();
    const psRow = nameRows()[1]!;
    expect({ lstart: m![1], start: startTimeFromLstart(m![1]!) }).toEqual({ lstart: m![1], start: psRow.start });
    // Independently of the code: the same hash through Bun's own SHA-256.
    const digest = new Bun.CryptoHasher("sha256").update(m![1]!).digest();
    expect(new DataView(digest.buffer, digest.byteOffset).getBigUint64(0, false)).toBe(psRow.start);
  });

  test("the cli_ fallback (§5.5) for 16 zero bytes", () => {
    const m = /The `cli_` fallback \(§5\.5\) for 16 zero bytes is `(cli_[^`]+)`/.exec(appendix);
    expect(m).not.toBeNull();
    expect(cliFallbackId((n) => new Uint8Array(n))).toBe(m![1]!);
  });
});
