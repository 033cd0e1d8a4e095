/**
 * Code completion choice: the context is a held-out source file up to the start of a line;
 * the answer is that line; the distractors are non-trivial lines from other files of the same
 * language, re-indented to the answer's indentation so that indentation alone does not give
 * the answer away (the model has to know what code comes next, not only how deep it sits).
 */
import type { Rng } from "../../../util/rng.js";
import { bytesKey, concatBytes, contextBefore, documentSpans, indentOf, letterCount, lineSpans, type Span } from "../text.js";
import type { ChoiceItem, ChoiceTask } from "../types.js";
import { assembleItem, pickDistractors, requireItems, shuffledIndices } from "./assemble.js";
import type { TaskSource } from "../roles.js";
import { similarLength, type TextTaskOptions } from "./options.js";

const NEWLINE = Uint8Array.of(0x0a);

/**
 * Build a next-line task from one code domain's held-out bytes (a role's part, `src`). Lines longer than
 * `maxChoiceBytes` are not used (a cut line is not a line).
 *
 * @example
 * const t = buildCodeLineTask(roleSource(roleParts(corpus.split("code_python", "test")), "judge"), "nextline_code_python", "code_python", opts, createRng(1));
 */
export function buildCodeLineTask(src: TaskSource, name: string, domain: string, opts: TextTaskOptions, rng: Rng): ChoiceTask {
  const bytes = src.bytes;
  const docs = documentSpans(bytes);
  const lines: Span[] = [];
  for (const d of docs) {
    for (const l of lineSpans(bytes, d)) {
      const body = l.end - l.start - indentOf(bytes, l);
      if (body >= opts.minChoiceBytes && l.end - l.start <= opts.maxChoiceBytes && letterCount(bytes, l.start, l.end) >= 3) lines.push(l);
    }
  }
  const body = (l: Span): Uint8Array => bytes.subarray(l.start + indentOf(bytes, l), l.end);
  const targets = lines.filter((l) => l.start - docs[l.doc].start >= opts.minContextBytes);
  const items: ChoiceItem[] = [];
  const oneDoc = docs.length < 2;
  for (const ti of shuffledIndices(rng, targets.length)) {
    if (items.length >= opts.items) break;
    const t = targets[ti];
    const indent = bytes.subarray(t.start, t.start + indentOf(bytes, t));
    // Every choice ends with the newline that ends a line, so "return" cannot beat "return x;"
    // just by being a prefix of it.
    const correct = concatBytes(bytes.subarray(t.start, t.end), NEWLINE);
    const draw = (): Uint8Array | null => {
      const l = lines[rng.int(lines.length)];
      if (oneDoc ? Math.abs(l.start - t.start) < 4 * opts.contextBytes : l.doc === t.doc) return null;
      const b = concatBytes(concatBytes(indent, body(l)), NEWLINE);
      return b.length <= opts.maxChoiceBytes + 1 && similarLength(b.length, correct.length) ? b : null;
    };
    // Compare without indentation: a distractor that is the answer's text is the answer.
    const trimmedKey = (b: Uint8Array): string => bytesKey(b).trim();
    const distractors = pickDistractors(draw, opts.numChoices - 1, trimmedKey(correct), trimmedKey);
    if (!distractors) continue;
    const context = contextBefore(bytes, docs[t.doc], t.start, opts.contextBytes);
    if (!src.accept(context, correct)) continue;
    items.push(assembleItem(rng, `${name}:${items.length}`, context, correct, distractors));
  }
  requireItems(name, items, 1);
  return { name, kind: "code_line", domain, numChoices: opts.numChoices, chance: 1 / opts.numChoices, items };
}
