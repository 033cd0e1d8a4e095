import type { Corpus } from "../data/corpus.js";
import type { Mixture } from "../data/mixture.js";
import { createBatchSampler, type Batch } from "../data/sampler.js";
import { validationSets, type ValidationSet } from "../data/validation.js";
import { validationLoss, type ValidationResult } from "../eval/validation-loss.js";
import { createEngine, type BackendChoice, type EngineInfo } from "../model/backend.js";
import { validateConfig } from "../model/config.js";
import type { GptEngine } from "../model/engine.js";
import { initModel, sameArchitecture, type GptModel } from "../model/params.js";
import { MixlabError } from "../util/errors.js";
import { deriveSeed } from "../util/rng.js";
import { hasCheckpoint, loadCheckpoint, saveCheckpoint } from "./checkpoint.js";
import { adamwStep, clipGradNorm, createAdamWState, decayMask, DEFAULT_ADAMW, type AdamWConfig, type AdamWState } from "./optimizer.js";
import { createProgress, type ProgressUpdate } from "./progress.js";
import { configForCorpus } from "../model/vocab.js";
import { recipeModelConfig, recipeSchedule, resolveRecipe, seqLenIssue, type TrainRecipeInput } from "./recipe.js";
import { lrAt, makeSchedule, type LrSchedule } from "./schedule.js";
import { createScheduleRunner, type MixtureController, type MixtureSchedule } from "./mixture-controller.js";

/** What one optimiser step did. */
export interface StepStats {
  /** steps completed after this one (1-based) */
  step: number;
  /** mean training loss of the batch, nats/token (before the update) */
  loss: number;
  /** global gradient norm before clipping */
  gradNorm: number;
  lr: number;
  /** targets in the batch (B·T) */
  tokens: number;
  ms: number;
}

/**
 * Trains one model in place: engine gradient → clip → AdamW with the schedule's lr. The engine
 * is the only part that touches tensors, so a faster engine changes nothing here.
 */
export interface Trainer {
  readonly model: GptModel;
  readonly engine: GptEngine;
  readonly schedule: Required<LrSchedule>;
  readonly adamw: AdamWConfig;
  /** steps completed */
  readonly step: number;
  trainStep(batch: Batch): StepStats;
  /** one optimiser step from a gradient the caller computed (clipped in place, then AdamW at the schedule's lr) */
  applyGradient(grad: Float32Array): { gradNorm: number; lr: number };
  /** the optimiser moments (live; copy before mutating) */
  optimizerState(): AdamWState;
  evaluate(sets: readonly ValidationSet[]): ValidationResult;
  dispose(): void;
}

export interface TrainerOptions {
  /** trained in place */
  model: GptModel;
  engine: GptEngine;
  schedule: LrSchedule;
  optimizer?: Partial<AdamWConfig>;
  /** resume: optimiser state and steps already done */
  optimizerState?: AdamWState;
  step?: number;
}

/**
 * A trainer over an existing model and engine.
 *
 * @example
 * const tr = createTrainer({ model, engine, schedule: { kind: "cosine", lr: 1e-3, warmupSteps: 10, totalSteps: 200 } });
 * const s = tr.trainStep(sampler.next()); // s.loss, s.gradNorm, s.lr
 */
export function createTrainer(o: TrainerOptions): Trainer {
  const { model, engine } = o;
  if (!sameArchitecture(model.config, engine.config)) throw new MixlabError("MODEL_PARAM_MISMATCH", "engine and model configs differ");
  const schedule = makeSchedule(o.schedule);
  const adamw: AdamWConfig = { ...DEFAULT_ADAMW, ...o.optimizer };
  const n = model.params.length;
  const opt = o.optimizerState ?? createAdamWState(n);
  if (opt.m.length !== n || opt.v.length !== n) throw new MixlabError("MODEL_PARAM_MISMATCH", "optimiser state does not match the model");
  const mask = decayMask(model.config);
  const grad = new Float32Array(n);
  let step = o.step ?? opt.step;
  const applyGradient = (g: Float32Array): { gradNorm: number; lr: number } => {
    const gradNorm = engine.clipGradNorm ? engine.clipGradNorm(g, adamw.gradClip) : clipGradNorm(g, adamw.gradClip); // bit-identical fast path
    const lr = lrAt(schedule, step);
    if (engine.adamwStep) engine.adamwStep(model.params, g, opt, lr, adamw, mask); // bit-identical fast path
    else adamwStep(model.params, g, opt, lr, adamw, mask);
    step += 1;
    return { gradNorm, lr };
  };
  return {
    model,
    engine,
    schedule,
    adamw,
    get step() {
      return step;
    },
    trainStep(batch: Batch): StepStats {
      const t0 = performance.now();
      const { batchSize: B, seqLen: T } = batch;
      const loss = engine.lossAndGrad(model.params, batch.tokens, B, T, grad);
      if (!Number.isFinite(loss)) throw new MixlabError("TRAIN_NAN", `training loss is ${loss} at step ${step + 1} (lr too high?)`);
      const { gradNorm, lr } = applyGradient(grad);
      return { step, loss, gradNorm, lr, tokens: B * T, ms: performance.now() - t0 };
    },
    applyGradient,
    optimizerState: () => opt,
    evaluate: (sets) => validationLoss(engine, model, sets),
    dispose: () => engine.dispose(),
  };
}

