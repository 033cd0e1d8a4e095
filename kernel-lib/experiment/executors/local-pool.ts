/**
 * The local executor: a pool of worker processes (default one per core; spare cores become
 * native-engine threads, see threadsPerWorker), each running tasks through `runTaskAt`. Tasks are handed out one at a time, in plan order among those that are
 * ready, so a slow task never holds up a queue behind it. A task is ready once every task it
 * waits for (`Task.after`) has a verified result — finished earlier or in this pool; while it
 * waits, workers run other ready tasks. When a task fails, the tasks that wait for it (directly
 * or through others) are not started and are reported as blocked. A worker that dies mid-task
 * (OOM, kill -9) is replaced and its task requeued once; a second death marks the task failed.
 */
import { fork, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { isMixlabError } from "../../util/errors.js";
import { projectRoot } from "../../util/paths.js";
import type { Task } from "../kind.js";
import { openTaskRunner, runTaskAt } from "../run-one.js";
import { openStore, readRun } from "../store.js";
import type { FromWorker, ToWorker } from "./messages.js";

/** Something the pool reports while it works. */
export type PoolEvent =
  | { type: "done"; index: number; status: "ran" | "skipped"; seconds: number; corrupt?: { reason: string; movedTo: string } }
  | { type: "failed"; index: number; code: string | null; message: string }
  | { type: "blocked"; index: number; dependency: number; message: string }
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
  /** tasks never started because a task failed and `keepGoing` was off */
  notStarted: number[];
  /**
   * tasks never started because a task they wait for (directly or through others) failed or
   * has no result; `dependency` is that task, `message` says so with task ids
   */
  blocked: { index: number; dependency: number; message: string }[];
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
  const summary = emptySummary();
  const runner = openTaskRunner(dir);
  const queue = new ReadyQueue(runner.store.tasks, indices, (i) => readRun(runner.store, runner.store.tasks[i]).status === "done", summary, emit);
  for (;;) {
    const index = summary.failed.length > 0 && !opts.keepGoing ? undefined : queue.next();
    if (index === undefined) break;
    try {
      const out = await runTaskAt(runner, index, { executor: "inline", log: (message) => emit({ type: "log", index, message }) });
      if (out.status === "ran") summary.ran++; else summary.skipped++;
      queue.succeeded(index);
      emit({ type: "done", index, status: out.status, seconds: out.seconds, corrupt: out.corrupt });
    } catch (e) {
      const failure = isMixlabError(e) ? { index, code: e.code, message: e.message } : { index, code: null, message: e instanceof Error ? e.stack ?? e.message : String(e) };
      summary.failed.push(failure);
      emit({ type: "failed", ...failure });
      queue.failed(index);
    }
  }
  queue.giveUp();
  return summary;
}

function emptySummary(): PoolSummary {
  return { ran: 0, skipped: 0, failed: [], notStarted: [], blocked: [], workerPids: [] };
}

/**
 * The tasks still to hand out, in plan order, and the state of the tasks they wait for.
 * Dependencies outside the pool count as finished when their verified result exists at the
 * start; otherwise their dependents are blocked.
 */
class ReadyQueue {
  private readonly queue: number[];
  /** tasks that finished (now or before), failed (or have no result outside the pool), are blocked */
  private readonly ok = new Set<number>();
  private readonly bad = new Map<number, { root: number; reason: string }>();

  constructor(
    private readonly tasks: readonly Task[],
    indices: readonly number[],
    finishedBefore: (index: number) => boolean,
    private readonly summary: PoolSummary,
    private readonly emit: (e: PoolEvent) => void,
  ) {
    this.queue = [...new Set(indices)].sort((a, b) => a - b);
    const pooled = new Set(this.queue);
    for (const i of this.queue) {
      for (const d of tasks[i].after) {
        if (pooled.has(d) || this.ok.has(d) || this.bad.has(d)) continue;
        if (finishedBefore(d)) this.ok.add(d);
        else this.bad.set(d, { root: d, reason: "has no result and is not among the tasks to run" });
      }
    }
    this.blockDependents();
  }

  /** The first queued task whose dependencies all finished (removed from the queue), if any. */
  next(): number | undefined {
    const k = this.queue.findIndex((i) => this.tasks[i].after.every((d) => this.ok.has(d)));
    return k < 0 ? undefined : this.queue.splice(k, 1)[0];
  }

  /** Tasks left to hand out (ready or waiting). */
  get size(): number {
    return this.queue.length;
  }

