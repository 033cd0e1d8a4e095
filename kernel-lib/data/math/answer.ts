/**
 * Canonical answer text for each answer kind; the same function prints answers and
 * distractors, so a distractor always has the answer's form and two different strings always
 * mean two different values.
 */
import { formatPoly } from "./poly.js";
import { formatQ } from "./rational.js";
import type { AnswerValue } from "./types.js";

const DIGITS = "0123456789abcdef";

/**
 * An integer written in base 2–16 with lowercase digits and a leading "-" when negative.
 *
 * @example
 * toBase(-90, 16); // "-5a"
 */
export function toBase(value: number, base: number): string {
  if (!Number.isSafeInteger(value) || base < 2 || base > 16) throw new RangeError(`bad base conversion ${value} → ${base}`);
  if (value === 0) return "0";
  let v = Math.abs(value);
  let s = "";
  while (v > 0) {
    s = DIGITS[v % base] + s;
    v = Math.floor(v / base);
  }
  return value < 0 ? `-${s}` : s;
}

/**
 * The answer as printed after "Answer: ".
 *
 * @example
 * formatAnswer({ kind: "roots", value: [rat(-2), rat(3)] }); // "-2, 3"
 */
export function formatAnswer(v: AnswerValue): string {
  switch (v.kind) {
    case "rational":
      return formatQ(v.value);
    case "polynomial":
      return formatPoly(v.value);
    case "roots":
      return v.value.map(formatQ).join(", ");
    case "base":
      return toBase(v.value, v.base);
  }
}
