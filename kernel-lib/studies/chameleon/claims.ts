/**
 * The Chameleon study's analysis: from the stored runs (`ChameleonStudyRuns`) to one verdict per
 * claim, each with a 95 % Student's t interval over seeds (paired: seed k is shared by every arm
 * it compares). Nothing is trained here, and nothing is random: the same runs give the same
 * table, byte for byte.
 *
 * Perplexity is per byte, exp(nats/byte); a model's average perplexity is the mean of its
 * per-domain perplexities (the paper's Table 1). Verdicts (regression/verdicts.ts): "holds" when
 * the whole interval is on the claim's side, "does not hold at this scale" when it is wholly on
 * the other side, "inconclusive" when it straddles, "not yet run" when runs are missing.
 */
import { METHOD_LABELS, type CompareMethod } from "../../compare/config.js";
import type { ComparisonArm } from "../../compare/table.js";
import type { FinalModelResult } from "../../compare/final.js";
import { meanSd, tInterval, type Interval } from "../../regression/intervals.js";
import { spearman } from "../../regression/metrics.js";
import { formatInterval, verdictBelow, type ClaimRow, type Verdict } from "../../regression/verdicts.js";
import {
  armOutliers, boundedTInterval, boundedTMember, familyCells, familySensitivity, formatOutliers, holmFamily, tMember, SHARE, type FamilyMember,
} from "../../regression/inference/index.js";
import { perplexities } from "../../chameleon/proxy-run.js";
import { OFFICIAL_EXAMPLE, OFFICIAL_PT_WEIGHT_RATIO } from "../../chameleon/temperature.js";
import { alternativeThresholdsOf, CHAMELEON_ARMS, proxyFlops, type ChameleonStudyConfig } from "./config.js";
import { regimeMeasures, type RegimeMeasures } from "./regime.js";
import type { ChameleonStudyRuns } from "./runs.js";

type MeanSd = { mean: number; sd: number };
/** The baselines whose search cost Chameleon's is claimed to undercut (trained proxies). */
const COSTLY: readonly CompareMethod[] = ["regmix", "doremi", "doge"];

export interface ArmSummary {
  method: CompareMethod;
  label: string;
  mixture: Record<string, number>;
  seeds: number;
  averagePerplexity: MeanSd;
  /** average perplexity per seed (the analysis's seed order) */
  perplexityBySeed: number[];
  /** mean over domains of nats/byte */
  averageLoss: MeanSd;
  /** domain → perplexity */
  perDomain: Record<string, MeanSd>;
  /** search FLOPs ÷ one final model's training FLOPs */
  searchFraction: number;
  searchFlops: number;
}

export interface RegimeSummary {
  name: string;
  preset: string;
  steps: number;
  batchSize: number;
  seqLen: number;
  flops: number;
  repeats: number;
  /** the largest official (τ = 5) weight: t interval over seeds on the logit scale of [0, 1] (a share: the interval stays inside), its sd and the per-seed values */
  maxWeight: Interval;
  maxWeightBySeed: number[];
  maxWeightSd: number;
  spread: MeanSd;
  effectiveDimension: MeanSd;
  kernelToRidge: MeanSd;
  tauForRatio: MeanSd;
  /** domain → mean normalised S over seeds */
  leverage: Record<string, number>;
  /** K_c of the first seed (k × k, corpus order) */
  centeredKernel: number[][];
  /** the max-weight interval against `collapseAt`: "holds" = out of collapse */
  outOfCollapse: Verdict;
}

export type TransferArmName = "transferred" | "retrained" | "uniform";

