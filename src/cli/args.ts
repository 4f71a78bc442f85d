// The command line (design §2), parsed without side effects.

import type { HelpTopic } from "./help.ts";

export type Shell = "sh" | "fish" | "json";
export type SessionsAction = "list" | "prune" | "clear";
export type ShimAction = "add" | "remove" | "list" | "dir";

export type Invocation =
  /** Run the command that starts at args[start]. */
  | { readonly kind: "run"; readonly start: number }
  | { readonly kind: "resolve"; readonly json: boolean; readonly withArgs: boolean }
  | { readonly kind: "export"; readonly shell: Shell }
  | { readonly kind: "sessions"; readonly action: SessionsAction; readonly json: boolean }
  | { readonly kind: "shim"; readonly action: ShimAction; readonly names: readonly string[]; readonly json: boolean }
  | { readonly kind: "help"; readonly topic: HelpTopic }
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

const HELP_FLAGS: readonly string[] = ["--help", "-h"];
const SUBCOMMANDS: readonly HelpTopic[] = ["run", "resolve", "export", "sessions", "shim"];

/** `stitch help [SUBCOMMAND]`, or a subcommand's own --help (`run`'s only before its COMMAND). */
function helpAsked(first: string, rest: readonly string[]): Invocation | undefined {
  if (first === "help") {
    const [topic, ...more] = rest;
    if (topic === undefined) return { kind: "help", topic: "main" };
    if (!SUBCOMMANDS.includes(topic as HelpTopic) || more.length > 0) return usage(`help: no help for '${rest.join(" ")}' (run, resolve, export, sessions, shim)`);
    return { kind: "help", topic: topic as HelpTopic };
  }
  if (!SUBCOMMANDS.includes(first as HelpTopic)) return undefined;
  const asked = first === "run" ? HELP_FLAGS.includes(rest[0] ?? "") : rest.some((a) => HELP_FLAGS.includes(a));
  return asked ? { kind: "help", topic: first as HelpTopic } : undefined;
}

export function parseArgs(args: readonly string[]): Invocation {
  const [first, ...rest] = args;
  const help = first === undefined ? undefined : helpAsked(first, rest);
  if (help) return help;
  switch (first) {
    case undefined:
      return usage("missing command to run");
    case "--":
      return runFrom(args, 0);
    case "run":
      return runFrom(args, 1);
    case "--help":
    case "-h":
      return { kind: "help", topic: "main" };
    case "version":
    case "--version":
    case "-V":
      return { kind: "version" };
    case "resolve": {
      const bad = flagsOnly(rest, ["--json", "--with-args"]);
      if (bad !== undefined) return usage(`resolve: unexpected '${bad}'`);
      return { kind: "resolve", json: rest.includes("--json"), withArgs: rest.includes("--with-args") };
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
