/**
 * The MergeMix study's analysis: from the stored runs (`MergeMixStudyRuns`) to one verdict per
 * claim — Spearman ρ between merged and trained models with a 95 % percentile bootstrap over
 * the grid's mixtures (claim 1), α* − baseline with Student's t interval over seeds shared by
 * every arm (claims 2, 3), an exact FLOP ratio (claim 4) — and the suite's own evidence: per
 * capability, the judge suite's split-half reliability over the study's models and how far
 * apart their scores are. Nothing is trained here and nothing is random (each bootstrap has its
 * own derived seed): the same runs give the same table, byte for byte.
 *
 * Verdicts (regression/verdicts.ts): "holds" when the whole interval is on the claim's side,
 * "does not hold at this scale" when it is wholly on the other side, "inconclusive" when it
 * straddles, "not yet run" when runs are missing.
 */
import { bootstrapInterval, meanSd, tInterval, type Interval } from "../../regression/intervals.js";
import {
  armOutliers, familyCells, familySensitivity, formatCeiling, formatOutliers, formatSensitivity, holmFamily, judgeAgainstCeiling, noiseCeiling, sensitivityOf, tMember,
} from "../../regression/inference/index.js";
import { spearman } from "../../regression/metrics.js";
import { formatInterval, verdictAbove, type ClaimRow } from "../../regression/verdicts.js";
import { deriveSeed } from "../../util/rng.js";
import { rankConsistency, rankShifts, splitHalfReliabilityOf, type ConsistencyPoint, type ConsistencyRow, type RankShift } from "../../mergemix/consistency.js";
import type { CostRow } from "../../mergemix/cost.js";
import type { SearchView } from "../../mergemix/figures.js";
import { alternativeThresholdsOf, ARM_LABELS, EXPERT_KIND_LABELS, EXPERT_KINDS, mergemixArm, SCALE_BASELINES, BASELINE_ARMS, type BaselineArm, type ExpertKind, type FinalArm, type GridFamily, type MergeMixStudyConfig } from "./config.js";
import { studyArms } from "./plan.js";
import { bestTrained, searchObjective, type FinalRun, type JudgedModel } from "./run.js";
import type { MergeMixStudyRuns } from "./runs.js";

type MeanSd = { mean: number; sd: number };

/** Merged vs trained over the grid, for one expert kind. */
export interface ConsistencySummary {
  kind: ExpertKind;
  /** the mixtures both grids have, in grid order (metric rows: judge scores and `valNats`) */
  points: (ConsistencyPoint & { family: GridFamily })[];
  /** ρ of every metric (capabilities, utility, the utility under the other metrics, valNats) */
  table: ConsistencyRow[];
  /** ρ with its bootstrap interval over mixtures: judge utility, mean validation nats */
  utility: Interval;
  valNats: Interval;
  perFamily: { family: GridFamily; n: number; utility: Interval; valNats: Interval }[];
  /** the mixtures whose utility ranks moved most */
  shifts: RankShift[];
}

/** One population's split-half reliability and spread on one metric. */
export interface SuiteEvidenceRow {
  population: string;
  metric: string;
  models: number;
  /** Spearman–Brown split-half reliability (NaN where the halves are not stored) */
  reliability: number;
  /** max − min of the chance-normalised score over the population, in points (× 100) */
  spread: number;
}

export interface ArmSummary {
  arm: FinalArm;
  label: string;
  mixture: Record<string, number>;
  seeds: number;
  /** judge-suite utility and mean validation nats/byte over domains */
  utility: MeanSd;
  loss: MeanSd;
  /** per seed (FinalsSummary.seeds' order) */
  utilityBySeed: number[];
  lossBySeed: number[];
  capabilities: Record<string, MeanSd>;
  /** FLOPs spent finding the mixture: MergeMix's search, the trained grid, 0 for uniform and prior (null: not yet known) */
  searchFlops: number | null;
  /** the best trained arm's grid mixture */
  chosen: string | null;
}

