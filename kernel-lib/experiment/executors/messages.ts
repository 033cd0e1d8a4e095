/** IPC messages between the local pool (parent) and its worker processes. */

/** parent → worker */
export type ToWorker = { type: "task"; index: number } | { type: "stop" };

/** worker → parent */
export type FromWorker =
  | { type: "ready" }
  | { type: "log"; index: number; message: string }
  | { type: "done"; index: number; status: "ran" | "skipped"; seconds: number; corrupt?: { reason: string; movedTo: string } }
  | { type: "failed"; index: number; code: string | null; message: string }
  | { type: "fatal"; code: string | null; message: string };