export interface ChameleonStudyAnalysis {
  domains: string[];
  pretrain: {
    seeds: number[];
    arms: ArmSummary[];
    /** Chameleon arm − baseline, paired by seed (negative: Chameleon is better) */
    differences: { arm: (typeof CHAMELEON_ARMS)[number]; baseline: CompareMethod; perplexity: Interval; loss: Interval; perplexityBySeed: number[] }[];
    /** the pretraining search's normalised S by domain (null without a Chameleon arm's details) */
    searchLeverage: Record<string, number> | null;
  } | null;
  cost: { method: CompareMethod; label: string; fraction: number; flops: number }[];
  regime: {
    collapseAt: number;
    ratio: number;
    /** the official worked example's measures (7 SlimPajama domains, GPT-2; no K_c: kernelToRidge NaN) */
    reference: RegimeMeasures;
    proxies: RegimeSummary[];
  } | null;
  transfer: {
    heldOut: string[];
    seeds: number[];
    arms: { arm: TransferArmName; mixture: Record<string, number>; newPerplexity: MeanSd; newPerplexityBySeed: number[]; perDomain: Record<string, MeanSd>; newSuite: MeanSd | null }[];
    /** (transferred − other) / other, new-domain perplexity, paired by seed; the per-seed values beside */
    vsRetrained: Interval;
    vsUniform: Interval;
    vsRetrainedBySeed: number[];
    vsUniformBySeed: number[];
    /** transferred − other: mean suite score over the tasks drawn from the held-out domains (null: no such task) */
    suiteVsRetrained: Interval | null;
    suiteVsUniform: Interval | null;
    /** the transferred and the retrained pretraining weights: Spearman ρ and L1 distance */
    weights: { spearman: number; l1: number };
  } | null;
  finetune: {
    domains: string[];
    repeats: number;
    perDomain: { domain: string; uniform: MeanSd; chameleon: MeanSd; difference: Interval; verdict: Verdict; /** per repeat */ uniformByRepeat: number[]; chameleonByRepeat: number[]; differenceByRepeat: number[] }[];
    /** domains whose whole interval is below 0 */
    improved: number;
    /** mean FT weights over repeats */
    weights: Record<string, number>;
  } | null;
  rows: ClaimRow[];
}

/** a weight of exactly 1 (a softmax that underflowed) is pulled in by 1e-9 so its logit is finite */
const SHARE_EPS = 1e-9;

const ppl = (f: Pick<FinalModelResult, "validation">, domains?: readonly string[]) => {
  const nats = domains ? Object.fromEntries(domains.map((d) => [d, f.validation[d]])) : f.validation;
  return perplexities(nats);
};
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** an interval of a fixed number (a deterministic quantity such as a FLOP count) */
const exact = (value: number): Interval => ({ value, lo: value, hi: value, n: 1 });
/** an interval scaled (e.g. a fraction shown in percent) */
export const scaled = (i: Interval, k: number): Interval => ({ ...i, value: i.value * k, lo: i.lo * k, hi: i.hi * k });

/** Repeats present in every map (sorted). */
function common(maps: readonly (Map<number, unknown> | undefined)[]): number[] {
  const [first, ...rest] = maps;
  if (!first) return [];
  return [...first.keys()].filter((k) => rest.every((m) => m?.has(k))).sort((a, b) => a - b);
}

function pretrainAnalysis(config: ChameleonStudyConfig, s: ChameleonStudyRuns): ChameleonStudyAnalysis["pretrain"] {
  const methods = config.pretrain.methods;
  const seeds = common(methods.map((m) => s.finals.get(m)));
  if (seeds.length < 2) return null;
  const runsOf = (m: CompareMethod) => seeds.map((k) => s.finals.get(m)!.get(k)!);
  const avgPpl = (a: ComparisonArm) => ppl(a.final).average;
  const arms: ArmSummary[] = methods.map((method) => {
    const rs = runsOf(method);
    const domains = Object.keys(rs[0].final.validation);
    return {
      method, label: METHOD_LABELS[method], mixture: rs[0].mixture, seeds: rs.length,
      averagePerplexity: meanSd(rs.map(avgPpl)), perplexityBySeed: rs.map(avgPpl), averageLoss: meanSd(rs.map((r) => r.final.average)),
      perDomain: Object.fromEntries(domains.map((d) => [d, meanSd(rs.map((r) => Math.exp(r.final.validation[d])))])),
      searchFraction: rs[0].cost.flops / rs[0].final.trainFlops, searchFlops: rs[0].cost.flops,
    };
  });
  const baselines = methods.filter((m) => !(CHAMELEON_ARMS as readonly string[]).includes(m));
  const differences = CHAMELEON_ARMS.flatMap((arm) => baselines.map((baseline) => {
    const c = runsOf(arm), b = runsOf(baseline);
    const perplexityBySeed = c.map((x, k) => avgPpl(x) - avgPpl(b[k]));
    return { arm, baseline, perplexity: tInterval(perplexityBySeed), loss: tInterval(c.map((x, k) => x.final.average - b[k].final.average)), perplexityBySeed };
  }));
  const details = runsOf("chameleon")[0].details as { leverage?: Record<string, number> };
  return { seeds, arms, differences, searchLeverage: details.leverage ?? null };
}

