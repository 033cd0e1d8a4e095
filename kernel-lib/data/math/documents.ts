/**
 * Documents for the `math` corpus domain: each is 8–20 "Question: …\nAnswer: …\n" pairs, half
 * of them drawn from one family (like DeepMind's per-module files), half mixed.
 */
import { MixlabError } from "../../util/errors.js";
import { createRng, deriveSeed } from "../../util/rng.js";
import { generateProblem } from "./problem.js";
import { MATH_FAMILIES, type MathProblem } from "./types.js";

/**
 * The problems of document `index` in the stream seeded by `seed` (8–20 of them); independent
 * of how many documents are generated.
 *
 * @example
 * mathDocumentProblems(1, 0).length; // between 8 and 20
 */
export function mathDocumentProblems(seed: number, index: number): MathProblem[] {
  const rng = createRng(deriveSeed(seed, `math-doc:${index}`));
  const n = 8 + rng.int(13);
  const focus = rng.next() < 0.5 ? MATH_FAMILIES[rng.int(MATH_FAMILIES.length)] : null;
  const out: MathProblem[] = [];
  for (let i = 0; i < n; i++) out.push(generateProblem(focus ?? MATH_FAMILIES[rng.int(MATH_FAMILIES.length)], rng));
  return out;
}

/**
 * Document `index` as text: "Question: …\nAnswer: …\n" per problem.
 *
 * @example
 * generateMathDocument(1, 0).startsWith("Question: "); // true
 */
export function generateMathDocument(seed: number, index: number): string {
  let text = "";
  for (const p of mathDocumentProblems(seed, index)) text += `Question: ${p.question}\nAnswer: ${p.answer}\n`;
  return text;
}

/**
 * `count` math documents; the same seed always gives the same documents, and document i does
 * not depend on `count` (a longer run extends a shorter one).
 *
 * @example
 * const docs = generateMathDocuments(42, 3);
 * docs[0]; // "Question: Solve 3*x + 7 = 22 for x.\nAnswer: 5\nQuestion: …"
 */
export function generateMathDocuments(seed: number, count: number): string[] {
  if (!Number.isInteger(count) || count < 0) throw new MixlabError("MATH_BAD_COUNT", `document count must be a non-negative integer, got ${count}`);
  if (!Number.isFinite(seed)) throw new MixlabError("MATH_BAD_SEED", `seed must be a finite number, got ${seed}`);
  const out: string[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = generateMathDocument(seed, i);
  return out;
}
