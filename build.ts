// Builds stitch.
//   bun build.ts          dist/stitch for this machine (`npm run build`)
//   bun build.ts --all    every release target into dist/, named stitch-<os>-<arch>[-musl],
//                         with SHA256SUMS (`npm run build:all`)
//   bun build.ts --only=windows-x64   one release target into dist/ (no SHA256SUMS)
//   bun build.ts --npm    the npm packages from those binaries, packed into dist/npm/*.tgz
//                         (`npm run pack`; `--npm=linux-x64` packs one platform package,
//                         `--npm=host` this machine's)
//
// Flags, measured with `npm run bench` (README, "Performance"): --minify and --bytecode
// (precompiled JavaScriptCore bytecode: ~5 ms less start-up); no sourcemap (nothing reads
// one at run time). The version (package.json) and the git commit are compiled in, for
// `stitch version`. The executable autoloads nothing from the directory it runs in
// (NO_AUTOLOAD).

import { $ } from "bun";
import { createHash } from "node:crypto";
import { closeSync, copyFileSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve as resolvePath } from "node:path";
import pkg from "./package.json";
import { embeddedModuleNames } from "./src/bun-executable.ts";
import { isBuildName, SMALLEST_STITCH } from "./src/self.ts";

export interface Target {
  /** Bun's --target. */
  readonly bun: string;
  /** The file's name in dist/. */
  readonly file: string;
  /** npm's platform fields for the binary's package. */
  readonly os: string;
  readonly cpu: string;
  readonly libc?: "glibc" | "musl";
}

export const TARGETS: readonly Target[] = [
  { bun: "bun-linux-x64", file: "stitch-linux-x64", os: "linux", cpu: "x64", libc: "glibc" },
  { bun: "bun-linux-arm64", file: "stitch-linux-arm64", os: "linux", cpu: "arm64", libc: "glibc" },
  { bun: "bun-linux-x64-musl", file: "stitch-linux-x64-musl", os: "linux", cpu: "x64", libc: "musl" },
  { bun: "bun-linux-arm64-musl", file: "stitch-linux-arm64-musl", os: "linux", cpu: "arm64", libc: "musl" },
  { bun: "bun-darwin-x64", file: "stitch-darwin-x64", os: "darwin", cpu: "x64" },
  { bun: "bun-darwin-arm64", file: "stitch-darwin-arm64", os: "darwin", cpu: "arm64" },
  { bun: "bun-windows-x64", file: "stitch-windows-x64.exe", os: "win32", cpu: "x64" },
];

/** agent-stitch-linux-x64, agent-stitch-windows-x64, ... */
export const packageName = (t: Target) => `${pkg.name}-${t.file.replace(/^stitch-/, "").replace(/\.exe$/, "")}`;

function commit(): string {
  const r = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { stdio: ["ignore", "pipe", "ignore"] });
  const dirty = Bun.spawnSync(["git", "status", "--porcelain", "--untracked-files=no"], { stdio: ["ignore", "pipe", "ignore"] });
  const id = r.exitCode === 0 ? r.stdout.toString().trim() : "unknown";
  return dirty.exitCode === 0 && dirty.stdout.length > 0 ? `${id}-dirty` : id;
}

/**
 * A standalone executable would otherwise load, from whatever directory it is started in,
 * `.env*` files into process.env and bunfig.toml (whose `preload` runs code before
 * stitch's own), and, if asked, tsconfig.json and package.json. stitch runs in repositories
 * it did not write; its inputs are its environment, arguments, the process table and the
 * files the spec names, nothing in the working directory (design §10, SECURITY.md). The last
 * two are off by default today; they are named so that no default can turn them on.
 */
export const NO_AUTOLOAD = {
  autoloadDotenv: false,
  autoloadBunfig: false,
  autoloadTsconfig: false,
  autoloadPackageJson: false,
} as const satisfies Partial<Bun.CompileBuildOptions>;