function costAnalysis(config: ChameleonStudyConfig, s: ChameleonStudyRuns): ChameleonStudyAnalysis["cost"] {
  return config.pretrain.methods.flatMap((method) => {
    const runs = s.finals.get(method);
    const arm = runs ? runs.get(Math.min(...runs.keys())) : undefined;
    return arm ? [{ method, label: METHOD_LABELS[method], fraction: arm.cost.flops / arm.final.trainFlops, flops: arm.cost.flops }] : [];
  });
}

function regimeAnalysis(config: ChameleonStudyConfig, s: ChameleonStudyRuns): ChameleonStudyAnalysis["regime"] {
  const r = config.regime;
  const ratio = fittedRatio(config);
  if (!r.proxies.every((p) => (s.regime.get(p.name)?.size ?? 0) >= 2)) return null;
  const proxies = r.proxies.map((p): RegimeSummary => {
    const runs = [...s.regime.get(p.name)!.entries()].sort((a, b) => a[0] - b[0]).map(([, x]) => x);
    const m = runs.map((x) => regimeMeasures(x, ratio));
    const domains = runs[0].domains;
    const maxWeightBySeed = m.map((x) => x.maxOfficialWeight);
    const maxWeight = boundedTInterval(maxWeightBySeed, SHARE, 0.95, SHARE_EPS);
    return {
      name: p.name, preset: p.recipe.preset, steps: p.recipe.steps, batchSize: p.recipe.batchSize, seqLen: p.recipe.seqLen, flops: proxyFlops(p.recipe), repeats: runs.length,
      maxWeight, maxWeightBySeed, maxWeightSd: meanSd(m.map((x) => x.maxOfficialWeight)).sd,
      spread: meanSd(m.map((x) => x.spread)), effectiveDimension: meanSd(m.map((x) => x.effectiveDimension)),
      kernelToRidge: meanSd(m.map((x) => x.kernelToRidge)), tauForRatio: meanSd(m.map((x) => x.tauForRatio)),
      leverage: Object.fromEntries(domains.map((d, i) => [d, mean(runs.map((x) => x.leverage[i]))])),
      centeredKernel: runs[0].centeredKernel,
      outOfCollapse: verdictBelow(maxWeight, r.collapseAt),
    };
  });
  return { collapseAt: r.collapseAt, ratio, reference: officialReference(config), proxies };
}

/** The max/min weight the fitted-τ arm aims at (the comparison's `ptWeightRatio`). */
const fittedRatio = (config: ChameleonStudyConfig) => config.pretrain.chameleon?.ptWeightRatio ?? OFFICIAL_PT_WEIGHT_RATIO;

/**
 * The official worked example's regime measures (its S from `OFFICIAL_EXAMPLE`).
 *
 * @example
 * officialReference(config).maxOfficialWeight; // ≈ 0.2756
 */
export function officialReference(config: ChameleonStudyConfig): RegimeMeasures {
  return regimeMeasures({ leverageRaw: [...OFFICIAL_EXAMPLE.leverageRaw], lambda: OFFICIAL_EXAMPLE.lambda }, fittedRatio(config));
}

/**
 * The domain of a task of a run stored before final results recorded task domains: the suite
 * then named its tasks cloze_<domain>, nextline_<domain>, nextfield_<domain>, dictionary_word
 * and math_answer.
 */
function legacyTaskDomain(task: string): string {
  if (task === "dictionary_word") return "dictionary";
  if (task === "math_answer") return "math";
  return /^(?:cloze|nextline|nextfield)_(.+)$/.exec(task)?.[1] ?? task;
}

