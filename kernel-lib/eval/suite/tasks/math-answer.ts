/**
 * Math answer choice: a generated problem in the corpus's own format ("Question: …\nAnswer: …\n",
 * see kernel-lib/data/math/documents.ts), with one solved problem as a shot when it fits; the choices
 * are the right answer and the generator's same-form distractors (sign errors, other roots, …),
 * each followed by the newline that ends an answer — without it a distractor that is a prefix
 * of the answer ("1" vs "12") would always win on summed log-likelihood.
 */
import { distractors } from "../../../data/math/distractors.js";
import { generateProblem } from "../../../data/math/problem.js";
import { MATH_FAMILIES, type MathProblem } from "../../../data/math/types.js";
import type { Rng } from "../../../util/rng.js";
import { utf8 } from "../text.js";
import type { ChoiceItem, ChoiceTask } from "../types.js";
import { assembleItem, requireItems } from "./assemble.js";
import type { TaskSource } from "../roles.js";
import type { TextTaskOptions } from "./options.js";

const qa = (p: MathProblem): string => `Question: ${p.question}\nAnswer: ${p.answer}\n`;

/**
 * Build the math answer-choice task; families rotate so each is equally represented (among
 * those whose problems fit the size limits).
 * Problems whose question does not fit `contextBytes` or whose answers exceed
 * `maxChoiceBytes` are redrawn, as are those `src` does not accept (the other role's:
 * `generatedSource`).
 *
 * @example
 * const t = buildMathAnswerTask(generatedSource("judge"), "math_answer", opts, createRng(7));
 * fromUtf8(t.items[0].context); // "Question: …\nAnswer: 5\nQuestion: Solve …\nAnswer:"
 */
export function buildMathAnswerTask(src: TaskSource, name: string, opts: TextTaskOptions, rng: Rng): ChoiceTask {
  const items: ChoiceItem[] = [];
  const k = opts.numChoices - 1;
  for (let attempt = 0; items.length < opts.items && attempt < 50 * opts.items; attempt++) {
    // rotate by attempt, not by item: a family whose problems never fit must not stall the loop
    const family = MATH_FAMILIES[attempt % MATH_FAMILIES.length];
    const p = generateProblem(family, rng);
    const prompt = `Question: ${p.question}\nAnswer:`;
    const shot = qa(generateProblem(MATH_FAMILIES[rng.int(MATH_FAMILIES.length)], rng));
    const wrong = distractors(p, rng, k);
    const choices = [p.answer, ...wrong].map((a) => utf8(` ${a}\n`));
    if (utf8(prompt).length > opts.contextBytes || choices.some((c) => c.length > opts.maxChoiceBytes)) continue;
    if (!src.accept(utf8(prompt), choices[0])) continue;
    const context = utf8(utf8(shot + prompt).length <= opts.contextBytes ? shot + prompt : prompt);
    items.push(assembleItem(rng, `${name}:${items.length}`, context, choices[0], choices.slice(1)));
  }
  requireItems(name, items, 1);
  return { name, kind: "math_answer", domain: "math", numChoices: opts.numChoices, chance: 1 / opts.numChoices, items };
}
