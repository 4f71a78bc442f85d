export const HELP = `stitch: run a command with the AI-agent session it belongs to

usage:
  stitch [--] COMMAND [ARGS...]        run COMMAND with RAILWAY_AGENT_SESSION_ID set
  stitch run [--] COMMAND [ARGS...]    the same, for a COMMAND named like a subcommand
  stitch resolve [--json]              explain: caller, session id and where it came from,
                                       the anchor process, the ancestry walked
  stitch export [--shell sh|fish|json] print the variables, for eval "$(stitch export)"
  stitch sessions [list|prune|clear] [--json]
                                       inspect or manage the persisted session files
  stitch shim add NAME... | remove NAME... | list | dir [--json]
                                       no prefix needed: links named NAME to stitch, in a
                                       directory put first on PATH; called as NAME, stitch
                                       runs the next NAME on PATH
  stitch help | --help | -h
  stitch version | --version | -V

The command gets RAILWAY_AGENT_SESSION_ID, RAILWAY_AGENT_SESSION and RAILWAY_CALLER when
an agent is calling; a human at a terminal or CI leaves its environment untouched.
Opt out with DO_NOT_TRACK=1 or RAILWAY_NO_TELEMETRY=1.

exit status: the command's own; 127 command not found; 126 not executable; 2 usage error.
`;
