import { MixlabError } from "../util/errors.js";
import type { GptEngine } from "./engine.js";
import type { GptModel } from "./params.js";

/** Log-likelihoods of each continuation. */
export interface ChoiceScores {
  /** Σ log p(choice tokens | context), nats (tokens are bytes for a byte-level model) */
  sum: number[];
  /** sum / number of tokens in the choice (length-normalised) */
  mean: number[];
  /** index of the best choice by sum, and by mean */
  bestSum: number;
  bestMean: number;
}

function toBytes(x: string | Uint8Array): Uint8Array {
  return typeof x === "string" ? new Uint8Array(Buffer.from(x, "utf8")) : x;
}

function argmax(xs: number[]): number {
  let k = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[k]) k = i;
  return k;
}

/**
 * Score multiple-choice continuations: log p(choice | context) under the byte model, summed and
 * length-normalised. Strings are UTF-8 encoded. By default an end-of-document byte (0) is put in
 * front, so the context is read as the start of a document; the context is cut from the left
 * when context + choice exceeds blockSize + 1. The bytes are the model's token ids
 * (`scoreTokenChoices`); a model of a token corpus scores token ids through that instead.
 *
 * @example
 * const s = scoreChoices(engine, model, "2 + 2 = ", ["4", "5"]);
 * s.bestSum; // 0 for a model that learned arithmetic
 */
export function scoreChoices(engine: GptEngine, model: GptModel, context: string | Uint8Array, choices: readonly (string | Uint8Array)[],
  opts: { documentStart?: boolean } = {}): ChoiceScores {
  const ctx0 = toBytes(context);
  const ctx = opts.documentStart === false ? ctx0 : Uint8Array.from([0, ...ctx0]);
  return scoreTokenChoices(engine, model, ctx, choices.map(toBytes));
}

/**
 * `scoreChoices` on token ids: log p(choice ids | context ids), summed and divided by the
 * choice's token count (`mean`). Nothing is put in front of the context (give the EOS id first
 * to read it as a document start); the context is cut from the left when context + choice
 * exceeds blockSize + 1. Errors: SCORE_NO_CHOICES, SCORE_EMPTY_CHOICE, SCORE_TOO_LONG,
 * SCORE_NO_CONTEXT, SCORE_BAD_TOKEN (an id outside 0..vocabSize−1).
 *
 * @example
 * const s = scoreTokenChoices(engine, model, tok.encode("The cat"), [tok.encode(" sat"), tok.encode(" flew")]);
 * s.sum; // [log p(" sat" | "The cat"), log p(" flew" | "The cat")]
 */
export function scoreTokenChoices(engine: GptEngine, model: GptModel, context: ArrayLike<number>, choices: readonly ArrayLike<number>[]): ChoiceScores {
  if (choices.length === 0) throw new MixlabError("SCORE_NO_CHOICES", "scoreChoices needs at least one choice");
  const V = model.config.vocabSize, maxLen = model.config.blockSize + 1;
  const ctx = Int32Array.from(context);
  const checkIds = (ids: Int32Array, what: string): void => {
    for (let i = 0; i < ids.length; i++) {
      if (!(ids[i] >= 0 && ids[i] < V)) throw new MixlabError("SCORE_BAD_TOKEN", `${what} holds token id ${ids[i]}, outside the model's vocabulary 0..${V - 1}`);
    }
  };
  checkIds(ctx, "the context");
  const seqs: { ids: Int32Array; start: number }[] = choices.map((ch, k) => {
    const c = Int32Array.from(ch);
    if (c.length === 0) throw new MixlabError("SCORE_EMPTY_CHOICE", `choice ${k} is empty`);
    if (c.length + 1 > maxLen) throw new MixlabError("SCORE_TOO_LONG", `choice ${k} has ${c.length} tokens; the model sees at most ${maxLen - 1}`);
    checkIds(c, `choice ${k}`);
    const keep = Math.min(ctx.length, maxLen - c.length);
    const full = new Int32Array(keep + c.length);
    full.set(ctx.subarray(ctx.length - keep), 0);
    full.set(c, keep);
    return { ids: full, start: keep }; // targets at positions ≥ start are the choice
  });
  if (seqs.some((s) => s.start === 0)) throw new MixlabError("SCORE_NO_CONTEXT", "a choice needs at least one token before it (context or document start)");
  const T = Math.max(...seqs.map((s) => s.ids.length - 1));
  const B = seqs.length;
  const inputs = new Int32Array(B * T); // right-padded with 0: causal, so padding never affects earlier positions
  seqs.forEach((s, b) => inputs.set(s.ids.subarray(0, s.ids.length - 1), b * T));
  const logits = engine.logits(model.params, inputs, B, T); // [B, T, V]
  const sum: number[] = [], mean: number[] = [];
  seqs.forEach((s, b) => {
    let total = 0;
    for (let p = s.start; p < s.ids.length; p++) {
      const o = (b * T + (p - 1)) * V; // logits at position p−1 predict token p
      let mx = -Infinity;
      for (let j = 0; j < V; j++) mx = Math.max(mx, logits[o + j]);
      let z = 0;
      for (let j = 0; j < V; j++) z += Math.exp(logits[o + j] - mx);
      total += logits[o + s.ids[p]] - mx - Math.log(z);
    }
    sum.push(total);
    mean.push(total / (s.ids.length - s.start));
  });
  return { sum, mean, bestSum: argmax(sum), bestMean: argmax(mean) };
}
