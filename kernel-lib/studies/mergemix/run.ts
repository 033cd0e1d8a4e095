/**
 * How one task of the MergeMix study runs. Every stage calls MergeMix's own steps: the base and
 * the trained grid are `trainAndScore` calls (as `runMergeMix`'s), the experts `trainExperts`,
 * merges `mergeModels` scored by `evaluateModel`, the search `searchMergeWeights`, α's mixture
 * `alphaToMixture`, the cost `mergeMixCost` / `mixtureTrainingCost`; the final models are the
 * comparison's `trainFinalModel`. Models pass between tasks through the study's model files
 * (models.ts).
 */
import { trainFinalModel, type FinalModelResult } from "../../compare/final.js";
import type { Corpus } from "../../data/corpus.js";
import { Mixture } from "../../data/mixture.js";
import { tokenPrior } from "../../data/prior.js";
import { validationSets, type ValidationSet } from "../../data/validation.js";
import type { Suite } from "../../eval/suite/build.js";
import { evaluateSuite } from "../../eval/suite/evaluate.js";
import { modelScorer } from "../../eval/suite/model-scorer.js";
import { createEngine } from "../../model/backend.js";
import type { GptEngine } from "../../model/engine.js";
import { mergeModels } from "../../model/merge.js";
import type { GptModel } from "../../model/params.js";
import { configForCorpus } from "../../model/vocab.js";
import { recipeModelConfig } from "../../train/recipe.js";
import { trainAndScore, type TrainedModel } from "../../train/train-and-score.js";
import { MixlabError } from "../../util/errors.js";
import { mergeMixRecipes } from "../../mergemix/config.js";
import { mergeMixCost, mixtureTrainingCost, suiteTokens, type CostRow } from "../../mergemix/cost.js";
import { evaluateModel, scoreRow, suiteCapabilities, type ScoreRow } from "../../mergemix/evaluate.js";
import { trainExperts, type Expert } from "../../mergemix/experts.js";
import { alphaToMixture } from "../../mergemix/groups.js";
import { searchMergeWeights, type EvaluatedAlpha } from "../../mergemix/run.js";
import { EXPERT_KINDS, finalsConfig, mergemixArm, type ExpertKind, type FinalArm, type GridFamily, type MergeMixStudyConfig, type MergeMixStudyTask } from "./config.js";
import { loadStudyModel, modelSha256, saveStudyModel, type ModelRef } from "./models.js";
import { studyGrid, studyGroups, studySeeds } from "./plan.js";
import { studySuites, suiteHalves } from "./suites.js";
import { describeEngineBuild, type EngineBuild } from "../../model/engine.js";

/** A model's judge-suite scores and validation loss (JSON). */
export type JudgedModel = {
  /**
   * capability → chance-normalised score under the suite's metric, "utility" (their mean), the
   * utility under each metric (`utility_acc`, …), and per half of the items `${c}_half0`,
   * `${c}_half1`, `utility_half0`, `utility_half1`
   */
  scores: ScoreRow;
  capabilities: string[];
  /** domain → validation nats/byte */
  validation: Record<string, number>;
  /** mean over domains */
  valNats: number;
};

/** What a trained model's run records of its training (JSON). */
type Training = { tokens: number; flops: number; seconds: number; engine: string };

