/** What a progress reporter is told after each step. */
export interface ProgressUpdate {
  step: number;
  totalSteps: number;
  loss: number;
  lr: number;
  tokensPerSec: number;
  /** seconds since training started */
  elapsed: number;
}

export interface ProgressReporter {
  update(u: ProgressUpdate): void;
  /** a line of its own (e.g. validation results) without breaking the bar */
  note(line: string): void;
  done(): void;
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.floor(s % 60);
  return (h ? `${h}:${String(m).padStart(2, "0")}` : `${m}`) + `:${String(sec).padStart(2, "0")}`;
}

function fmtRate(r: number): string {
  return r >= 1e3 ? `${(r / 1e3).toFixed(1)}k` : r.toFixed(0);
}

/**
 * A progress display: a redrawn bar (steps, loss, tokens/s, ETA) on a TTY, plain lines every
 * `every` steps (default: 20 lines per run) otherwise, so logs stay readable.
 *
 * @example
 * const bar = createProgress({ label: "proxy 3" });
 * bar.update({ step: 10, totalSteps: 100, loss: 3.2, lr: 1e-3, tokensPerSec: 9000, elapsed: 2 });
 * bar.done();
 */
export function createProgress(opts: { stream?: NodeJS.WriteStream; label?: string; every?: number; tty?: boolean } = {}): ProgressReporter {
  const stream = opts.stream ?? process.stderr;
  const tty = opts.tty ?? Boolean(stream.isTTY);
  const label = opts.label ? `${opts.label} ` : "";
  let last = "";
  return {
    update(u) {
      const eta = u.step > 0 ? (u.elapsed / u.step) * (u.totalSteps - u.step) : NaN;
      const stats = `${u.step}/${u.totalSteps} loss ${u.loss.toFixed(4)} lr ${u.lr.toExponential(2)} ${fmtRate(u.tokensPerSec)} tok/s ETA ${fmtTime(eta)}`;
      if (tty) {
        const width = 24, filled = Math.round((width * u.step) / Math.max(1, u.totalSteps));
        last = `\r${label}[${"#".repeat(filled)}${".".repeat(width - filled)}] ${stats}`;
        stream.write(last + "\x1b[K");
      } else {
        const every = opts.every ?? Math.max(1, Math.round(u.totalSteps / 20));
        if (u.step % every === 0 || u.step === u.totalSteps || u.step === 1) stream.write(`${label}step ${stats}\n`);
      }
    },
    note(line) {
      stream.write(tty ? `\r\x1b[K${line}\n${last}` : `${line}\n`);
    },
    done() {
      if (tty && last) stream.write("\n");
      last = "";
    },
  };
}
