/**
 * The result store: one directory per experiment.
 *
 *   results/<name>/manifest.json      how it was made (written once, last step of creation)
 *   results/<name>/plan.json          every task: id, index, seed, params, after (the tasks it waits for)
 *   results/<name>/runs/<id>.json     one finished run, written atomically, with sha256
 *   results/<name>/runs/<id>.json.corrupt-<time>   a run that failed its checksum, set aside
 *
 * "Result file present and its checksum verifies" is the one definition of done: a worker
 * killed mid-task leaves no file (writes are atomic), so its task is redone; two processes
 * finishing the same task write the same path, so a run is never counted twice.
 *
 * The checksum catches accidents (a truncated or bit-flipped file, a hand edit that forgot the
 * checksum), not deliberate edits: anyone can recompute it. What a store says about paths is
 * not trusted either: plan.json's task ids must be the ids `taskIdFor` gives (so a run file is
 * always `runs/run-NNNN.json`, inside the store), and each task's index its position.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic.js";
import { MixlabError } from "../util/errors.js";
import { canonicalJson, isPlainObject, sha256Hex, type Json } from "./json.js";
import type { RunMeta, RunRecord, Task } from "./kind.js";
import { readManifest, type Manifest } from "./manifest.js";

export const PLAN_FORMAT = 1;
export const RUN_FORMAT = 1;

/** An opened results directory. */
export interface Store {
  /** absolute path */
  dir: string;
  manifest: Manifest;
  tasks: Task[];
}

/** State of one task's run file. */
export type RunStatus =
  | { status: "done"; record: RunRecord }
  | { status: "missing" }
  | { status: "corrupt"; reason: string };

/** What a scan of `runs/` found. */
export interface RunScan {
  done: RunRecord[];
  missing: Task[];
  corrupt: { task: Task; reason: string }[];
}

/**
 * Id of the task at `index` in a plan of `total` tasks: `run-0007` (wider when total > 10⁴).
 *
 * @example
 * taskIdFor(7, 12); // "run-0007"
 */
export function taskIdFor(index: number, total: number): string {
  const width = Math.max(4, String(Math.max(0, total - 1)).length);
  return `run-${String(index).padStart(width, "0")}`;
}

/**
 * The path `base` if nothing is there, else the first free `base-2`, `base-3`, …
 * (used by `--fresh`: old results are never overwritten or deleted).
 *
 * @example
 * freshDir("results/x"); // "results/x-2" when results/x exists
 */
export function freshDir(base: string): string {
  if (!existsSync(base)) return base;
  for (let k = 2; ; k++) if (!existsSync(`${base}-${k}`)) return `${base}-${k}`;
}

/**
 * True when `dir` holds a results directory (has manifest.json).
 *
 * @example
 * isStore("results/proxy-sweep-tiny"); // true after a run
 */
export function isStore(dir: string): boolean {
  return existsSync(join(dir, "manifest.json"));
}

/**
 * Create a results directory: plan first, manifest last (the manifest marks it complete).
 * Refuses a directory that already holds anything but a half-created plan.
 *
 * @example
 * const store = createStore("/abs/results/x", manifest, tasks);
 */
