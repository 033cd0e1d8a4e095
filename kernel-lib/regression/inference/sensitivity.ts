/**
 * How much a verdict depends on where its bar sits: the verdict at each threshold the study's
 * config names (e.g. ρ 0.80 / 0.85 / 0.90), judged two ways — on the interval (the table's
 * rule: the whole interval past the bar) and on the point estimate alone (the estimate past the
 * bar, as papers usually state their claims). A verdict that changes between the two, or
 * between neighbouring thresholds, rests on where the bar was put, not on the data alone:
 * RegMix's claim 1 at ρ 0.929 [0.863, 0.958] is "inconclusive" at a 0.9 lower-end bar, "holds"
 * at 0.85 and on its point estimate.
 *
 * The judge is the claim's own verdict function of (threshold, basis), so compound claims
 * (every scale, every baseline) are re-judged whole; `pointEstimate` turns an interval into the
 * degenerate [value, value], on which the interval rules decide "holds" or "does not hold".
 */
import { MixlabError } from "../../util/errors.js";
import type { Interval } from "../intervals.js";
import type { Verdict } from "../verdicts.js";
import { judge, type Side } from "./family.js";

/** Judged on the whole interval or on the point estimate. */
export type Basis = "interval" | "point";

/** The verdict at one threshold. */
export interface SensitivityRow {
  threshold: number;
  interval: Verdict;
  point: Verdict;
}

/**
 * The interval collapsed to its point estimate, [value, value].
 *
 * @example
 * pointEstimate({ value: 0.929, lo: 0.863, hi: 0.958, n: 64 }); // { value: 0.929, lo: 0.929, hi: 0.929, n: 64 }
 */
export function pointEstimate(i: Interval): Interval {
  return { ...i, lo: i.value, hi: i.value };
}

/**
 * The claim's verdict at each threshold, on the interval and on the point estimate.
 *
 * @example
 * sensitivity((t, basis) => verdictAbove(basis === "point" ? pointEstimate(rho) : rho, t), [0.8, 0.85, 0.9]);
 */
export function sensitivity(verdictAt: (threshold: number, basis: Basis) => Verdict, thresholds: readonly number[]): SensitivityRow[] {
  if (thresholds.length === 0) throw new MixlabError("STATS_NO_THRESHOLDS", "a sensitivity analysis needs at least one threshold");
  return thresholds.map((threshold) => ({ threshold, interval: verdictAt(threshold, "interval"), point: verdictAt(threshold, "point") }));
}

/**
 * {@link sensitivity} of a claim on one interval ("the statistic is above / below t").
 *
 * @example
 * sensitivityOf({ value: 0.929, lo: 0.863, hi: 0.958, n: 64 }, [0.8, 0.85, 0.9], "above");
 * // 0.8 holds / holds, 0.85 holds / holds, 0.9 inconclusive / holds
 */
export function sensitivityOf(estimate: Interval, thresholds: readonly number[], side: Side): SensitivityRow[] {
  return sensitivity((t, basis) => judge(basis === "point" ? pointEstimate(estimate) : estimate, t, side), thresholds);
}

/**
 * The sensitivity column: "≥ 0.80: holds (point: holds); ≥ 0.90: inconclusive (point: holds)".
 *
 * @example
 * formatSensitivity(sensitivityOf(rho, [0.8, 0.9], "above"), "≥");
 */
export function formatSensitivity(rows: readonly SensitivityRow[], relation: string, digits = 2): string {
  return rows.map((r) => `${relation} ${r.threshold.toFixed(digits)}: ${r.interval} (point: ${r.point})`).join("; ");
}
