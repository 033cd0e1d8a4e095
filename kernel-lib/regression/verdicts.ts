/**
 * From an interval to a verdict, shared by the studies (RegMix's, Chameleon's): a claim "holds"
 * when the whole 95 % interval is on the claim's side of its threshold, "does not hold at this
 * scale" when the whole interval is on the other side, "inconclusive" when it straddles the
 * threshold, "not yet run" when the runs it needs are missing. One row per claim of the verdict
 * table: claim · measure · value with its interval · verdict.
 */
import { tableToCsv, toMarkdown } from "../viz/table.js";
import type { Interval } from "./intervals.js";

export type Verdict = "holds" | "does not hold at this scale" | "inconclusive" | "not yet run";

/** One row of a study's verdict table. */
export interface ClaimRow {
  claim: string;
  measure: string;
  /** the value and its interval, formatted */
  value: string;
  verdict: Verdict;
  estimate: Interval | null;
  /**
   * The multiple-comparison correction the verdict uses and which interval `value` shows
   * (inference/family.ts); absent: one comparison, a 95 % interval, no correction.
   */
  correction?: string;
  /** the verdict with every comparison at 95 %, no correction (shown beside a corrected one) */
  uncorrected?: Verdict;
  /** a rank-correlation claim's noise ceiling and the claim judged against it (inference/ceiling.ts) */
  ceiling?: string;
  /** the verdict at each threshold the study's config names, on the interval and on the point estimate (inference/sensitivity.ts) */
  sensitivity?: string;
  /** seeds more than 3 scaled MADs from their arm's median, flagged, not dropped (inference/outliers.ts) */
  outliers?: string;
}

/** The correction cell of a row with one comparison. */
export const NO_CORRECTION = "none: one comparison, 95 % interval";

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : "—");

/**
 * "v [lo, hi]"
 *
 * @example
 * formatInterval({ value: 0.5, lo: 0.25, hi: 0.75, n: 3 }); // "0.500 [0.250, 0.750]"
 */
export function formatInterval(i: Interval, digits = 3): string {
  return `${fmt(i.value, digits)} [${fmt(i.lo, digits)}, ${fmt(i.hi, digits)}]`;
}

/**
 * The claim is "the statistic is at least `threshold`".
 *
 * @example
 * verdictAbove({ value: 0.95, lo: 0.91, hi: 0.98, n: 64 }, 0.9); // "holds"
 */
export function verdictAbove(i: Interval, threshold: number): Verdict {
  return i.lo >= threshold ? "holds" : i.hi < threshold ? "does not hold at this scale" : "inconclusive";
}

/**
 * The claim is "the statistic is below `threshold`" (e.g. a loss difference below 0).
 *
 * @example
 * verdictBelow({ value: -0.01, lo: -0.02, hi: -0.001, n: 5 }, 0); // "holds"
 */
export function verdictBelow(i: Interval, threshold: number): Verdict {
  return i.hi < threshold ? "holds" : i.lo > threshold ? "does not hold at this scale" : "inconclusive";
}

/**
 * A claim made of parts that must all hold: "holds" when every part holds, "does not hold at
 * this scale" when any part does not, "inconclusive" otherwise (an empty list: "not yet run").
 *
 * @example
 * allOf(["holds", "inconclusive"]); // "inconclusive"
 */
export function allOf(parts: readonly Verdict[]): Verdict {
  if (parts.length === 0 || parts.includes("not yet run")) return "not yet run";
  if (parts.every((v) => v === "holds")) return "holds";
  return parts.includes("does not hold at this scale") ? "does not hold at this scale" : "inconclusive";
}

/**
 * A claim that holds if any of its parts holds ("some larger proxy leaves the collapse"):
 * "holds" when one part holds, "does not hold at this scale" when every part does not,
 * "inconclusive" otherwise.
 *
 * @example
 * anyOf(["does not hold at this scale", "holds"]); // "holds"
 */
export function anyOf(parts: readonly Verdict[]): Verdict {
  if (parts.length === 0) return "not yet run";
  if (parts.includes("holds")) return "holds";
  return parts.every((v) => v === "does not hold at this scale") ? "does not hold at this scale" : "inconclusive";
}

/**
 * The verdict table as rows (what the notebooks show and the CI tests compare, as `verdicts.csv`).
 *
 * @example
 * tableToCsv(verdictTable(analysis.rows));
 */
export function verdictTable(rows: readonly ClaimRow[]): Record<string, string>[] {
  return rows.map((r) => ({
    claim: r.claim, measure: r.measure, "value [interval]": r.value, verdict: r.verdict,
    "correction · interval shown": r.correction ?? NO_CORRECTION,
    "verdict uncorrected": r.uncorrected ?? r.verdict,
    "noise ceiling": r.ceiling ?? "—",
    "sensitivity (threshold: on the interval (on the point estimate))": r.sensitivity ?? "—",
    "outliers (> 3 scaled MADs from the arm's median; kept)": r.outliers ?? "—",
  }));
}

type Rows = readonly Record<string, string | number>[];

/**
 * The part every study's report opens with, after its title and summary line: the progress
 * table, the verdict table and the findings as bullets (markdown lines).
 *
 * @example
 * md.push(...verdictSection(stageProgress(config, runs), analysis.rows, findings(config, analysis)));
 */
export function verdictSection(progress: Rows, rows: readonly ClaimRow[], findings: readonly string[]): string[] {
  return [toMarkdown(progress), "", "### Verdicts", "", toMarkdown(verdictTable(rows)), "", ...findings.map((x) => `- ${x}`), ""];
}

/**
 * The CSV files every study's report writes: `verdicts.csv` (what the committed-store tests
 * recompute), `progress.csv`, then `<name>.csv` for each of the study's own tables, in order.
 *
 * @example
 * studyCsvFiles(stageProgress(config, runs), analysis.rows, { noise: noiseTable(analysis) });
 */
export function studyCsvFiles(progress: Rows, rows: readonly ClaimRow[], tables: Readonly<Record<string, Rows>>): Record<string, string> {
  const out: Record<string, string> = { "verdicts.csv": tableToCsv(verdictTable(rows)), "progress.csv": tableToCsv(progress) };
  for (const [name, t] of Object.entries(tables)) out[`${name}.csv`] = tableToCsv(t);
  return out;
}
