// Finding an agent's latest shell tool call in its JSON, whatever its nesting: the last
// object in which the `name` field is one of the shell tools and the value at `command` is
// a string, or a list of strings (Cline batches commands in one call: the running one is
// one of them). Lines that cannot hold a call (no tool name in their text) are never
// parsed, so a transcript full of large tool outputs costs little.

import type { ToolCallShape } from "../catalog/records.ts";
import { parseJson } from "./io.ts";

/** The commands of one call. */
export type CallCommands = readonly string[];

function valueAt(node: unknown, path: readonly string[]): unknown {
  let at = node;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** The value itself, or for an encoded shape the field of the JSON text it holds. */
function decoded(value: unknown, shape: ToolCallShape): unknown {
  if (shape.encoded === undefined) return value;
  const inner = typeof value === "string" ? parseJson(value) : undefined;
  return typeof inner === "object" && inner !== null ? (inner as Record<string, unknown>)[shape.encoded] : undefined;
}

function commandsOf(value: unknown): CallCommands | undefined {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((c) => typeof c === "string")) return value as string[];
  return undefined;
}

/** The commands of the last call in a parsed value, walking it depth first, in order. */
function lastCallIn(node: unknown, shape: ToolCallShape, path: readonly string[]): CallCommands | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  let found: CallCommands | undefined;
  const fields = node as Record<string, unknown>;
  const name = fields[shape.name];
  if (typeof name === "string" && shape.tools.includes(name)) found = commandsOf(decoded(valueAt(node, path), shape));
  for (const value of Array.isArray(node) ? node : Object.values(fields)) {
    const inner = lastCallIn(value, shape, path);
    if (inner !== undefined) found = inner;
  }
  return found;
}

/**
 * The commands of the last shell tool call in whole JSON lines (a first partial line from
 * reading a file's tail is dropped by tailLines), or undefined.
 */
export function latestCommands(lines: readonly string[], shape: ToolCallShape): CallCommands | undefined {
  const path = shape.command.split(".");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (!shape.tools.some((t) => line.includes(`"${t}"`))) continue;
    const commands = lastCallIn(parseJson(line), shape, path);
    if (commands !== undefined) return commands;
  }
  return undefined;
}

/** The complete lines of a file's tail: the first is dropped unless the tail is the whole file. */
export function tailLines(text: string, whole: boolean): string[] {
  const lines = text.split("\n");
  if (!whole) lines.shift();
  return lines.filter((l) => l.trim() !== "");
}

/** The commands of the last shell tool call in one JSON document. */
export function latestCommandsInDocument(text: string, shape: ToolCallShape): CallCommands | undefined {
  return lastCallIn(parseJson(text), shape, shape.command.split("."));
}