/** The same as `bun build --compile` flags: `--no-compile-autoload-dotenv`, ... (bench/run.ts). */
export const NO_AUTOLOAD_FLAGS: readonly string[] = Object.keys(NO_AUTOLOAD).map(
  (key) => `--no-compile-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
);

/**
 * JavaScriptCore's tier-up thresholds, multiplied: stitch's code runs once per process and
 * is done in milliseconds, so compiling any of it is wasted work, and the JIT's worker
 * threads, once started, make the exec that ends stitch slower (it waits for every other
 * thread to die). Measured with `npm run bench`: ~0.15 ms less on every path.
 */
export const JIT_POLICY = 1000;

/**
 * Runtime flags compiled into the executable. Any one of them sends Bun 1.4.5's start-up
 * through its argument parser, which survives a deleted working directory; without one, a
 * standalone executable asks for the working directory before any of stitch's code runs and,
 * if it was deleted, exits 1 with "The current working directory was deleted" (agents delete
 * the directory their shell stands in: worktrees, `rm -rf build`). `--no-deprecation` is the
 * flag with no other effect on stitch (it only keeps Node's deprecation warnings off stderr).
 * The working directory is not changed: the command starts in it (design §10).
 * test/e2e/runtime-start.test.ts pins both outcomes.
 */
export const EXEC_ARGV: readonly string[] = ["--no-deprecation"];

/** Compiles an entry point with stitch's flags (bench/ builds its floor with the same). */
export async function compile(outfile: string, target?: string, entrypoint = "src/main.ts"): Promise<void> {
  const result = await Bun.build({
    entrypoints: [entrypoint],
    compile: { outfile, ...(target && { target: target as Bun.Build.CompileTarget }), ...NO_AUTOLOAD, jitPolicy: JIT_POLICY, execArgv: [...EXEC_ARGV] },
    minify: true,
    bytecode: true,
    // The subcommands stitch imports with import() (help, resolve, export, sessions, shim) go
    // to chunks of their own, loaded when asked. In one bundle every function of every
    // module is a declaration of the program, and each is instantiated when the program
    // starts, called or not (~2,300 instructions apiece, docs/performance.md): the wrap path
    // would pay for the code of every subcommand.
    splitting: true,
    format: "esm",
    sourcemap: "none",
    define: { STITCH_VERSION: JSON.stringify(pkg.version), STITCH_COMMIT: JSON.stringify(commit()) },
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error(`could not build ${outfile}`);
  }
  await $`chmod 755 ${outfile}`;
  if (entrypoint === "src/main.ts") assertRecognised(outfile);
}

/**
 * A shim never runs a stitch binary (design §12), recognised by what it carries: a build
 * whose binary the check cannot read (a runtime that moved its payload) must not ship.
 */
function assertRecognised(outfile: string): void {
  const fd = openSync(outfile, "r");
  try {
    const size = fstatSync(fd).size;
    const read = (offset: number, length: number) => {
      const buf = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      return buf.subarray(0, readSync(fd, buf, 0, buf.length, offset));
    };
    const names = embeddedModuleNames(read, size);
    if (size < SMALLEST_STITCH) throw new Error(`${outfile}: ${size} bytes, smaller than a stitch binary is assumed to be (SMALLEST_STITCH in src/self.ts)`);
    if (!names?.some(isBuildName)) throw new Error(`${outfile}: not recognised as a stitch binary (modules: ${JSON.stringify(names)}): see src/bun-executable.ts`);
  } finally {
    closeSync(fd);
  }
}

/** linux-x64, darwin-arm64, ... for this machine (glibc assumed on Linux). */
function hostTarget(): string {
  return `${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
}

const description =
  "Put it in front of a command an AI agent runs: works out who called and which agent conversation the call belongs to, then execs the command with RAILWAY_AGENT_SESSION_ID set.";

/** The library: the pure resolver for Node and Bun, the real world for Bun, their types. */
async function buildLibrary(dir: string): Promise<void> {
  for (const [entry, out, target] of [
    ["src/lib.ts", "index.js", "node"],
    ["src/lib-bun.ts", "bun.js", "bun"],
  ] as const) {
    const r = await Bun.build({ entrypoints: [entry], target, format: "esm", minify: false, naming: out, outdir: join(dir, "lib") });
    if (!r.success) throw new Error(r.logs.join("\n"));
  }
  await $`node_modules/.bin/tsc -p tsconfig.lib.json`.quiet();
  // Declarations keep the sources' `.ts` specifiers; consumers resolve `.js` to `.d.ts`.
  const rewrite = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, name.name);
      if (name.isDirectory()) rewrite(path);
      else writeFileSync(path, readFileSync(path, "utf8").replace(/(from "\.{1,2}\/[^"]+)\.ts"/g, '$1.js"'));
    }
  };
  rewrite(join(dir, "types"));
}

