import { asciiLower, isJsWhitespace } from "../text.ts";

/**
 * argv0 as Railway's CLI derives it from `ps -o command=`: the first whitespace-separated
 * token of the ASCII-lower-cased command line. (Not argv[0] itself: a process that put
 * spaces in its argv[0] is cut at the first one, in both implementations.)
 */
export function argv0Of(command: string): string {
  let start = 0;
  while (start < command.length && isJsWhitespace(command.charCodeAt(start))) start++;
  let end = start;
  while (end < command.length && !isJsWhitespace(command.charCodeAt(end))) end++;
  return asciiLower(command.slice(start, end));
}
