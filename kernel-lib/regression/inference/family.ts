/**
 * Claims decided by a family of comparisons — "against every baseline", "on every domain",
 * "at every scale" (claim "all"), "some larger proxy", "at least one target" (claim "any") —
 * with Holm's family-wise correction.
 *
 * Holm (1979, Scand. J. Statist. 6, 65–70): order the m two-sided p-values p₍₁₎ ≤ … ≤ p₍ₘ₎;
 * reject H₍ⱼ₎ while p₍ⱼ₎ ≤ α/(m − j + 1); at the first step that fails, it and every later
 * hypothesis stand. The family-wise error is ≤ α under any dependence. Adjusted p-values
 * (Wright 1992, Biometrics 48, 1005–1013): p̃₍ⱼ₎ = maxᵢ≤ⱼ min(1, (m − i + 1)·p₍ᵢ₎); H₍ⱼ₎ is
 * rejected iff p̃₍ⱼ₎ ≤ α.
 *
 * From Holm's test to intervals (the verdict rule of `verdicts.ts` reads a verdict off an
 * interval): each comparison's interval is drawn at its Holm step level. The j-th smallest p
 * gets coverage 1 − α/(m − j + 1) while the steps reject; at the first step j* that fails, that
 * comparison and every later one get 1 − α/(m − j* + 1). For a t interval, the interval at
 * 1 − a excludes the threshold iff p < a, and every later p is ≥ p₍ⱼ*₎ > α/(m − j* + 1), so an
 * interval excludes its threshold exactly when Holm rejects: the intervals shown and the
 * verdict agree. The alternatives, and why not: Bonferroni intervals (every one at 1 − α/m)
 * are simultaneous 1 − α intervals but contradict Holm wherever Holm rejects more (an interval
 * through the threshold beside a rejection), so they are returned beside the step-level one
 * (`bonferroni`) for a reader who wants simultaneous coverage, not used for the verdict; the
 * compatible simultaneous bounds for Holm (Strassburger & Bretz 2008, Stat. Med. 27,
 * 4914–4927; Bretz, Hothorn & Westfall, Multiple Comparisons Using R, 2010, ch. 2) give every
 * rejected comparison the threshold itself as its bound unless all are rejected — no effect
 * size to show. The step-level intervals of rejected comparisons are narrower than
 * Bonferroni's and are not simultaneous 1 − α intervals.
 *
 * Directions: each p tests "the statistic equals the threshold", two-sided; a rejected
 * comparison's side says whether that part holds or does not hold. Holm with directional
 * decisions controls directional errors for independent statistics (Shaffer 1980, Ann.
 * Statist. 8, 1342–1347); comparisons that share an arm are positively dependent, where this
 * is standard practice rather than a theorem.
 *
 * What the correction guards: for an "all" claim, "holds" needs every comparison on the
 * claim's side, and that intersection–union test is already level α with each comparison at α
 * (Berger 1982, Technometrics 24, 295–300); "does not hold" asserts that *some* comparison is
 * on the wrong side — a search over m — and an "any" claim asserts one of m: those need the
 * correction. Holm is applied to the whole family (so the Holm "holds" of an "all" claim is
 * conservative); the uncorrected verdict is returned beside it (`uncorrected`).
 *
 * Members: Student's t over paired differences (`tMember`), t on a range's logit scale
 * (`boundedTMember`, bounded.ts), the percentile bootstrap (`bootstrapMember`, p =
 * 2·min(#{θ* ≤ c}, #{θ* ≥ c})/B capped at 1: the smallest a whose 1 − a percentile interval
 * excludes c, to 1/B; at α/m = 0.01 the 0.5 % quantile of 2000 resamples rests on 10 of them).
 * Each step's decision is read off the member's interval at that step's level (so interval and
 * verdict always agree); p orders the steps and is shown.
 */
import { MixlabError } from "../../util/errors.js";
import { meanSd, percentileInterval, tInterval, type BootstrapDistribution, type Interval } from "../intervals.js";
import { allOf, anyOf, formatInterval, verdictAbove, verdictBelow, type Verdict } from "../verdicts.js";
import { boundedTInterval, rangeLogit, type Range } from "./bounded.js";
import { tTwoSidedP } from "./distributions.js";

/** The claim's side of its threshold: "at least" (above) or "below". */
export type Side = "above" | "below";
/** "all": every comparison must hold; "any": one that holds is enough. */
export type FamilyClaim = "all" | "any";

/** One comparison of a family: its test and its interval at any coverage. */
export interface FamilyMember {
  label: string;
  threshold: number;
  side: Side;
  /** two-sided p-value of "the statistic equals the threshold" */
  p: number;
  /** the two-sided interval at coverage `level` */
  intervalAt(level: number): Interval;
  /** what the interval is (shown in the table) */
  method: string;
}