export type BaseRun = Training & { mixture: Record<string, number>; validation: Record<string, number>; valNats: number; model: ModelRef };
export type ExpertRun = Training & { kind: ExpertKind; expert: string; domains: string[]; validation: Record<string, number>; valNats: number; model: ModelRef };
/** One grid mixture trained from the base with the expert recipe. */
export type TrainedRun = Training & {
  mixture: number; family: GridFamily; label: string;
  /** α over the groups */
  alpha: number[];
  /** the data mixture over domains */
  weights: Record<string, number>;
  judge: JudgedModel;
  /** choose-suite scores (what picks the best trained mixture) */
  choose: ScoreRow;
};
/** Every grid mixture merged from one kind's experts. */
export type MergedRun = {
  kind: ExpertKind; engine: string;
  points: { mixture: number; family: GridFamily; label: string; /** the merge weights over the kind's experts */ alpha: number[]; judge: JudgedModel }[];
};
/** MergeMix's search on one kind's experts. */
export type SearchRun = {
  kind: ExpertKind;
  groups: Record<string, string[]>;
  capabilities: string[];
  alphaStar: number[];
  /** α* as a data mixture */
  mixture: Record<string, number>;
  seeds: EvaluatedAlpha[];
  surrogateCv: Record<string, number>;
  predicted: ScoreRow;
  verified: EvaluatedAlpha;
  bestSeed: EvaluatedAlpha;
  evaluations: number;
  /** MergeMix's spend, and the trained grid's (base + every grid model + one choose-suite evaluation each) */
  cost: { mergeMix: CostRow[]; grid: CostRow[] };
};
/** A final model (proxy scale or larger). */
export type FinalRun = {
  arm: FinalArm; repeat: number;
  mixture: Record<string, number>;
  /** the best trained arm's grid mixture (null for other arms) */
  chosen: { mixture: number; label: string; objective: number } | null;
  final: FinalModelResult;
};

export type StudyResult = BaseRun | ExpertRun | TrainedRun | MergedRun | SearchRun | FinalRun;

/** A finished dependency as a task receives it. */
/** A finished task this one waits for; `madeBy`: the engine build that computed it (null: not recorded). */
export type StudyDependency = { task: MergeMixStudyTask; result: unknown; madeBy?: EngineBuild | null };

/** What the proxy-scale tasks share: one engine, the validation windows, both suites. */
interface Env {
  config: MergeMixStudyConfig;
  corpus: Corpus;
  seed: number;
  resultsDir: string;
  log: (line: string) => void;
  engine: GptEngine;
  /** the compiled build of `engine` (null for a tfjs engine) */
  build: EngineBuild | null;
  engineName: string;
  sets: ValidationSet[];
  suites: { choose: Suite; judge: Suite };
}

/**
 * The value the search maximises (and the best trained mixture is picked by): the utility, or
 * `search.capability`'s score.
 *
 * @example
 * searchObjective(config, trained.choose);
 */
export function searchObjective(config: Pick<MergeMixStudyConfig, "search">, row: ScoreRow): number {
  const c = config.search.capability;
  return c ? row[c] : row.utility;
}

/**
 * The trained grid mixture with the highest choose-suite objective (ties: the first).
 *
 * @example
 * bestTrained(config, trainedRuns).label;
 */
export function bestTrained(config: Pick<MergeMixStudyConfig, "search">, runs: readonly TrainedRun[]): TrainedRun {
  if (runs.length === 0) throw new MixlabError("EXPERIMENT_INCOMPLETE", "the best trained mixture needs the trained grid's runs");
  return [...runs].sort((a, b) => a.mixture - b.mixture).reduce((m, r) => (searchObjective(config, r.choose) > searchObjective(config, m.choose) ? r : m));
}

/**
 * Score a model on the judge suite — whole, and each half of its items per capability — and on
 * the validation windows.
 *
 * @example
 * const j = await judgeModel(engine, model, suites.judge, "acc_norm", sets);
 */
export async function judgeModel(engine: GptEngine, model: GptModel, suite: Suite, metric: MergeMixStudyConfig["suite"]["metric"], sets: readonly ValidationSet[]): Promise<JudgedModel> {
  const ev = await evaluateModel(engine, model, suite, metric, sets);
  const scores = scoreRow(ev);
  const halves = suiteHalves(suite);
  for (let h = 0; h < 2; h++) {
    const r = await evaluateSuite(halves[h], modelScorer(engine, model), metric);
    for (const c of r.capabilities) scores[`${c.capability}_half${h}`] = c.score;
  }
  const validation = Object.fromEntries(Object.values(ev.validation.domains).map((d) => [d.domain, d.nats]));
  return { scores, capabilities: ev.suite.capabilities.map((c) => c.capability), validation, valNats: ev.validation.meanNats };
}

const training = (t: Pick<TrainedModel, "tokens" | "flops" | "seconds" | "engine">): Training => ({ tokens: t.tokens, flops: t.flops, seconds: t.seconds, engine: t.engine });
const modelName = (kind: ExpertKind, expert: string) => `expert-${kind}-${expert}`;

