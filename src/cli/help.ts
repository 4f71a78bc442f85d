// `stitch --help` and each subcommand's: one screen each (80 columns, 24 lines: checked by
// test/unit/cli.test.ts), examples first, the same commands as the README's.

export type HelpTopic = "main" | "run" | "resolve" | "export" | "sessions" | "shim";

const MAIN = `stitch: run a command with the AI-agent session it belongs to

examples:
  stitch railway up              run \`railway up\`; an agent's call gets its id
  stitch shim add railway        no prefix: plain \`railway\` goes through stitch
  stitch resolve                 who is calling, which session, and why
  eval "$(stitch export)"        the variables, for a whole shell session

usage:
  stitch [--] COMMAND [ARGS...]  run COMMAND with RAILWAY_AGENT_SESSION_ID set
  stitch run [--] COMMAND...     the same, for a COMMAND named like a subcommand
  stitch resolve [--json] [--with-args]   explain the caller and the session
  stitch export [--shell sh|fish|json]   the variables a command would get
  stitch sessions [list|prune|clear] [--json]   the persisted session files
  stitch shim add NAME... | remove NAME... | list | dir [--json]
  stitch help [SUBCOMMAND]       this, or a subcommand's help (or: shim --help)
  stitch version

When an agent is calling, the command gets RAILWAY_AGENT_SESSION_ID,
RAILWAY_AGENT_SESSION and RAILWAY_CALLER; for a human at a terminal or CI its
environment is left untouched.
Opt out with DO_NOT_TRACK=1 or RAILWAY_NO_TELEMETRY=1.

exit status: the command's; 127 not found; 126 not executable; 2 usage error.
`;

const RUN = `stitch [run] [--] COMMAND [ARGS...]: run COMMAND with its agent session

examples:
  stitch railway up
  stitch run -- resolve --json   a COMMAND named like a subcommand
  CLAUDECODE=1 stitch sh -c 'echo "$RAILWAY_CALLER $RAILWAY_AGENT_SESSION_ID"'

stitch finds COMMAND on PATH as execvp does and replaces itself with it (on
Windows it runs it and exits with its exit code). When an agent is calling,
COMMAND's environment gains RAILWAY_AGENT_SESSION_ID and RAILWAY_AGENT_SESSION
(the id) and RAILWAY_CALLER (who called) unless it is already set; for a human
at a terminal, CI or an opted-out user it is untouched. Nothing else changes:
the arguments byte for byte, stdin, stdout, stderr and every other inherited
descriptor, the working directory. Nothing that goes wrong in finding the
caller or the session stops COMMAND.

exit status: COMMAND's own; 127 not found; 126 not executable; 2 no COMMAND.
`;

const RESOLVE = `stitch resolve [--json] [--with-args]: what a wrapped command would get, why

examples:
  stitch resolve                 the caller, the session id and where it came
                                 from, the anchor process, every ancestor walked
                                 (its program, not its arguments)
  stitch resolve --json          the same as one JSON object
  stitch resolve --with-args     each ancestor's whole command line too: its
                                 arguments may hold secrets, so only when asked

It decides exactly as \`stitch COMMAND\` would from this shell, and persists the
same way: the id it shows is the id the next wrapped command gets.
`;

const EXPORT = `stitch export [--shell sh|fish|json]: the variables a command would get

examples:
  eval "$(stitch export)"              bash, zsh, sh
  stitch export --shell fish | source  fish
  stitch export --shell json           {"RAILWAY_AGENT_SESSION_ID": ...}

Prints nothing ({} with --shell json) when the environment would stay
untouched: a human at a terminal, CI, an opted-out user.
`;

const SESSIONS = `stitch sessions [list|prune|clear] [--json]: the persisted session files

examples:
  stitch sessions                list them: id, agent process, live or stale
  stitch sessions prune          delete the stale ones (their agent has exited)
  stitch sessions clear          delete them all

One small file per long-lived agent process, in $RAILWAY_SESSIONS_DIR, else
~/.railway/sessions (Railway's CLI reads and writes the same files). stitch
sweeps stale ones itself when it creates a file; these commands work even
when opted out.
`;

const SHIM = `stitch shim add NAME... | remove NAME... | list | dir [--json]

examples:
  stitch shim add railway        a link named railway to stitch
  export PATH="$(stitch shim dir):$PATH"     in ~/.profile and ~/.bashrc
  stitch shim list               each shim, whether it is stitch, what it runs
  stitch shim remove railway

Called as NAME, stitch runs the next NAME on PATH that is not a stitch binary
(this one, a copy, another version), with the session environment; a NAME
installed later is found without re-running anything; with no other NAME on
PATH: exit 127. The directory is
$STITCH_SHIM_DIR, else \${XDG_DATA_HOME:-~/.local/share}/stitch/shims,
created owner-only. remove takes away only shims that run stitch, never a
link to another program.
`;

const TOPICS: Record<HelpTopic, string> = { main: MAIN, run: RUN, resolve: RESOLVE, export: EXPORT, sessions: SESSIONS, shim: SHIM };

export function helpText(topic: HelpTopic): string {
  return TOPICS[topic];
}
