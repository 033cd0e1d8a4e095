/**
 * The RegMix study's analysis: from the stored runs (`StudyRuns`) to one verdict per claim,
 * each with a 95 % interval — bootstrap over mixtures or proxies where the units are mixtures,
 * Student's t over seeds for the final models. Nothing is trained here; the same runs give the
 * same table, byte for byte (every bootstrap has its own derived seed).
 *
 * Verdicts: "holds" when the whole interval is on the claim's side of its threshold, "does not
 * hold at this scale" when the whole interval is on the other side, "inconclusive" when the
 * interval straddles it, "not yet run" when the runs it needs are missing.
 */
import { Mixture } from "../../data/mixture.js";
import type { GbdtModel } from "../../regression/gbdt/index.js";
import { bootstrapDistributions, bootstrapInterval, bootstrapIntervals, meanSd, percentileInterval, tInterval, type BootstrapDistribution, type Interval } from "../../regression/intervals.js";
import {
  armOutliers, bootstrapMember, familyCells, familySensitivity, formatCeiling, formatOutliers, formatSensitivity, holmFamily, judgeAgainstCeiling,
  noiseCeiling, seedAgreement, sensitivityOf, splitSampleSelection, tMember, type FamilyResult, type SeedAgreement, type SplitSampleResult,
} from "../../regression/inference/index.js";
import { fitLinearTargets, type LinearModel } from "../../regression/linear.js";
import { spearman } from "../../regression/metrics.js";
import { allOf, formatInterval, verdictAbove, type ClaimRow, type Verdict } from "../../regression/verdicts.js";
import { deriveSeed } from "../../util/rng.js";
import { chooseTarget } from "../../regmix/choose.js";
import { fitRegmix } from "../../regmix/fit.js";
import type { RegmixProxyRun } from "../../regmix/proxies.js";
import { mixtureDesign, sweepDesign, type SweepRow } from "../../regmix/sweep.js";
import { alternativeThresholdsOf, STUDY_ARMS, type RegmixStudyConfig, type StudyArm } from "./config.js";
import type { StudyRuns } from "./runs.js";

/** Claim 1 holds when held-out Spearman's lower bound reaches this (the paper reports ≈ 0.99 for LightGBM). */
export const PREDICTS_RHO = 0.9;
/** Claim 3 holds when the cross-scale rank correlation's lower bound reaches this: most pairs of mixtures keep their order. */
export const RANK_KEPT_RHO = 0.8;
/** The validation-noise ratio the study aims under (issue 14). */
export const NOISE_TARGET = 0.1;

// the verdict vocabulary is shared with the Chameleon study (regression/verdicts.ts)
export { formatInterval, type ClaimRow, type Verdict };

/** Loss noise against the spread between mixtures, for one domain at one scale. */
export interface NoiseRatio {
  domain: string;
  /** sd of one model's loss between the two validation halves, scaled to the full set: sd(a − b)/2 */
  noise: number;
  /** sd of the loss across mixtures */
  spread: number;
  ratio: number;
  models: number;
}

