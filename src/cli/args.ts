// The command line (SPEC §2), parsed without side effects.

export type Shell = "sh" | "fish" | "json";
export type SessionsAction = "list" | "prune" | "clear";
export type ShimAction = "add" | "remove" | "list" | "dir";

export type Invocation =
  /** Run the command that starts at args[start]. */
  | { readonly kind: "run"; readonly start: number }
  | { readonly kind: "resolve"; readonly json: boolean }
  | { readonly kind: "export"; readonly shell: Shell }
  | { readonly kind: "sessions"; readonly action: SessionsAction; readonly json: boolean }
  | { readonly kind: "shim"; readonly action: ShimAction; readonly names: readonly string[]; readonly json: boolean }
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "usage"; readonly message: string };

const usage = (message: string): Invocation => ({ kind: "usage", message });

function runFrom(args: readonly string[], start: number): Invocation {
  const at = args[start] === "--" ? start + 1 : start;
  return at < args.length ? { kind: "run", start: at } : usage("missing command to run");
}

function flagsOnly(rest: readonly string[], allowed: readonly string[]): string | undefined {
  return rest.find((a) => !allowed.includes(a));
}

export function parseArgs(args: readonly string[]): Invocation {
  const [first, ...rest] = args;
  switch (first) {
    case undefined:
      return usage("missing command to run");
    case "--":
      return runFrom(args, 0);
    case "run":
      return runFrom(args, 1);
    case "help":
    case "--help":
    case "-h":
      return { kind: "help" };
    case "version":
    case "--version":
    case "-V":
      return { kind: "version" };
    case "resolve": {
      const bad = flagsOnly(rest, ["--json"]);
      return bad === undefined ? { kind: "resolve", json: rest.includes("--json") } : usage(`resolve: unexpected '${bad}'`);
    }
    case "export":
      return parseExport(rest);
    case "sessions":
      return parseSessions(rest);
    case "shim":
      return parseShim(rest);
  }
  if (first.startsWith("-")) return usage(`unknown option '${first}'`);
  return { kind: "run", start: 0 };
}

const SHELLS: readonly Shell[] = ["sh", "fish", "json"];

function parseExport(rest: readonly string[]): Invocation {
  let shell: Shell = "sh";
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = a === "--shell" ? rest[++i] : a.startsWith("--shell=") ? a.slice("--shell=".length) : null;
    if (value === null) return usage(`export: unexpected '${a}'`);
    if (!SHELLS.includes(value as Shell)) return usage(`export: --shell takes sh, fish or json`);
    shell = value as Shell;
  }
  return { kind: "export", shell };
}

const ACTIONS: readonly SessionsAction[] = ["list", "prune", "clear"];

function parseSessions(rest: readonly string[]): Invocation {
  let action: SessionsAction | undefined;
  let json = false;
  for (const a of rest) {
    if (a === "--json") json = true;
    else if (action === undefined && ACTIONS.includes(a as SessionsAction)) action = a as SessionsAction;
    else return usage(`sessions: unexpected '${a}'`);
  }
  return { kind: "sessions", action: action ?? "list", json };
}

const SHIM_ACTIONS: readonly ShimAction[] = ["add", "remove", "list", "dir"];

function parseShim(rest: readonly string[]): Invocation {
  const [action, ...more] = rest;
  if (action === undefined) return usage("shim: add NAME..., remove NAME..., list or dir");
  if (!SHIM_ACTIONS.includes(action as ShimAction)) return usage(`shim: unknown action '${action}' (add, remove, list, dir)`);
  let json = false;
  const names: string[] = [];
  for (const a of more) {
    if (a === "--json") json = true;
    else if (a.startsWith("-") && a !== "-") return usage(`shim ${action}: unexpected '${a}'`);
    else names.push(a);
  }
  if ((action === "add" || action === "remove") && names.length === 0) return usage(`shim ${action}: which command? (stitch shim ${action} railway)`);
  if ((action === "list" || action === "dir") && names.length > 0) return usage(`shim ${action}: unexpected '${names[0]}'`);
  return { kind: "shim", action: action as ShimAction, names, json };
}