export interface FinalsSummary {
  recipe: string;
  seeds: number[];
  arms: ArmSummary[];
  /** α* − baseline, paired by seed: judge utility (higher is better) and loss (lower is better) */
  differences: { kind: ExpertKind; baseline: BaselineArm; utility: Interval; loss: Interval; utilityBySeed: number[]; lossBySeed: number[] }[];
}

export interface CostSummary {
  kind: ExpertKind;
  mergeMix: CostRow[];
  grid: CostRow[];
  fraction: number;
}

export interface MergeMixStudyAnalysis {
  domains: string[];
  /** planned grid mixtures */
  gridSize: number;
  consistency: ConsistencySummary[];
  suite: SuiteEvidenceRow[];
  search: { kind: ExpertKind; groups: string[]; alphaStar: number[]; mixture: Record<string, number>; predicted: number; verified: number; bestSeed: number; surrogateCv: number | null; /** what the search's ternary refits its surrogate from (null: fewer than 3 experts or 2 seed merges) */ surrogate: { view: SearchView; capability: string | null } | null }[];
  best: { mixture: number; label: string; objective: number; trained: number } | null;
  finals: FinalsSummary | null;
  scale: FinalsSummary | null;
  cost: CostSummary[];
  rows: ClaimRow[];
}

/** an interval of a fixed number (a deterministic quantity such as a FLOP ratio) */
const exact = (value: number): Interval => ({ value, lo: value, hi: value, n: 1 });
const total = (rows: readonly CostRow[]) => rows[rows.length - 1].flops;
const sci = (x: number) => x.toExponential(2);
const letters = "abcdefghijklmnopqrstuvwxyz";

/** Spearman of (a[i], b[i]) over the resampled indices. */
function spearmanAt(a: readonly number[], b: readonly number[]) {
  return (idx: Int32Array) => spearman(Array.from(idx, (i) => a[i]), Array.from(idx, (i) => b[i]));
}

const row = (j: JudgedModel): Record<string, number> => ({ ...j.scores, valNats: j.valNats });

function consistencyAnalysis(config: MergeMixStudyConfig, s: MergeMixStudyRuns, bseed: (label: string) => number): ConsistencySummary[] {
  const B = config.bootstrap.resamples;
  return EXPERT_KINDS.flatMap((kind) => {
    const merged = s.merged.get(kind);
    if (!merged) return [];
    const points = merged.points.filter((p) => s.trained.has(p.mixture)).map((p) => {
      const t = s.trained.get(p.mixture)!;
      return { label: p.label, alpha: t.alpha, family: p.family, merged: row(p.judge), trained: row(t.judge) };
    });
    if (points.length < 3) return [];
    const capabilities = merged.points[0].judge.capabilities;
    // the utility under the other metrics too: they show whether a low ρ comes from accuracy's coarseness
    const others = (["acc", "acc_norm", "prob"] as const).filter((m) => m !== config.suite.metric).map((m) => `utility_${m}`)
      .filter((m) => points.every((p) => m in p.merged && m in p.trained));
    const rho = (ps: typeof points, metric: string, label: string) =>
      bootstrapInterval(ps.length, spearmanAt(ps.map((p) => p.merged[metric]), ps.map((p) => p.trained[metric])), { resamples: B, seed: bseed(label) });
    const perFamily = (["two", "multi"] as const).flatMap((family) => {
      const ps = points.filter((p) => p.family === family);
      return ps.length >= 3 ? [{ family, n: ps.length, utility: rho(ps, "utility", `claim1/${kind}/${family}/utility`), valNats: rho(ps, "valNats", `claim1/${kind}/${family}/valNats`) }] : [];
    });
    return [{
      kind, points, table: rankConsistency(points, [...capabilities, "utility", ...others, "valNats"]),
      utility: rho(points, "utility", `claim1/${kind}/utility`), valNats: rho(points, "valNats", `claim1/${kind}/valNats`),
      perFamily, shifts: rankShifts(points, "utility"),
    }];
  });
}