async function trainBase(env: Env): Promise<TrainedModel & { mixture: Mixture }> {
  const { config, corpus } = env;
  const mixture = config.base.mixture === "uniform" ? Mixture.uniform(corpus.domains) : tokenPrior(corpus);
  const t = await trainAndScore(corpus, mixture, mergeMixRecipes(config).base, studySeeds(env.seed).base, { engine: env.engine, eval: { sets: env.sets } });
  return { ...t, mixture };
}

async function trainExpert(env: Env, base: GptModel, kind: ExpertKind, expert: string): Promise<Expert> {
  const groups = studyGroups(env.config, env.corpus, kind);
  if (!groups[expert]) throw new MixlabError("CONFIG_INVALID", `no ${kind} expert "${expert}" (${Object.keys(groups).join(", ")})`);
  const [e] = await trainExperts(env.corpus, base, { [expert]: groups[expert] }, mergeMixRecipes(env.config).expert, studySeeds(env.seed).experts(kind), env.engine, env.sets);
  return e;
}

/** A stored model, or the same model retrained (accepted only if it hashes as the run recorded). */
async function studyModel(env: Env, ref: ModelRef, retrain: () => Promise<GptModel>, madeBy: EngineBuild | null | undefined): Promise<GptModel> {
  const loaded = loadStudyModel(env.resultsDir, ref);
  if (loaded) return loaded;
  env.log(`${ref.name}: no stored weights in ${env.resultsDir}/models; retraining`);
  const model = await retrain();
  const sha = modelSha256(model);
  if (sha !== ref.sha256) {
    const hint = madeBy && madeBy.flavour !== "wasm"
      ? `retrain it with that build (MIXLAB_NATIVE_BUILD=${madeBy.flavour}${madeBy.flavour === "native" ? " on the CPU that made it" : ""}, ${madeBy.compiler})`
      : madeBy ? "retrain it with MIXLAB_BACKEND=fused" : "retrain it where the store was made";
    throw new MixlabError("MERGEMIX_STUDY_MODEL_CHANGED", `${ref.name}: retrained weights hash to ${sha.slice(0, 12)}…, its run recorded ${ref.sha256.slice(0, 12)}…: that run was computed by ${describeBuild(madeBy)}, this process uses ${describeBuild(env.build)}, and only the same build retrains a model bit for bit. Either ${hint}, or delete that run and the runs after it to retrain them together`);
  }
  saveStudyModel(env.resultsDir, ref.name, model);
  return model;
}

/** A build in words, for error messages. */
function describeBuild(b: EngineBuild | null | undefined): string {
  return b ? `the ${describeEngineBuild(b)}` : "an unrecorded build (its record predates engine builds in run records; the committed MergeMix store was made with the CPU-tuned native build)";
}

function dependencyOf<S extends MergeMixStudyTask["stage"]>(deps: readonly StudyDependency[], stage: S): (StudyDependency & { task: Extract<MergeMixStudyTask, { stage: S }> })[] {
  return deps.filter((d): d is StudyDependency & { task: Extract<MergeMixStudyTask, { stage: S }> } => d.task.stage === stage);
}

function baseRef(deps: readonly StudyDependency[]): { run: BaseRun; model: (env: Env) => Promise<GptModel> } {
  const d = dependencyOf(deps, "base")[0];
  if (!d) throw new MixlabError("EXPERIMENT_INCOMPLETE", "this task needs the base model's run");
  const run = d.result as BaseRun;
  return { run, model: (env) => studyModel(env, run.model, async () => (await trainBase(env)).model, d.madeBy) };
}

async function expertModels(env: Env, deps: readonly StudyDependency[], kind: ExpertKind): Promise<{ runs: ExpertRun[]; models: GptModel[] }> {
  const base = baseRef(deps);
  const names = Object.keys(studyGroups(env.config, env.corpus, kind));
  const found = names.map((name) => {
    const d = dependencyOf(deps, "expert").find((x) => x.task.kind === kind && x.task.expert === name);
    if (!d) throw new MixlabError("EXPERIMENT_INCOMPLETE", `this task needs the run of the ${kind} expert "${name}"`);
    return { run: d.result as ExpertRun, madeBy: d.madeBy };
  });
  let baseModel: GptModel | null = null;
  const models: GptModel[] = [];
  for (const { run: r, madeBy } of found) {
    models.push(await studyModel(env, r.model, async () => trainExpert(env, (baseModel ??= await base.model(env)), kind, r.expert).then((e) => e.model), madeBy));
  }
  return { runs: found.map((f) => f.run), models };
}

