/**
 * Sparse multivariate polynomials with exact rational coefficients, printed the way the
 * DeepMind Mathematics dataset prints them (sympy style): `-3*x**2*y + 5*x - 7/2`.
 * Used to build questions (expand, collect, differentiate) and their canonical answers
 * without mathjs in the hot path; mathjs only checks them (see verify.ts).
 */
import { add, formatQ, mul, neg, ONE, rat, ZERO, type Q } from "./rational.js";

/** One term c · Π vars[i]^e[i]. */
export interface Term {
  readonly c: Q;
  /** exponent per variable of the owning polynomial, same order as `Poly.vars` */
  readonly e: readonly number[];
}

/** A polynomial over named variables; normal form: no zero or duplicate monomials, lex order. */
export interface Poly {
  readonly vars: readonly string[];
  readonly terms: readonly Term[];
}

/** Lexicographic comparison of exponent vectors, larger first (sympy's default `lex` order). */
function lexDesc(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i] - a[i];
  return 0;
}

/**
 * Normalise a list of terms over `vars` (merge equal monomials, drop zeros, sort). `vars`
 * should be sorted alphabetically so the printed order matches sympy's.
 *
 * @example
 * const p = poly(["x"], [{ c: rat(2), e: [1] }, { c: rat(3), e: [1] }]); // 5*x
 */
export function poly(vars: readonly string[], terms: readonly Term[]): Poly {
  const byKey = new Map<string, Term>();
  for (const t of terms) {
    if (t.e.length !== vars.length) throw new RangeError("term arity differs from variables");
    const key = t.e.join(",");
    const prev = byKey.get(key);
    byKey.set(key, prev ? { c: add(prev.c, t.c), e: t.e } : t);
  }
  const out = [...byKey.values()].filter((t) => t.c.n !== 0);
  out.sort((a, b) => lexDesc(a.e, b.e));
  return { vars, terms: out };
}

/**
 * Univariate polynomial from coefficients, lowest power first.
 *
 * @example
 * formatPoly(fromCoeffs("x", [-12, -5, 2])); // "2*x**2 - 5*x - 12"
 */
export function fromCoeffs(v: string, coeffs: readonly (number | Q)[]): Poly {
  return poly([v], coeffs.map((c, i) => ({ c: typeof c === "number" ? rat(c) : c, e: [i] })));
}

/** @example addP(fromCoeffs("x", [1]), fromCoeffs("x", [0, 1])); // x + 1 */
export function addP(a: Poly, b: Poly): Poly {
  return poly(a.vars, [...a.terms, ...b.terms]);
}

/** @example scaleP(fromCoeffs("x", [1, 1]), rat(-2)); // -2*x - 2 */
export function scaleP(a: Poly, k: Q): Poly {
  return poly(a.vars, a.terms.map((t) => ({ c: mul(t.c, k), e: t.e })));
}

/** @example mulP(fromCoeffs("x", [1, 1]), fromCoeffs("x", [-1, 1])); // x**2 - 1 */
export function mulP(a: Poly, b: Poly): Poly {
  const terms: Term[] = [];
  for (const s of a.terms)
    for (const t of b.terms) terms.push({ c: mul(s.c, t.c), e: s.e.map((x, i) => x + t.e[i]) });
  return poly(a.vars, terms);
}

/** Product of several polynomials over the same variables. @example mulAll([p, q, r]) */
export function mulAll(ps: readonly Poly[]): Poly {
  let acc = poly(ps[0].vars, [{ c: ONE, e: ps[0].vars.map(() => 0) }]);
  for (const p of ps) acc = mulP(acc, p);
  return acc;
}

/**
 * Partial derivative with respect to variable index `i`, `order` times.
 *
 * @example
 * formatPoly(derivP(fromCoeffs("x", [5, -2, 0, 0, 3]), 0)); // "12*x**3 - 2"
 */
