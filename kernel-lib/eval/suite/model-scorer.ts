/**
 * The suite's view of a proxy GPT: the model layer's `scoreChoices` (all choices of one item
 * in one forward pass) as a `ChoiceScorer`. Contexts are mid-document text, so no
 * document-start token is put in front. Items of a suite built from a token corpus carry their
 * token ids (tokens.ts), and those are what the model reads (`scoreTokenChoices`); items of a
 * byte corpus are read as bytes. A model with more than 256 tokens given items without ids was
 * trained on a token corpus and is being scored on raw bytes — numbers that mean nothing — so
 * that is an error (SUITE_NEEDS_TOKENS), as are ids outside the model's vocabulary
 * (SCORE_BAD_TOKEN: a byte model scored on a token corpus's suite).
 */
import { VOCAB_SIZE } from "../../data/format.js";
import type { GptEngine } from "../../model/engine.js";
import type { GptModel } from "../../model/params.js";
import { scoreChoices, scoreTokenChoices } from "../../model/score.js";
import { MixlabError } from "../../util/errors.js";
import type { ChoiceScorer } from "./types.js";

/**
 * A suite scorer over a model and an engine (summed log-likelihood per choice).
 *
 * @example
 * const { engine } = await createEngine(model.config);
 * const r = await evaluateSuite(suite, modelScorer(engine, model));
 */
export function modelScorer(engine: GptEngine, model: GptModel): ChoiceScorer {
  return (context, choices, tokens) => {
    if (tokens) return Float64Array.from(scoreTokenChoices(engine, model, tokens.context, tokens.choices).sum);
    if (model.config.vocabSize > VOCAB_SIZE) {
      throw new MixlabError("SUITE_NEEDS_TOKENS", `the model reads ${model.config.vocabSize} token ids but the suite's items are bytes: build the suite from the token corpus the model was trained on (buildSuite encodes its items with the corpus's tokenizer)`);
    }
    return Float64Array.from(scoreChoices(engine, model, context, choices, { documentStart: false }).sum);
  };
}