async function withEnv<T>(config: MergeMixStudyConfig, corpus: Corpus, seed: number, resultsDir: string, log: (line: string) => void, f: (env: Env) => Promise<T>): Promise<T> {
  const { engine, info } = await createEngine(configForCorpus(recipeModelConfig(mergeMixRecipes(config).base), corpus));
  try {
    const sets = validationSets(corpus, { seqLen: config.seqLen, windowsPerDomain: config.eval.windowsPerDomain, split: config.eval.split });
    return await f({ config, corpus, seed, resultsDir, log, engine, engineName: info.engine, build: info.build ?? null, sets, suites: studySuites(corpus, config) });
  } finally {
    engine.dispose();
  }
}

/** The grid's mixture i as merge weights over `kind`'s experts (per domain: the data mixture itself). */
function kindAlpha(config: MergeMixStudyConfig, corpus: Corpus, kind: ExpertKind, groupAlpha: readonly number[]): number[] {
  const mixture = alphaToMixture(corpus, studyGroups(config, corpus, "group"), groupAlpha);
  return kind === "group" ? [...groupAlpha] : Array.from(mixture.weights);
}

/**
 * Run one task. `dependencies`: the finished tasks it waits for (`studyDependencies`);
 * `resultsDir`: where the study's model files live.
 *
 * @example
 * const result = await runStudyTask(config, corpus, task, [], "results/studies/mergemix", console.log);
 */
