/**
 * Greatest common divisor and least common multiple of two positive integers (including the
 * DeepMind "common denominator" phrasing of the lcm).
 */
import type { Rng } from "../../../util/rng.js";
import { gcd, rat } from "../rational.js";
import { pick, randInt } from "../random.js";
import type { AnswerValue, MathProblem } from "../types.js";

const positive = (n: number): AnswerValue => ({ kind: "rational", value: rat(n), constraint: "positive" });

/** Distinct prime factors of n (n small). */
function primeFactors(n: number): number[] {
  const out: number[] = [];
  for (let p = 2; p * p <= n; p++) {
    if (n % p === 0) {
      out.push(p);
      while (n % p === 0) n /= p;
    }
  }
  if (n > 1) out.push(n);
  return out;
}

function gcdProblem(rng: Rng): MathProblem {
  const g = pick(rng, [randInt(rng, 2, 20), randInt(rng, 2, 200), randInt(rng, 2, 2000)]);
  let m = 1, n = 1;
  while (m === n || gcd(m, n) !== 1) {
    m = randInt(rng, 1, 60);
    n = randInt(rng, 1, 60);
  }
  const [a, b] = [g * m, g * n];
  // Wrong answers: a smaller common divisor, the lcm, a multiple of the gcd.
  const misses = [...primeFactors(g).map((p) => g / p), (a / g) * b, 2 * g];
  const q = pick(rng, [
    `Calculate the greatest common divisor of ${a} and ${b}.`,
    `What is the greatest common divisor of ${a} and ${b}?`,
    `What is the highest common factor of ${a} and ${b}?`,
    `Calculate the highest common factor of ${a} and ${b}.`,
    `What is the greatest common factor of ${a} and ${b}?`,
  ]);
  return { family: "gcd_lcm", module: "gcd", question: q, answer: String(g), value: positive(g), nearMisses: misses.map(positive), check: { type: "gcd", a, b } };
}

function lcmProblem(rng: Rng): MathProblem {
  const g = randInt(rng, 1, 30);
  let m = 1, n = 1;
  while (m === n) {
    m = randInt(rng, 1, 40);
    n = randInt(rng, 1, 40);
  }
  const [a, b] = [g * m, g * n];
  const l = (a / gcd(a, b)) * b;
  const misses = [a * b, gcd(a, b), 2 * l];
  const t = rng.int(4);
  let q: string;
  if (t === 3) {
    // "Find the common denominator of x/a and y/b." — the least common denominator is lcm(a, b).
    const x = randInt(rng, 1, a + 5) * pick(rng, [1, -1]);
    const y = randInt(rng, 1, b + 5) * pick(rng, [1, -1]);
    q = `Find the common denominator of ${x}/${a} and ${y}/${b}.`;
  } else {
    q = pick(rng, [`What is the least common multiple of ${a} and ${b}?`, `Calculate the lowest common multiple of ${a} and ${b}.`, `What is the smallest common multiple of ${a} and ${b}?`]);
  }
  return { family: "gcd_lcm", module: "lcm", question: q, answer: String(l), value: positive(l), nearMisses: misses.map(positive), check: { type: "lcm", a, b } };
}

/**
 * One gcd or lcm problem.
 *
 * @example
 * gcdLcm(createRng(4)).question; // e.g. "Calculate the greatest common divisor of 4704 and 168."
 */
export function gcdLcm(rng: Rng): MathProblem {
  return rng.next() < 0.5 ? gcdProblem(rng) : lcmProblem(rng);
}