/** dist/npm/<name>/ for the main package and each platform's binary package, packed. */
async function buildPackages(only?: string): Promise<void> {
  const root = "dist/npm";
  rmSync(root, { recursive: true, force: true });
  const targets = TARGETS.filter((t) => !only || t.file === `stitch-${only}` || t.file === `stitch-${only}.exe`);
  const main = join(root, pkg.name);
  mkdirSync(join(main, "bin"), { recursive: true });
  await buildLibrary(main);
  copyFileSync("npm/launcher.mjs", join(main, "bin", "stitch"));
  await $`chmod 755 ${join(main, "bin", "stitch")}`;
  copyFileSync("npm/platform.cjs", join(main, "platform.cjs"));
  copyFileSync("npm/install.cjs", join(main, "install.cjs"));
  copyFileSync("README.md", join(main, "README.md"));
  writeFileSync(
    join(main, "package.json"),
    `${JSON.stringify(
      {
        name: pkg.name,
        version: pkg.version,
        description,
        license: pkg.license,
        type: "module",
        bin: { stitch: "bin/stitch" },
        exports: {
          ".": { types: "./types/lib.d.ts", default: "./lib/index.js" },
          "./bun": { types: "./types/lib-bun.d.ts", bun: "./lib/bun.js" },
        },
        scripts: { postinstall: "node install.cjs" },
        optionalDependencies: Object.fromEntries(TARGETS.map((t) => [packageName(t), pkg.version])),
        engines: { node: ">=20.16" },
      },
      null,
      2,
    )}\n`,
  );
  for (const t of targets) {
    const dir = join(root, packageName(t));
    const exe = t.file.endsWith(".exe") ? "stitch.exe" : "stitch";
    mkdirSync(join(dir, "bin"), { recursive: true });
    if (!existsSync(`dist/${t.file}`)) throw new Error(`dist/${t.file} is missing: run \`bun build.ts --all\` first`);
    copyFileSync(`dist/${t.file}`, join(dir, "bin", exe));
    await $`chmod 755 ${join(dir, "bin", exe)}`;
    writeFileSync(
      join(dir, "package.json"),
      `${JSON.stringify(
        {
          name: packageName(t),
          version: pkg.version,
          description: `The ${t.file} binary of ${pkg.name}.`,
          license: pkg.license,
          os: [t.os],
          cpu: [t.cpu],
          ...(t.libc && { libc: [t.libc] }),
          files: [`bin/${exe}`],
        },
        null,
        2,
      )}\n`,
    );
  }
  for (const dir of [main, ...targets.map((t) => join(root, packageName(t)))]) {
    await $`npm pack --silent --pack-destination ${resolvePath(root)}`.cwd(dir).quiet();
  }
  console.log(`packed ${readdirSync(root).filter((f) => f.endsWith(".tgz")).join(", ")}`);
}

if (import.meta.main) {
  mkdirSync("dist", { recursive: true });
  const npmFlag = process.argv.find((a) => a === "--npm" || a.startsWith("--npm="));
  if (npmFlag) {
    const only = npmFlag.includes("=") ? npmFlag.slice("--npm=".length) : undefined;
    await buildPackages(only === "host" ? hostTarget() : only);
  } else if (process.argv.some((a) => a.startsWith("--only="))) {
    const only = process.argv.find((a) => a.startsWith("--only="))!.slice("--only=".length);
    const t = TARGETS.find((x) => x.file === `stitch-${only}` || x.file === `stitch-${only}.exe`);
    if (!t) throw new Error(`no target ${only}: one of ${TARGETS.map((x) => x.file.replace(/^stitch-|\.exe$/g, "")).join(", ")}`);
    await compile(`dist/${t.file}`, t.bun);
    console.log(`built dist/${t.file}`);
  } else if (process.argv.includes("--all")) {
    const sums: string[] = [];
    for (const t of TARGETS) {
      const out = `dist/${t.file}`;
      await compile(out, t.bun);
      sums.push(`${createHash("sha256").update(readFileSync(out)).digest("hex")}  ${basename(out)}`);
      console.log(`built ${out}`);
    }
    writeFileSync("dist/SHA256SUMS", `${sums.join("\n")}\n`);
    console.log("wrote dist/SHA256SUMS");
  } else {
    await compile("dist/stitch");
    console.log("built dist/stitch");
  }
}