function transferAnalysis(config: ChameleonStudyConfig, s: ChameleonStudyRuns, domains: readonly string[]): ChameleonStudyAnalysis["transfer"] {
  const heldOut = config.transfer.heldOut;
  const retrained = s.finals.get("chameleon"), uniform = s.finals.get("uniform");
  const seeds = common([s.transferFinals, retrained, uniform]);
  if (seeds.length < 2 || !s.transferWeights) return null;
  const finals: Record<TransferArmName, { mixture: Record<string, number>; final: FinalModelResult }[]> = {
    transferred: seeds.map((k) => s.transferFinals.get(k)!),
    retrained: seeds.map((k) => retrained!.get(k)!),
    uniform: seeds.map((k) => uniform!.get(k)!),
  };
  const newPpl = (f: FinalModelResult) => ppl(f, heldOut).average;
  // the suite's tasks drawn from a held-out domain (continue_legal, nextfield_structured_json, …)
  const scored = finals.transferred[0].final.suite;
  const newTasks = Object.keys(scored.tasks).filter((t) => heldOut.includes(scored.taskDomains?.[t] ?? legacyTaskDomain(t)));
  const suite = (f: FinalModelResult) => (newTasks.length ? mean(newTasks.map((t) => f.suite.tasks[t])) : Number.NaN);
  const arms = (["transferred", "retrained", "uniform"] as const).map((arm) => {
    const rs = finals[arm];
    return {
      arm, mixture: rs[0].mixture, newPerplexity: meanSd(rs.map((r) => newPpl(r.final))), newPerplexityBySeed: rs.map((r) => newPpl(r.final)),
      perDomain: Object.fromEntries(heldOut.map((d) => [d, meanSd(rs.map((r) => Math.exp(r.final.validation[d])))])),
      newSuite: newTasks.length ? meanSd(rs.map((r) => suite(r.final))) : null,
    };
  });
  const t = finals.transferred;
  const relBySeed = (other: TransferArmName) => t.map((x, k) => { const o = newPpl(finals[other][k].final); return (newPpl(x.final) - o) / o; });
  const rel = (other: TransferArmName) => tInterval(relBySeed(other));
  const suiteDiff = (other: TransferArmName) => (newTasks.length ? tInterval(t.map((x, k) => suite(x.final) - suite(finals[other][k].final))) : null);
  const tw = t[0].mixture, rw = finals.retrained[0].mixture;
  return {
    heldOut: [...heldOut], seeds, arms,
    vsRetrained: rel("retrained"), vsUniform: rel("uniform"), vsRetrainedBySeed: relBySeed("retrained"), vsUniformBySeed: relBySeed("uniform"),
    suiteVsRetrained: suiteDiff("retrained"), suiteVsUniform: suiteDiff("uniform"),
    weights: { spearman: spearman(domains.map((d) => tw[d]), domains.map((d) => rw[d])), l1: domains.reduce((a, d) => a + Math.abs(tw[d] - rw[d]), 0) },
  };
}

