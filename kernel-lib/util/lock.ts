/**
 * An exclusive lock on a directory, held by one process: the file `<parent>/.<name>.lock` beside
 * the directory (beside, not inside: an import replaces its directory by rename, and a store's
 * directory may not exist yet). The file holds the holder's pid, host, start time and command.
 *
 * - Taking it is one atomic step: the holder's record is written to a temporary file and
 *   hard-linked to the lock path, which fails when the lock exists — no window in which a
 *   reader sees an empty lock file.
 * - A lock whose pid is dead on this host is stale (a killed process): it is taken over, and
 *   `log` says so. A lock from another host, or whose pid is alive, is held: `acquireLock`
 *   throws `code` at once, naming the holder.
 * - `release` removes the file only when it is still this holder's (compared by a random token).
 *
 * Used by `mixlab data import` (its `--out`), `mixlab run` (the result store, at the coordinator
 * level: Slurm array tasks and pool workers write distinct run files atomically and take no
 * lock) and `mixlab mergemix merge` (its `--out`).
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { MixlabError } from "./errors.js";

/** What a lock file records. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken */
  since: string;
  /** what holds it, e.g. "mixlab run experiments/x.json" */
  command: string;
  /** random: tells this holder's file from a later one at the same path */
  token: string;
}

/** A held lock. */
export interface Lock {
  path: string;
  holder: LockHolder;
  /** remove the lock file (only if it is still ours); idempotent */
  release(): void;
}

export interface LockOptions {
  /** the error code when another live process holds the lock */
  code: string;
  /** recorded in the lock file and shown to a second process (default: this process's argv) */
  command?: string;
  /** told when a stale lock is taken over */
  log?: (line: string) => void;
}

/**
 * The lock file of a directory: `<parent>/.<name>.lock`.
 *
 * @example
 * lockPathFor("/data/pile"); // "/data/.pile.lock"
 */
export function lockPathFor(dir: string): string {
  const abs = resolve(dir);
  return join(dirname(abs), `.${basename(abs)}.lock`);
}

/** The holder recorded at `path`, undefined when the file is absent, null when unreadable. */
function readHolder(path: string): LockHolder | undefined | null {
  let text: string;
  try { text = readFileSync(path, "utf8"); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return null;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid === "number" && typeof h.host === "string" && typeof h.token === "string") return h as LockHolder;
  } catch { /* fall through */ }
  return null;
}

/** True when `pid` names a running process on this machine (EPERM: running, not ours). */
function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === "EPERM"; }
}

/** Write `holder` to a temp file beside `path` and hard-link it there; false when `path` exists. */
function tryLink(path: string, holder: LockHolder): boolean {
  const tmp = `${path}.${holder.token}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, `${JSON.stringify(holder, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Create `dir` (recursively); returns the directories this call created, deepest first. */
function makeParents(dir: string): string[] {
  const made: string[] = [];
  let first: string | undefined;
  try { first = mkdirSync(dir, { recursive: true }); } catch (e) {
    const c = (e as NodeJS.ErrnoException).code;
    if (c === "ENOTDIR" || c === "EEXIST") throw new MixlabError("OUT_NOT_A_DIRECTORY", `${dir}: a part of this path is a file, not a directory`);
    throw e;
  }
  if (first !== undefined) for (let d = dir; ; d = dirname(d)) { made.push(d); if (d === first || dirname(d) === d) break; }
  return made;
}

function describe(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host} since ${h.since} (${h.command})`;
}

/**
 * Take the exclusive lock on `dir` (see the file comment); throws `opts.code` when a live
 * process holds it.
 *
 * @example
 * const lock = acquireLock("results/x", { code: "RESULTS_LOCKED" });
 * try { … } finally { lock.release(); }
 */
export function acquireLock(dir: string, opts: LockOptions): Lock {
  const path = lockPathFor(dir);
  const made = makeParents(dirname(path));
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    command: opts.command ?? ["mixlab", ...process.argv.slice(2)].join(" "),
    token: randomBytes(8).toString("hex"),
  };
  const giveUp = (e: unknown): never => {
    for (const d of made) { try { rmdirSync(d); } catch { break; } }
    throw e;
  };
  for (let attempt = 0; ; attempt++) {
    let linked: boolean;
    try { linked = tryLink(path, holder); } catch (e) {
      return giveUp(new MixlabError(opts.code, `${path}: cannot create the lock file (${(e as Error).message})`));
    }
    if (linked) break;
    const other = readHolder(path);
    if (other === undefined) continue; // released between our link and our read: try again
    if (other === null) {
      return giveUp(new MixlabError(opts.code, `${dir} is locked by ${path}, which is not a readable lock file; if no mixlab process is using ${dir}, remove it`));
    }
    const stale = other.host === holder.host && !alive(other.pid);
    if (!stale || attempt >= 3) {
      const how = other.host === holder.host ? "it is still running" : "on another host: mixlab cannot tell whether it is still running";
      return giveUp(new MixlabError(opts.code, `${dir} is in use by ${describe(other)} — ${how}; wait for it to finish${other.host === holder.host ? "" : `, or remove ${path} if you are sure it is not`}`));
    }
    // stale: move it aside under our token, and check that what we moved is the stale file we
    // read (another process taking over at the same moment may have replaced it by its own)
    const aside = `${path}.${holder.token}.stale`;
    try { renameSync(path, aside); } catch { continue; }
    const moved = readHolder(aside);
    if (moved && moved.token !== other.token) {
      // we moved a live holder's lock: put it back (link: never over a newer one) and stop
      try { linkSync(aside, path); } catch { /* a third process locked meanwhile */ }
      rmSync(aside, { force: true });
      return giveUp(new MixlabError(opts.code, `${dir} is in use by ${describe(moved)}; wait for it to finish`));
    }
    rmSync(aside, { force: true });
    opts.log?.(`lock: took over the stale lock ${path} of ${describe(other)}: that process is gone`);
  }
  let released = false;
  return {
    path,
    holder,
    release() {
      if (released) return;
      released = true;
      if (readHolder(path)?.token === holder.token) rmSync(path, { force: true });
      for (const d of made) { try { rmdirSync(d); } catch { break; } } // directories made for the lock, if still empty
    },
  };
}

/**
 * Run `f` holding the lock on `dir`; the lock is released however `f` ends.
 *
 * @example
 * await withLock("data/pile", { code: "IMPORT_OUT_LOCKED" }, () => importInto("data/pile"));
 */
export async function withLock<T>(dir: string, opts: LockOptions, f: (lock: Lock) => Promise<T> | T): Promise<T> {
  const lock = acquireLock(dir, opts);
  try {
    return await f(lock);
  } finally {
    lock.release();
  }
}
