/**
 * The `math` text domain: a seeded DeepMind-Mathematics-style problem generator.
 *
 * @example
 * import { generateMathDocuments, generateProblem, distractors } from "../../../kernel-lib/data/math/kernel-lib/data/math/index.js";
 * const docs = generateMathDocuments(42, 100);            // 100 documents of 8–20 Q/A pairs
 * const p = generateProblem("probability", createRng(1)); // { question, answer, value, check, … }
 * distractors(p, createRng(2), 3);                        // three wrong answers of the same form
 */
export { generateMathDocument, generateMathDocuments, mathDocumentProblems } from "./documents.js";
export { generateProblem } from "./problem.js";
export { distractors } from "./distractors.js";
export { verifyProblem, type Verdict } from "./verify.js";
export { formatAnswer, toBase } from "./answer.js";
export { MATH_FAMILIES, type AnswerValue, type CheckSpec, type MathFamily, type MathProblem } from "./types.js";
