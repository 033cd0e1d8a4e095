/**
 * Independent check of a generated problem with mathjs (exact Fraction arithmetic, symbolic
 * `derivative`, `lusolve`), plus plain enumeration for probabilities. It never calls the
 * generator's own algebra, so a bug there shows up here. Slow-ish (parsing): meant for tests
 * and for the evaluation suite to vet items, not for the corpus hot path.
 */
import { all, create, type Fraction, type MathJsInstance, type MathNode } from "mathjs";
import type { CheckSpec, MathProblem } from "./types.js";

let cached: MathJsInstance | null = null;
/** mathjs configured to evaluate numbers as exact Fractions (created on first use). */
function mathjs(): MathJsInstance {
  if (cached === null) cached = create(all, { number: "Fraction" });
  return cached;
}

/** Question syntax → mathjs syntax (`**` is `^` in mathjs). */
function toMathjs(expr: string): string {
  return expr.replace(/\*\*/g, "^");
}

/** Fixed, awkward rational test points (no two variables share one). */
const POINTS: [number, number][] = [[2, 3], [-5, 7], [3, 1], [-11, 5], [7, 4], [-1, 9], [13, 6], [-4, 3]];

function frac(n: number, d = 1): Fraction {
  return mathjs().fraction(n, d);
}

function evalAt(expr: string, scope: Record<string, Fraction>): Fraction {
  return mathjs().evaluate(toMathjs(expr), { ...scope }) as Fraction;
}

function same(a: Fraction, b: Fraction): boolean {
  return mathjs().equal(a, b) as boolean;
}

/** Scopes assigning distinct rational points to `vars`, `count` of them. */
function scopes(vars: readonly string[], count: number): Record<string, Fraction>[] {
  const out: Record<string, Fraction>[] = [];
  for (let s = 0; s < count; s++) {
    const scope: Record<string, Fraction> = {};
    vars.forEach((v, i) => {
      const [n, d] = POINTS[(s * vars.length + i + s) % POINTS.length];
      scope[v] = frac(n + s, d);
    });
    out.push(scope);
  }
  return out;
}

function parseRoots(answer: string): Fraction[] {
  return answer.split(", ").map((r) => mathjs().fraction(r));
}

/** Exact probability by enumerating every ordered draw of `picks` letters. */
function enumerateProbability(check: Extract<CheckSpec, { type: "probability" }>): Fraction {
  const letters = check.letters.split("");
  const n = letters.length;
  let hit = 0;
  let total = 0;
  const used = new Array<boolean>(n).fill(false);
  const drawn: string[] = [];
  const isHit = (): boolean => {
    if ("sequence" in check.event) return drawn.join("") === check.event.sequence;
    const c: Record<string, number> = {};
    for (const ch of drawn) c[ch] = (c[ch] ?? 0) + 1;
    const want = check.event.counts;
    const keys = new Set([...Object.keys(c), ...Object.keys(want)]);
    for (const k of keys) if ((c[k] ?? 0) !== (want[k] ?? 0)) return false;
    return true;
  };
  const rec = (depth: number): void => {
    if (depth === check.picks) {
      total++;
      if (isHit()) hit++;
      return;
    }
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      used[i] = true;
      drawn.push(letters[i]);
      rec(depth + 1);
      drawn.pop();
      used[i] = false;
    }
  };
  rec(0);
  return frac(hit, total);
}

/** Result of `verifyProblem`. */
export interface Verdict {
  ok: boolean;
  reason?: string;
}

const fail = (reason: string): Verdict => ({ ok: false, reason });

/**
 * Check that `problem.answer` is the correct answer to what `problem.check` states.
 *
 * @example
 * verifyProblem(generateProblem("derivatives", createRng(1))); // { ok: true }
 */
export function verifyProblem(problem: MathProblem): Verdict {
  const m = mathjs();
  const c = problem.check;
  const ans = problem.answer;
  switch (c.type) {
    case "evaluate":
      return same(evalAt(c.expr, {}), m.fraction(ans)) ? { ok: true } : fail(`${c.expr} ≠ ${ans}`);
    case "evaluate_at":
      return same(evalAt(c.expr, { [c.variable]: frac(c.at) }), m.fraction(ans)) ? { ok: true } : fail(`value at ${c.at} ≠ ${ans}`);
    case "solve": {
      // Each equation as f = lhs - rhs, affine in the variables: read its coefficients off
      // by evaluating at 0 and the unit vectors, then solve exactly with lusolve.
      const fs = c.equations.map((e) => {
        const [l, r] = e.split(" = ");
        return `(${l}) - (${r})`;
      });
      const zero = Object.fromEntries(c.variables.map((v) => [v, frac(0)]));
      const A: Fraction[][] = [];
      const b: Fraction[] = [];
      for (const f of fs) {
        const c0 = evalAt(f, zero);
        A.push(c.variables.map((v) => m.subtract(evalAt(f, { ...zero, [v]: frac(1) }), c0) as Fraction));
        b.push(m.unaryMinus(c0) as Fraction);
      }
      if (same(m.det(A) as unknown as Fraction, frac(0))) return fail("system is singular");
      const x = m.lusolve(A, b) as unknown as Fraction[][];
      const sol = x[c.variables.indexOf(c.target)][0];
      // Also substitute the full solution back into every equation.
      const scope = Object.fromEntries(c.variables.map((v, i) => [v, x[i][0]]));
      for (const f of fs) if (!same(evalAt(f, scope), frac(0))) return fail("solution does not satisfy the equations");
      return same(sol, m.fraction(ans)) ? { ok: true } : fail(`${c.target} = ${m.format(sol)}, answer ${ans}`);
    }
    case "expand": {
      if (ans.includes("(")) return fail("answer still has brackets");
      for (const s of scopes(c.variables, 6)) if (!same(evalAt(c.expr, s), evalAt(ans, s))) return fail("expanded form differs");
      return { ok: true };
    }
    case "roots": {
      const node = m.parse(toMathjs(c.expr));
      const rs = parseRoots(ans);
      for (const r of rs) if (!same(node.evaluate({ [c.variable]: r }) as Fraction, frac(0))) return fail(`${m.format(r)} is not a root`);
      // A quadratic with one listed root must have it as a double root (derivative also 0).
      if (rs.length === 1) {
        const d = m.derivative(node, c.variable);
        if (!same(d.evaluate({ [c.variable]: rs[0] }) as Fraction, frac(0))) return fail("a root is missing");
      }
      return rs.length <= 2 ? { ok: true } : fail("too many roots for a quadratic");
    }
    case "derivative": {
      let d: MathNode = m.parse(toMathjs(c.expr));
      for (let k = 0; k < c.order; k++) d = m.derivative(d, c.variable);
      for (const s of scopes(c.variables, 5)) if (!same(d.evaluate({ ...s }) as Fraction, evalAt(ans, s))) return fail("derivative differs");
      return { ok: true };
    }
    case "gcd":
      return Number(ans) === Number(m.gcd(c.a, c.b)) ? { ok: true } : fail("wrong gcd");
    case "lcm":
      return Number(ans) === Number(m.lcm(c.a, c.b)) ? { ok: true } : fail("wrong lcm");
    case "base": {
      const v = parseInt(c.digits, c.fromBase);
      return v.toString(c.toBase) === ans ? { ok: true } : fail(`${c.digits}_${c.fromBase} is ${v.toString(c.toBase)} in base ${c.toBase}`);
    }
    case "probability":
      return same(enumerateProbability(c), m.fraction(ans)) ? { ok: true } : fail("probability differs from enumeration");
  }
}
