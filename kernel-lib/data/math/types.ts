/**
 * Plain-data types of the math generator: a problem carries its text, its canonical answer
 * text, the structured answer (so distractors keep the same form) and a machine-checkable
 * statement of what was asked (so tests and the evaluation suite can verify it independently).
 */
import type { Poly } from "./poly.js";
import type { Q } from "./rational.js";

/** The module families, in a fixed order (documents draw from this list). */
export const MATH_FAMILIES = [
  "arithmetic",
  "linear",
  "polynomials",
  "derivatives",
  "gcd_lcm",
  "base_conversion",
  "probability",
] as const;
export type MathFamily = (typeof MATH_FAMILIES)[number];

/**
 * The structured answer. `constraint` narrows rationals: "positive" (gcd, lcm) or
 * "probability" (in (0, 1)); distractors respect it.
 */
export type AnswerValue =
  | { readonly kind: "rational"; readonly value: Q; readonly constraint?: "positive" | "probability" }
  | { readonly kind: "polynomial"; readonly value: Poly }
  /** distinct real roots, ascending, printed "-2, 3" */
  | { readonly kind: "roots"; readonly value: readonly Q[] }
  /** an integer printed in `base` with digits 0-9a-f */
  | { readonly kind: "base"; readonly value: number; readonly base: number };

/**
 * What was asked, in machine-checkable form. Expressions use the question's own syntax
 * (`**` for powers, as printed in the question); checkers translate to mathjs (`^`).
 */
export type CheckSpec =
  /** answer = exact value of `expr` */
  | { readonly type: "evaluate"; readonly expr: string }
  /** answer = value of the polynomial `expr` in `variable` at `at` */
  | { readonly type: "evaluate_at"; readonly expr: string; readonly variable: string; readonly at: number }
  /** answer = value of `target` in the unique solution of the equations ("lhs = rhs") */
  | { readonly type: "solve"; readonly equations: readonly string[]; readonly variables: readonly string[]; readonly target: string }
  /** answer is the expanded / collected form of `expr` (same polynomial, no brackets) */
  | { readonly type: "expand"; readonly expr: string; readonly variables: readonly string[] }
  /** answer lists every distinct root of `expr` = 0 */
  | { readonly type: "roots"; readonly expr: string; readonly variable: string }
  /** answer = `order`-th derivative of `expr` w.r.t. `variable` */
  | { readonly type: "derivative"; readonly expr: string; readonly variable: string; readonly order: number; readonly variables: readonly string[] }
  | { readonly type: "gcd"; readonly a: number; readonly b: number }
  | { readonly type: "lcm"; readonly a: number; readonly b: number }
  /** answer = `digits` (an integer written in `fromBase`) written in `toBase` */
  | { readonly type: "base"; readonly digits: string; readonly fromBase: number; readonly toBase: number }
  /** answer = P(event) when `picks` letters are drawn without replacement from the multiset `letters` */
  | {
      readonly type: "probability";
      readonly letters: string;
      readonly picks: number;
      readonly event: { readonly counts: Readonly<Record<string, number>> } | { readonly sequence: string };
    };

/** One generated problem. */
export interface MathProblem {
  readonly family: MathFamily;
  /** finer module name, e.g. "linear_2d", "roots", "second_derivative" */
  readonly module: string;
  readonly question: string;
  /** canonical answer text (`formatAnswer(value)`) */
  readonly answer: string;
  readonly value: AnswerValue;
  /** plausible wrong answers specific to this problem (sign error, other root, …); may be empty */
  readonly nearMisses: readonly AnswerValue[];
  readonly check: CheckSpec;
}
