/**
 * Progress lines for a sweep: `[ 7/40] run-0006 ran in 3.1s · 33 left · ETA 1m10s`.
 * The ETA is (time so far ÷ tasks finished this session) × tasks left — it already reflects
 * the number of workers, because it is measured, not predicted.
 */

import { isAbsolute, relative } from "node:path";

/**
 * A path for humans: relative to the working directory when inside it, else absolute.
 *
 * @example
 * shown("/home/me/mixlab/results/x"); // "results/x" when run from /home/me/mixlab
 */
export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/**
 * "1h02m", "3m05s", "12s".
 *
 * @example
 * formatDuration(185); // "3m05s"
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Counts finished tasks and turns each into a progress line. */
export interface ProgressTracker {
  /** a task finished (ran or was found done); returns the line to print */
  finished(taskId: string, what: string): string;
  /** tasks finished so far, including those done before this session */
  readonly done: number;
}

/**
 * A tracker for `total` tasks of which `alreadyDone` were done before this session.
 *
 * @example
 * const p = createProgress(40, 6, () => Date.now() / 1000);
 * p.finished("run-0006", "ran in 3.1s"); // "[ 7/40] run-0006 ran in 3.1s · 33 left · ETA …"
 */
export function createProgress(total: number, alreadyDone: number, now: () => number = () => performance.now() / 1000): ProgressTracker {
  const t0 = now();
  let done = alreadyDone;
  let thisSession = 0;
  const width = String(total).length;
  return {
    get done() { return done; },
    finished(taskId: string, what: string): string {
      done++;
      thisSession++;
      const left = total - done;
      const eta = left === 0 ? "done" : `ETA ${formatDuration(((now() - t0) / thisSession) * left)}`;
      return `[${String(done).padStart(width)}/${total}] ${taskId} ${what} · ${left} left · ${eta}`;
    },
  };
}
