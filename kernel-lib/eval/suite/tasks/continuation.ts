/**
 * Cross-domain continuation choice: the context is held-out text of one domain cut after a
 * space, a newline or a separator of code and JSON (, { [ ( ;); the answer is the text that follows it there; the distractors are
 * passages of the same length from other domains (one domain each), also starting at a word.
 * A log-likelihood scorer prefers the continuation it finds likely, so a model picks the
 * right one when it has learned this domain's text well relative to the other domains' — the
 * task measures what a model was trained on, which is what a data mixture changes.
 */
import type { Rng } from "../../../util/rng.js";
import { bytesKey, contextBefore, documentSpans, eitherIsPrefix, letterCount, truncateAtWord, type Span } from "../text.js";
import type { ChoiceItem, ChoiceTask } from "../types.js";
import { assembleItem, pickDistractors, requireItems, sampleIndices, shuffledIndices } from "./assemble.js";
import { similarLength, type TextTaskOptions } from "./options.js";
import type { TaskSource } from "../roles.js";

/** Held-out text of another domain, the distractors' source. */
export interface ForeignText {
  domain: string;
  bytes: Uint8Array;
}

/** Bytes after which a passage may start: whitespace, and the separators of code and minified JSON. */
const isBreak = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x09 || b === 0x2c || b === 0x7b || b === 0x5b || b === 0x28 || b === 0x3b;
const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0d;

/** Whether a passage may start at `p`: after a break byte, at a non-space byte that begins a UTF-8 character. */
const startsPassage = (bytes: Uint8Array, p: number): boolean => isBreak(bytes[p - 1]) && !isSpace(bytes[p]) && bytes[p] !== 0 && (bytes[p] & 0xc0) !== 0x80;

/** Passage starts inside documents with ≥ `minBefore` bytes of the document before and ≥ `minAfter` after. */
function passageStarts(bytes: Uint8Array, docs: readonly Span[], minBefore: number, minAfter: number): { pos: Int32Array; doc: Int32Array } {
  const pos: number[] = [], doc: number[] = [];
  for (const d of docs) {
    for (let p = Math.max(d.start + minBefore, d.start + 1); p <= d.end - minAfter; p++) {
      if (startsPassage(bytes, p)) { pos.push(p); doc.push(d.doc); }
    }
  }
  return { pos: Int32Array.from(pos), doc: Int32Array.from(doc) };
}

/** The document holding byte `p` (binary search over document spans). */
function docAt(docs: readonly Span[], p: number): Span | null {
  let lo = 0, hi = docs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (p < docs[mid].start) hi = mid - 1;
    else if (p >= docs[mid].end) lo = mid + 1;
    else return docs[mid];
  }
  return null;
}

/**
 * Build a cross-domain continuation task for `domain` from its held-out bytes (a role's part,
 * `src`), drawing distractors from `foreign` (other domains' held-out bytes, the same role's
 * parts; at least numChoices−1 domains). Continuations are cut at a word boundary to at most
 * `maxChoiceBytes` and must have at least `minChoiceBytes` and three letters; a distractor
 * starts at the first passage start after a random byte of its domain's text.
 *
 * @example
 * const t = buildContinuationTask(roleSource(roleParts(books), "judge"), others, "continue_books", "books", opts, createRng(1));
 * t.items[0].choices.length; // 4: the true continuation and passages of three other domains
 */
export function buildContinuationTask(src: TaskSource, foreign: readonly ForeignText[], name: string, domain: string, opts: TextTaskOptions, rng: Rng): ChoiceTask {
  const bytes = src.bytes;
  const docs = documentSpans(bytes);
  const targets = passageStarts(bytes, docs, opts.minContextBytes, opts.minChoiceBytes);
  const sources = foreign.filter((f) => f.domain !== domain && f.bytes.length > 0).map((f) => ({ bytes: f.bytes, docs: documentSpans(f.bytes) }));
  const k = opts.numChoices - 1;
  const items: ChoiceItem[] = [];
  const passage = (b: Uint8Array, end: number, pos: number): Uint8Array => truncateAtWord(b.subarray(pos, Math.min(end, pos + opts.maxChoiceBytes)), opts.maxChoiceBytes);
  const usable = (c: Uint8Array): boolean => c.length >= opts.minChoiceBytes && letterCount(c) >= 3;
  if (sources.length >= k) {
    for (const ti of shuffledIndices(rng, targets.pos.length)) {
      if (items.length >= opts.items) break;
      const at = targets.pos[ti], doc = docs[targets.doc[ti]];
      const correct = passage(bytes, doc.end, at);
      if (!usable(correct)) continue;
      const context = contextBefore(bytes, doc, at, opts.contextBytes);
      if (context.length < opts.minContextBytes || !src.accept(context, correct)) continue;
      // one distractor per other domain, the domains in an order drawn per item
      const order = sampleIndices(rng, sources.length, sources.length);
      let next = 0;
      const draw = (): Uint8Array | null => {
        const s = sources[order[next++ % order.length]];
        let p = 1 + rng.int(s.bytes.length - 1);
        while (p < s.bytes.length && !startsPassage(s.bytes, p)) p++;
        const d = docAt(s.docs, p);
        if (!d) return null;
        const c = passage(s.bytes, d.end, p);
        return usable(c) && similarLength(c.length, correct.length) && !eitherIsPrefix(c, correct) ? c : null;
      };
      const distractors = pickDistractors(draw, k, bytesKey(correct));
      if (!distractors) continue;
      items.push(assembleItem(rng, `${name}:${items.length}`, context, correct, distractors));
    }
  }
  requireItems(name, items, 1);
  return { name, kind: "continuation", domain, numChoices: opts.numChoices, chance: 1 / opts.numChoices, items };
}
