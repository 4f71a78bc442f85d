// Finding an agent's latest shell tool call in the lines of a JSON transcript, whatever its
// nesting: the last object in which `name` is one of the shell tools and the value at
// `command` is a string. Lines that cannot hold a call (no tool name in their text) are
// never parsed, so a transcript full of large tool outputs costs little.

import type { ToolCallShape } from "../catalog/records.ts";
import { parseJson } from "./io.ts";

function valueAt(node: unknown, path: readonly string[]): unknown {
  let at = node;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** The command of the last call in a parsed value, walking it depth first, in order. */
function lastCallIn(node: unknown, shape: ToolCallShape, path: readonly string[]): string | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  let found: string | undefined;
  const fields = node as Record<string, unknown>;
  const name = fields[shape.name];
  if (typeof name === "string" && shape.tools.includes(name)) {
    const command = valueAt(node, path);
    if (typeof command === "string") found = command;
  }
  for (const value of Array.isArray(node) ? node : Object.values(fields)) {
    const inner = lastCallIn(value, shape, path);
    if (inner !== undefined) found = inner;
  }
  return found;
}

/**
 * The command of the last shell tool call in `text` (whole JSON lines; a first partial line
 * from reading a file's tail is skipped by the caller), or undefined.
 */
export function latestCommand(lines: readonly string[], shape: ToolCallShape): string | undefined {
  const path = shape.command.split(".");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (!shape.tools.some((t) => line.includes(`"${t}"`))) continue;
    const command = lastCallIn(parseJson(line), shape, path);
    if (command !== undefined) return command;
  }
  return undefined;
}

/** The complete lines of a file's tail: the first is dropped unless the tail is the whole file. */
export function tailLines(text: string, whole: boolean): string[] {
  const lines = text.split("\n");
  if (!whole) lines.shift();
  return lines.filter((l) => l.trim() !== "");
}

/** The command of the last shell tool call in one JSON document. */
export function latestCommandInDocument(text: string, shape: ToolCallShape): string | undefined {
  return lastCallIn(parseJson(text), shape, shape.command.split("."));
}
