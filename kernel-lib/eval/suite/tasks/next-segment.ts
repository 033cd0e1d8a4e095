/**
 * Next-sentence choice (a HellaSwag / cloze analogue for prose): the context is the text of a
 * held-out document up to a sentence boundary; the answer is the sentence that follows; the
 * distractors are sentences from other documents of the same domain, of similar length.
 * The same builder with the JSON segmenter gives next-field choice for minified JSON.
 */
import type { Rng } from "../../../util/rng.js";
import { bytesKey, contextBefore, eitherIsPrefix, documentSpans, jsonFieldSpans, letterCount, segmentSpans, truncateAtWord, type Span } from "../text.js";
import type { ChoiceItem, ChoiceTask } from "../types.js";
import { assembleItem, pickDistractors, requireItems, shuffledIndices } from "./assemble.js";
import type { TaskSource } from "../roles.js";
import { similarLength, type TextTaskOptions } from "./options.js";

/**
 * Build a next-sentence task (or, with `segmenter` "json", a next-field task) from one
 * domain's held-out bytes (a role's part, `src`).
 *
 * @example
 * const t = buildNextSegmentTask(roleSource(roleParts(corpus.split("books", "test")), "judge"), "cloze_books", "books", DEFAULT_TEXT_TASK_OPTIONS, createRng(1));
 * t.items[0].choices.length; // 4
 */
export function buildNextSegmentTask(src: TaskSource, name: string, domain: string, opts: TextTaskOptions, rng: Rng, segmenter: "sentence" | "json" = "sentence"): ChoiceTask {
  const bytes = src.bytes;
  const docs = documentSpans(bytes);
  const segs: Span[] = [];
  const split = segmenter === "json" ? jsonFieldSpans : segmentSpans;
  for (const d of docs) {
    for (const s of split(bytes, d)) {
      if (s.end - s.start >= opts.minChoiceBytes && letterCount(bytes, s.start, s.end) >= 3) segs.push(s);
    }
  }
  const text = (s: Span): Uint8Array => truncateAtWord(bytes.subarray(s.start, s.end), opts.maxChoiceBytes);
  const targets = segs.filter((s) => s.start - docs[s.doc].start >= opts.minContextBytes);
  const items: ChoiceItem[] = [];
  const oneDoc = docs.length < 2;
  for (const ti of shuffledIndices(rng, targets.length)) {
    if (items.length >= opts.items) break;
    const t = targets[ti];
    const correct = text(t);
    const draw = (): Uint8Array | null => {
      const s = segs[rng.int(segs.length)];
      // another document, or (single-document splits) far from the target
      if (oneDoc ? Math.abs(s.start - t.start) < 4 * opts.contextBytes : s.doc === t.doc) return null;
      const b = text(s);
      return similarLength(b.length, correct.length) && !eitherIsPrefix(b, correct) ? b : null;
    };
    const distractors = pickDistractors(draw, opts.numChoices - 1, bytesKey(correct));
    if (!distractors) continue;
    const context = contextBefore(bytes, docs[t.doc], t.start, opts.contextBytes);
    if (!src.accept(context, correct)) continue;
    items.push(assembleItem(rng, `${name}:${items.length}`, context, correct, distractors));
  }
  requireItems(name, items, 1);
  return { name, kind: segmenter === "json" ? "json_field" : "next_segment", domain, numChoices: opts.numChoices, chance: 1 / opts.numChoices, items };
}
