/**
 * The suite's view of a proxy GPT: the model layer's `scoreChoices` (all choices of one item
 * in one forward pass) as a `ChoiceScorer`. Contexts are mid-document text, so no
 * document-start byte is put in front.
 */
import type { GptEngine } from "../../model/engine.js";
import type { GptModel } from "../../model/params.js";
import { scoreChoices } from "../../model/score.js";
import type { ChoiceScorer } from "./types.js";

/**
 * A suite scorer over a model and an engine (summed log-likelihood per choice).
 *
 * @example
 * const { engine } = await createEngine(model.config);
 * const r = await evaluateSuite(suite, modelScorer(engine, model));
 */
export function modelScorer(engine: GptEngine, model: GptModel): ChoiceScorer {
  return (context, choices) => Float64Array.from(scoreChoices(engine, model, context, choices, { documentStart: false }).sum);
}
