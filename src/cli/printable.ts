// Text that came from elsewhere (process names, session files) is shown with its control
// characters escaped: a process named with terminal escape sequences must not be able to
// rewrite the user's screen through `stitch resolve` or `stitch sessions`.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
