/**
 * Plausible wrong answers of the same form as the right one, for multiple-choice tasks:
 * first the problem's own near misses (sign error, other root, lcm for gcd, …), then random
 * perturbations, then a deterministic fallback that always yields new values.
 */
import type { Rng } from "../../util/rng.js";
import { formatAnswer } from "./answer.js";
import { poly, type Poly } from "./poly.js";
import { add, cmp, div, eq, neg, rat, type Q } from "./rational.js";
import { nonZero, pick, randInt } from "./random.js";
import type { AnswerValue, MathProblem } from "./types.js";

/** Same form as the answer: integers stay integers, fractions stay fractions, probabilities stay in (0, 1). */
function sameForm(v: AnswerValue, answer: AnswerValue): boolean {
  if (v.kind !== answer.kind) return false;
  switch (v.kind) {
    case "rational": {
      const a = answer as Extract<AnswerValue, { kind: "rational" }>;
      if (a.constraint === "probability") return v.value.n > 0 && v.value.n < v.value.d;
      if (a.constraint === "positive" && v.value.n <= 0) return false;
      return (v.value.d === 1) === (a.value.d === 1);
    }
    case "polynomial":
      return v.value.terms.length > 0;
    case "roots":
      return v.value.length > 0;
    case "base":
      return Number.isSafeInteger(v.value);
  }
}

function sortedRoots(qs: Q[]): Q[] {
  const out: Q[] = [];
  for (const q of [...qs].sort(cmp)) if (!out.some((o) => eq(o, q))) out.push(q);
  return out;
}

function perturbRational(q: Q, rng: Rng): Q {
  if (q.d === 1) {
    const m = Math.max(3, Math.round(Math.abs(q.n) / 10));
    return pick(rng, [add(q, rat(nonZero(rng, -2, 2))), add(q, rat(nonZero(rng, -m, m))), neg(q), rat(2 * q.n), add(q, rat(10 * pick(rng, [-1, 1])))]);
  }
  return pick(rng, [rat(q.n + nonZero(rng, -2, 2), q.d), rat(q.n, Math.max(1, q.d + nonZero(rng, -2, 2))), neg(q), div(rat(q.d), rat(q.n)), add(q, rat(nonZero(rng, -1, 1)))]);
}

function perturbPoly(p: Poly, rng: Rng): Poly {
  const k = rng.int(p.terms.length);
  const u = rng.int(3);
  if (u === 2 && p.terms.length > 1) return poly(p.vars, p.terms.filter((_, i) => i !== k));
  return poly(p.vars, p.terms.map((t, i) => (i !== k ? t : { c: u === 0 ? neg(t.c) : add(t.c, rat(nonZero(rng, -3, 3))), e: t.e })));
}

function perturb(v: AnswerValue, rng: Rng): AnswerValue {
  switch (v.kind) {
    case "rational":
      return { ...v, value: perturbRational(v.value, rng) };
    case "polynomial":
      return { kind: "polynomial", value: perturbPoly(v.value, rng) };
    case "roots": {
      const rs = [...v.value];
      const u = rng.int(4);
      if (u === 0) return { kind: "roots", value: sortedRoots(rs.map(neg)) };
      if (u === 1 && rs.length > 1) return { kind: "roots", value: [rs[rng.int(rs.length)]] };
      if (u === 2 && rs.length === 1) return { kind: "roots", value: sortedRoots([rs[0], rat(randInt(rng, -10, 10))]) };
      const i = rng.int(rs.length);
      rs[i] = add(rs[i], rat(nonZero(rng, -2, 2)));
      return { kind: "roots", value: sortedRoots(rs) };
    }
    case "base": {
      const u = rng.int(4);
      const value = u === 0 ? v.value + nonZero(rng, -v.base, v.base) : u === 1 ? -v.value : u === 2 ? v.value * v.base : Math.trunc(v.value / v.base);
      return { kind: "base", value, base: v.base };
    }
  }
}

/** The j-th deterministic fallback: distinct for every j >= 1, so the loop always ends. */
function shift(v: AnswerValue, j: number): AnswerValue {
  switch (v.kind) {
    case "rational":
      if (v.constraint === "probability") return { ...v, value: rat(1, v.value.d + j) };
      return { ...v, value: add(v.value, rat(j)) };
    case "polynomial": {
      const zero = v.value.vars.map(() => 0);
      return { kind: "polynomial", value: poly(v.value.vars, [...v.value.terms, { c: rat(j), e: zero }]) };
    }
    case "roots":
      return { kind: "roots", value: v.value.map((r) => add(r, rat(j))) };
    case "base":
      return { kind: "base", value: v.value + j, base: v.base };
  }
}

/**
 * `k` distinct wrong answers for `problem`, each different from the correct answer and
 * printed in the same form (integer / fraction / probability / polynomial / root list / base
 * digits). Deterministic given the rng state.
 *
 * @example
 * const p = generateProblem("polynomials", createRng(1));
 * distractors(p, createRng(2), 3); // e.g. ["2*x**2 + 5*x - 12", "-3, 4", ...] — same form as p.answer
 */
export function distractors(problem: MathProblem, rng: Rng, k: number): string[] {
  const seen = new Set<string>([problem.answer]);
  const out: string[] = [];
  const offer = (v: AnswerValue): void => {
    if (out.length >= k || !sameForm(v, problem.value)) return;
    const s = formatAnswer(v);
    if (seen.has(s)) return;
    seen.add(s);
    out.push(s);
  };
  for (const m of rng.shuffle([...problem.nearMisses])) offer(m);
  for (let tries = 0; out.length < k && tries < 60; tries++) offer(perturb(problem.value, rng));
  for (let j = 1; out.length < k; j++) offer(shift(problem.value, j));
  return out;
}
