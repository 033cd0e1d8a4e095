/**
 * Shared steps of every task builder: choose target positions, draw distractors that differ
 * from the answer and from each other, and shuffle the answer into a random slot.
 */
import { MixlabError } from "../../../util/errors.js";
import type { Rng } from "../../../util/rng.js";
import { bytesKey } from "../text.js";
import type { ChoiceItem } from "../types.js";

/**
 * The indices of [0, total) in a uniformly random order, drawn lazily (Fisher–Yates with the
 * swaps kept in a map): taking m of them costs O(m), however large `total` is.
 *
 * @example
 * for (const i of shuffledIndices(rng, targets.length)) { if (done) break; use(targets[i]); }
 */
export function* shuffledIndices(rng: Rng, total: number): Generator<number, void, undefined> {
  const swapped = new Map<number, number>();
  for (let i = 0; i < total; i++) {
    const j = i + rng.int(total - i);
    const vi = swapped.get(i) ?? i;
    const vj = swapped.get(j) ?? j;
    swapped.set(j, vi);
    swapped.delete(i);
    yield vj;
  }
}

/**
 * Up to `n` distinct indices of [0, total), drawn without replacement, in draw order (the first
 * `n` of `shuffledIndices`).
 *
 * @example
 * sampleIndices(rng, 100, 5); // e.g. [17, 3, 88, 41, 60]
 */
export function sampleIndices(rng: Rng, total: number, n: number): number[] {
  const out: number[] = [];
  if (n <= 0) return out;
  for (const i of shuffledIndices(rng, total)) {
    out.push(i);
    if (out.length >= n) break;
  }
  return out;
}

/**
 * Draw `k` distractors with `draw()` (which may return null for "unusable, try again"),
 * keeping only ones whose `key` differs from the answer's and from every other distractor's.
 * Returns null when `maxTries` draws do not give k (the caller skips the item).
 *
 * @example
 * pickDistractors(() => pool[rng.int(pool.length)], 3, answerKey, (b) => bytesKey(b));
 */
export function pickDistractors(
  draw: () => Uint8Array | null,
  k: number,
  answerKey: string,
  key: (b: Uint8Array) => string = bytesKey,
  maxTries = 50 * k,
): Uint8Array[] | null {
  const seen = new Set<string>([answerKey]);
  const out: Uint8Array[] = [];
  for (let t = 0; t < maxTries && out.length < k; t++) {
    const d = draw();
    if (!d || d.length === 0) continue;
    const dk = key(d);
    if (seen.has(dk)) continue;
    seen.add(dk);
    out.push(d);
  }
  return out.length === k ? out : null;
}

/**
 * An item with the answer placed in a uniformly random slot among the distractors.
 *
 * @example
 * assembleItem(rng, "books:3", ctx, correct, [d1, d2, d3]).choices.length; // 4
 */
export function assembleItem(rng: Rng, id: string, context: Uint8Array, correct: Uint8Array, distractors: Uint8Array[]): ChoiceItem {
  const answer = rng.int(distractors.length + 1);
  const choices = distractors.slice();
  choices.splice(answer, 0, correct);
  // Copy so items do not pin the whole corpus split in memory and cannot alias each other.
  return { id, context: context.slice(), choices: choices.map((c) => c.slice()), answer };
}

/**
 * Fail loudly when a task could not get enough items from its text.
 *
 * @example
 * requireItems("cloze_books", items, 2);
 */
export function requireItems(task: string, items: ChoiceItem[], min: number): void {
  if (items.length < min) {
    throw new MixlabError("SUITE_TOO_FEW_ITEMS", `task ${task}: only ${items.length} items could be built from its held-out text (need ≥ ${min}); use a larger corpus or fewer choices`);
  }
}
