/**
 * One problem of a named family — the entry point the document generator, the tests and the
 * downstream multiple-choice suite share.
 */
import { MixlabError } from "../../util/errors.js";
import type { Rng } from "../../util/rng.js";
import { arithmetic } from "./families/arithmetic.js";
import { baseConversion } from "./families/baseConversion.js";
import { derivatives } from "./families/derivatives.js";
import { gcdLcm } from "./families/gcdLcm.js";
import { linear } from "./families/linear.js";
import { polynomials } from "./families/polynomials.js";
import { probability } from "./families/probability.js";
import { MATH_FAMILIES, type MathFamily, type MathProblem } from "./types.js";

const GENERATORS: Record<MathFamily, (rng: Rng) => MathProblem> = {
  arithmetic,
  linear,
  polynomials,
  derivatives,
  gcd_lcm: gcdLcm,
  base_conversion: baseConversion,
  probability,
};

/**
 * Generate one problem of `family`, drawing all randomness from `rng`.
 * Throws `MixlabError("MATH_UNKNOWN_FAMILY")` for a name not in `MATH_FAMILIES`.
 *
 * @example
 * const p = generateProblem("linear", createRng(1));
 * p.question; // e.g. "Solve 3*x + 7 = 22 for x."
 * p.answer;   // e.g. "5"
 */
export function generateProblem(family: MathFamily, rng: Rng): MathProblem {
  const gen = GENERATORS[family];
  if (!gen || !Object.prototype.hasOwnProperty.call(GENERATORS, family))
    throw new MixlabError("MATH_UNKNOWN_FAMILY", `unknown math family "${String(family)}"; expected one of ${MATH_FAMILIES.join(", ")}`);
  return gen(rng);
}
