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
import { bootstrapInterval, bootstrapIntervals, meanSd, tInterval, type Interval } from "../../regression/intervals.js";
import { fitLinearTargets, type LinearModel } from "../../regression/linear.js";
import { spearman } from "../../regression/metrics.js";
import { formatInterval, verdictAbove, type ClaimRow, type Verdict } from "../../regression/verdicts.js";
import { deriveSeed } from "../../util/rng.js";
import { chooseTarget } from "../../regmix/choose.js";
import { fitRegmix } from "../../regmix/fit.js";
import type { RegmixProxyRun } from "../../regmix/proxies.js";
import { mixtureDesign, sweepDesign, type SweepRow } from "../../regmix/sweep.js";
import { STUDY_ARMS, type RegmixStudyConfig, type StudyArm } from "./config.js";
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
    seed: { noise: number; spread: number; ratio: number; mixtures: number; rankVsSeed0: Interval[] } | null;
  };
  claim1: {
    curve: { n: number; gbdt: Interval; linear: Interval }[];
    heldOut: { observed: number[]; gbdt: number[]; linear: number[] };
  } | null;
  claim2: { judge: string; many: { proxies: number; rho: Interval }; few: { proxies: number; factor: number; rho: Interval }; difference: Interval } | null;
  claim3: { scales: { scale: string; mixtures: number[]; proxy: number[]; observed: number[]; predicted: number[]; rank: Interval; gbdt: Interval }[] } | null;
  claim4: {
    scale: string;
    arms: { arm: StudyArm; mixture: Record<string, number>; target: { mean: number; sd: number }; average: { mean: number; sd: number }; perDomain: Record<string, { mean: number; sd: number }>; seeds: number }[];
    /** RegMix − baseline, paired by seed (negative: RegMix is better) */
    differences: { baseline: StudyArm; target: Interval; average: Interval }[];
  } | null;
  claim5: {
    /** [target][domain] linear coefficients (minimum-norm: each row sums to 0; a lower value means more weight on that domain lowers the target's loss) */
    coef: number[][];
    strongestHelp: { target: string; domain: string; coef: Interval };
    strongestHurt: { target: string; domain: string; coef: Interval };
    /** targets whose most helpful training domain is another one: coef[t][d] − coef[t][t] with its interval */
    otherDomainBest: { target: string; domain: string; difference: Interval }[];
  } | null;
  rows: ClaimRow[];
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
      seedNoise = { noise: pooled, spread, ratio: pooled / spread, mixtures: full.length, rankVsSeed0 };
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
        return {
          scale: x.scale, mixtures: x.mixtures, proxy: x.proxy, observed: x.observed, predicted,
          rank: bootstrapInterval(x.mixtures.length, spearmanAt(x.proxy, x.observed), { resamples: B, seed: bseed(`claim3/rank/${x.scale}`) }),
          gbdt: bootstrapInterval(x.mixtures.length, spearmanAt(predicted, x.observed), { resamples: B, seed: bseed(`claim3/gbdt/${x.scale}`) }),
        };
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
          arms: STUDY_ARMS.map((arm) => {
            const rs = runsOf(arm);
            return {
              arm, mixture: rs[0].mixture, seeds: rs.length,
              target: meanSd(rs.map((r) => r.losses[target])), average: meanSd(rs.map(avg)),
              perDomain: Object.fromEntries(domains.map((d) => [d, meanSd(rs.map((r) => r.losses[d]))])),
            };
          }),
          differences: STUDY_ARMS.filter((a) => a !== "regmix").map((baseline) => {
            const r = runsOf("regmix"), b = runsOf(baseline);
            return {
              baseline,
              target: tInterval(r.map((x, k) => x.losses[target] - b[k].losses[target])),
              average: tInterval(r.map((x, k) => avg(x) - avg(b[k]))),
            };
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
    claim5 = {
      coef: coef.map((r) => Array.from(r)),
      strongestHelp: { target: domains[help.t], domain: domains[help.d], coef: iv[0] },
      strongestHurt: { target: domains[hurt.t], domain: domains[hurt.d], coef: iv[1] },
      otherDomainBest: best.map(({ t, d }, k) => ({ target: domains[t], domain: domains[d], difference: iv[k + 2] })),
    };
  }

  return { target, domains, noise: { proxy: proxyNoise, scales: scaleNoise, seed: seedNoise }, claim1, claim2, claim3, claim4, claim5, rows: claimRows(config, target, { claim1, claim2, claim3, claim4, claim5 }) };
}