function suiteEvidence(s: MergeMixStudyRuns, arms: ReturnType<typeof studyArms>): SuiteEvidenceRow[] {
  const out: SuiteEvidenceRow[] = [];
  const spread = (xs: readonly number[]) => 100 * (Math.max(...xs) - Math.min(...xs));
  const population = (name: string, models: readonly JudgedModel[]) => {
    if (models.length < 3) return;
    for (const metric of [...models[0].capabilities, "utility"]) {
      const rows = models.map((m) => m.scores);
      out.push({ population: name, metric, models: rows.length, reliability: splitHalfReliabilityOf(rows, metric), spread: spread(rows.map((r) => r[metric])) });
    }
  };
  population("trained grid models", [...s.trained.values()].sort((a, b) => a.mixture - b.mixture).map((t) => t.judge));
  for (const kind of EXPERT_KINDS) {
    const m = s.merged.get(kind);
    if (m) population(`merged grid models (${EXPERT_KIND_LABELS[kind]})`, m.points.map((p) => p.judge));
  }
  // the finals store no halves: their spread only
  for (const [name, runs, planned] of [["final models, proxy scale", s.finals, arms.finals], ["final models, larger scale", s.scale, arms.scale]] as const) {
    const finals = planned.flatMap((a) => [...(runs.get(a)?.entries() ?? [])].sort((x, y) => x[0] - y[0]).map(([, r]) => r.final));
    if (finals.length < 3) continue;
    for (const metric of [...Object.keys(finals[0].suite.capabilities), "utility"]) {
      const xs = finals.map((f) => (metric === "utility" ? f.suite.utility : f.suite.capabilities[metric]));
      out.push({ population: name, metric, models: xs.length, reliability: Number.NaN, spread: spread(xs) });
    }
  }
  return out;
}

/** Repeats present in every map (sorted). */
function common(maps: readonly (Map<number, unknown> | undefined)[]): number[] {
  const [first, ...rest] = maps;
  if (!first) return [];
  return [...first.keys()].filter((k) => rest.every((m) => m?.has(k))).sort((a, b) => a - b);
}

function finalsAnalysis(s: MergeMixStudyRuns, runs: Map<FinalArm, Map<number, FinalRun>>, arms: readonly FinalArm[], recipe: MergeMixStudyConfig["finals"]["recipe"]): FinalsSummary | null {
  const seeds = common(arms.map((a) => runs.get(a)));
  if (seeds.length < 2) return null;
  const of = (a: FinalArm) => seeds.map((k) => runs.get(a)!.get(k)!);
  const kinds = EXPERT_KINDS.filter((k) => arms.includes(mergemixArm(k)));
  const searchFlops = (arm: FinalArm): number | null => {
    if (arm === "uniform" || arm === "prior") return 0;
    const kind = EXPERT_KINDS.find((k) => mergemixArm(k) === arm);
    const search = kind ? s.searches.get(kind) : s.searches.values().next().value;
    if (!search) return null;
    return total(kind ? search.cost.mergeMix : search.cost.grid);
  };
  const summaries: ArmSummary[] = arms.map((arm) => {
    const rs = of(arm);
    const caps = Object.keys(rs[0].final.suite.capabilities);
    return {
      arm, label: ARM_LABELS[arm], mixture: rs[0].mixture, seeds: rs.length,
      utility: meanSd(rs.map((r) => r.final.suite.utility)), loss: meanSd(rs.map((r) => r.final.average)),
      utilityBySeed: rs.map((r) => r.final.suite.utility), lossBySeed: rs.map((r) => r.final.average),
      capabilities: Object.fromEntries(caps.map((c) => [c, meanSd(rs.map((r) => r.final.suite.capabilities[c]))])),
      searchFlops: searchFlops(arm), chosen: rs[0].chosen?.label ?? null,
    };
  });
  const baselines = BASELINE_ARMS.filter((b) => arms.includes(b));
  const differences = kinds.flatMap((kind) => baselines.map((baseline) => {
    const a = of(mergemixArm(kind)), b = of(baseline);
    const utilityBySeed = a.map((x, k) => x.final.suite.utility - b[k].final.suite.utility), lossBySeed = a.map((x, k) => x.final.average - b[k].final.average);
    return { kind, baseline, utility: tInterval(utilityBySeed), loss: tInterval(lossBySeed), utilityBySeed, lossBySeed };
  }));
  return { recipe: `${recipe.preset}, ${recipe.steps} × ${recipe.batchSize} × ${recipe.seqLen}`, seeds, arms: summaries, differences };
}

