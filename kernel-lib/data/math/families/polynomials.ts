/**
 * Polynomials: expand products, collect like terms, evaluate at a point, and the roots of
 * factorable quadratics (integer or simple rational roots).
 */
import type { Rng } from "../../../util/rng.js";
import { evalP, formatPoly, fromCoeffs, joinTerms, mulAll, poly, textTerms, type Poly, type Term } from "../poly.js";
import { cmp, eq, formatQ, neg, rat, add, type Q } from "../rational.js";
import { nonZero, pick, randInt, variables } from "../random.js";
import type { AnswerValue, MathProblem } from "../types.js";

const polyValue = (p: Poly): AnswerValue => ({ kind: "polynomial", value: p });

/** Factor text: canonical order, or constant first ("(3 - 2*t)") some of the time. */
function factorText(rng: Rng, p: Poly): string {
  const terms = textTerms(p);
  return rng.next() < 0.25 && terms.length > 1 ? joinTerms([...terms].reverse()) : joinTerms(terms);
}

/** Flip the sign of the term of `p` with exponent vector index `k` (a classic slip). */
function flipTerm(p: Poly, k: number): Poly {
  return poly(p.vars, p.terms.map((t, i) => (i === k ? { c: neg(t.c), e: t.e } : t)));
}

function expand(rng: Rng): MathProblem {
  const [x] = variables(rng, 1);
  const linear = (): Poly => fromCoeffs(x, [randInt(rng, -9, 9), nonZero(rng, -5, 5)]);
  const t = rng.int(5);
  let factors: Poly[];
  let text: string;
  if (t === 0 || t === 1) {
    factors = [linear(), linear()];
    text = factors.map((f) => `(${factorText(rng, f)})`).join("*");
  } else if (t === 2) {
    factors = [fromCoeffs(x, [randInt(rng, -4, 4), nonZero(rng, -3, 3)]), fromCoeffs(x, [randInt(rng, -4, 4), nonZero(rng, -3, 3)]), fromCoeffs(x, [nonZero(rng, -4, 4), nonZero(rng, -3, 3)])];
    text = factors.map((f) => `(${factorText(rng, f)})`).join("*");
  } else if (t === 3) {
    const mono = poly([x], [{ c: rat(nonZero(rng, -6, 6)), e: [randInt(rng, 1, 2)] }]);
    const other = fromCoeffs(x, [randInt(rng, -9, 9), randInt(rng, -6, 6), nonZero(rng, -5, 5)]);
    factors = [mono, other];
    text = `${formatPoly(mono)}*(${factorText(rng, other)})`;
  } else {
    const f = linear();
    factors = [f, f];
    text = `(${factorText(rng, f)})**2`;
  }
  const p = mulAll(factors);
  const misses: Poly[] = [];
  if (p.terms.length > 1) misses.push(flipTerm(p, 1));
  if (t === 4 && p.terms.length === 3) misses.push(poly([x], [p.terms[0], p.terms[2]])); // (a+b)^2 = a^2 + b^2
  misses.push(flipTerm(p, p.terms.length - 1));
  return {
    family: "polynomials",
    module: "expand",
    question: pick(rng, [`Expand ${text}.`, `Expand ${text}.`, `Multiply out ${text}.`]),
    answer: formatPoly(p),
    value: polyValue(p),
    nearMisses: misses.map(polyValue),
    check: { type: "expand", expr: text, variables: [x] },
  };
}

function collect(rng: Rng): MathProblem {
  const [x] = variables(rng, 1);
  const powers = rng.next() < 0.5 ? [randInt(rng, 1, 3)] : [randInt(rng, 2, 3), randInt(rng, 0, 1)];
  const raw: Term[] = [];
  const n = randInt(rng, 3, 5);
  for (let i = 0; i < n; i++) raw.push({ c: rat(nonZero(rng, -12, 12)), e: [powers[i % powers.length]] });
  rng.shuffle(raw);
  const p = poly([x], raw);
  if (p.terms.length === 0) return collect(rng);
  const text = joinTerms(raw.map((t) => ({ c: t.c, mono: t.e[0] === 0 ? "" : t.e[0] === 1 ? x : `${x}**${t.e[0]}` })));
  // Slip: one of the summands added with the wrong sign.
  const k = rng.int(raw.length);
  const slip = poly([x], raw.map((t, i) => (i === k ? { c: neg(t.c), e: t.e } : t)));
  return {
    family: "polynomials",
    module: "collect",
    question: pick(rng, [`Collect the terms in ${text}.`, `Simplify ${text}.`]),
    answer: formatPoly(p),
    value: polyValue(p),
    nearMisses: slip.terms.length > 0 ? [polyValue(slip)] : [],
    check: { type: "expand", expr: text, variables: [x] },
  };
}

