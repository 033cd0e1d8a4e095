/**
 * The local executor: a pool of worker processes (default one per core; spare cores become
 * native-engine threads, see threadsPerWorker), each running tasks
 * through `runTaskAt`. Tasks are handed out one at a time, so a slow task never holds up a
 * queue behind it. A worker that dies mid-task (OOM, kill -9) is replaced and its task
 * requeued once; a second death marks the task failed.
 */
import { fork, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { isMixlabError } from "../../util/errors.js";
import { projectRoot } from "../../util/paths.js";
import { openTaskRunner, runTaskAt } from "../run-one.js";
import type { FromWorker, ToWorker } from "./messages.js";

/** Something the pool reports while it works. */
export type PoolEvent =
  | { type: "done"; index: number; status: "ran" | "skipped"; seconds: number; corrupt?: { reason: string; movedTo: string } }
  | { type: "failed"; index: number; code: string | null; message: string }
  | { type: "log"; index: number; message: string }
  | { type: "worker-started"; pid: number }
  | { type: "worker-died"; index: number; pid: number; signal: string | null; exitCode: number | null; requeued: boolean };

export interface PoolOptions {
  /** worker processes; 0 runs tasks inline in this process (notebooks, debugging) */
  workers?: number;
  /** keep dispatching after a task fails (default: stop handing out new tasks) */
  keepGoing?: boolean;
  onEvent?: (e: PoolEvent) => void;
}

export interface PoolSummary {
  ran: number;
  skipped: number;
  failed: { index: number; code: string | null; message: string }[];
  /** tasks never started because an earlier one failed */
  notStarted: number[];
  /** pids of the worker processes started (for diagnostics and tests) */
  workerPids: number[];
}

/**
 * Default worker count: one per core, at most one per task.
 *
 * @example
 * defaultWorkers(100); // 2 on a two-core machine
 */
export function defaultWorkers(tasks: number): number {
  return Math.max(1, Math.min(availableParallelism(), tasks));
}

/**
 * Threads for each worker's native engine when MIXLAB_THREADS is unset: the cores left over
 * from one process per task (a 2-core box: 2 workers × 1 thread for a sweep, 1 × 2 for a single
 * final model). The native engine's results do not depend on its thread count.
 *
 * @example
 * threadsPerWorker(1); // 2 on a two-core machine
 */
export function threadsPerWorker(workers: number): number {
  return Math.max(1, Math.floor(availableParallelism() / Math.max(1, workers)));
}

/**
 * Run `indices` of the results directory `dir` on a local pool.
 *
 * @example
 * const s = await runLocalPool("/abs/results/x", [0, 1, 2, 3], { workers: 2, onEvent: console.log });
 * s.ran; // 4
 */
export async function runLocalPool(dir: string, indices: number[], opts: PoolOptions = {}): Promise<PoolSummary> {
  const workers = opts.workers ?? defaultWorkers(indices.length);
  if (workers === 0) return runInline(dir, indices, opts);
  return runForked(dir, indices, Math.min(workers, Math.max(1, indices.length)), opts);
}

async function runInline(dir: string, indices: number[], opts: PoolOptions): Promise<PoolSummary> {
  const emit = opts.onEvent ?? (() => {});
  const summary: PoolSummary = { ran: 0, skipped: 0, failed: [], notStarted: [], workerPids: [] };
  const runner = openTaskRunner(dir);
  for (let k = 0; k < indices.length; k++) {
    const index = indices[k];
    if (summary.failed.length > 0 && !opts.keepGoing) { summary.notStarted.push(...indices.slice(k)); break; }
    try {
      const out = await runTaskAt(runner, index, { executor: "inline", log: (message) => emit({ type: "log", index, message }) });
      if (out.status === "ran") summary.ran++; else summary.skipped++;
      emit({ type: "done", index, status: out.status, seconds: out.seconds, corrupt: out.corrupt });
    } catch (e) {
      const failure = isMixlabError(e) ? { index, code: e.code, message: e.message } : { index, code: null, message: e instanceof Error ? e.stack ?? e.message : String(e) };
      summary.failed.push(failure);
      emit({ type: "failed", ...failure });
    }
  }
  return summary;
}

function runForked(dir: string, indices: number[], workers: number, opts: PoolOptions): Promise<PoolSummary> {
  const emit = opts.onEvent ?? (() => {});
  const root = projectRoot();
  const entry = join(root, "kernel-lib", "experiment", "executors", "worker-entry.ts");
  const queue = [...indices];
  const attempts = new Map<number, number>();
  const busy = new Map<ChildProcess, number | null>();
  const summary: PoolSummary = { ran: 0, skipped: 0, failed: [], notStarted: [], workerPids: [] };
  let fatal: Error | null = null;

  return new Promise<PoolSummary>((resolveAll, rejectAll) => {
    const stopping = () => fatal !== null || (summary.failed.length > 0 && !opts.keepGoing);
    const finishIfIdle = () => {
      if (busy.size > 0) return;
      if (fatal) { rejectAll(fatal); return; }
      summary.notStarted.push(...queue.splice(0));
      resolveAll(summary);
    };
    const dispatch = (child: ChildProcess) => {
      const next = stopping() ? undefined : queue.shift();
      if (next === undefined) {
        busy.set(child, null);
        if (child.connected) child.send({ type: "stop" } satisfies ToWorker);
        return;
      }
      busy.set(child, next);
      attempts.set(next, (attempts.get(next) ?? 0) + 1);
      child.send({ type: "task", index: next } satisfies ToWorker);
    };
    const spawnWorker = () => {
      const child = fork(entry, [dir], {
        cwd: root,
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        env: { ...process.env, MIXLAB_ROOT: root, MIXLAB_THREADS: process.env.MIXLAB_THREADS ?? String(threadsPerWorker(workers)) },
      });
      if (child.pid !== undefined) {
        summary.workerPids.push(child.pid);
        emit({ type: "worker-started", pid: child.pid });
      }
      busy.set(child, null);
      child.on("message", (msg: FromWorker) => {
        switch (msg.type) {
          case "ready": dispatch(child); break;
          case "log": emit(msg); break;
          case "done":
            if (msg.status === "ran") summary.ran++; else summary.skipped++;
            emit(msg);
            dispatch(child);
            break;
          case "failed":
            summary.failed.push({ index: msg.index, code: msg.code, message: msg.message });
            emit(msg);
            dispatch(child);
            break;
          case "fatal":
            fatal = Object.assign(new Error(msg.message), msg.code ? { name: "MixlabError", code: msg.code } : {});
            break;
        }
      });
      child.on("exit", (exitCode, signal) => {
        const index = busy.get(child);
        busy.delete(child);
        if (index !== null && index !== undefined) {
          // Died mid-task: nothing was written (atomic writes), so the task is simply redone.
          const requeued = (attempts.get(index) ?? 0) < 2 && !stopping();
          emit({ type: "worker-died", index, pid: child.pid ?? -1, signal, exitCode, requeued });
          if (requeued) queue.unshift(index);
          else summary.failed.push({ index, code: null, message: `worker ${child.pid} died (${signal ?? `exit ${exitCode}`}) twice on this task` });
          if (queue.length > 0 && !stopping()) spawnWorker();
        }
        finishIfIdle();
      });
    };
    if (queue.length === 0) { resolveAll(summary); return; }
    for (let w = 0; w < workers; w++) spawnWorker();
  });
}