export interface StudyAnalysis {
  target: string;
  domains: readonly string[];
  noise: {
    /** per domain, at the proxy scale (the sweep) */
    proxy: NoiseRatio[];
    /** the target at each larger scale */
    scales: { scale: string; ratio: NoiseRatio }[];
    /** seed noise at the proxy scale: pooled sd over seed repeats (each seed's mean offset removed) against the sweep's spread, and each repeat's rank agreement with seed 0 */
    seed: { noise: number; spread: number; ratio: number; mixtures: number; rankVsSeed0: Interval[]; /** the target-loss ranking's agreement between every pair of seeds (the proxy side's reliability) */ agreement: SeedAgreement } | null;
  };
  claim1: {
    curve: { n: number; gbdt: Interval; linear: Interval }[];
    heldOut: { observed: number[]; gbdt: number[]; linear: number[] };
  } | null;
  claim2: { judge: string; many: { proxies: number; rho: Interval }; few: { proxies: number; factor: number; rho: Interval }; difference: Interval } | null;
  claim3: {
    scales: { scale: string; mixtures: number[]; proxy: number[]; observed: number[]; predicted: number[]; rank: Interval; rankDistribution: BootstrapDistribution; gbdt: Interval }[];
    /** the rank agreement of consecutive larger scales on the mixtures both finished (one seed each: not a reliability, a bound on how much the larger scales disagree with each other) */
    between: { a: string; b: string; rho: Interval }[];
  } | null;
  claim4: {
    scale: string;
    /** the seeds every arm has (ascending) */
    seedIds: number[];
    arms: { arm: StudyArm; mixture: Record<string, number>; target: { mean: number; sd: number }; average: { mean: number; sd: number }; perDomain: Record<string, { mean: number; sd: number }>; seeds: number; /** per seed (seedIds' order) */ targetBySeed: number[]; averageBySeed: number[] }[];
    /** RegMix − baseline, paired by seed (negative: RegMix is better); the per-seed differences beside each interval */
    differences: { baseline: StudyArm; target: Interval; average: Interval; targetBySeed: number[]; averageBySeed: number[] }[];
  } | null;
  claim5: {
    /** [target][domain] linear coefficients (minimum-norm: each row sums to 0; a lower value means more weight on that domain lowers the target's loss) */
    coef: number[][];
    strongestHelp: { target: string; domain: string; coef: Interval };
    strongestHurt: { target: string; domain: string; coef: Interval };
    /** targets whose most helpful training domain is another one: coef[t][d] − coef[t][t] with its interval */
    otherDomainBest: { target: string; domain: string; difference: Interval }[];
    /** the pick made on one seeded half of the proxies and tested on the other, both ways (inference/split-sample.ts); each test a Holm "any" family over the picked targets */
    split: SplitSampleResult<Claim5Pick[]> & { families: { chosenOn: "A" | "B" | "all"; family: FamilyResult | null }[] };
  } | null;
  rows: ClaimRow[];
}

/** One target's most helpful training domain, when it is another domain (indices into the domains). */
export interface Claim5Pick {
  t: number;
  d: number;
}

const sorted = (m: Map<number, RegmixProxyRun>) => [...m.entries()].sort((a, b) => a[0] - b[0]);
const rowOf = (r: RegmixProxyRun): SweepRow => ({ mixture: r.mixture, losses: r.losses });
function sd(xs: readonly number[]): number {
  return meanSd(xs).sd;
}

/** Validation noise of one domain over some models (each scored on both halves). */
export function noiseRatio(runs: readonly RegmixProxyRun[], domain: string): NoiseRatio | null {
  const withHalves = runs.filter((r) => r.halves);
  if (withHalves.length < 3) return null;
  const diff = withHalves.map((r) => r.halves!.a[domain] - r.halves!.b[domain]);
  const noise = sd(diff) / 2;
  const spread = sd(withHalves.map((r) => r.losses[domain]));
  return { domain, noise, spread, ratio: noise / spread, models: withHalves.length };
}

function fitBoth(rows: readonly SweepRow[], domains: readonly string[], target: string, config: RegmixStudyConfig): { gbdt: GbdtModel; linear: LinearModel } {
  const { X, y } = sweepDesign(rows, domains, target);
  return fitRegmix(X, y, { gbdt: config.gbdt });
}

function predict(model: GbdtModel | LinearModel, mixtures: readonly Record<string, number>[], domains: readonly string[]): number[] {
  return Array.from(model.predict(mixtureDesign(mixtures, domains)));
}

/** Spearman of (a[i], b[i]) over the resampled indices. */
function spearmanAt(a: readonly number[], b: readonly number[]) {
  return (idx: Int32Array) => spearman(Array.from(idx, (i) => a[i]), Array.from(idx, (i) => b[i]));
}

/**
 * Everything the verdict table needs, from the runs there are.
 *
 * @example
 * const a = analyseStudy(config, studyRuns(config, runs, total), domains, 14);
 * a.rows.map((r) => r.verdict);
 */