  succeeded(index: number): void {
    this.ok.add(index);
  }

  failed(index: number): void {
    this.bad.set(index, { root: index, reason: "failed" });
    this.blockDependents();
  }

  /** Put a task back at its place (its worker died before finishing it). */
  requeue(index: number): void {
    this.queue.push(index);
    this.queue.sort((a, b) => a - b);
  }

  /** Stop: every task still queued is reported as not started. */
  giveUp(): void {
    this.summary.notStarted.push(...this.queue.splice(0));
  }

  /** Move every queued task that waits for a failed or blocked task to `summary.blocked`. */
  private blockDependents(): void {
    for (const i of [...this.queue]) {
      const d = this.tasks[i].after.find((x) => this.bad.has(x));
      if (d === undefined) continue;
      const { root, reason } = this.bad.get(d)!;
      const id = (x: number) => this.tasks[x].id;
      const message = `${id(i)} not started: it waits for ${id(d)}, ${d === root ? `which ${reason}` : `which is blocked because ${id(root)} ${reason}`}`;
      this.queue.splice(this.queue.indexOf(i), 1);
      this.bad.set(i, { root, reason });
      this.summary.blocked.push({ index: i, dependency: root, message });
      this.emit({ type: "blocked", index: i, dependency: root, message });
    }
  }
}

function runForked(dir: string, indices: number[], workers: number, opts: PoolOptions): Promise<PoolSummary> {
  const emit = opts.onEvent ?? (() => {});
  const root = projectRoot();
  const entry = join(root, "kernel-lib", "experiment", "executors", "worker-entry.ts");
  const store = openStore(dir);
  const summary = emptySummary();
  const queue = new ReadyQueue(store.tasks, indices, (i) => readRun(store, store.tasks[i]).status === "done", summary, emit);
  const attempts = new Map<number, number>();
  /** live workers → the task each is running (null: idle, waiting for a ready task) */
  const busy = new Map<ChildProcess, number | null>();
  /** workers that said "ready" (only those are sent messages) and those told to stop */
  const ready = new Set<ChildProcess>();
  const stopped = new Set<ChildProcess>();
  let fatal: Error | null = null;

  return new Promise<PoolSummary>((resolveAll, rejectAll) => {
    const stopping = () => fatal !== null || (summary.failed.length > 0 && !opts.keepGoing);
    const finishIfIdle = () => {
      if (busy.size > 0) return;
      if (fatal) { rejectAll(fatal); return; }
      queue.giveUp();
      resolveAll(summary);
    };
    const stop = (child: ChildProcess) => {
      if (stopped.has(child) || !ready.has(child)) return;
      stopped.add(child);
      if (child.connected) child.send({ type: "stop" } satisfies ToWorker);
    };
    // Hand ready tasks to idle workers; stop idle workers once nothing more can become ready.
    const pump = () => {
      for (const [child, current] of busy) {
        if (current !== null || !ready.has(child) || stopped.has(child) || !child.connected) continue;
        const next = stopping() ? undefined : queue.next();
        if (next === undefined) continue;
        busy.set(child, next);
        attempts.set(next, (attempts.get(next) ?? 0) + 1);
        child.send({ type: "task", index: next } satisfies ToWorker);
      }
      const running = [...busy.values()].some((v) => v !== null);
      // idle workers wait only while a running task may make a queued one ready
      if (stopping() || queue.size === 0 || !running) {
        for (const [child, current] of busy) if (current === null) stop(child);
      }
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
          case "ready": ready.add(child); pump(); break;
          case "log": emit(msg); break;
          case "done":
            if (msg.status === "ran") summary.ran++; else summary.skipped++;
            busy.set(child, null);
            queue.succeeded(msg.index);
            emit(msg);
            pump();
            break;
          case "failed":
            summary.failed.push({ index: msg.index, code: msg.code, message: msg.message });
            busy.set(child, null);
            emit(msg);
            queue.failed(msg.index);
            pump();
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
          if (requeued) queue.requeue(index);
          else {
            summary.failed.push({ index, code: null, message: `worker ${child.pid} died (${signal ?? `exit ${exitCode}`}) twice on this task` });
            queue.failed(index);
          }
          if (queue.size > 0 && !stopping()) spawnWorker();
          pump();
        }
        finishIfIdle();
      });
    };
    if (queue.size === 0) { resolveAll(summary); return; }
    for (let w = 0; w < workers; w++) spawnWorker();
  });
}