function finetuneAnalysis(config: ChameleonStudyConfig, s: ChameleonStudyRuns): ChameleonStudyAnalysis["finetune"] {
  const runs = [...s.finetune.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  if (runs.length < 2) return null;
  const domains = config.finetune.finetuneDomains;
  const arm = (r: (typeof runs)[number], name: "uniform" | "chameleon") => r.arms.find((a) => a.arm === name)!.evaluation.perplexity;
  const perDomain = domains.map((domain) => {
    const u = runs.map((r) => arm(r, "uniform")[domain]), c = runs.map((r) => arm(r, "chameleon")[domain]);
    const difference = tInterval(c.map((x, k) => x - u[k]));
    return { domain, uniform: meanSd(u), chameleon: meanSd(c), difference, verdict: verdictBelow(difference, 0), uniformByRepeat: u, chameleonByRepeat: c, differenceByRepeat: c.map((x, k) => x - u[k]) };
  });
  const weights = Object.fromEntries(domains.map((d) => [d, mean(runs.map((r) => r.chameleon.ftWeights[r.finetuneDomains.indexOf(d)]))]));
  return { domains: [...domains], repeats: runs.length, perDomain, improved: perDomain.filter((x) => x.verdict === "holds").length, weights };
}

/**
 * Everything the verdict table needs, from the runs there are.
 *
 * @example
 * const a = analyseChameleonStudy(config, studyRuns(runs, total), corpus.domains);
 * a.rows.map((r) => r.verdict);
 */
export function analyseChameleonStudy(config: ChameleonStudyConfig, s: ChameleonStudyRuns, domains: readonly string[]): ChameleonStudyAnalysis {
  const a = {
    domains: [...domains],
    pretrain: pretrainAnalysis(config, s),
    cost: costAnalysis(config, s),
    regime: regimeAnalysis(config, s),
    transfer: transferAnalysis(config, s, domains),
    finetune: finetuneAnalysis(config, s),
  };
  return { ...a, rows: claimRows(config, a) };
}

function claimRows(config: ChameleonStudyConfig, a: Omit<ChameleonStudyAnalysis, "rows">): ClaimRow[] {
  const none = (claim: string, measure: string): ClaimRow => ({ claim, measure, value: "—", verdict: "not yet run", estimate: null });
  const rows: ClaimRow[] = [];
  const f = config.pretrain.final;
  const baselines = config.pretrain.methods.filter((m) => !(CHAMELEON_ARMS as readonly string[]).includes(m));
  for (const [arm, claim] of [["chameleon", "1a. Chameleon (fitted τ) beats the baselines at equal budget"], ["chameleon-official", "1b. Chameleon (official τ = 5) beats the baselines at equal budget"]] as const) {
    const measure = `${f.preset} models (${f.steps} × ${f.batchSize} × ${f.seqLen}), ${config.seeds} seeds: ${METHOD_LABELS[arm]} − baseline average perplexity (mean of the per-domain exp(nats/byte)), paired by seed (t interval); holds if < 0 against every baseline (${baselines.map((b) => METHOD_LABELS[b]).join(", ")})`;
    const d = a.pretrain?.differences.filter((x) => x.arm === arm) ?? [];
    if (d.length === 0) { rows.push(none(claim, measure)); continue; }
    const worst = d.reduce((m, x) => (x.perplexity.value > m.perplexity.value ? x : m));
    const members = (t: number) => d.map((x) => tMember(`vs ${METHOD_LABELS[x.baseline]}`, x.perplexityBySeed, { threshold: t, side: "below" }));
    const seeds = a.pretrain!.seeds;
    const outliers = armOutliers(Object.fromEntries(a.pretrain!.arms.filter((x) => x.method === arm || (baselines as readonly string[]).includes(x.method)).map((x) => [x.label, x.perplexityBySeed])));
    rows.push({
      claim, measure, ...familyCells(holmFamily(members(0), { claim: "all" }), 4), estimate: worst.perplexity,
      sensitivity: familySensitivity(members, "all", [0], "<"),
      outliers: `average perplexity per seed: ${formatOutliers(outliers, (x, i) => `${x} seed ${seeds[i]}`, 3)}`,
    });
  }
  {
    const claim = "1c. Chameleon's weights cost less compute than the trained-proxy baselines'";
    const measure = "search FLOPs ÷ one final model's training FLOPs (exact, no interval); holds if Chameleon's is below RegMix's, DoReMi's and DoGE's (those listed)";
    const cham = a.cost.find((c) => c.method === "chameleon");
    const others = a.cost.filter((c) => COSTLY.includes(c.method));
    const planned = config.pretrain.methods.filter((m) => COSTLY.includes(m));
    if (!cham || planned.length === 0 || others.length < planned.length) rows.push(none(claim, measure));
    else {
      rows.push({
        claim, measure, value: [cham, ...others].map((c) => `${c.label} ${c.fraction.toPrecision(3)}×`).join("; "),
        verdict: others.every((o) => cham.fraction < o.fraction) ? "holds" : "does not hold at this scale", estimate: exact(cham.fraction),
      });
    }
  }
  {
    const r = config.regime;
    const claim = "2. A larger or longer proxy brings the official τ = 5 out of collapse";
    const measure = `largest official weight softmax((1/S)/5) over ${r.seeds} proxy seeds (t interval), each proxy after the reference "${r.proxies[0].name}"; holds if one is below ${r.collapseAt} (collapse: ≥ ${r.collapseAt} on one domain; the official example: ${officialReference(config).maxOfficialWeight.toFixed(3)} on ${OFFICIAL_EXAMPLE.domains.length} domains)`;
    const g = a.regime;
    if (!g) rows.push(none(claim, measure));
    else {
      const later = g.proxies.slice(1);
      const best = later.reduce((m, x) => (x.maxWeight.value < m.maxWeight.value ? x : m));
      const members = (t: number): FamilyMember[] => later.map((p) => boundedTMember(p.name, p.maxWeightBySeed, { threshold: t, side: "below", range: SHARE, eps: SHARE_EPS }));
      const cells = familyCells(holmFamily(members(r.collapseAt), { claim: "any" }));
      const ref = g.proxies[0];
      rows.push({
        claim, measure, ...cells, estimate: best.maxWeight,
        value: `${ref.name} (reference): ${formatInterval(ref.maxWeight)} (95 %); ${cells.value}`,
        correction: `${cells.correction}; t on the logit scale of [0, 1], so every interval stays inside [0, 1] (the plain t interval of the seeds' mean runs past 1)`,
        sensitivity: familySensitivity(members, "any", alternativeThresholdsOf(config).collapseAt, "collapse at ≥", 2),
      });
    }
  }
  {
    const t = config.transfer;
    const claim = "3. New data without retraining: the frozen proxy's weights do as well as a retrained proxy's";
    const measure = `${config.seeds} seeds: perplexity on the held-out domains (${t.heldOut.join(", ")}) of the model on the frozen proxy's transferred weights, relative to the retrained proxy's (Chameleon, fitted τ) and to uniform, paired by seed (t interval); holds if below +${(100 * t.margin).toFixed(1)} % vs retrained and below 0 vs uniform`;
    const x = a.transfer;
    if (!x) rows.push(none(claim, measure));
    else {
      // in percent, so the table reads as the measure says
      const pctOf = (xs: readonly number[]) => xs.map((v) => 100 * v);
      const members = (margin: number) => [
        tMember("vs retrained (%)", pctOf(x.vsRetrainedBySeed), { threshold: 100 * margin, side: "below" }),
        tMember("vs uniform (%)", pctOf(x.vsUniformBySeed), { threshold: 0, side: "below" }),
      ];
      const outliers = armOutliers(Object.fromEntries(x.arms.map((y) => [y.arm, y.newPerplexityBySeed])));
      rows.push({
        claim, measure, ...familyCells(holmFamily(members(t.margin), { claim: "all" }), 2), estimate: x.vsRetrained,
        sensitivity: familySensitivity(members, "all", alternativeThresholdsOf(config).transferMargin, "margin vs retrained <", 3),
        outliers: `held-out-domain perplexity per seed: ${formatOutliers(outliers, (arm, i) => `${arm} seed ${x.seeds[i]}`, 3)}`,
      });
    }
  }
  {
    const ft = config.finetune;
    const claim = "4. Finetuning: Chameleon FT weights beat uniform on every finetuning domain";
    const measure = `${ft.repeats} repeats (base, windows and finetunes reseeded): Chameleon FT − uniform ${ft.eval.split} perplexity per finetuning domain (${ft.finetuneDomains.join(", ")}), paired by repeat (t interval); holds if < 0 on every domain (paper: all improved)`;
    const x = a.finetune;
    if (!x) rows.push(none(claim, measure));
    else {
      const worst = x.perDomain.reduce((m, d) => (d.difference.value > m.difference.value ? d : m));
      const members = (t: number) => x.perDomain.map((d) => tMember(d.domain, d.differenceByRepeat, { threshold: t, side: "below" }));
      const f = holmFamily(members(0), { claim: "all" });
      const cells = familyCells(f, 4);
      const outliers = armOutliers(Object.fromEntries(x.perDomain.flatMap((d) => [[`${d.domain} uniform`, d.uniformByRepeat], [`${d.domain} Chameleon`, d.chameleonByRepeat]])));
      rows.push({
        claim, measure, ...cells, estimate: worst.difference,
        value: `improved (Holm) on ${f.parts.filter((p) => p.verdict === "holds").length} of ${x.domains.length}: ${cells.value}`,
        sensitivity: familySensitivity(members, "all", [0], "<"),
        outliers: `${config.finetune.eval.split} perplexity per repeat: ${formatOutliers(outliers, (arm, i) => `${arm} repeat ${i}`, 3)}`,
      });
    }
  }
  return rows;
}