export function analyseStudy(config: RegmixStudyConfig, s: StudyRuns, domains: readonly string[], seed: number): StudyAnalysis {
  const target = chooseTarget(domains, config.target);
  const B = config.bootstrap.resamples;
  const bseed = (label: string) => deriveSeed(seed, `regmix-study/bootstrap/${label}`);
  const { fit, heldOut } = config.sweep;
  const sweep = sorted(s.sweep);
  const fitted = sweep.filter(([i]) => i < fit);
  const held = sweep.filter(([i]) => i >= fit);
  const fittedRows = fitted.map(([, r]) => rowOf(r));
  const cross = Array.from({ length: config.crossScale.mixtures }, (_, j) => fit + j);
  const largest = config.finals.scale;

  // Noise: validation halves at every scale, seed repeats at the proxy scale.
  const sweepRuns = sweep.map(([, r]) => r);
  const proxyNoise = domains.map((d) => noiseRatio(sweepRuns, d)).filter((x): x is NoiseRatio => x !== null);
  const scaleNoise = config.crossScale.scales.flatMap((sc) => {
    const r = noiseRatio([...(s.scales.get(sc.name)?.values() ?? [])], target);
    return r ? [{ scale: sc.name, ratio: r }] : [];
  });
  let seedNoise: StudyAnalysis["noise"]["seed"] = null;
  {
    const groups = cross.map((j) => [s.sweep.get(j), ...[...s.seeds.values()].map((m) => m.get(j))].filter((r): r is RegmixProxyRun => r !== undefined));
    const full = groups.filter((g) => g.length === config.seedRepeats + 1);
    if (full.length >= 3 && sweepRuns.length >= 3) {
      // a seed that shifts every mixture's loss alike changes no ranking: remove each seed's mean
      // over the mixtures first, so the noise is the seed × mixture interaction
      const offsets = Array.from({ length: config.seedRepeats + 1 }, (_, k) => full.reduce((a, g) => a + g[k].losses[target], 0) / full.length);
      const pooled = Math.sqrt(full.reduce((a, g) => a + sd(g.map((r, k) => r.losses[target] - offsets[k])) ** 2, 0) / full.length);
      const spread = sd(sweepRuns.map((r) => r.losses[target]));
      const rankVsSeed0 = Array.from({ length: config.seedRepeats }, (_, k) => {
        const a = full.map((g) => g[0].losses[target]), b = full.map((g) => g[k + 1].losses[target]);
        return bootstrapInterval(full.length, spearmanAt(a, b), { resamples: B, seed: bseed(`seed-rank/${k + 1}`) });
      });
      const agreement = seedAgreement(Array.from({ length: config.seedRepeats + 1 }, (_, k) => full.map((g) => g[k].losses[target])));
      seedNoise = { noise: pooled, spread, ratio: pooled / spread, mixtures: full.length, rankVsSeed0, agreement };
    }
  }

  // Claim 1: held-out Spearman, learning curve.
  let claim1: StudyAnalysis["claim1"] = null;
  if (held.length >= 3) {
    const observed = held.map(([, r]) => r.losses[target]);
    const heldMix = held.map(([, r]) => r.mixture);
    const curve = config.sweep.learningCurve.filter((n) => n <= fitted.length).map((n) => {
      const m = fitBoth(fittedRows.slice(0, n), domains, target, config);
      const g = predict(m.gbdt, heldMix, domains), l = predict(m.linear, heldMix, domains);
      return {
        n,
        gbdt: bootstrapInterval(held.length, spearmanAt(g, observed), { resamples: B, seed: bseed(`claim1/gbdt/${n}`) }),
        linear: bootstrapInterval(held.length, spearmanAt(l, observed), { resamples: B, seed: bseed(`claim1/linear/${n}`) }),
        predictions: { gbdt: g, linear: l },
      };
    });
    const last = curve.at(-1);
    if (last) claim1 = { curve: curve.map(({ n, gbdt, linear }) => ({ n, gbdt, linear })), heldOut: { observed, ...last.predictions } };
  }

  // The larger scales' target losses on the cross-scale mixtures (those finished at both ends).
  const scaleSets = config.crossScale.scales.map((sc) => {
    const runs = s.scales.get(sc.name) ?? new Map<number, RegmixProxyRun>();
    const mixtures = cross.filter((j) => runs.has(j) && s.sweep.has(j));
    return { scale: sc.name, mixtures, observed: mixtures.map((j) => runs.get(j)!.losses[target]), proxy: mixtures.map((j) => s.sweep.get(j)!.losses[target]), weights: mixtures.map((j) => runs.get(j)!.mixture) };
  });
  const fullFit = fitted.length === fit ? fitBoth(fittedRows, domains, target, config) : null;

  // Claim 2: N proxies × T against N/4 × 4T, judged on the largest scale's ranking.
  let claim2: StudyAnalysis["claim2"] = null;
  {
    const { proxies, factor } = config.tokensPerProxy;
    const N = proxies * factor;
    const judge = scaleSets.find((x) => x.scale === largest)!;
    const few = sorted(s.tokens).map(([, r]) => rowOf(r));
    if (fitted.length >= N && few.length === proxies && judge.mixtures.length >= 4) {
      const many = fitBoth(fittedRows.slice(0, N), domains, target, config).gbdt;
      const fewM = fitBoth(few, domains, target, config).gbdt;
      const pm = predict(many, judge.weights, domains), pf = predict(fewM, judge.weights, domains);
      const n = judge.mixtures.length;
      claim2 = {
        judge: largest,
        many: { proxies: N, rho: bootstrapInterval(n, spearmanAt(pm, judge.observed), { resamples: B, seed: bseed("claim2/many") }) },
        few: { proxies, factor, rho: bootstrapInterval(n, spearmanAt(pf, judge.observed), { resamples: B, seed: bseed("claim2/few") }) },
        difference: bootstrapInterval(n, (idx) => spearmanAt(pm, judge.observed)(idx) - spearmanAt(pf, judge.observed)(idx), { resamples: B, seed: bseed("claim2/difference") }),
      };
    }
  }

  // Claim 3: rank invariance across scales.
  let claim3: StudyAnalysis["claim3"] = null;
  if (fullFit && scaleSets.every((x) => x.mixtures.length >= 4)) {
    claim3 = {
      scales: scaleSets.map((x) => {
        const predicted = predict(fullFit.gbdt, x.weights, domains);
        // the same draws as bootstrapInterval (same seed): the 95 % interval is unchanged, the distribution feeds Holm
        const [rankDistribution] = bootstrapDistributions(x.mixtures.length, (idx) => [spearmanAt(x.proxy, x.observed)(idx)], { resamples: B, seed: bseed(`claim3/rank/${x.scale}`) });
        return {
          scale: x.scale, mixtures: x.mixtures, proxy: x.proxy, observed: x.observed, predicted,
          rank: percentileInterval(rankDistribution), rankDistribution,
          gbdt: bootstrapInterval(x.mixtures.length, spearmanAt(predicted, x.observed), { resamples: B, seed: bseed(`claim3/gbdt/${x.scale}`) }),
        };
      }),
      between: scaleSets.slice(1).flatMap((b, i) => {
        const a = scaleSets[i];
        const both = a.mixtures.filter((j) => b.mixtures.includes(j));
        if (both.length < 4) return [];
        const la = both.map((j) => a.observed[a.mixtures.indexOf(j)]), lb = both.map((j) => b.observed[b.mixtures.indexOf(j)]);
        return [{ a: a.scale, b: b.scale, rho: bootstrapInterval(both.length, spearmanAt(la, lb), { resamples: B, seed: bseed(`claim3/between/${a.scale}/${b.scale}`) }) }];
      }),
    };
  }

  // Claim 4: the final models, paired by seed.
  let claim4: StudyAnalysis["claim4"] = null;
  {
    const complete = STUDY_ARMS.every((a) => (s.finals.get(a)?.size ?? 0) >= 2);
    if (complete) {
      const seedsAll = [...s.finals.get("regmix")!.keys()].filter((k) => STUDY_ARMS.every((a) => s.finals.get(a)!.has(k))).sort((a, b) => a - b);
      const avg = (r: RegmixProxyRun) => domains.reduce((a, d) => a + r.losses[d], 0) / domains.length;
      const runsOf = (a: StudyArm) => seedsAll.map((k) => s.finals.get(a)!.get(k)!);
      if (seedsAll.length >= 2) {
        claim4 = {
          scale: largest,
          seedIds: seedsAll,
          arms: STUDY_ARMS.map((arm) => {
            const rs = runsOf(arm);
            return {
              arm, mixture: rs[0].mixture, seeds: rs.length, targetBySeed: rs.map((r) => r.losses[target]), averageBySeed: rs.map(avg),
              target: meanSd(rs.map((r) => r.losses[target])), average: meanSd(rs.map(avg)),
              perDomain: Object.fromEntries(domains.map((d) => [d, meanSd(rs.map((r) => r.losses[d]))])),
            };
          }),
          differences: STUDY_ARMS.filter((a) => a !== "regmix").map((baseline) => {
            const r = runsOf("regmix"), b = runsOf(baseline);
            const targetBySeed = r.map((x, k) => x.losses[target] - b[k].losses[target]), averageBySeed = r.map((x, k) => avg(x) - avg(b[k]));
            return { baseline, target: tInterval(targetBySeed), average: tInterval(averageBySeed), targetBySeed, averageBySeed };
          }),
        };
      }
    }
  }

  // Claim 5: the domain × target linear coefficients, bootstrapped over the fitted proxies.
  let claim5: StudyAnalysis["claim5"] = null;
  if (fitted.length === fit) {
    const { X } = sweepDesign(fittedRows, domains, target);
    const ys = domains.map((t) => Float64Array.from(fittedRows, (r) => r.losses[t]));
    const coefsOf = (idx: Int32Array): Float64Array[] => {
      const d = domains.length, Xb = new Float64Array(idx.length * d);
      idx.forEach((i, k) => Xb.set(X.subarray(i * d, (i + 1) * d), k * d));
      return fitLinearTargets(Xb, ys.map((y) => Float64Array.from(idx, (i) => y[i]))).map((m) => m.coef);
    };
    const coef = fitLinearTargets(X, ys).map((m) => m.coef);
    const ti = (t: string) => domains.indexOf(t);
    let help = { t: 0, d: 1, v: Infinity }, hurt = { t: 0, d: 1, v: -Infinity };
    coef.forEach((row, t) => row.forEach((v, d) => {
      if (t === d) return;
      if (v < help.v) help = { t, d, v };
      if (v > hurt.v) hurt = { t, d, v };
    }));
    const best = domains.flatMap((t) => {
      const row = coef[ti(t)];
      let d = 0;
      row.forEach((v, j) => { if (v < row[d]) d = j; });
      return domains[d] === t ? [] : [{ t: ti(t), d }];
    });
    // one bootstrap over proxies for every tracked quantity (one shared SVD per resample)
    const tracked = (c: Float64Array[]) => [c[help.t][help.d], c[hurt.t][hurt.d], ...best.map(({ t, d }) => c[t][d] - c[t][t])];
    const iv = bootstrapIntervals(fittedRows.length, (idx) => tracked(coefsOf(idx)), { resamples: B, seed: bseed("claim5") });
    // split-sample selection: pick each target's most helpful domain on one half of the proxies, test on the other
    const picksOn = (units: readonly number[]): Claim5Pick[] => {
      const c = coefsOf(Int32Array.from(units));
      return c.flatMap((row, t) => {
        let d = 0;
        row.forEach((v, j) => { if (v < row[d]) d = j; });
        return d === t ? [] : [{ t, d }];
      });
    };
    const families: { chosenOn: "A" | "B" | "all"; family: FamilyResult | null }[] = [];
    let tested = 0;
    const testOn = (picks: Claim5Pick[], units: readonly number[]) => {
      const label = ["A", "B", "all"][tested++] as "A" | "B" | "all";
      if (picks.length === 0) {
        families.push({ chosenOn: label, family: null });
        return { estimate: { value: Number.NaN, lo: Number.NaN, hi: Number.NaN, n: units.length }, verdict: "does not hold at this scale" as Verdict };
      }
      const u = Int32Array.from(units);
      const dists = bootstrapDistributions(units.length, (idx) => {
        const c = coefsOf(Int32Array.from(idx, (i) => u[i]));
        return picks.map(({ t, d }) => c[t][d] - c[t][t]);
      }, { resamples: B, seed: bseed(`claim5/split/${label}`) });
      const family = holmFamily(picks.map(({ t, d }, k) => bootstrapMember(`${domains[t]} ← ${domains[d]}`, dists[k], { threshold: 0, side: "below" })), { claim: "any" });
      families.push({ chosenOn: label, family });
      const best = family.parts.reduce((m, x) => (x.interval.hi < m.interval.hi ? x : m));
      return { estimate: best.interval, verdict: family.verdict };
    };
    const split = splitSampleSelection(fittedRows.length, picksOn, testOn, { seed: bseed("claim5/split-halves") });
    claim5 = {
      split: { ...split, families },
      coef: coef.map((r) => Array.from(r)),
      strongestHelp: { target: domains[help.t], domain: domains[help.d], coef: iv[0] },
      strongestHurt: { target: domains[hurt.t], domain: domains[hurt.d], coef: iv[1] },
      otherDomainBest: best.map(({ t, d }, k) => ({ target: domains[t], domain: domains[d], difference: iv[k + 2] })),
    };
  }

  return { target, domains, noise: { proxy: proxyNoise, scales: scaleNoise, seed: seedNoise }, claim1, claim2, claim3, claim4, claim5, rows: claimRows(config, target, { noise: { proxy: proxyNoise, scales: scaleNoise, seed: seedNoise }, claim1, claim2, claim3, claim4, claim5 }, domains) };
}