/** One row of a training history. */
export interface HistoryEntry {
  step: number;
  /** targets seen so far */
  tokens: number;
  loss: number;
  lr: number;
  gradNorm: number;
  ms: number;
  /** per-domain validation nats, when evaluated after this step */
  validation?: Record<string, number>;
}

/**
 * How a run is carried out, besides its recipe: where it starts, what it is scored on and when,
 * which engine, progress and checkpoints. Nothing here changes what the recipe trains except
 * `from` (continue a model) and `optimizer` (AdamW settings other than the defaults).
 */
export interface TrainProxyOptions {
  /** continue from these weights (copied; fresh optimiser state) instead of a fresh init of the recipe's model */
  from?: GptModel;
  optimizer?: Partial<AdamWConfig>;
  /** evaluate every k steps (0/undefined: only at the end) */
  evalEvery?: number;
  /** also evaluate before the first step (result in `initialValidation`) */
  evalAtStart?: boolean;
  /** fixed evaluation windows; default validationSets(corpus, {seqLen, windowsPerDomain: evalWindows}) */
  validation?: ValidationSet[];
  /** windows per domain for the default validation sets (default 16) */
  evalWindows?: number;
  /** engine choice (default: MIXLAB_BACKEND or auto) or a ready engine to reuse */
  backend?: BackendChoice;
  engine?: GptEngine;
  onProgress?: (u: ProgressUpdate) => void;
  /** draw a progress bar / lines on stderr (default false) */
  progress?: boolean;
  /** save a checkpoint here every `checkpointEvery` steps and at the end; resume from it if present */
  checkpointDir?: string;
  checkpointEvery?: number;
  /**
   * a mixture schedule (train/mixture-controller.ts): asked for the mixture at step 0 and after
   * each segment it returned; its domains must be the mixture's. Absent: the mixture is sampled
   * throughout, as always. Not with `checkpointDir` (a switched sampler cannot be replayed).
   */
  controller?: MixtureController;
}

export interface TrainProxyResult {
  model: GptModel;
  history: HistoryEntry[];
  /** per-domain validation loss after the last step */
  validation: ValidationResult;
  initialValidation?: ValidationResult;
  engine: EngineInfo;
  /** targets drawn per domain */
  tokensPerDomain: Record<string, number>;
  wallSeconds: number;
  tokensPerSecond: number;
  /** the trainer (engine still alive) for further evaluation; call dispose() when done */
  trainer: Trainer;
  /** the mixture trajectory, final and time-averaged mixture of a run with a `controller` */
  schedule: MixtureSchedule | null;
  dispose(): void;
}

/**
 * Train a model on a data mixture with a recipe — the one trainer behind `trainAndScore` (what
 * RegMix, Chameleon, MergeMix, DoReMi and the comparison call). The recipe is checked and
 * completed by its schema (`resolveRecipe`: TRAIN_BAD_CONFIG on a bad field); the model is the
 * recipe's, its vocabulary following the corpus's tokenizer, or `from`'s. Deterministic in
 * `seed` (init, batches) on a given engine; resumable bit-for-bit from `checkpointDir`.
 *
 * @example
 * const r = await trainProxy(corpus, Mixture.uniform(corpus.domains),
 *   { preset: "tiny", steps: 200, batchSize: 8, seqLen: 64, lr: 3e-3 }, 1);
 * r.validation.domains.books.nats; // per-domain loss after training
 * r.dispose();
 */
