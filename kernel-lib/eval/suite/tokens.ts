/**
 * The suite's items as the model of a token corpus reads them. On such a corpus the items are
 * built from its decoded text (build.ts reads `splitText`), so an item is text; here each is
 * encoded by the corpus's tokenizer the way lm-eval-harness encodes a (context, continuation)
 * request (EleutherAI/lm-evaluation-harness, lm_eval/api/model.py, TemplateLM._encode_pair and
 * TemplateLM.loglikelihood):
 *   1. the context's trailing whitespace moves to the front of every continuation — a BPE such
 *      as GPT-2's spells " word" as one token, and a context cut after a space (the continuation
 *      task cuts there) would otherwise end in a lone space token the model rarely saw there;
 *   2. whole = encode(context + continuation), ctx = encode(context), and the continuation's
 *      ids are whole[len(ctx):] — the continuation is tokenised in its context;
 *   3. an empty context is the EOS id (the harness's prefix_token_id, the end-of-text token).
 * One departure: step 2 assumes ctx is a prefix of whole (the harness's docstring states it as
 * the intent, encode(context + continuation) == encode(context) + encode(continuation)). When a
 * pre-token spans the cut — the JSON tasks cut after "," or "{", and `,"` is one pre-token of
 * GPT-2's split — it is not, and whole[len(ctx):] would drop or repeat text at the cut; then the
 * continuation is encoded on its own, so context ids + continuation ids always spell the item's
 * text. The ids go to the model as they are (`scoreTokenChoices`, left-truncating the context to
 * the window as the harness does); acc_norm still divides by the choice text's bytes (score.ts).
 */
import type { TextTokenizer } from "../../data/tokenizer.js";
import { fromUtf8 } from "./text.js";
import type { ChoiceItem, ChoiceTask, ItemTokens } from "./types.js";

/** What encoding needs of a tokenizer. */
export type ItemEncoder = Pick<TextTokenizer, "encode" | "eosId">;

/**
 * One (context, continuation) pair as token ids (steps 1–3 of the module comment, and the
 * fallback when the context's ids are not a prefix of the whole's).
 *
 * @example
 * encodePair(tok, "the cat ", "sat down"); // { context: encode("the cat"), continuation: ids of " sat down" }
 */
export function encodePair(tok: ItemEncoder, context: string, continuation: string): { context: number[]; continuation: number[] } {
  const trimmed = context.trimEnd();
  const moved = context.slice(trimmed.length) + continuation;
  const ctx = trimmed.length > 0 ? tok.encode(trimmed) : [];
  const whole = tok.encode(trimmed + moved);
  const inContext = whole.length > ctx.length && ctx.every((id, i) => whole[i] === id);
  const cont = inContext ? whole.slice(ctx.length) : tok.encode(moved);
  return { context: ctx.length > 0 ? ctx : [tok.eosId], continuation: cont };
}

/**
 * An item's token ids: its context once (the same for every choice) and each choice's
 * continuation.
 *
 * @example
 * encodeItem(corpusTokenizer(corpus)!, suite.tasks[0].items[0]).choices.length; // numChoices
 */
export function encodeItem(tok: ItemEncoder, item: Pick<ChoiceItem, "context" | "choices">): ItemTokens {
  const context = fromUtf8(item.context);
  const pairs = item.choices.map((c) => encodePair(tok, context, fromUtf8(c)));
  return { context: Int32Array.from(pairs[0].context), choices: pairs.map((p) => Int32Array.from(p.continuation)) };
}

/**
 * The tasks with every item carrying its token ids (`ChoiceItem.tokens`); texts, order and
 * answers unchanged.
 *
 * @example
 * const tasks = withItemTokens(suite.tasks, tokenizer);
 */
export function withItemTokens(tasks: readonly ChoiceTask[], tok: ItemEncoder): ChoiceTask[] {
  return tasks.map((t) => ({ ...t, items: t.items.map((it) => ({ ...it, tokens: encodeItem(tok, it) })) }));
}
