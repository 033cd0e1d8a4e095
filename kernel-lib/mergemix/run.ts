/**
 * MergeMix steps 1–8 end to end, in the paper's order (step 1, the base, is trained here): base → experts → N seed merges evaluated on the
 * suite → one GBDT per capability → simplex search → verify α* by merging → (optionally) the
 * rank-consistency study and the final comparison of models trained on α*, uniform and the
 * token prior → cost accounting. One engine is created and reused for every model.
 */
import type { Corpus } from "../data/corpus.js";
import { openCorpusRef } from "../data/corpus-ref.js";
import { Mixture } from "../data/mixture.js";
import { tokenPrior } from "../data/prior.js";
import { validationSets, type ValidationSet } from "../data/validation.js";
import { buildSuite, describeSuite, type Suite, type TaskSummary } from "../eval/suite/build.js";
import type { CostRow } from "./cost.js";
import { createEngine } from "../model/backend.js";
import type { GptConfig } from "../model/config.js";
import { recipeModelConfig } from "../train/recipe.js";
import type { GptEngine } from "../model/engine.js";
import type { SuiteMetric } from "../eval/suite/types.js";
import type { GptModel } from "../model/params.js";
import { createRng, deriveSeed } from "../util/rng.js";
import { mergeMixRecipes, type MergeMixConfig, type MergeMixSettings } from "./config.js";
import { rankConsistency, rankShifts, splitHalfReliability, type ConsistencyPoint, type ConsistencyRow, type RankShift } from "./consistency.js";
import { mergeMixCost, mixtureTrainingCost, suiteTokens } from "./cost.js";
import { evaluateMerge, evaluateModel, scoreRow, suiteCapabilities, type ModelEvaluation, type ScoreRow } from "./evaluate.js";
import { trainExperts } from "./experts.js";
import { trainAndScore } from "../train/train-and-score.js";
import { alphaToMixture, resolveGroups } from "./groups.js";
import { searchSimplex } from "./search.js";
import { seedAlphas } from "./seeds.js";
import { fitSurrogates, surrogateCrossValidation } from "./surrogate.js";

/** One evaluated merge. */
export interface EvaluatedAlpha {
  alpha: number[];
  scores: ScoreRow;
  /** mean validation nats over all domains */
  valNats: number;
}

/** The rank-consistency results of one study. */
export interface ConsistencyStudy {
  points: ConsistencyPoint[];
  table: ConsistencyRow[];
  /** the mixtures whose ranks moved most, on the utility */
  shifts: RankShift[];
  /** split-half reliability (Spearman–Brown) of the utility's ranking, per side */
  reliability: { merged: number; trained: number };
}

export interface MergeMixResult {
  config: MergeMixConfig;
  corpusDir: string;
  engine: string;
  groups: Record<string, string[]>;
  capabilities: string[];
  suite: TaskSummary[];
  base: { tokens: number; valNats: number; scores: ScoreRow };
  experts: { group: string; tokens: number; valNats: number; scores: ScoreRow }[];
  seeds: EvaluatedAlpha[];
  /** cross-validated Spearman of the GBDT surrogates (per capability and utility) */
  surrogateCv: Record<string, number>;
  search: {
    alphaStar: number[];
    predicted: ScoreRow;
    /** α* merged and evaluated */
    verified: EvaluatedAlpha;
    /** the best seed as observed (what the search has to beat) */
    bestSeed: EvaluatedAlpha;
    /** α* as a data mixture over domains */
    mixture: Record<string, number>;
    evaluations: number;
  };
  consistency: { twoDomain: ConsistencyStudy | null; multiDomain: ConsistencyStudy | null };
  /** the baselines α*'s mixture is shown beside (models trained on each: a `compare` experiment) */
  baselines: { uniform: Record<string, number>; prior: Record<string, number> };
  cost: { mergeMix: CostRow[]; trainedMixtures: CostRow[] };
  /** seconds per phase */
  timings: Record<string, number>;
}

/** Options that are not part of the experiment's identity. */
export interface RunHooks {
  /** a loaded corpus (else `config.corpus` is loaded) */
  corpus?: Corpus;
  /** progress lines */
  log?: (line: string) => void;
}