/** One comparison, judged inside its family. */
export interface FamilyPart {
  label: string;
  method: string;
  threshold: number;
  side: Side;
  p: number;
  /** Holm-adjusted p */
  adjustedP: number;
  /** 1-based rank of p in the family (the Holm step) */
  step: number;
  /** coverage of `interval`: the Holm step level */
  level: number;
  interval: Interval;
  /** this part under Holm */
  verdict: Verdict;
  /** the interval at 1 − α/m (simultaneous coverage ≥ 1 − α) */
  bonferroni: Interval;
  /** the interval at 1 − α and its verdict, no correction */
  uncorrected: { interval: Interval; verdict: Verdict };
}

export interface FamilyResult {
  claim: FamilyClaim;
  alpha: number;
  m: number;
  /** names the correction, for the table */
  correction: string;
  /** in the members' order */
  parts: FamilyPart[];
  /** the claim under Holm */
  verdict: Verdict;
  /** the claim with every comparison at 1 − α */
  uncorrected: Verdict;
}

/**
 * The part's verdict from its interval: the whole interval on the claim's side of the
 * threshold, on the other side, or straddling it.
 *
 * @example
 * judge({ value: -0.2, lo: -0.3, hi: -0.1, n: 5 }, 0, "below"); // "holds"
 */
export function judge(i: Interval, threshold: number, side: Side): Verdict {
  return side === "above" ? verdictAbove(i, threshold) : verdictBelow(i, threshold);
}