function claimRows(config: RegmixStudyConfig, target: string, a: Pick<StudyAnalysis, "noise" | "claim1" | "claim2" | "claim3" | "claim4" | "claim5">, domains: readonly string[]): ClaimRow[] {
  const pickName = (t: number, d: number) => `${domains[t]} ← ${domains[d]}`;
  const none = (claim: string, measure: string): ClaimRow => ({ claim, measure, value: "—", verdict: "not yet run", estimate: null });
  const rows: ClaimRow[] = [];
  const alt = alternativeThresholdsOf(config);
  // the proxy side's reliability: the target-loss ranking's agreement between seeds on the cross-scale mixtures
  const ag = a.noise.seed?.agreement ?? null;
  const ceiling = noiseCeiling(ag ? ag.mean : null, null);
  const agreementNote = ag ? `proxy seed-to-seed ρ ${ag.mean.toFixed(3)} (${ag.min.toFixed(3)}–${ag.max.toFixed(3)} over ${ag.pairs.length} pairs of ${ag.repeats} seeds, ${ag.models} mixtures); the other side has one seed` : "proxy seed repeats not run";
  {
    const claim = "1. Regression predicts loss";
    const last = a.claim1?.curve.at(-1);
    const measure = `held-out Spearman of the GBDT (${target} loss), fitted on ${config.sweep.fit} proxies, ${config.sweep.heldOut} held out; holds if ≥ ${PREDICTS_RHO}`;
    rows.push(last && last.n === config.sweep.fit
      ? {
        claim, measure, value: `GBDT ${formatInterval(last.gbdt)}; linear ${formatInterval(last.linear)}`, verdict: verdictAbove(last.gbdt, PREDICTS_RHO), estimate: last.gbdt,
        correction: "none: one comparison; percentile bootstrap over held-out mixtures, 95 %",
        ceiling: `${agreementNote}: ${formatCeiling(judgeAgainstCeiling(last.gbdt, ceiling, PREDICTS_RHO))}`,
        sensitivity: formatSensitivity(sensitivityOf(last.gbdt, alt.predicts, "above"), "≥"),
      }
      : none(claim, measure));
  }
  {
    const claim = "2. More proxies beat more tokens per proxy";
    const c = a.claim2;
    const { proxies, factor } = config.tokensPerProxy;
    const measure = `Spearman of GBDT predictions with the ${config.finals.scale} models' ${target} loss: ${proxies * factor} proxies × T minus ${proxies} × ${factor}T (equal compute); holds if > 0`;
    rows.push(c
      ? {
        claim, measure, value: `${formatInterval(c.difference)} (${formatInterval(c.many.rho)} vs ${formatInterval(c.few.rho)})`, verdict: verdictAbove(c.difference, 0), estimate: c.difference,
        correction: "none: one comparison; percentile bootstrap over mixtures, 95 %",
        ceiling: `not applicable: a difference of two ρ against the same ${config.finals.scale} losses (one ceiling bounds both)`,
        sensitivity: formatSensitivity(sensitivityOf(c.difference, [0], "above"), ">"),
      }
      : none(claim, measure));
  }
  {
    const claim = "3. Rank invariance across scale";
    const c = a.claim3;
    const measure = `Spearman of the ${target} loss ranking of ${config.crossScale.mixtures} mixtures between the proxy and each larger scale (and the proxy-fitted GBDT's); holds if ≥ ${RANK_KEPT_RHO} at every scale`;
    if (!c) rows.push(none(claim, measure));
    else {
      const members = (t: number) => c.scales.map((x) => bootstrapMember(x.scale, x.rankDistribution, { threshold: t, side: "above" }));
      const f = holmFamily(members(RANK_KEPT_RHO), { claim: "all" });
      const cells = familyCells(f);
      const worst = c.scales.reduce((m, x) => (x.rank.value < m.rank.value ? x : m));
      const between = c.between.map((x) => `${x.a} ↔ ${x.b} ρ ${formatInterval(x.rho)}`).join("; ");
      const judged = c.scales.map((x, k) => `${x.scale}: ${formatCeiling(judgeAgainstCeiling(f.parts[k].interval, ceiling, RANK_KEPT_RHO))}`).join("; ");
      rows.push({
        claim, measure, ...cells, estimate: worst.rank,
        value: `${cells.value}; GBDT: ${c.scales.map((x) => `${x.scale} ${formatInterval(x.gbdt)}`).join(", ")} (95 %)`,
        ceiling: `${agreementNote}${between ? `; ${between}` : ""}; ${judged}`,
        sensitivity: familySensitivity(members, "all", alt.rankKept, "≥"),
      });
    }
  }
  {
    const claim = "4. The chosen mixture beats the baselines at the larger scale";
    const c = a.claim4;
    const measure = `${config.finals.scale} models, ${config.finals.seeds} seeds: RegMix − baseline ${target} loss, paired by seed (t interval); holds if < 0 against every baseline`;
    if (!c) rows.push(none(claim, measure));
    else {
      const members = (t: number) => c.differences.map((d) => tMember(`vs ${d.baseline}`, d.targetBySeed, { threshold: t, side: "below" }));
      const f = holmFamily(members(0), { claim: "all" });
      const worst = c.differences.reduce((m, d) => (d.target.value > m.target.value ? d : m));
      const outliers = armOutliers(Object.fromEntries(c.arms.map((x) => [x.arm, x.targetBySeed])));
      rows.push({
        claim, measure, ...familyCells(f, 4), estimate: worst.target,
        sensitivity: familySensitivity(members, "all", [0], "<"),
        outliers: `${target} loss per seed: ${formatOutliers(outliers, (arm, i) => `${arm} seed ${c.seedIds[i]}`, 4)}`,
      });
    }
  }
  {
    const claim = "5. Domain interactions are not what intuition says";
    const c = a.claim5;
    const measure = "linear coefficients (domain × target): targets whose most helpful training domain is another domain, coef[t][d] − coef[t][t] < 0 (the difference from the target's own domain, not the raw coefficient); the pick made on one seeded half of the fitted proxies and tested on the other, both ways (percentile bootstrap over that half's proxies, Holm over the picked targets); holds if at least one pick holds in both directions";
    if (!c) rows.push(none(claim, measure));
    else {
      const sp = c.split;
      const names = (p: Claim5Pick[]) => (p.length ? p.map(({ t, d }) => pickName(t, d)).join(", ") : "none");
      const famOf = (on: "A" | "B" | "all") => sp.families.find((x) => x.chosenOn === on)?.family ?? null;
      const uncorrected = allOf([famOf("A"), famOf("B")].map((x) => x?.uncorrected ?? "does not hold at this scale"));
      const point = allOf(sp.cross.map((x) => (Number.isFinite(x.estimate.value) && x.estimate.value < 0 ? "holds" : "does not hold at this scale") as Verdict));
      const famCell = (on: "A" | "B" | "all") => { const x = famOf(on); return x ? x.parts.map((p) => `${p.label} ${formatInterval(p.interval, 4)} (${(100 * p.level).toFixed(1)} %)`).join(", ") : "no pick"; };
      rows.push({
        claim, measure, estimate: sp.cross[0].estimate, verdict: sp.verdict, uncorrected,
        value: `chosen on A (${sp.halves.A.length} proxies): ${names(sp.cross[0].choice)}; tested on B: ${famCell("A")} → ${sp.cross[0].verdict}. Chosen on B (${sp.halves.B.length}): ${names(sp.cross[1].choice)}; tested on A: ${famCell("B")} → ${sp.cross[1].verdict}. Same data (chosen and tested on all ${sp.halves.A.length + sp.halves.B.length}, what the table showed before): ${famCell("all")} → ${sp.sameData.verdict}`,
        correction: `split-sample selection (seeded halves, both ways must hold); within each test Holm over the picked targets (family-wise α = 0.05), each interval at its Holm step level (percentile bootstrap; not simultaneous 95 % intervals)`,
        sensitivity: `< 0: ${sp.verdict} (point: ${point})`,
      });
    }
  }
  return rows;
}

/** The final models' mixtures as `Mixture`s (for the weights figure). */
export function finalMixtures(a: StudyAnalysis): { name: string; weights: Mixture }[] {
  return (a.claim4?.arms ?? []).map((x) => ({ name: x.arm, weights: Mixture.fromRecord(x.mixture, [...a.domains]) }));
}