const arr = (a: ArrayLike<number>): number[] => Array.from(a);
const meanNats = (ev: ModelEvaluation, domains?: readonly string[]): number => {
  const ds = Object.values(ev.validation.domains).filter((d) => !domains || domains.includes(d.domain));
  return ds.reduce((a, d) => a + d.nats, 0) / ds.length;
};

/** What the search runs on: the experts to merge, the suite that scores a merge and its capabilities. */
export interface MergeSearchInputs {
  engine: GptEngine;
  experts: readonly GptModel[];
  suite: Suite;
  metric: SuiteMetric;
  /** validation windows (each merge's mean nats over them is recorded beside its scores) */
  sets: readonly ValidationSet[];
  /** the capabilities the surrogates model (one GBDT each) */
  capabilities: readonly string[];
}

/** The search's outcome (steps 5–7). */
export interface MergeSearchResult {
  seeds: EvaluatedAlpha[];
  /** cross-validated Spearman of the GBDT surrogates (empty when `cvFolds` ≤ 1) */
  surrogateCv: Record<string, number>;
  alphaStar: number[];
  /** the surrogates' prediction at α* */
  predicted: ScoreRow;
  /** α* merged and evaluated */
  verified: EvaluatedAlpha;
  /** the best seed as observed */
  bestSeed: EvaluatedAlpha;
  /** surrogate evaluations the simplex search spent */
  evaluations: number;
}

/**
 * Merge the experts at α and evaluate the merge: its scores and mean validation nats.
 *
 * @example
 * const e = await evaluateAlpha(engine, experts, [0.5, 0.5], suite, "acc_norm", sets);
 */
export async function evaluateAlpha(engine: GptEngine, experts: readonly GptModel[], alpha: ArrayLike<number>, suite: Suite, metric: SuiteMetric, sets: readonly ValidationSet[]): Promise<EvaluatedAlpha> {
  const ev = await evaluateMerge(engine, experts, alpha, suite, metric, sets);
  return { alpha: arr(alpha), scores: scoreRow(ev), valNats: meanNats(ev) };
}

/**
 * MergeMix's search on given experts, in the paper's order: N seed α (`seedAlphas`) merged and
 * scored on the suite → one GBDT per capability (`fitSurrogates`) → simplex search of the
 * predicted utility (`searchSimplex`) → α* merged and scored. Seeds derive from `seed`
 * ("seed-alphas", "search"), so `runMergeMix` with `config.seed = seed` finds the same α*.
 *
 * @example
 * const s = await searchMergeWeights({ engine, experts, suite, metric: "acc_norm", sets, capabilities }, config.search, 1);
 * s.alphaStar; s.verified.scores.utility;
 */
export async function searchMergeWeights(inputs: MergeSearchInputs, search: MergeMixSettings["search"], seed: number, log: (line: string) => void = () => {}): Promise<MergeSearchResult> {
  const { engine, experts, suite, metric, sets, capabilities } = inputs;
  const k = experts.length;
  const seedList = seedAlphas(k, createRng(deriveSeed(seed, "seed-alphas")), search.seeds);
  const seeds: EvaluatedAlpha[] = [];
  for (const a of seedList) seeds.push(await evaluateAlpha(engine, experts, a, suite, metric, sets));
  log(`seeds: ${seeds.length} merges evaluated; utility range ${Math.min(...seeds.map((s) => s.scores.utility)).toFixed(3)}…${Math.max(...seeds.map((s) => s.scores.utility)).toFixed(3)}`);
  const capRows = seeds.map((s) => Object.fromEntries(capabilities.map((c) => [c, s.scores[c]])));
  const surrogates = fitSurrogates(seeds.map((s) => s.alpha), capRows, search.gbdt);
  const surrogateCv = search.cvFolds > 1 ? surrogateCrossValidation(seeds.map((s) => s.alpha), capRows, search.cvFolds, search.gbdt) : {};
  const found = searchSimplex((a) => surrogates.utility(a, search.capability), k, createRng(deriveSeed(seed, "search")), search.options);
  const predicted: ScoreRow = { ...surrogates.predict(found.alpha), utility: surrogates.utility(found.alpha) };
  const verified = await evaluateAlpha(engine, experts, found.alpha, suite, metric, sets);
  const objective = (s: EvaluatedAlpha): number => (search.capability ? s.scores[search.capability] : s.scores.utility);
  const bestSeed = seeds.reduce((b, s) => (objective(s) > objective(b) ? s : b), seeds[0]);
  log(`α* = [${arr(found.alpha).map((x) => x.toFixed(3)).join(", ")}] predicted ${objective({ ...verified, scores: predicted }).toFixed(3)}, verified ${objective(verified).toFixed(3)} (best seed ${objective(bestSeed).toFixed(3)})`);
  return { seeds, surrogateCv, alphaStar: arr(found.alpha), predicted, verified, bestSeed, evaluations: found.evaluations };
}

