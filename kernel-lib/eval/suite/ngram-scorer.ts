/**
 * A byte n-gram language model with Witten–Bell interpolation — a real (count-based) model
 * that plugs into the suite as a `ChoiceScorer`. Uses: a non-neural reference point for the
 * suite (fit it on the train split), and the test that a model which has seen the answers
 * scores far above chance.
 *
 *   P(w | h) = (c(h,w) + u(h)·P(w | h')) / (c(h) + u(h)),   h' = h without its oldest byte,
 *   u(h) = number of distinct bytes seen after h, and P(w | "") backs off to uniform 1/256.
 */
import { MixlabError } from "../../util/errors.js";
import type { ChoiceScorer } from "./types.js";

interface Counts {
  total: number;
  next: Map<number, number>;
}

/** A fitted byte n-gram model. */
export interface ByteNgram {
  order: number;
  /** log P(byte | the bytes of `history` before position `end`) in nats */
  logProb(history: Uint8Array, end: number, byte: number): number;
}

const key = (b: Uint8Array, start: number, end: number): string => {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
};

/**
 * Count all n-grams (orders 1..order) of the given byte sequences.
 *
 * @example
 * const lm = fitByteNgram([corpus.split("books", "train")], 4);
 * lm.logProb(enc("the"), 3, 0x20); // log P(" " | "the")
 */
export function fitByteNgram(texts: readonly Uint8Array[], order: number): ByteNgram {
  if (!Number.isInteger(order) || order < 1) throw new MixlabError("NGRAM_BAD_ORDER", `n-gram order must be a positive integer, got ${order}`);
  // tables[k]: contexts of length k → counts of the next byte
  const tables: Map<string, Counts>[] = Array.from({ length: order }, () => new Map());
  for (const t of texts) {
    for (let i = 0; i < t.length; i++) {
      for (let k = 0; k < order && k <= i; k++) {
        const h = key(t, i - k, i);
        let c = tables[k].get(h);
        if (!c) { c = { total: 0, next: new Map() }; tables[k].set(h, c); }
        c.total++;
        c.next.set(t[i], (c.next.get(t[i]) ?? 0) + 1);
      }
    }
  }
  return {
    order,
    logProb(history: Uint8Array, end: number, byte: number): number {
      let p = 1 / 256;
      const maxK = Math.min(order - 1, end);
      for (let k = 0; k <= maxK; k++) {
        const c = tables[k].get(key(history, end - k, end));
        if (!c) break; // a longer context unseen ⇒ every longer one is unseen too
        const u = c.next.size;
        p = ((c.next.get(byte) ?? 0) + u * p) / (c.total + u);
      }
      return Math.log(p);
    },
  };
}

/**
 * The suite scorer of an n-gram model: summed log P(choice | context) per choice.
 *
 * @example
 * const scores = await scoreTasks(suite.tasks, ngramScorer(fitByteNgram(trainTexts, 5)));
 */
export function ngramScorer(lm: ByteNgram): ChoiceScorer {
  return (context, choices) => {
    const out = new Float64Array(choices.length);
    choices.forEach((ch, c) => {
      const seq = new Uint8Array(context.length + ch.length);
      seq.set(context, 0);
      seq.set(ch, context.length);
      let s = 0;
      for (let i = context.length; i < seq.length; i++) s += lm.logProb(seq, i, seq[i]);
      out[c] = s;
    });
    return out;
  };
}
