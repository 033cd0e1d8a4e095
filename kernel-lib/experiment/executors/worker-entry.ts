/**
 * A local pool worker: `node --import tsx worker-entry.ts <resultsDir>`, forked by
 * `runLocalPool`. It opens the results directory once, then runs task indices sent by the
 * parent through `runTaskAt` — the same code path as `mixlab run-task`. When the parent dies
 * (IPC disconnect) the worker exits after its current task; an atomic write means that task
 * is either fully stored or redone on resume.
 */
import { isMixlabError } from "../../util/errors.js";
import { loadKindModules } from "../registry.js";
import { openTaskRunner, runTaskAt, type TaskRunner } from "../run-one.js";
import type { FromWorker, ToWorker } from "./messages.js";

function send(msg: FromWorker): void {
  if (process.connected) process.send?.(msg);
}

function errorParts(e: unknown): { code: string | null; message: string } {
  if (isMixlabError(e)) return { code: e.code, message: e.message };
  return { code: null, message: e instanceof Error ? e.stack ?? e.message : String(e) };
}

async function start(): Promise<void> {
  const dir = process.argv[2];
  let runner: TaskRunner;
  try {
    if (!dir) throw new Error("worker-entry: missing results directory argument");
    await loadKindModules();
    runner = openTaskRunner(dir);
  } catch (e) {
    send({ type: "fatal", ...errorParts(e) });
    process.exitCode = 2;
    process.disconnect?.();
    return;
  }
  // Tasks arrive one at a time (the parent waits for done/failed), so no queue is needed here.
  process.on("message", (msg: ToWorker) => {
    if (msg.type === "stop") {
      process.disconnect?.();
      return;
    }
    const index = msg.index;
    runTaskAt(runner, index, { executor: "local", log: (message) => send({ type: "log", index, message }) })
      .then((out) => send({ type: "done", index, status: out.status, seconds: out.seconds, corrupt: out.corrupt }))
      .catch((e: unknown) => send({ type: "failed", index, ...errorParts(e) }));
  });
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready" });
}

void start();