export async function trainProxy(corpus: Corpus, mixture: Mixture, recipeInput: TrainRecipeInput, seed: number, o: TrainProxyOptions = {}): Promise<TrainProxyResult> {
  const recipe = resolveRecipe(recipeInput);
  const config = o.from ? validateConfig(o.from.config) : configForCorpus(recipeModelConfig(recipe), corpus);
  // the schema checked seqLen against the recipe's model; a continued model has its own
  const tooLong = o.from ? seqLenIssue(recipe.seqLen, config) : null;
  if (tooLong) throw new MixlabError("TRAIN_BAD_CONFIG", `recipe seqLen: ${tooLong}`);
  const schedule = recipeSchedule(recipe);
  let info: EngineInfo;
  let engine: GptEngine;
  if (o.engine) {
    engine = o.engine;
    info = { engine: engine.name as EngineInfo["engine"], reason: "caller-provided" };
  } else {
    ({ engine, info } = await createEngine(config, o.backend));
  }
  const sampler = createBatchSampler(corpus, mixture, {
    seqLen: recipe.seqLen, batchSize: recipe.batchSize, seed: deriveSeed(seed, "batches"), maxEpochs: recipe.maxEpochs, onCap: recipe.onCap,
  });
  const sets = o.validation ?? validationSets(corpus, { seqLen: recipe.seqLen, windowsPerDomain: o.evalWindows ?? 16, domains: mixture.domains });

  let model: GptModel = o.from ? { config, params: Float32Array.from(o.from.params) } : initModel(config, seed);
  let optimizerState: AdamWState | undefined;
  let startStep = 0;
  let history: HistoryEntry[] = [];
  if (o.checkpointDir && hasCheckpoint(o.checkpointDir)) {
    const ck = loadCheckpoint(o.checkpointDir);
    if (!sameArchitecture(ck.model.config, config)) throw new MixlabError("CHECKPOINT_MISMATCH", `checkpoint in ${o.checkpointDir} is for another architecture`);
    if (ck.meta.seed !== seed) throw new MixlabError("CHECKPOINT_MISMATCH", `checkpoint seed ${ck.meta.seed} ≠ requested seed ${seed}`);
    model = ck.model;
    optimizerState = ck.optimizer;
    startStep = ck.meta.step;
    if (ck.meta.sampler) sampler.restore(ck.meta.sampler);
    history = (ck.meta.extra?.history as HistoryEntry[] | undefined) ?? [];
  }
  const trainer = createTrainer({ model, engine, schedule, optimizer: o.optimizer, optimizerState, step: startStep });
  const bar = o.progress ? createProgress() : null;
  const save = () => {
    if (!o.checkpointDir) return;
    saveCheckpoint(o.checkpointDir, {
      model, optimizer: trainer.optimizerState(),
      meta: { format: 1, config, step: trainer.step, seed, schedule, optimizer: trainer.adamw, adamStep: trainer.optimizerState().step,
        sampler: sampler.state(), engine: info, extra: { history } },
    });
  };

  if (o.controller && o.checkpointDir) throw new MixlabError("TRAIN_BAD_CONFIG", "a run with a mixture controller cannot checkpoint (its sampler switches mixtures and cannot be replayed)");
  const runner = o.controller ? createScheduleRunner(o.controller, mixture, sampler, trainer, recipe.steps) : null;
  const initialValidation = o.evalAtStart && startStep === 0 ? trainer.evaluate(sets) : undefined;
  const t0 = performance.now();
  let tokens = history.length ? history[history.length - 1].tokens : 0;
  let trainedTokens = 0;
  for (let s = startStep; s < recipe.steps; s++) {
    runner?.beforeStep(s);
    const batch = sampler.next();
    runner?.observeBatch(batch);
    const st = trainer.trainStep(batch);
    runner?.afterStep(batch, st.loss, st.lr);
    tokens += st.tokens;
    trainedTokens += st.tokens;
    const entry: HistoryEntry = { step: st.step, tokens, loss: st.loss, lr: st.lr, gradNorm: st.gradNorm, ms: st.ms };
    if (o.evalEvery && st.step % o.evalEvery === 0 && st.step < recipe.steps) {
      const v = trainer.evaluate(sets);
      entry.validation = Object.fromEntries(Object.values(v.domains).map((d) => [d.domain, d.nats]));
      bar?.note(`step ${st.step}: validation ${v.meanNats.toFixed(4)} nats/token (mean over domains)`);
    }
    history.push(entry);
    const elapsed = (performance.now() - t0) / 1000;
    const u: ProgressUpdate = { step: st.step, totalSteps: recipe.steps, loss: st.loss, lr: st.lr, tokensPerSec: trainedTokens / Math.max(elapsed, 1e-9), elapsed };
    bar?.update(u);
    o.onProgress?.(u);
    if (o.checkpointDir && o.checkpointEvery && st.step % o.checkpointEvery === 0) save();
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  bar?.done();
  const validation = trainer.evaluate(sets);
  if (history.length) history[history.length - 1].validation = Object.fromEntries(Object.values(validation.domains).map((d) => [d.domain, d.nats]));
  save();
  return {
    model,
    history,
    validation,
    initialValidation,
    engine: info,
    tokensPerDomain: sampler.tokensDrawn(),
    wallSeconds,
    tokensPerSecond: trainedTokens / Math.max(wallSeconds, 1e-9),
    trainer,
    schedule: runner ? runner.finish() : null,
    dispose: () => trainer.dispose(),
  };
}
