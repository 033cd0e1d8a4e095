/**
 * The rank-consistency study (MergeMix's central claim: merged-model scores rank mixtures the
 * way models trained on those mixtures do; the paper reports Spearman 0.92 overall). This file
 * holds the statistics; `run.ts` (`runMergeMix`) trains and merges the models.
 *
 * For every metric (each capability, the utility, and validation loss) it reports Spearman ρ
 * between merged and trained scores over the mixtures, and — so a low ρ can be read — each
 * mixture's rank under both and the largest displacements.
 */
import { averageRanks, spearman, spearmanBrown } from "../regression/metrics.js";
import { MixlabError } from "../util/errors.js";

/** One mixture of the study: its label, merge weights and both models' metric values. */
export interface ConsistencyPoint {
  label: string;
  alpha: number[];
  /** metric → value of the merged model */
  merged: Record<string, number>;
  /** metric → value of the model trained on the mixture */
  trained: Record<string, number>;
}

/** ρ of one metric. */
export interface ConsistencyRow {
  metric: string;
  n: number;
  /** Spearman between merged and trained values; NaN when either side is constant */
  spearman: number;
  /** spread of the trained values (max − min): a tiny spread means ρ is mostly noise */
  trainedRange: number;
  mergedRange: number;
}

/**
 * Spearman per metric between merged and trained values.
 *
 * @example
 * rankConsistency(points, ["prose", "code", "utility", "valLoss"]);
 */
export function rankConsistency(points: readonly ConsistencyPoint[], metrics: readonly string[]): ConsistencyRow[] {
  if (points.length < 3) throw new MixlabError("MERGEMIX_TOO_FEW_POINTS", `rank consistency needs ≥ 3 mixtures, got ${points.length}`);
  return metrics.map((metric) => {
    const m = points.map((p) => p.merged[metric]);
    const t = points.map((p) => p.trained[metric]);
    if (m.some((v) => !Number.isFinite(v)) || t.some((v) => !Number.isFinite(v))) throw new MixlabError("MERGEMIX_BAD_POINT", `metric "${metric}" is missing or not finite for some mixture`);
    return { metric, n: points.length, spearman: spearman(m, t), trainedRange: Math.max(...t) - Math.min(...t), mergedRange: Math.max(...m) - Math.min(...m) };
  });
}

/**
 * Split-half reliability of a score across mixtures: Spearman between the score on two
 * disjoint halves of the suite's items (metrics `${metric}_half0` / `_half1`), stepped up to
 * the full suite by Spearman–Brown, 2ρ/(1+ρ), when ρ ≥ 0 (a negative ρ means no reliability
 * and is returned as it is: stepping it up is meaningless). It bounds what any merged-vs-trained
 * ρ can reach: if the suite cannot rank the trained models consistently against itself, it
 * cannot rank them consistently against the merged ones.
 *
 * @example
 * splitHalfReliability(points, "trained"); // e.g. 0.4
 */
export function splitHalfReliability(points: readonly ConsistencyPoint[], side: "merged" | "trained", metric = "utility"): number {
  return splitHalfReliabilityOf(points.map((p) => p[side]), metric);
}

/**
 * {@link splitHalfReliability} over any population of models: each row holds a model's
 * `${metric}_half0` and `${metric}_half1`.
 *
 * @example
 * splitHalfReliabilityOf(trainedRows, "code"); // e.g. 0.3
 */
export function splitHalfReliabilityOf(rows: readonly Readonly<Record<string, number>>[], metric = "utility"): number {
  const a = rows.map((r) => r[`${metric}_half0`]);
  const b = rows.map((r) => r[`${metric}_half1`]);
  if (a.some((v) => !Number.isFinite(v)) || b.some((v) => !Number.isFinite(v))) throw new MixlabError("MERGEMIX_BAD_POINT", `metric "${metric}_half0/1" is missing for some mixture`);
  return spearmanBrown(spearman(a, b));
}

/** Where the ranks disagree most, for one metric. */
export interface RankShift {
  label: string;
  mergedRank: number;
  trainedRank: number;
  /** mergedRank − trainedRank */
  shift: number;
}

/**
 * Every mixture's rank (1 = lowest value) under merged and trained scores, largest
 * |shift| first — the "where it breaks" table.
 *
 * @example
 * rankShifts(points, "utility").slice(0, 3);
 */
export function rankShifts(points: readonly ConsistencyPoint[], metric: string): RankShift[] {
  const rm = averageRanks(points.map((p) => p.merged[metric]));
  const rt = averageRanks(points.map((p) => p.trained[metric]));
  return points
    .map((p, i) => ({ label: p.label, mergedRank: rm[i], trainedRank: rt[i], shift: rm[i] - rt[i] }))
    .sort((a, b) => Math.abs(b.shift) - Math.abs(a.shift));
}
