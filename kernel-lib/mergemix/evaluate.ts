/**
 * MergeMix steps 3–4 — merge the experts at α (the model layer's `mergeModels`, θ(α) = Σ αₖθₖ)
 * and evaluate the merged model on the downstream suite (and on validation loss, which the
 * consistency study reports next to the suite because it is far less noisy).
 */
import type { ValidationSet } from "../data/validation.js";
import { evaluateSuite, type SuiteResult } from "../eval/suite/evaluate.js";
import { describeSuite, type Suite } from "../eval/suite/build.js";
import { modelScorer } from "../eval/suite/model-scorer.js";
import type { SuiteMetric } from "../eval/suite/types.js";
import { validationLoss, type ValidationResult } from "../eval/validation-loss.js";
import type { GptEngine } from "../model/engine.js";
import { mergeModels } from "../model/merge.js";
import type { GptModel } from "../model/params.js";

/** A model's downstream and validation numbers. */
export interface ModelEvaluation {
  suite: SuiteResult;
  validation: ValidationResult;
}

/**
 * Capability name → score, plus "utility" (the macro-average under the run's metric) and
 * "utility_acc" / "utility_acc_norm" / "utility_prob" (the macro-average under each metric) and
 * "utility_half0" / "utility_half1" (the utility on even / odd items, for split-half reliability).
 */
export type ScoreRow = Record<string, number>;

/**
 * Evaluate one model on the suite and the validation windows.
 *
 * @example
 * const ev = await evaluateModel(engine, model, suite, "acc_norm", sets);
 * ev.suite.utility; ev.validation.meanNats;
 */
export async function evaluateModel(engine: GptEngine, model: GptModel, suite: Suite, metric: SuiteMetric, validation: readonly ValidationSet[]): Promise<ModelEvaluation> {
  return { suite: await evaluateSuite(suite, modelScorer(engine, model), metric), validation: validationLoss(engine, model, validation) };
}

/**
 * Merge the experts at α and evaluate the merged model.
 *
 * @example
 * const ev = await evaluateMerge(engine, experts.map((e) => e.model), [0.25, 0.25, 0.25, 0.25], suite, "acc_norm", sets);
 */
export async function evaluateMerge(engine: GptEngine, experts: readonly GptModel[], alpha: ArrayLike<number>, suite: Suite, metric: SuiteMetric, validation: readonly ValidationSet[]): Promise<ModelEvaluation> {
  return evaluateModel(engine, mergeModels(experts, alpha), suite, metric, validation);
}

/**
 * The capability scores of an evaluation as a flat row ({prose: …, code: …, utility: …}).
 *
 * @example
 * scoreRow(ev); // { prose: 0.05, code: 0.21, math: 0.1, knowledge: 0.02, utility: 0.095, utility_prob: 0.01, … }
 */
export function scoreRow(ev: ModelEvaluation): ScoreRow {
  const row: ScoreRow = {};
  for (const c of ev.suite.capabilities) row[c.capability] = c.score;
  row.utility = ev.suite.utility;
  for (const [m, u] of Object.entries(ev.suite.utilities)) row[`utility_${m}`] = u;
  row.utility_half0 = ev.suite.halfUtilities[0];
  row.utility_half1 = ev.suite.halfUtilities[1];
  return row;
}

/**
 * The capabilities a suite scores (those its tasks belong to), in task order — what the
 * surrogates model, one GBDT each.
 *
 * @example
 * suiteCapabilities(suite); // ["prose", "code", "knowledge", "math"]
 */
export function suiteCapabilities(suite: Suite): string[] {
  return suite.tasks.length ? [...new Set(describeSuite(suite).map((r) => r.capability))].filter((c) => c !== "(none)") : [];
}