function claimRows(config: RegmixStudyConfig, target: string, a: Pick<StudyAnalysis, "claim1" | "claim2" | "claim3" | "claim4" | "claim5">): ClaimRow[] {
  const none = (claim: string, measure: string): ClaimRow => ({ claim, measure, value: "—", verdict: "not yet run", estimate: null });
  const rows: ClaimRow[] = [];
  {
    const claim = "1. Regression predicts loss";
    const last = a.claim1?.curve.at(-1);
    const measure = `held-out Spearman of the GBDT (${target} loss), fitted on ${config.sweep.fit} proxies, ${config.sweep.heldOut} held out; holds if ≥ ${PREDICTS_RHO}`;
    rows.push(last && last.n === config.sweep.fit
      ? { claim, measure, value: `GBDT ${formatInterval(last.gbdt)}; linear ${formatInterval(last.linear)}`, verdict: verdictAbove(last.gbdt, PREDICTS_RHO), estimate: last.gbdt }
      : none(claim, measure));
  }
  {
    const claim = "2. More proxies beat more tokens per proxy";
    const c = a.claim2;
    const { proxies, factor } = config.tokensPerProxy;
    const measure = `Spearman of GBDT predictions with the ${config.finals.scale} models' ${target} loss: ${proxies * factor} proxies × T minus ${proxies} × ${factor}T (equal compute); holds if > 0`;
    rows.push(c
      ? { claim, measure, value: `${formatInterval(c.difference)} (${formatInterval(c.many.rho)} vs ${formatInterval(c.few.rho)})`, verdict: verdictAbove(c.difference, 0), estimate: c.difference }
      : none(claim, measure));
  }
  {
    const claim = "3. Rank invariance across scale";
    const c = a.claim3;
    const measure = `Spearman of the ${target} loss ranking of ${config.crossScale.mixtures} mixtures between the proxy and each larger scale (and the proxy-fitted GBDT's); holds if ≥ ${RANK_KEPT_RHO} at every scale`;
    if (!c) rows.push(none(claim, measure));
    else {
      const verdicts = c.scales.map((x) => verdictAbove(x.rank, RANK_KEPT_RHO));
      const verdict: Verdict = verdicts.every((v) => v === "holds") ? "holds" : verdicts.some((v) => v === "does not hold at this scale") ? "does not hold at this scale" : "inconclusive";
      const worst = c.scales.reduce((m, x) => (x.rank.value < m.rank.value ? x : m));
      rows.push({ claim, measure, value: c.scales.map((x) => `${x.scale}: ${formatInterval(x.rank)} (GBDT ${formatInterval(x.gbdt)})`).join("; "), verdict, estimate: worst.rank });
    }
  }
  {
    const claim = "4. The chosen mixture beats the baselines at the larger scale";
    const c = a.claim4;
    const measure = `${config.finals.scale} models, ${config.finals.seeds} seeds: RegMix − baseline ${target} loss, paired by seed (t interval); holds if < 0 against every baseline`;
    if (!c) rows.push(none(claim, measure));
    else {
      const v = c.differences.map((d) => (d.target.hi < 0 ? "holds" : d.target.lo > 0 ? "does not hold at this scale" : "inconclusive") as Verdict);
      const verdict: Verdict = v.every((x) => x === "holds") ? "holds" : v.some((x) => x === "does not hold at this scale") ? "does not hold at this scale" : "inconclusive";
      const worst = c.differences.reduce((m, d) => (d.target.value > m.target.value ? d : m));
      rows.push({ claim, measure, value: c.differences.map((d) => `vs ${d.baseline}: ${formatInterval(d.target, 4)}`).join("; "), verdict, estimate: worst.target });
    }
  }
  {
    const claim = "5. Domain interactions are not what intuition says";
    const c = a.claim5;
    const measure = "linear coefficients (domain × target): targets whose most helpful training domain is another domain, coef[t][d] − coef[t][t] < 0 over bootstrap resamples of the proxies; holds if at least one";
    if (!c) rows.push(none(claim, measure));
    else {
      const sig = c.otherDomainBest.filter((x) => x.difference.hi < 0);
      const verdict: Verdict = sig.length > 0 ? "holds" : c.otherDomainBest.length === 0 ? "does not hold at this scale" : "inconclusive";
      const value = c.otherDomainBest.length
        ? c.otherDomainBest.map((x) => `${x.target} ← ${x.domain}: ${formatInterval(x.difference, 4)}`).join("; ")
        : "every target is helped most by its own domain";
      rows.push({ claim, measure, value, verdict, estimate: sig[0]?.difference ?? c.otherDomainBest[0]?.difference ?? null });
    }
  }
  return rows;
}

/** The final models' mixtures as `Mixture`s (for the weights figure). */
export function finalMixtures(a: StudyAnalysis): { name: string; weights: Mixture }[] {
  return (a.claim4?.arms ?? []).map((x) => ({ name: x.arm, weights: Mixture.fromRecord(x.mixture, [...a.domains]) }));
}