/**
 * Everything the verdict table needs, from the runs there are. `seed`: the experiment's
 * resolved seed (the bootstraps' seeds derive from it).
 *
 * @example
 * const a = analyseMergeMixStudy(config, studyRuns(runs, total), corpus.domains, 16);
 * a.rows.map((r) => r.verdict);
 */
export function analyseMergeMixStudy(config: MergeMixStudyConfig, s: MergeMixStudyRuns, domains: readonly string[], seed: number): MergeMixStudyAnalysis {
  const bseed = (label: string) => deriveSeed(seed, `mergemix-study/bootstrap/${label}`);
  const arms = studyArms(config);
  const gridSize = config.grid.twoDomain.alphas.length + config.grid.multiDomain.mixtures;
  const trained = [...s.trained.values()];
  const best = trained.length === gridSize ? bestTrained(config, trained) : null;
  const a: Omit<MergeMixStudyAnalysis, "rows"> = {
    domains: [...domains],
    gridSize,
    consistency: consistencyAnalysis(config, s, bseed),
    suite: suiteEvidence(s, arms),
    search: EXPERT_KINDS.flatMap((kind) => {
      const r = s.searches.get(kind);
      if (!r) return [];
      const objective = (x: Record<string, number>) => searchObjective(config, x);
      return [{ kind, groups: Object.keys(r.groups), alphaStar: r.alphaStar, mixture: r.mixture, predicted: objective(r.predicted), verified: objective(r.verified.scores), bestSeed: objective(r.bestSeed.scores), surrogateCv: r.surrogateCv.utility ?? null,
        // a surface needs ≥ 3 experts to plot and ≥ 2 seed merges to fit; it is fitted only when drawn (studyFigures), not for the verdicts
        surrogate: Object.keys(r.groups).length >= 3 && r.seeds.length >= 2 ? { view: { groups: Object.keys(r.groups), alphaStar: r.alphaStar, seeds: r.seeds, capabilities: r.capabilities, gbdt: config.search.gbdt }, capability: config.search.capability ?? null } : null }];
    }),
    best: best ? { mixture: best.mixture, label: best.label, objective: searchObjective(config, best.choose), trained: trained.length } : null,
    finals: finalsAnalysis(s, s.finals, arms.finals, config.finals.recipe),
    scale: finalsAnalysis(s, s.scale, arms.scale, config.scale.recipe),
    cost: EXPERT_KINDS.flatMap((kind) => {
      const r = s.searches.get(kind);
      return r ? [{ kind, mergeMix: r.cost.mergeMix, grid: r.cost.grid, fraction: total(r.cost.mergeMix) / total(r.cost.grid) }] : [];
    }),
  };
  return { ...a, rows: claimRows(config, a) };
}