export function createStore(dir: string, manifest: Manifest, tasks: Task[]): Store {
  if (existsSync(dir)) {
    const leftovers = readdirSync(dir).filter((f) => f !== "plan.json" && !f.startsWith("."));
    if (isStore(dir) || leftovers.length > 0) {
      throw new MixlabError("RESULTS_DIR_NOT_EMPTY", `${dir} already exists and is not an unfinished results directory; choose another --out or use --fresh`);
    }
  }
  mkdirSync(join(dir, "runs"), { recursive: true });
  writeFileAtomic(join(dir, "plan.json"), JSON.stringify({ format: PLAN_FORMAT, tasks }, null, 1) + "\n");
  writeFileAtomic(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return { dir, manifest, tasks };
}

/**
 * Open an existing results directory (RESULTS_NOT_FOUND, RESULTS_BAD_MANIFEST, RESULTS_BAD_PLAN).
 *
 * @example
 * openStore("/abs/results/x").tasks.length; // 12
 */
export function openStore(dir: string): Store {
  const manifest = readManifest(dir);
  const planPath = join(dir, "plan.json");
  let plan: { format?: number; tasks?: Task[] };
  try {
    plan = JSON.parse(readFileSync(planPath, "utf8")) as typeof plan;
  } catch (e) {
    throw new MixlabError("RESULTS_BAD_PLAN", `${planPath}: unreadable (${(e as Error).message})`);
  }
  if (plan.format !== PLAN_FORMAT || !Array.isArray(plan.tasks) || plan.tasks.length !== manifest.tasks) {
    throw new MixlabError("RESULTS_BAD_PLAN", `${planPath}: expected format ${PLAN_FORMAT} with ${manifest.tasks} tasks`);
  }
  const total = plan.tasks.length;
  return { dir, manifest, tasks: plan.tasks.map((t, i) => withAfter(checkTaskIdentity(t, i, total, planPath), i, planPath)) };
}

/**
 * RESULTS_BAD_PLAN unless a stored task is the one `createStore` wrote at `position`: an object
 * whose id is `taskIdFor(position, total)` and whose index is `position`. The id names the run
 * file, so an edited id (`../../x`) would write outside the store.
 */
function checkTaskIdentity(task: unknown, position: number, total: number, planPath: string): Task {
  if (!isPlainObject(task)) throw new MixlabError("RESULTS_BAD_PLAN", `${planPath}: task ${position} is not an object`);
  const want = taskIdFor(position, total);
  if (task.id !== want) throw new MixlabError("RESULTS_BAD_PLAN", `${planPath}: task ${position} has id ${JSON.stringify(task.id)}, expected "${want}" (ids name the run files; plan.json was edited?)`);
  if (task.index !== position) throw new MixlabError("RESULTS_BAD_PLAN", `${planPath}: task ${want} has index ${JSON.stringify(task.index)}, expected ${position}`);
  if (!Number.isSafeInteger(task.seed)) throw new MixlabError("RESULTS_BAD_PLAN", `${planPath}: task ${want} has seed ${JSON.stringify(task.seed)}, expected an integer`);
  return task as unknown as Task;
}

/** A stored task with `after` checked; stores written before dependencies existed have none ([]). */
function withAfter(task: Task, position: number, planPath: string): Task {
  const after: unknown = (task as { after?: unknown }).after;
  if (after === undefined) return { ...task, after: [] };
  if (!Array.isArray(after) || after.some((d) => !Number.isInteger(d) || d < 0 || d >= position)) {
    throw new MixlabError("RESULTS_BAD_PLAN", `${planPath}: task ${position}: "after" must list indices of earlier tasks, got ${JSON.stringify(after)}`);
  }
  return { ...task, after: after as number[] };
}

/**
 * Path of a task's run file.
 *
 * @example
 * runPath(store, store.tasks[0]); // "/abs/results/x/runs/run-0000.json"
 */
export function runPath(store: Store, task: Task): string {
  if (!/^run-\d+$/.test(task.id)) throw new MixlabError("RESULTS_BAD_PLAN", `${store.dir}: task id ${JSON.stringify(task.id)} is not run-NNNN`);
  return join(store.dir, "runs", `${task.id}.json`);
}

/** The bytes that are hashed: the record's JSON without the checksum. */
function payloadOf(record: RunRecord): string {
  return JSON.stringify({ format: RUN_FORMAT, taskId: record.taskId, index: record.index, seed: record.seed, params: record.params, result: record.result, meta: record.meta });
}

/**
 * Write a finished run atomically with the sha256 of its payload.
 *
 * @example
 * writeRun(store, task, { loss: 1.2 }, meta);
 */
export function writeRun(store: Store, task: Task, result: Json, meta: RunMeta): RunRecord {
  const record: RunRecord = { taskId: task.id, index: task.index, seed: task.seed, params: task.params, result, meta };
  const payload = payloadOf(record);
  const text = `${payload.slice(0, -1)},"sha256":"${sha256Hex(payload)}"}\n`;
  writeFileAtomic(runPath(store, task), text);
  return record;
}

/**
 * Read and verify one task's run file: missing, done (checksum and plan agree), or corrupt
 * (unparseable, checksum mismatch, or not this task's run).
 *
 * @example
 * readRun(store, store.tasks[3]).status; // "done"
 */
export function readRun(store: Store, task: Task): RunStatus {
  const p = runPath(store, task);
  let text: string;
  try {
    text = readFileSync(p, "utf8");
  } catch {
    return { status: "missing" };
  }
  // The file is `<payload minus its closing brace>,"sha256":"<hex>"}`: the checksum covers
  // the exact payload bytes, so any edit to them (even one that parses to the same value) shows.
  const m = /,"sha256":"([0-9a-f]{64})"\}\n?$/.exec(text);
  if (!m) return { status: "corrupt", reason: "no checksum at the end of the file (truncated or not a run record)" };
  const payload = `${text.slice(0, m.index)}}`;
  const actual = sha256Hex(payload);
  if (actual !== m[1]) return { status: "corrupt", reason: `checksum mismatch (stored ${m[1].slice(0, 12)}…, computed ${actual.slice(0, 12)}…)` };
  let obj: unknown;
  try {
    obj = JSON.parse(payload);
  } catch (e) {
    return { status: "corrupt", reason: `not valid JSON (${(e as Error).message})` };
  }
  if (!isPlainObject(obj) || obj.format !== RUN_FORMAT || !isPlainObject(obj.meta)) {
    return { status: "corrupt", reason: `not a run record of format ${RUN_FORMAT}` };
  }
  const record = obj as unknown as RunRecord;
  if (record.taskId !== task.id || record.index !== task.index || record.seed !== task.seed || canonicalJson(record.params) !== canonicalJson(task.params)) {
    return { status: "corrupt", reason: `holds a different task than plan.json's ${task.id}` };
  }
  const { taskId, index, seed, params, result, meta } = record;
  return { status: "done", record: { taskId, index, seed, params, result, meta } };
}

/**
 * Verify every planned task's run file.
 *
 * @example
 * const { done, missing, corrupt } = scanRuns(store);
 */
export function scanRuns(store: Store): RunScan {
  const scan: RunScan = { done: [], missing: [], corrupt: [] };
  for (const task of store.tasks) {
    const s = readRun(store, task);
    if (s.status === "done") scan.done.push(s.record);
    else if (s.status === "missing") scan.missing.push(task);
    else scan.corrupt.push({ task, reason: s.reason });
  }
  return scan;
}

/**
 * Move a corrupt run file aside (`<id>.json.corrupt-<time>`) so the task reruns; the bad
 * file is kept for inspection, never deleted. Returns the new path ("" if it vanished).
 *
 * @example
 * quarantineRun(store, task); // "/abs/results/x/runs/run-0003.json.corrupt-20260101T120000Z"
 */
export function quarantineRun(store: Store, task: Task): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const to = `${runPath(store, task)}.corrupt-${stamp}-${process.pid}`;
  try {
    renameSync(runPath(store, task), to);
  } catch {
    return "";
  }
  return to;
}