export async function runStudyTask(config: MergeMixStudyConfig, corpus: Corpus, task: MergeMixStudyTask, dependencies: readonly StudyDependency[], resultsDir: string, log: (line: string) => void): Promise<StudyResult> {
  const seed = task.experimentSeed;
  const env = <T>(f: (e: Env) => Promise<T>) => withEnv(config, corpus, seed, resultsDir, log, f);
  switch (task.stage) {
    case "base":
      return env(async (e): Promise<BaseRun> => {
        const t = await trainBase(e);
        log(`base: ${t.tokens} tokens in ${t.seconds.toFixed(1)} s, val ${t.meanLoss.toFixed(3)} nats`);
        return { ...training(t), mixture: t.mixture.toRecord(), validation: t.losses, valNats: t.meanLoss, model: saveStudyModel(resultsDir, "base", t.model) };
      });
    case "expert":
      return env(async (e): Promise<ExpertRun> => {
        const x = await trainExpert(e, await baseRef(dependencies).model(e), task.kind, task.expert);
        return { ...training(x), kind: task.kind, expert: task.expert, domains: x.domains, validation: x.losses, valNats: x.meanLoss, model: saveStudyModel(resultsDir, modelName(task.kind, task.expert), x.model) };
      });
    case "trained":
      return env(async (e): Promise<TrainedRun> => {
        const base = await baseRef(dependencies).model(e);
        const mixture = alphaToMixture(corpus, studyGroups(config, corpus, "group"), task.alpha);
        const t = await trainAndScore(corpus, mixture, mergeMixRecipes(config).expert, studySeeds(seed).trained(task.mixture), { from: base, engine: e.engine, eval: { sets: e.sets } });
        const judge = await judgeModel(e.engine, t.model, e.suites.judge, config.suite.metric, e.sets);
        const choose = scoreRow({ suite: await evaluateSuite(e.suites.choose, modelScorer(e.engine, t.model), config.suite.metric), validation: t.validation });
        log(`trained ${task.label}: judge utility ${judge.scores.utility.toFixed(3)}, val ${judge.valNats.toFixed(3)} nats`);
        return { ...training(t), mixture: task.mixture, family: task.family, label: task.label, alpha: [...task.alpha], weights: mixture.toRecord(), judge, choose };
      });
    case "merged":
      return env(async (e): Promise<MergedRun> => {
        const { models } = await expertModels(e, dependencies, task.kind);
        const grid = studyGrid(config, Object.keys(studyGroups(config, corpus, "group")), seed);
        const points: MergedRun["points"] = [];
        for (const [i, m] of grid.entries()) {
          const alpha = kindAlpha(config, corpus, task.kind, m.alpha);
          points.push({ mixture: i, family: m.family, label: m.label, alpha, judge: await judgeModel(e.engine, mergeModels(models, alpha), e.suites.judge, config.suite.metric, e.sets) });
        }
        log(`merged ${task.kind}: ${points.length} mixtures`);
        return { kind: task.kind, engine: e.engineName, points };
      });
    case "search":
      return env(async (e): Promise<SearchRun> => {
        const base = baseRef(dependencies).run;
        const { runs, models } = await expertModels(e, dependencies, task.kind);
        const groups = studyGroups(config, corpus, task.kind);
        const caps = suiteCapabilities(e.suites.choose);
        const found = await searchMergeWeights({ engine: e.engine, experts: models, suite: e.suites.choose, metric: config.suite.metric, sets: e.sets, capabilities: caps }, config.search, studySeeds(seed).search(task.kind), log);
        const modelConfig = models[0].config;
        const perEval = suiteTokens(e.suites.choose.tasks);
        const gridSize = config.grid.twoDomain.alphas.length + config.grid.multiDomain.mixtures;
        return {
          kind: task.kind, groups, capabilities: caps, alphaStar: found.alphaStar, mixture: alphaToMixture(corpus, groups, found.alphaStar).toRecord(),
          seeds: found.seeds, surrogateCv: found.surrogateCv, predicted: found.predicted, verified: found.verified, bestSeed: found.bestSeed, evaluations: found.evaluations,
          cost: {
            mergeMix: mergeMixCost({ config: modelConfig, seqLen: config.seqLen, baseTokens: base.tokens, expertTokens: runs[0].tokens, experts: runs.length, evaluations: found.seeds.length + 1, tokensPerEvaluation: perEval }),
            grid: mixtureTrainingCost(modelConfig, config.seqLen, gridSize, runs[0].tokens, perEval, base.tokens),
          },
        };
      });
    case "final":
    case "scale": {
      const block = task.stage === "final" ? config.finals : config.scale;
      const { mixture, chosen } = armMixture(config, corpus, task.arm, dependencies);
      const judge = studySuites(corpus, config).judge;
      const s = studySeeds(seed);
      const final = await trainFinalModel(corpus, finalsConfig(config, block), judge, mixture, task.stage === "final" ? s.final(task.repeat) : s.scale(task.repeat));
      log(`${task.stage} ${task.arm} #${task.repeat}: judge utility ${final.suite.utility.toFixed(3)}, val ${final.average.toFixed(3)} nats`);
      return { arm: task.arm, repeat: task.repeat, mixture, chosen, final };
    }
  }
}

/** A final arm's mixture: α*'s, uniform, the token prior, or the best trained grid mixture's. */
function armMixture(config: MergeMixStudyConfig, corpus: Corpus, arm: FinalArm, deps: readonly StudyDependency[]): { mixture: Record<string, number>; chosen: FinalRun["chosen"] } {
  if (arm === "uniform") return { mixture: Mixture.uniform(corpus.domains).toRecord(), chosen: null };
  if (arm === "prior") return { mixture: tokenPrior(corpus).toRecord(), chosen: null };
  if (arm === "best-trained") {
    const best = bestTrained(config, dependencyOf(deps, "trained").map((d) => d.result as TrainedRun));
    return { mixture: best.weights, chosen: { mixture: best.mixture, label: best.label, objective: searchObjective(config, best.choose) } };
  }
  const kind = EXPERT_KINDS.find((k) => mergemixArm(k) === arm)!;
  const search = dependencyOf(deps, "search").find((d) => d.task.kind === kind);
  if (!search) throw new MixlabError("EXPERIMENT_INCOMPLETE", `the ${arm} final needs the ${kind} experts' search`);
  return { mixture: (search.result as SearchRun).mixture, chosen: null };
}