/** Indices of p in ascending order of p, ties in input order. */
function ascending(p: readonly number[]): number[] {
  return p.map((_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
}

/**
 * Holm-adjusted p-values, in the input order (statsmodels `multipletests(p, method="holm")`).
 *
 * @example
 * holm([0.01, 0.04, 0.03, 0.005]); // [0.03, 0.06, 0.06, 0.02]
 */
export function holm(p: readonly number[]): number[] {
  for (const x of p) if (!(x >= 0 && x <= 1)) throw new MixlabError("STATS_BAD_P", `a p-value must be in [0, 1], got ${x}`);
  const m = p.length, out = new Array<number>(m);
  let running = 0;
  ascending(p).forEach((i, j) => {
    running = Math.max(running, Math.min(1, (m - j) * p[i]));
    out[i] = running;
  });
  return out;
}

/**
 * A paired comparison over seeds: `values` are the per-seed differences (or any values whose
 * mean is the statistic); Student's t test and interval, ν = n − 1.
 *
 * @example
 * tMember("vs uniform", [-0.2, -0.1, -0.15], { side: "below" });
 */
export function tMember(label: string, values: readonly number[], opts: { threshold?: number; side: Side }): FamilyMember {
  if (values.length < 2) throw new MixlabError("STATS_TOO_FEW", `${label}: a t test needs at least 2 values, got ${values.length}`);
  const threshold = opts.threshold ?? 0;
  const { mean, sd } = meanSd(values);
  const t = (mean - threshold) / (sd / Math.sqrt(values.length));
  const p = Number.isNaN(t) ? 1 : tTwoSidedP(t, values.length - 1);
  return { label, threshold, side: opts.side, p, intervalAt: (level) => tInterval(values, level), method: "paired t" };
}

/**
 * A share or correlation over seeds: Student's t on the logit scale of `range` (bounded.ts),
 * the threshold mapped to the same scale.
 *
 * @example
 * boundedTMember("445k-4000", [0.953, 0.474, 0.960], { threshold: 0.5, side: "below", range: SHARE });
 */
export function boundedTMember(label: string, values: readonly number[], opts: { threshold: number; side: Side; range: Range; eps?: number }): FamilyMember {
  if (values.length < 2) throw new MixlabError("STATS_TOO_FEW", `${label}: a t test needs at least 2 values, got ${values.length}`);
  const g = values.map((x) => rangeLogit(x, opts.range, opts.eps));
  const { mean, sd } = meanSd(g);
  const t = (mean - rangeLogit(opts.threshold, opts.range)) / (sd / Math.sqrt(values.length));
  const p = Number.isNaN(t) ? 1 : tTwoSidedP(t, values.length - 1);
  return { label, threshold: opts.threshold, side: opts.side, p, intervalAt: (level) => boundedTInterval(values, opts.range, level, opts.eps), method: "t on the logit scale" };
}

/**
 * The percentile bootstrap's p-value for "the statistic equals `threshold`":
 * 2·min(#{θ* ≤ c}, #{θ* ≥ c})/B, at most 1.
 *
 * @example
 * bootstrapPValue({ value: 0.5, replicates: [0.1, 0.2, 0.3, 0.4], n: 10 }, 0.15); // 2·1/4 = 0.5
 */
export function bootstrapPValue(d: BootstrapDistribution, threshold: number): number {
  const B = d.replicates.length;
  if (B === 0) return Number.NaN;
  let below = 0, above = 0;
  for (const x of d.replicates) { if (x <= threshold) below++; if (x >= threshold) above++; }
  return Math.min(1, (2 * Math.min(below, above)) / B);
}

/**
 * A statistic over resampled units (a Spearman ρ over mixtures, a coefficient over proxies),
 * from its bootstrap distribution (`bootstrapDistributions`).
 *
 * @example
 * bootstrapMember("1M", bootstrapDistributions(n, (idx) => [rho(idx)], { seed })[0], { threshold: 0.8, side: "above" });
 */
export function bootstrapMember(label: string, d: BootstrapDistribution, opts: { threshold: number; side: Side }): FamilyMember {
  const p = bootstrapPValue(d, opts.threshold);
  if (Number.isNaN(p)) throw new MixlabError("STATS_TOO_FEW", `${label}: the bootstrap has no finite resample`);
  return { label, threshold: opts.threshold, side: opts.side, p, intervalAt: (level) => percentileInterval(d, level), method: "percentile bootstrap" };
}

/**
 * Judge a family: Holm's step-down procedure with each comparison's interval at its step level
 * (see the header), and, beside it, the uncorrected verdict.
 *
 * @example
 * const f = holmFamily(baselines.map((b) => tMember(`vs ${b}`, diffs[b], { side: "below" })), { claim: "all" });
 * f.verdict; f.correction; // "Holm over 5 comparisons (family-wise α = 0.05) …"
 */
export function holmFamily(members: readonly FamilyMember[], opts: { claim: FamilyClaim; alpha?: number }): FamilyResult {
  const alpha = opts.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new MixlabError("STATS_BAD_ALPHA", `α must be in (0, 1), got ${alpha}`);
  const m = members.length;
  if (m === 0) throw new MixlabError("STATS_EMPTY_FAMILY", "a family needs at least one comparison");
  const p = members.map((x) => x.p);
  const adjusted = holm(p);
  const order = ascending(p);
  const parts = new Array<FamilyPart>(m);
  let stopped = -1; // the step (0-based) that failed; later steps share its level
  order.forEach((i, j) => {
    const x = members[i];
    const a = alpha / (m - (stopped >= 0 ? stopped : j));
    const interval = x.intervalAt(1 - a);
    let verdict = judge(interval, x.threshold, x.side);
    if (stopped >= 0) verdict = "inconclusive"; // Holm rejects nothing after its first failure
    else if (verdict === "inconclusive") stopped = j;
    const plain = x.intervalAt(1 - alpha);
    parts[i] = {
      label: x.label, method: x.method, threshold: x.threshold, side: x.side, p: x.p, adjustedP: adjusted[i], step: j + 1, level: 1 - a,
      interval, verdict, bonferroni: x.intervalAt(1 - alpha / m), uncorrected: { interval: plain, verdict: judge(plain, x.threshold, x.side) },
    };
  });
  const combine = opts.claim === "all" ? allOf : anyOf;
  return {
    claim: opts.claim, alpha, m,
    correction: m === 1 ? `one comparison, no correction (α = ${alpha})` : `Holm over ${m} comparisons (family-wise α = ${alpha}); each interval at its Holm step level`,
    parts, verdict: combine(parts.map((x) => x.verdict)), uncorrected: combine(parts.map((x) => x.uncorrected.verdict)),
  };
}

/**
 * A family of paired t comparisons (e.g. one arm − each baseline, per seed), each with its own
 * threshold and side or the family's.
 *
 * @example
 * pairedTFamily(baselines.map((b) => ({ label: `vs ${b}`, differences: diff(b) })), { side: "below", claim: "all" });
 */
export function pairedTFamily(
  comparisons: readonly { label: string; differences: readonly number[]; threshold?: number; side?: Side }[],
  opts: { threshold?: number; side: Side; claim: FamilyClaim; alpha?: number },
): FamilyResult {
  return holmFamily(comparisons.map((c) => tMember(c.label, c.differences, { threshold: c.threshold ?? opts.threshold ?? 0, side: c.side ?? opts.side })), opts);
}

/**
 * The family's parts for a table cell: "label: v [lo, hi] (coverage, Holm p)" joined by "; ".
 *
 * @example
 * formatFamily(f, 4); // "…; vs DoReMi: 0.2577 [-0.0619, 0.5773] (98.3 %, Holm p = 0.099); …"
 */
export function formatFamily(f: FamilyResult, digits = 3): string {
  return f.parts.map((x) => `${x.label}: ${formatInterval(x.interval, digits)} (${(100 * x.level).toFixed(1)} %, Holm p = ${x.adjustedP.toPrecision(2)})`).join("; ");
}