export function derivP(a: Poly, i: number, order = 1): Poly {
  let p = a;
  for (let k = 0; k < order; k++) {
    p = poly(
      p.vars,
      p.terms.filter((t) => t.e[i] > 0).map((t) => ({ c: mul(t.c, rat(t.e[i])), e: t.e.map((x, j) => (j === i ? x - 1 : x)) })),
    );
  }
  return p;
}

/**
 * Exact value at a point (one rational per variable).
 *
 * @example
 * evalP(fromCoeffs("t", [5, 0, -2, 1]), [rat(-2)]); // -11
 */
export function evalP(a: Poly, at: readonly Q[]): Q {
  let s = ZERO;
  for (const t of a.terms) {
    let v = t.c;
    for (let i = 0; i < t.e.length; i++) for (let k = 0; k < t.e[i]; k++) v = mul(v, at[i]);
    s = add(s, v);
  }
  return s;
}

/** Highest power of variable `i` (−1 for the zero polynomial). @example degreeIn(p, 0) */
export function degreeIn(a: Poly, i: number): number {
  let d = -1;
  for (const t of a.terms) d = Math.max(d, t.e[i]);
  return d;
}

/** Coefficient of x^k in a univariate polynomial. @example coeffOf(fromCoeffs("x", [1, 2]), 1) // 2 */
export function coeffOf(a: Poly, k: number): Q {
  for (const t of a.terms) if (t.e[0] === k) return t.c;
  return ZERO;
}

/** `x`, `x**2`, `x*y**3` for an exponent vector ("" for a constant). */
export function monomial(vars: readonly string[], e: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < vars.length; i++) {
    if (e[i] === 1) parts.push(vars[i]);
    else if (e[i] > 1) parts.push(`${vars[i]}**${e[i]}`);
  }
  return parts.join("*");
}

/** A term as text before joining: coefficient and monomial, e.g. { c: -3/2, mono: "x**2" }. */
export interface TextTerm {
  readonly c: Q;
  readonly mono: string;
}

/** Text of |c|·mono (sign handled by the joiner): "3*x**2", "x", "x/2", "3*x/2", "7/2". */
function magnitude(c: Q, mono: string): string {
  const n = Math.abs(c.n);
  if (mono === "") return formatQ({ n, d: c.d });
  const head = n === 1 ? mono : `${n}*${mono}`;
  return c.d === 1 ? head : `${head}/${c.d}`;
}

/**
 * Join terms in the given order without merging: "4*f - 12 + 2*f". Zero terms are skipped;
 * an empty sum prints "0".
 *
 * @example
 * joinTerms([{ c: rat(4), mono: "f" }, { c: rat(-12), mono: "" }]); // "4*f - 12"
 */
export function joinTerms(terms: readonly TextTerm[]): string {
  let out = "";
  for (const t of terms) {
    if (t.c.n === 0) continue;
    const m = magnitude(t.c, t.mono);
    if (out === "") out = t.c.n < 0 ? `-${m}` : m;
    else out += t.c.n < 0 ? ` - ${m}` : ` + ${m}`;
  }
  return out === "" ? "0" : out;
}

/**
 * Canonical DeepMind-style text of a polynomial.
 *
 * @example
 * formatPoly(fromCoeffs("x", [-12, -5, 2])); // "2*x**2 - 5*x - 12"
 */
export function formatPoly(a: Poly): string {
  return joinTerms(a.terms.map((t) => ({ c: t.c, mono: monomial(a.vars, t.e) })));
}

/** Text terms of a polynomial in canonical order (for printing in another order). */
export function textTerms(a: Poly): TextTerm[] {
  return a.terms.map((t) => ({ c: t.c, mono: monomial(a.vars, t.e) }));
}

/** The polynomial negated. @example negP(fromCoeffs("x", [1, -1])) // -x + 1 */
export function negP(a: Poly): Poly {
  return poly(a.vars, a.terms.map((t) => ({ c: neg(t.c), e: t.e })));
}
