/**
 * Base conversion between bases 2–16 (lowercase digits, negative numbers with a leading "-"),
 * as in DeepMind's numbers__base_conversion: "Convert -5a (base 16) to base 3."
 */
import type { Rng } from "../../../util/rng.js";
import { toBase } from "../answer.js";
import { pick, randInt, spread } from "../random.js";
import type { AnswerValue, MathProblem } from "../types.js";

/**
 * One base-conversion problem; base 10 is on one side about half the time.
 *
 * @example
 * baseConversion(createRng(6)).question; // e.g. "What is 1011 (base 2) in base 10?"
 */
export function baseConversion(rng: Rng): MathProblem {
  let from: number, to: number;
  do {
    from = rng.next() < 0.25 ? 10 : randInt(rng, 2, 16);
    to = rng.next() < 0.3 ? 10 : randInt(rng, 2, 16);
  } while (from === to);
  // At least two digits on both sides (a one-digit number reads the same in every base).
  const mag = Math.max(from, to) + Math.abs(spread(rng, 5000, 0));
  const v = rng.next() < 0.2 ? -mag : mag;
  const digits = toBase(v, from);
  const q = pick(rng, [`Convert ${digits} (base ${from}) to base ${to}.`, `What is ${digits} (base ${from}) in base ${to}?`, `${digits} (base ${from}) to base ${to}`]);
  const value: AnswerValue = { kind: "base", value: v, base: to };
  const misses: AnswerValue[] = [{ kind: "base", value: v + 1, base: to }, { kind: "base", value: v - 1, base: to }, { kind: "base", value: -v, base: to }];
  // Written in a neighbouring (smaller) base: still valid digits in the target base.
  if (to > 2) misses.push({ kind: "base", value: parseInt(toBase(v, to - 1), to), base: to });
  // Digits reversed (a real slip when reading remainders in the wrong order).
  const answer = toBase(v, to);
  const body = answer.replace("-", "");
  const rev = body.split("").reverse().join("").replace(/^0+(?=.)/, "");
  misses.push({ kind: "base", value: (v < 0 ? -1 : 1) * parseInt(rev, to), base: to });
  return {
    family: "base_conversion",
    module: "base_conversion",
    question: q,
    answer,
    value,
    nearMisses: misses,
    check: { type: "base", digits, fromBase: from, toBase: to },
  };
}
