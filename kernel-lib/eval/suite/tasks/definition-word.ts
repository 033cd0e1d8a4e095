/**
 * Definition → word for the dictionary domain. The corpus writes entries word-first
 * ("word (noun): definition", datasets/clean/wordnet.ts), so a causal model can only tell
 * which word a definition belongs to through p(definition | word). The item therefore scores
 * whole entries, Winogrande-style: the choices are "w (pos): <definition>" for the right word
 * and for other single-word entries of the same part of speech, all with the same (truncated)
 * definition; the model has to prefer the word that makes the definition likely.
 */
import type { Rng } from "../../../util/rng.js";
import { bytesKey, contextBefore, documentSpans, fromUtf8, lineSpans, truncateAtWord, utf8, type Span } from "../text.js";
import type { ChoiceItem, ChoiceTask } from "../types.js";
import { assembleItem, pickDistractors, requireItems, shuffledIndices } from "./assemble.js";
import type { TaskSource } from "../roles.js";
import type { TextTaskOptions } from "./options.js";

/** Longest "word (pos): " head a choice may have. */
export const MAX_HEAD_BYTES = 24;

const ENTRY = /^([^,()]+?) \((noun|verb|adj|adv)\): (.+)$/;

interface Entry {
  line: Span;
  word: string;
  pos: string;
  definition: string;
}

/**
 * Build the definition → word task from the dictionary's held-out bytes (a role's part, `src`). Only single-word
 * entries are used (the corpus lists synonyms before the definition; one word keeps the
 * choice in exactly the corpus's format). The definition is cut to `maxChoiceBytes`; the
 * "word (pos): " head adds at most 24 bytes more.
 *
 * @example
 * const t = buildDefinitionWordTask(roleSource(roleParts(corpus.split("dictionary", "test")), "judge"), "word_dictionary", "dictionary", opts, createRng(3));
 * fromUtf8(t.items[0].choices[0]); // "canine (noun): any of various fissiped mammals"
 */
export function buildDefinitionWordTask(src: TaskSource, name: string, domain: string, opts: TextTaskOptions, rng: Rng): ChoiceTask {
  const bytes = src.bytes;
  const docs = documentSpans(bytes);
  const entries: Entry[] = [];
  for (const d of docs) {
    for (const l of lineSpans(bytes, d)) {
      const m = ENTRY.exec(fromUtf8(bytes.subarray(l.start, l.end)));
      // at least one earlier entry as context (like the other tasks' minContextBytes)
      if (m && m[1].trim().length > 1 && l.start - d.start >= opts.minContextBytes) entries.push({ line: l, word: m[1].trim(), pos: m[2], definition: m[3] });
    }
  }
  const byPos = new Map<string, string[]>();
  for (const e of entries) {
    const ws = byPos.get(e.pos) ?? [];
    ws.push(e.word);
    byPos.set(e.pos, ws);
  }
  const items: ChoiceItem[] = [];
  for (const ei of shuffledIndices(rng, entries.length)) {
    if (items.length >= opts.items) break;
    const e = entries[ei];
    const head = (w: string): string => `${w} (${e.pos}): `;
    if (utf8(head(e.word)).length > MAX_HEAD_BYTES) continue;
    const defBytes = truncateAtWord(utf8(e.definition), opts.maxChoiceBytes);
    const definition = fromUtf8(defBytes);
    const pool = byPos.get(e.pos) ?? [];
    const words = pickDistractors(
      () => {
        const w = pool[rng.int(pool.length)];
        return w.toLowerCase() === e.word.toLowerCase() || utf8(head(w)).length > MAX_HEAD_BYTES ? null : utf8(w);
      },
      opts.numChoices - 1,
      bytesKey(utf8(e.word)),
    );
    if (!words) continue;
    const correct = utf8(head(e.word) + definition);
    const context = contextBefore(bytes, docs[e.line.doc], e.line.start, opts.contextBytes);
    if (!src.accept(context, correct)) continue;
    items.push(assembleItem(rng, `${name}:${items.length}`, context, correct, words.map((w) => utf8(head(fromUtf8(w)) + definition))));
  }
  requireItems(name, items, 1);
  return { name, kind: "definition_word", domain, numChoices: opts.numChoices, chance: 1 / opts.numChoices, items };
}