function claimRows(config: MergeMixStudyConfig, a: Omit<MergeMixStudyAnalysis, "rows">): ClaimRow[] {
  const none = (claim: string, measure: string): ClaimRow => ({ claim, measure, value: "—", verdict: "not yet run", estimate: null });
  const rows: ClaimRow[] = [];
  const g = config.grid;
  const [ga, gb] = g.twoDomain.groups;
  const k = Object.keys(config.groups).length;
  const judgeSuite = `the judge suite (seed ${config.suite.judge}, ${config.suite.metric}, ${config.suite.sizes.items} items per task)`;
  const kindNote = (kind: ExpertKind) => `${EXPERT_KIND_LABELS[kind]}${kind === "domain" ? ", the paper's" : ""}`;

  // 1. rank consistency, per expert kind × (utility, validation loss)
  let n1 = 0;
  for (const kind of EXPERT_KINDS) {
    for (const metric of ["utility", "valNats"] as const) {
      const what = metric === "utility" ? "judge-suite utility" : "validation loss";
      const claim = `1${letters[n1++]}. Merged models rank mixtures as trained models do (${kindNote(kind)}): ${what}`;
      const measure = `Spearman ρ between the merged and the trained model's ${metric === "utility" ? `utility on ${judgeSuite}` : "mean validation nats/byte over every domain"} over the ${a.gridSize} grid mixtures (${g.twoDomain.alphas.length} α on ${ga}/${gb}, ${g.multiDomain.mixtures} Dirichlet(${g.multiDomain.concentration}) draws over the ${k} groups; trained: continued from the base with the expert recipe); 95 % bootstrap over mixtures (${config.bootstrap.resamples} resamples); holds if the lower end ≥ ${config.spearman} (paper: ρ > 0.9)`;
      const c = a.consistency.find((x) => x.kind === kind);
      if (!c) { rows.push(none(claim, measure)); continue; }
      const iv = c[metric];
      // the judge suite's item sampling is measured (split-half reliability of both populations); the trained side's seed noise is not (one seed per grid mixture)
      const rel = (population: string) => { const x = a.suite.find((r) => r.population === population && r.metric === "utility")?.reliability; return x !== undefined && Number.isFinite(x) ? x : null; };
      const relM = rel(`merged grid models (${EXPERT_KIND_LABELS[kind]})`), relT = rel("trained grid models");
      const ceiling = metric === "utility" && relM !== null && relT !== null
        ? `judge-suite item reliability (split-half, Spearman–Brown): merged ${relM.toFixed(3)}, trained ${relT.toFixed(3)}: ${formatCeiling(judgeAgainstCeiling(iv, noiseCeiling(relM, relT), config.spearman))}; the trained grid's seed noise is not measured (one seed per mixture), so the true ceiling is lower still`
        : "not measured: the validation loss has no stored halves here and the trained grid has one seed per mixture";
      rows.push({
        claim, measure, value: `${formatInterval(iv)} (${iv.n} of ${a.gridSize} mixtures)`, verdict: verdictAbove(iv, config.spearman), estimate: iv,
        correction: "none: one comparison; percentile bootstrap over mixtures, 95 %", ceiling,
        sensitivity: formatSensitivity(sensitivityOf(iv, alternativeThresholdsOf(config).spearman, "above"), "≥"),
      });
    }
  }

  // 2–3. α* against the baselines, per searched kind × (utility, loss)
  const finalsRows = (n: number, f: FinalsSummary | null, block: MergeMixStudyConfig["finals"], baselines: readonly BaselineArm[], scale: boolean) => {
    let j = 0;
    const r = block.recipe;
    for (const kind of EXPERT_KINDS.filter((x) => config.search.experts.includes(x))) {
      for (const metric of ["utility", "loss"] as const) {
        const what = metric === "utility" ? "judge-suite utility" : "validation loss";
        const vsBest = baselines.includes("best-trained");
        const claim = scale
          ? `${n}${letters[j++]}. α* found with small experts (${EXPERT_KIND_LABELS[kind]}) transfers to a larger model: ${what}`
          : `${n}${letters[j++]}. α* (${EXPERT_KIND_LABELS[kind]}) beats uniform and the token prior and matches the best trained grid mixture: ${what}`;
        const side = metric === "utility"
          ? `holds if > 0 vs ${vsBest ? "uniform and prior and > −" + config.margins.utility + " vs the best trained grid mixture" : "uniform and prior"}`
          : `holds if < 0 vs ${vsBest ? "uniform and prior and < +" + config.margins.loss + " nats vs the best trained grid mixture" : "uniform and prior"}`;
        const measure = `${r.preset} models (${r.steps} × ${r.batchSize} × ${r.seqLen}) trained from scratch, ${block.seeds} seeds shared by every arm: α* − baseline ${metric === "utility" ? `utility on ${judgeSuite}` : "mean validation nats/byte over domains"}, paired by seed (t interval); ${side}${vsBest ? ` (the best of the ${a.gridSize} trained grid mixtures by choose-suite utility, seed ${config.suite.choose}: exhaustive tuning)` : ""}`;
        const d = f?.differences.filter((x) => x.kind === kind && baselines.includes(x.baseline)) ?? [];
        if (d.length < baselines.length) { rows.push(none(claim, measure)); continue; }
        // one family per row: every baseline, each against its own bar; `margin` varies the best-trained bar (sensitivity)
        const members = (margin: number) => d.map((x) => tMember(`vs ${ARM_LABELS[x.baseline]}`, metric === "utility" ? x.utilityBySeed : x.lossBySeed, {
          threshold: x.baseline === "best-trained" ? (metric === "utility" ? -margin : margin) : 0, side: metric === "utility" ? "above" : "below",
        }));
        const own = metric === "utility" ? config.margins.utility : config.margins.loss;
        const cells = familyCells(holmFamily(members(own), { claim: "all" }), 4);
        const seeds = f!.seeds;
        const outliers = armOutliers(Object.fromEntries(f!.arms.filter((x) => x.arm === mergemixArm(kind) || (baselines as readonly string[]).includes(x.arm)).map((x) => [x.label, metric === "utility" ? x.utilityBySeed : x.lossBySeed])));
        const alt = metric === "utility" ? alternativeThresholdsOf(config).utilityMargin : alternativeThresholdsOf(config).lossMargin;
        const ivs = d.map((x) => (metric === "utility" ? x.utility : x.loss));
        const worst = ivs.reduce((m, x) => ((metric === "utility" ? x.value < m.value : x.value > m.value) ? x : m));
        const flops = (arm: FinalArm) => f!.arms.find((x) => x.arm === arm)?.searchFlops;
        const cost = vsBest ? `; search FLOPs: α* ${sci(flops(mergemixArm(kind)) ?? Number.NaN)}, best trained ${sci(flops("best-trained") ?? Number.NaN)}, uniform and prior 0` : "";
        rows.push({
          claim, measure, ...cells, value: cells.value + cost, estimate: worst,
          sensitivity: vsBest ? familySensitivity(members, "all", alt, "margin vs best trained", 3) : familySensitivity(() => members(own), "all", [0], metric === "utility" ? ">" : "<"),
          outliers: `${metric === "utility" ? "utility" : "nats/byte"} per seed: ${formatOutliers(outliers, (arm, i) => `${arm} seed ${seeds[i]}`, 3)}`,
        });
      }
    }
  };
  finalsRows(2, a.finals, config.finals, BASELINE_ARMS, false);
  finalsRows(3, a.scale, config.scale, SCALE_BASELINES, true);

  // 4. cost
  let n4 = 0;
  for (const kind of EXPERT_KINDS.filter((x) => config.search.experts.includes(x))) {
    const experts = kind === "domain" ? "one expert per domain" : `${k} group experts`;
    const claim = `4${letters[n4++]}. MergeMix's search costs a fraction of training the grid it replaces (${EXPERT_KIND_LABELS[kind]})`;
    const measure = `FLOPs of the base + ${experts} + ${config.search.seeds.count + 1} choose-suite evaluations of merges ÷ FLOPs of the base + the ${a.gridSize} grid models (the expert recipe each) + one choose-suite evaluation each (exact); holds if < 1`;
    const c = a.cost.find((x) => x.kind === kind);
    rows.push(c
      ? { claim, measure, value: `${c.fraction.toPrecision(3)} (${sci(total(c.mergeMix))} ÷ ${sci(total(c.grid))})`, verdict: c.fraction < 1 ? "holds" : "does not hold at this scale", estimate: exact(c.fraction) }
      : none(claim, measure));
  }
  return rows;
}