/**
 * Run MergeMix (and its rank-consistency study) from a config.
 *
 * @example
 * const r = await runMergeMix(QUICK_MERGEMIX, { log: console.log });
 * r.search.alphaStar; r.consistency.multiDomain?.table;
 */
export async function runMergeMix(config: MergeMixConfig, hooks: RunHooks = {}): Promise<MergeMixResult> {
    const log = hooks.log ?? (() => {});
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string): void => {
    const t = performance.now();
    timings[name] = (t - t0) / 1000;
    t0 = t;
  };

  const corpus = hooks.corpus ?? openCorpusRef(config.corpus);
  const groups = resolveGroups(corpus.domains, config.groups);
  const groupNames = Object.keys(groups);
  const k = groupNames.length;
  const recipes = mergeMixRecipes(config);
  const modelConfig: GptConfig = recipeModelConfig(recipes.base);
  const { engine, info } = await createEngine(modelConfig, config.backend);
  try {
    // the "choose" part of the test split: the comparison judges α* on the other part
    const suite: Suite = buildSuite(corpus, {
      seed: config.suite.seed, role: "choose", defaults: config.suite.sizes, capabilities: config.suite.capabilities, taskOverrides: config.suite.taskOverrides,
    });
    const sets: ValidationSet[] = validationSets(corpus, { seqLen: config.seqLen, windowsPerDomain: config.validationWindows });
    const metric = config.suite.metric;
    const evalModel = (m: GptModel): Promise<ModelEvaluation> => evaluateModel(engine, m, suite, metric, sets);
    const capabilities = suiteCapabilities(suite);
    log(`mergemix: ${corpus.domains.length} domains, ${k} groups (${groupNames.join(", ")}), suite ${suite.tasks.length} tasks / ${suite.tasks.reduce((a, t) => a + t.items.length, 0)} items, engine ${info.engine}`);
    lap("setup");

    // 1. base and experts
    const baseMixture = config.base.mixture === "uniform" ? Mixture.uniform(corpus.domains) : tokenPrior(corpus);
    const base = await trainAndScore(corpus, baseMixture, recipes.base, deriveSeed(config.seed, "base"), { engine, eval: { sets } });
    const baseEval = await evalModel(base.model);
    log(`base: ${base.tokens} tokens in ${base.seconds.toFixed(1)} s, val ${baseEval.validation.meanNats.toFixed(3)} nats, utility ${baseEval.suite.utility.toFixed(3)}`);
    lap("base");
    const experts = await trainExperts(corpus, base.model, groups, recipes.expert, config.seed, engine, sets);
    const expertModels = experts.map((e) => e.model);
    const expertEvals: ModelEvaluation[] = [];
    for (const e of experts) {
      const ev = await evalModel(e.model);
      expertEvals.push(ev);
      log(`expert ${e.group}: val ${ev.validation.meanNats.toFixed(3)} nats, utility ${ev.suite.utility.toFixed(3)}`);
    }
    lap("experts");

    // 2–4. seed merges → surrogates → simplex search → α* verified by merging
    const found = await searchMergeWeights({ engine, experts: expertModels, suite, metric, sets, capabilities }, config.search, config.seed, log);
    const seeds = found.seeds;
    const mixtureStar = alphaToMixture(corpus, groups, found.alphaStar).toRecord();
    lap("search");

    // rank consistency
    // headline capability scores and utility, then the utility under the other metrics and the
    // validation loss: they show whether a low ρ comes from accuracy's coarseness
    const others = (["acc", "acc_norm", "prob"] as const).filter((m) => m !== metric).map((m) => `utility_${m}`);
    const metrics = [...capabilities, "utility", ...others, "valNats"];
    const study = async (label: string, alphas: number[][], models: readonly GptModel[], names: string[]): Promise<ConsistencyStudy> => {
      const points: ConsistencyPoint[] = [];
      const domains = names.flatMap((g) => groups[g]);
      for (let i = 0; i < alphas.length; i++) {
        const a = alphas[i];
        const mergedEv = await evaluateMerge(engine, models, a, suite, metric, sets);
        const sub: Record<string, string[]> = Object.fromEntries(names.map((g) => [g, groups[g]]));
        const mixture = alphaToMixture(corpus, sub, a);
        const trained = await trainAndScore(corpus, mixture, recipes.expert, deriveSeed(config.seed, `${label}:${i}`), { from: base.model, engine, eval: { sets } });
        const trainedEv = await evalModel(trained.model);
        points.push({
          label: `${label}[${a.map((x) => x.toFixed(2)).join(",")}]`,
          alpha: a,
          merged: { ...scoreRow(mergedEv), valNats: meanNats(mergedEv, domains) },
          trained: { ...scoreRow(trainedEv), valNats: meanNats(trainedEv, domains) },
        });
        log(`${label} ${i + 1}/${alphas.length}: merged utility ${points[i].merged.utility.toFixed(3)}, trained ${points[i].trained.utility.toFixed(3)}`);
      }
      return {
        points, table: rankConsistency(points, metrics), shifts: rankShifts(points, "utility"),
        reliability: { merged: splitHalfReliability(points, "merged"), trained: splitHalfReliability(points, "trained") },
      };
    };
    let twoDomain: ConsistencyStudy | null = null;
    if (config.consistency.twoDomain) {
      const [ga, gb] = config.consistency.twoDomain.groups;
      const pair = [expertModels[groupNames.indexOf(ga)], expertModels[groupNames.indexOf(gb)]];
      twoDomain = await study("two", config.consistency.twoDomain.alphas.map((x) => [x, 1 - x]), pair, [ga, gb]);
    }
    lap("consistencyTwoDomain");
    let multiDomain: ConsistencyStudy | null = null;
    if (config.consistency.multiDomain) {
      const rng = createRng(deriveSeed(config.seed, "consistency-mixtures"));
      const conc = new Float64Array(k).fill(config.consistency.multiDomain.concentration);
      const alphas = Array.from({ length: config.consistency.multiDomain.mixtures }, () => arr(rng.dirichlet(conc)));
      multiDomain = await study("multi", alphas, expertModels, groupNames);
    }
    lap("consistencyMultiDomain");


    const perEval = suiteTokens(suite.tasks);
    const cost = {
      mergeMix: mergeMixCost({ config: modelConfig, seqLen: config.seqLen, baseTokens: base.tokens, expertTokens: experts[0].tokens, experts: k, evaluations: seeds.length + 1, tokensPerEvaluation: perEval }),
      // the direct way: as many mixtures as MergeMix has seeds, each trained from the same base
      trainedMixtures: mixtureTrainingCost(modelConfig, config.seqLen, seeds.length, experts[0].tokens, perEval, base.tokens),
    };

    return {
      config, corpusDir: corpus.dir, engine: info.engine, groups, capabilities, suite: describeSuite(suite),
      base: { tokens: base.tokens, valNats: baseEval.validation.meanNats, scores: scoreRow(baseEval) },
      experts: experts.map((e, i) => ({ group: e.group, tokens: e.tokens, valNats: expertEvals[i].validation.meanNats, scores: scoreRow(expertEvals[i]) })),
      seeds, surrogateCv: found.surrogateCv,
      search: { alphaStar: found.alphaStar, predicted: found.predicted, verified: found.verified, bestSeed: found.bestSeed, mixture: mixtureStar, evaluations: found.evaluations },
      consistency: { twoDomain, multiDomain }, cost, timings,
      baselines: { uniform: Mixture.uniform(corpus.domains).toRecord(), prior: tokenPrior(corpus).toRecord() },
    };
  } finally {
    disposeEngine(engine);
  }
}

function disposeEngine(engine: GptEngine): void {
  engine.dispose();
}
