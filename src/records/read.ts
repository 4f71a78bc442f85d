// One reader per kind of record (design §5.3); only the kind an agent's row declares is loaded.

import type { ConversationRecord } from "../catalog/records.ts";
import type { RecordAnswer, RecordCall, RecordFiles } from "./io.ts";

export function readRecord(record: ConversationRecord, call: RecordCall, files: RecordFiles): RecordAnswer {
  switch (record.kind) {
    case "pid_file":
      return (require("./pid-file.ts") as typeof import("./pid-file.ts")).readPidFile(record, call, files);
    case "pid_lock":
      return (require("./pid-lock.ts") as typeof import("./pid-lock.ts")).readPidLock(record, call, files);
    case "tool_call_db":
      return (require("./tool-call-db.ts") as typeof import("./tool-call-db.ts")).readToolCallDb(record, call, files);
    case "transcript":
      return (require("./transcript.ts") as typeof import("./transcript.ts")).readTranscript(record, call, files);
    case "task_file":
      return (require("./task-file.ts") as typeof import("./task-file.ts")).readTaskFile(record, call, files);
    case "open_file":
      return (require("./open-file.ts") as typeof import("./open-file.ts")).readOpenFile(record, call, files);
  }
}
