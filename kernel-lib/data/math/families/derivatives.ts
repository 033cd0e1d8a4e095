/**
 * Derivatives: first and second derivatives of polynomials, of products of simple factors
 * (answer expanded), and partial derivatives of multivariate polynomials, w.r.t. a named
 * variable. Exact symbolic work on `Poly`; mathjs `derivative` re-checks it in verify.ts.
 */
import type { Rng } from "../../../util/rng.js";
import { derivP, formatPoly, fromCoeffs, mulP, poly, type Poly, type Term } from "../poly.js";
import { neg, rat } from "../rational.js";
import { nonZero, pick, randInt, variables } from "../random.js";
import type { AnswerValue, MathProblem } from "../types.js";

const polyValue = (p: Poly): AnswerValue => ({ kind: "polynomial", value: p });

function ask(rng: Rng, expr: string, v: string, order: number): string {
  if (order === 1)
    return pick(rng, [
      `What is the derivative of ${expr} wrt ${v}?`,
      `Differentiate ${expr} with respect to ${v}.`,
      `Find the first derivative of ${expr} wrt ${v}.`,
      `What is the first derivative of ${expr} wrt ${v}?`,
      `Differentiate ${expr} wrt ${v}.`,
    ]);
  return pick(rng, [
    `What is the second derivative of ${expr} wrt ${v}?`,
    `Find the second derivative of ${expr} wrt ${v}.`,
    `Calculate the second derivative of ${expr} wrt ${v}.`,
    `Differentiate ${expr} twice with respect to ${v}.`,
  ]);
}

/** Power-rule slip: exponent lowered but coefficient not multiplied by it. */
function forgotPowerRule(p: Poly, i: number): Poly {
  return poly(p.vars, p.terms.filter((t) => t.e[i] > 0).map((t) => ({ c: t.c, e: t.e.map((x, j) => (j === i ? x - 1 : x)) })));
}

function build(rng: Rng, module: string, f: Poly, exprText: string, i: number, order: number, extra: Poly[]): MathProblem {
  const d = derivP(f, i, order);
  const misses: Poly[] = [...extra];
  if (order === 1) misses.push(forgotPowerRule(f, i));
  misses.push(order === 1 ? derivP(f, i, 2) : derivP(f, i, 1));
  if (d.terms.length > 0) {
    const k = rng.int(d.terms.length);
    misses.push(poly(d.vars, d.terms.map((t, j) => (j === k ? { c: neg(t.c), e: t.e } : t))));
  }
  const v = f.vars[i];
  return {
    family: "derivatives",
    module,
    question: ask(rng, exprText, v, order),
    answer: formatPoly(d),
    value: polyValue(d),
    nearMisses: misses.filter((m) => m.terms.length > 0).map(polyValue),
    check: { type: "derivative", expr: exprText, variable: v, order, variables: [...f.vars] },
  };
}

function univariate(rng: Rng): MathProblem {
  const [x] = variables(rng, 1);
  const order = rng.next() < 0.7 ? 1 : 2;
  const deg = randInt(rng, 2, 5);
  const coeffs = new Array<number>(deg + 1).fill(0);
  coeffs[deg] = nonZero(rng, -20, 20);
  const extra = randInt(rng, 1, 3);
  for (let k = 0; k < extra; k++) coeffs[randInt(rng, 0, deg - 1)] = nonZero(rng, -40, 40);
  const f = fromCoeffs(x, coeffs);
  return build(rng, "derivative_poly", f, formatPoly(f), 0, order, []);
}

function product(rng: Rng): MathProblem {
  const [x] = variables(rng, 1);
  const factor = (maxPow: number): Poly => fromCoeffs(x, [randInt(rng, -9, 9), ...new Array<number>(randInt(rng, 1, maxPow) - 1).fill(0), nonZero(rng, -5, 5)]);
  const t = rng.int(3);
  let text: string, g: Poly, h: Poly;
  if (t === 0) {
    g = factor(3);
    h = factor(2);
    text = `(${formatPoly(g)})*(${formatPoly(h)})`;
  } else if (t === 1) {
    g = poly([x], [{ c: rat(nonZero(rng, -6, 6)), e: [randInt(rng, 1, 3)] }]);
    h = factor(2);
    text = `${formatPoly(g)}*(${formatPoly(h)})`;
  } else {
    g = fromCoeffs(x, [nonZero(rng, -4, 4), nonZero(rng, -3, 3)]);
    h = g;
    text = `(${formatPoly(g)})**2`;
  }
  const f = mulP(g, h);
  const order = rng.next() < 0.8 ? 1 : 2;
  // Classic slip: (g*h)' = g'*h'.
  const slip = mulP(derivP(g, 0), derivP(h, 0));
  return build(rng, "derivative_product", f, text, 0, order, order === 1 ? [slip] : []);
}

function multivariate(rng: Rng): MathProblem {
  const vs = variables(rng, randInt(rng, 2, 3));
  const order = rng.next() < 0.7 ? 1 : 2;
  const i = rng.int(vs.length);
  for (;;) {
    const terms: Term[] = [];
    const n = randInt(rng, 2, 4);
    for (let k = 0; k < n; k++) terms.push({ c: rat(nonZero(rng, -15, 15)), e: vs.map(() => (rng.next() < 0.4 ? 0 : randInt(rng, 1, 3))) });
    const f = poly(vs, terms);
    if (derivP(f, i, order).terms.length === 0) continue;
    const other = (i + 1 + rng.int(vs.length - 1)) % vs.length;
    return build(rng, "derivative_multivariate", f, formatPoly(f), i, order, [derivP(f, other, order)]);
  }
}

/**
 * One derivative problem (polynomial 50%, product 25%, multivariate 25%).
 *
 * @example
 * derivatives(createRng(2)).question; // e.g. "What is the derivative of 3*x**4 - 2*x + 5 wrt x?"
 */
export function derivatives(rng: Rng): MathProblem {
  const u = rng.next();
  return u < 0.5 ? univariate(rng) : u < 0.75 ? product(rng) : multivariate(rng);
}
