// src/sys/abi.ts against each target's own C headers. For every target this machine can
// build for, a probe program is generated from the table (one line per entry: the C
// expression the entry names, `sizeof`/`offsetof` for layouts), compiled with that target's
// compiler and headers, and run (natively, under qemu-user, or under Wine); the test
// compares what it prints with the table, entry by entry.
//
// Where each target is checked:
//   linux-x64, glibc and musl        on an x86-64 Linux host (gcc, the host's C library:
//                                    glibc, or musl on Alpine; musl-gcc);
//   linux-arm64, glibc               on an AArch64 Linux host (gcc), or on x86-64 with
//                                    Debian's aarch64-linux-gnu-gcc, run under qemu-aarch64;
//   win32-x64                        with MinGW (x86_64-w64-mingw32-gcc), under Wine on
//                                    Linux, or natively with a gcc on PATH on Windows;
//   darwin-x64, darwin-arm64         on a macOS host of that architecture (cc).
// A target this host cannot build or run for is skipped, the reason in the test's name.
// With STITCH_CI=1 (.ci/run) a missing tool for a target the host can check is a failure:
// CI never passes by skipping.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ABI, type AbiTarget } from "../../src/sys/abi.ts";

const work = mkdtempSync(join(tmpdir(), "stitch-abi-"));
afterAll(() => {
  if (process.platform !== "win32" && Bun.which("wineserver")) Bun.spawnSync(["wineserver", "-k"], { env: { ...process.env, WINEPREFIX: join(work, "wine") } });
  rmSync(work, { recursive: true, force: true });
});

const strict = process.env.STITCH_CI === "1";
const hostArch = process.arch;
const host = process.platform;

type Entries = Map<string, string>;

/** The table flattened: `group.NAME` or `layouts.TYPE.FIELD` → its value as text. */
function entriesOf(abi: object): Entries {
  const out: Entries = new Map();
  for (const [group, values] of Object.entries(abi)) {
    for (const [name, value] of Object.entries(values as object)) {
      if (group === "layouts") for (const [field, v] of Object.entries(value as object)) out.set(`layouts.${name}.${field}`, String(v));
      else out.set(`${group}.${name}`, String(value));
    }
  }
  return out;
}

/** The C expression an entry names. */
function expression(key: string): string {
  const [group, ...rest] = key.split(".");
  if (group === "layouts") {
    const [type, ...field] = rest;
    return field.join(".") === "sizeof" ? `sizeof(${type})` : `offsetof(${type}, ${field.join(".")})`;
  }
  return rest.join(".");
}

const PRELUDE = {
  linux: [
    "#define _GNU_SOURCE",
    ...["stddef.h", "stdio.h", "fcntl.h", "signal.h", "errno.h", "pwd.h", "dirent.h", "sys/stat.h", "sys/syscall.h", "unistd.h"].map((h) => `#include <${h}>`),
    // musl has no struct statx of its own: the kernel's header has it.
    "#ifndef STATX_BASIC_STATS",
    "#include <linux/stat.h>",
    "#endif",
  ],
  darwin: ["stddef.h", "stdio.h", "fcntl.h", "signal.h", "errno.h", "pwd.h"].map((h) => `#include <${h}>`),
  win32: ["#define INITGUID", ...["windows.h", "tlhelp32.h", "knownfolders.h", "stddef.h", "stdio.h"].map((h) => `#include <${h}>`)],
};

/** A C program printing `key<TAB>value` for every entry. */
function probeSource(target: AbiTarget): string {
  const os = target.split("-")[0] as keyof typeof PRELUDE;
  const lines = [...PRELUDE[os], "int main(void) {"];
  for (const key of entriesOf(ABI[target]).keys()) {
    if (key.startsWith("guids.")) {
      const g = `(&${key.slice("guids.".length)})`;
      lines.push(
        `  printf("%s\\t%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X\\n", "${key}", (unsigned long)${g}->Data1, ${g}->Data2, ${g}->Data3,` +
          ` ${[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `${g}->Data4[${i}]`).join(", ")});`,
      );
    } else {
      lines.push(`  printf("%s\\t%lld\\n", "${key}", (long long)(${expression(key)}));`);
    }
  }
  lines.push("  return 0;", "}", "");
  return lines.join("\n");
}

interface Toolchain {
  readonly name: string;
  readonly target: AbiTarget;
  /** Why this host cannot check it at all (another OS, another architecture). */
  readonly notHere?: string;
  /** The compiler and its flags; the source and output are appended. */
  readonly compile: readonly string[];
  /** Runs the probe (the path is appended). */
  readonly run: readonly string[];
}

const musl = ["-idirafter", "/usr/include", "-idirafter", `/usr/include/${hostArch === "arm64" ? "aarch64" : "x86_64"}-linux-gnu`];