const FUNCTION_NAMES = "fghjkmnpqrsuvwyz";

function evaluate(rng: Rng): MathProblem {
  const [x] = variables(rng, 1);
  let f = pick(rng, FUNCTION_NAMES.split(""));
  while (f === x) f = pick(rng, FUNCTION_NAMES.split(""));
  const deg = randInt(rng, 1, 3);
  const coeffs: number[] = [];
  for (let i = 0; i <= deg; i++) coeffs.push(i === deg ? nonZero(rng, -6, 6) : randInt(rng, -9, 9));
  const p = fromCoeffs(x, coeffs);
  const at = randInt(rng, -7, 7);
  const v = evalP(p, [rat(at)]);
  const def = `Let ${f}(${x}) = ${formatPoly(p)}.`;
  const q = pick(rng, [`${def} What is ${f}(${at})?`, `${def} Calculate ${f}(${at}).`, `${def} Determine ${f}(${at}).`, `${def} Give ${f}(${at}).`]);
  const rational = (q: Q): AnswerValue => ({ kind: "rational", value: q });
  return {
    family: "polynomials",
    module: "evaluate",
    question: q,
    answer: formatQ(v),
    value: rational(v),
    nearMisses: [evalP(p, [rat(-at)]), neg(v)].map(rational),
    check: { type: "evaluate_at", expr: formatPoly(p), variable: x, at },
  };
}

function roots(rng: Rng): MathProblem {
  const [x] = variables(rng, 1);
  let r1: Q, r2: Q, lead: Q;
  if (rng.next() < 0.7) {
    r1 = rat(randInt(rng, -10, 10));
    r2 = rat(randInt(rng, -10, 10));
    lead = rng.next() < 0.8 ? rat(nonZero(rng, -4, 4)) : rat(pick(rng, [-1, 1]), pick(rng, [2, 3]));
  } else {
    // (p*x - q)(x - s): one rational root q/p.
    const p = pick(rng, [2, 3, 4, 5]);
    r1 = rat(nonZero(rng, -9, 9), p);
    r2 = rat(randInt(rng, -8, 8));
    lead = rat(p * pick(rng, [-1, 1]));
  }
  // lead*(x - r1)*(x - r2) = lead*x^2 - lead*(r1 + r2)*x + lead*r1*r2
  const sum = add(r1, r2);
  const prod = { n: r1.n * r2.n, d: r1.d * r2.d };
  const p = poly([x], [
    { c: lead, e: [2] },
    { c: neg(rat(lead.n * sum.n, lead.d * sum.d)), e: [1] },
    { c: rat(lead.n * prod.n, lead.d * prod.d), e: [0] },
  ]);
  const sorted = (qs: Q[]): Q[] => {
    const out: Q[] = [];
    for (const q of [...qs].sort(cmp)) if (!out.some((o) => eq(o, q))) out.push(q);
    return out;
  };
  const rs = sorted([r1, r2]);
  const text = formatPoly(p);
  const misses: Q[][] = [sorted(rs.map(neg))];
  if (rs.length === 2) misses.push([rs[0]], [rs[1]]);
  else misses.push(sorted([rs[0], neg(rs[0])]));
  const q = pick(rng, [`Solve ${text} = 0 for ${x}.`, `Solve ${text} = 0 for ${x}.`, `Find ${x} such that ${text} = 0.`, `Determine ${x} so that ${text} = 0.`, `Suppose ${text} = 0. What is ${x}?`]);
  const rootsValue = (v: Q[]): AnswerValue => ({ kind: "roots", value: v });
  return {
    family: "polynomials",
    module: "roots",
    question: q,
    answer: rs.map(formatQ).join(", "),
    value: rootsValue(rs),
    nearMisses: misses.filter((m) => m.length > 0).map(rootsValue),
    check: { type: "roots", expr: text, variable: x },
  };
}

/**
 * One polynomial problem: expand, collect, evaluate or roots.
 *
 * @example
 * polynomials(createRng(5)).question; // e.g. "Expand (2*x + 3)*(x - 4)."
 */
export function polynomials(rng: Rng): MathProblem {
  const t = rng.int(4);
  return t === 0 ? expand(rng) : t === 1 ? collect(rng) : t === 2 ? evaluate(rng) : roots(rng);
}