const TOOLCHAINS: readonly Toolchain[] = [
  {
    // glibc on Debian and Ubuntu; on Alpine the host's gcc is musl's.
    name: "linux-x64, the host's C library (gcc)",
    target: "linux-x64",
    notHere: host !== "linux" ? "needs a Linux host" : hostArch !== "x64" ? "needs an x86-64 Linux host" : undefined,
    compile: ["gcc", "-static"],
    run: [],
  },
  {
    name: "linux-x64, musl",
    target: "linux-x64",
    notHere: host !== "linux" ? "needs a Linux host" : hostArch !== "x64" ? "needs an x86-64 Linux host" : undefined,
    compile: ["musl-gcc", "-static", ...musl],
    run: [],
  },
  hostArch === "arm64"
    ? { name: "linux-arm64, the host's C library (gcc)", target: "linux-arm64", notHere: host !== "linux" ? "needs a Linux host" : undefined, compile: ["gcc", "-static"], run: [] }
    : {
        name: "linux-arm64, glibc",
        target: "linux-arm64",
        notHere: host !== "linux" ? "needs a Linux host" : undefined,
        compile: ["aarch64-linux-gnu-gcc", "-static"],
        run: ["qemu-aarch64"],
      },
  {
    name: "win32-x64, MinGW",
    target: "win32-x64",
    notHere: host === "darwin" ? "needs Linux with MinGW and Wine, or Windows" : undefined,
    compile: host === "win32" ? ["gcc", "-static"] : ["x86_64-w64-mingw32-gcc", "-static"],
    run: host === "win32" ? [] : ["wine"],
  },
  ...(["x64", "arm64"] as const).map(
    (arch): Toolchain => ({
      name: `darwin-${arch}`,
      target: `darwin-${arch}`,
      notHere: host !== "darwin" ? "needs a macOS host" : hostArch !== arch ? `needs a macOS ${arch} host` : undefined,
      compile: ["cc"],
      run: [],
    }),
  ),
];

/** The first tool of the chain this host lacks, if any. */
function missingTool(t: Toolchain): string | undefined {
  for (const tool of [t.compile[0]!, ...t.run.slice(0, 1)]) if (!Bun.which(tool)) return tool;
  return undefined;
}

function probe(t: Toolchain): Entries {
  const dir = mkdtempSync(join(work, "probe-"));
  const source = join(dir, "probe.c");
  const exe = join(dir, t.target.startsWith("win32") ? "probe.exe" : "probe");
  writeFileSync(source, probeSource(t.target));
  const built = Bun.spawnSync([...t.compile, source, "-o", exe], { stderr: "pipe" });
  if (built.exitCode !== 0) throw new Error(`${t.name}: the probe does not compile:\n${built.stderr.toString()}`);
  const env = { ...process.env, WINEPREFIX: join(work, "wine"), WINEDEBUG: "-all" };
  const ran = Bun.spawnSync([...t.run, exe], { env, stdout: "pipe", stderr: "pipe", timeout: 120_000 });
  if (ran.exitCode !== 0) throw new Error(`${t.name}: the probe failed (${ran.exitCode}):\n${ran.stderr.toString()}`);
  const out: Entries = new Map();
  for (const line of ran.stdout.toString().split(/\r?\n/)) {
    const tab = line.indexOf("\t");
    if (tab > 0) out.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return out;
}

describe("every ABI number against the target's own headers", () => {
  for (const t of TOOLCHAINS) {
    const missing = t.notHere ? undefined : missingTool(t);
    const skip = t.notHere ?? (missing && !strict ? `${missing} is not installed` : undefined);
    test.skipIf(skip !== undefined)(`${t.name}${skip ? `: skipped, ${skip}` : ""}`, () => {
      if (missing) throw new Error(`${missing} is not installed; .ci/run installs it`);
      const table = entriesOf(ABI[t.target]);
      const headers = probe(t);
      const wrong = [...table].filter(([key, value]) => headers.get(key) !== value).map(([key, value]) => `${key}: table ${value}, headers ${headers.get(key)}`);
      expect(wrong).toEqual([]);
      expect(headers.size).toBe(table.size);
      if (t.target === "linux-arm64") {
        // The values arm64 numbers differently from x86-64: its headers must disagree with
        // x86-64's value for each (so that the check above fails if one is copied over).
        const x64 = entriesOf(ABI["linux-x64"]);
        const differing = [...table.keys()].filter((key) => x64.get(key) !== table.get(key));
        expect(differing).toEqual(["constants.O_NOFOLLOW", "constants.SYS_statx"]);
        for (const key of differing) expect(headers.get(key)).not.toBe(x64.get(key));
      }
    }, 180_000);
  }
});

describe("the probe itself", () => {
  test("covers every entry, and names each as C does", () => {
    const source = probeSource("linux-arm64");
    expect(source).toContain('printf("%s\\t%lld\\n", "constants.O_NOFOLLOW", (long long)(O_NOFOLLOW));');
    expect(source).toContain('"layouts.struct statx.stx_mtime.tv_nsec", (long long)(offsetof(struct statx, stx_mtime.tv_nsec))');
    expect(source).toContain('"layouts.struct statx.sizeof", (long long)(sizeof(struct statx))');
    expect(source.split("printf(").length - 1).toBe(entriesOf(ABI["linux-arm64"]).size);
  });
});

test("a GUID lies in memory with Data1, Data2 and Data3 little-endian", async () => {
  const { guidBytes } = await import("../../src/sys/kernel32.ts");
  // FOLDERID_Profile, {5E6C858F-0E22-4760-9AFE-EA3317B67173}, as SHGetKnownFolderPath reads it.
  expect([...guidBytes("5E6C858F-0E22-4760-9AFE-EA3317B67173")]).toEqual([
    0x8f, 0x85, 0x6c, 0x5e, 0x22, 0x0e, 0x60, 0x47, 0x9a, 0xfe, 0xea, 0x33, 0x17, 0xb6, 0x71, 0x73,
  ]);
});
