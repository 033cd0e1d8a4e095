/**
 * The math generator's answers are checked by independent means: exact mathjs evaluation and
 * substitution, finite differences, brute force, parseInt and exhaustive enumeration — never
 * by the generator's own algebra.
 */
import { all, create, type Fraction } from "mathjs";
import { describe, expect, it } from "vitest";
import { isMixlabError } from "../../kernel-lib/util/errors.js";
import { createRng, type Rng } from "../../kernel-lib/util/rng.js";
import {
  distractors,
  generateMathDocuments,
  generateProblem,
  MATH_FAMILIES,
  mathDocumentProblems,
  verifyProblem,
  type CheckSpec,
  type MathFamily,
  type MathProblem,
} from "../../kernel-lib/data/math/index.js";

const exact = create(all, { number: "Fraction" });
const float = create(all);
const mj = (s: string): string => s.replace(/\*\*/g, "^");

function problems(family: MathFamily, n: number, seed = 11): MathProblem[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => generateProblem(family, rng));
}

function checkOf<T extends CheckSpec["type"]>(p: MathProblem, type: T): Extract<CheckSpec, { type: T }> {
  expect(p.check.type).toBe(type);
  return p.check as Extract<CheckSpec, { type: T }>;
}

const fr = (s: string | number): Fraction => exact.fraction(s as string);
const sameFr = (a: unknown, b: unknown): boolean => exact.equal(a as Fraction, b as Fraction) as boolean;
const gcdInt = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcdInt(b, a % b));
/** Reduced integer or fraction, as DeepMind prints it. */
const RATIONAL = /^-?\d+(\/\d+)?$/;
function isReducedRational(s: string): boolean {
  if (!RATIONAL.test(s)) return false;
  const [n, d] = s.split("/").map(Number);
  return d === undefined || (d > 1 && gcdInt(n, d) === 1);
}
const randPoint = (rng: Rng): number => Math.round((rng.next() * 4 - 2) * 1000) / 1000 + 0.0005;

/** The variables that appear in a polynomial string (single letters). */
const lettersIn = (s: string): string[] => [...new Set(s.match(/[a-z]/g) ?? [])];

describe("arithmetic", () => {
  it("answers equal the exact mathjs value of the expression, reduced", () => {
    for (const p of problems("arithmetic", 400)) {
      const c = checkOf(p, "evaluate");
      expect(isReducedRational(p.answer), p.answer).toBe(true);
      expect(sameFr(exact.evaluate(c.expr), fr(p.answer)), `${p.question} → ${p.answer}`).toBe(true);
      // The expression uses exactly the numbers printed in the question.
      const nums = (s: string): string[] => (s.match(/\d+/g) ?? []).sort();
      expect(nums(c.expr)).toEqual(nums(p.question));
    }
  });
  it("covers add/sub, mul/div, fractions and bracketed mixed expressions", () => {
    const ps = problems("arithmetic", 200);
    expect(new Set(ps.map((p) => p.module))).toEqual(new Set(["add_sub", "mul_div", "fractions", "mixed"]));
    expect(ps.some((p) => p.module === "mixed" && p.question.includes("("))).toBe(true);
    expect(ps.some((p) => p.answer.includes("/"))).toBe(true);
  });
});

describe("linear equations", () => {
  it("one variable: the answer satisfies the equation and is the only solution", () => {
    const ps = problems("linear", 400).filter((p) => p.module === "linear_1d");
    expect(ps.length).toBeGreaterThan(150);
    for (const p of ps) {
      const c = checkOf(p, "solve");
      const [eq] = c.equations;
      expect(p.question).toContain(eq);
      const [l, r] = eq.split(" = ");
      const f = (x: Fraction): Fraction => exact.evaluate(`(${l}) - (${r})`, { [c.target]: x }) as Fraction;
      expect(sameFr(f(fr(p.answer)), fr(0)), p.question).toBe(true);
      expect(sameFr(f(exact.add(fr(p.answer), fr(1)) as Fraction), fr(0))).toBe(false);
    }
  });
  it("2x2 systems: Cramer's rule on coefficients read off the equations gives the answer", () => {
    const ps = problems("linear", 400).filter((p) => p.module === "linear_2d");
    expect(ps.length).toBeGreaterThan(100);
    for (const p of ps) {
      const c = checkOf(p, "solve");
      const [u, v] = c.variables;
      for (const e of c.equations) expect(p.question).toContain(e);
      expect(p.question).toMatch(new RegExp(`(for|is) ${c.target}[.?]$`));
      // f(u, v) = lhs - rhs = a*u + b*v + k, coefficients by evaluation (plain floats).
      const rows = c.equations.map((e) => {
        const [l, r] = e.split(" = ");
        const f = (x: number, y: number): number => float.evaluate(`(${l}) - (${r})`, { [u]: x, [v]: y }) as number;
        const k = f(0, 0);
        return [f(1, 0) - k, f(0, 1) - k, -k];
      });
      const [[a, b, e], [cc, d, g]] = rows;
      const det = a * d - b * cc;
      expect(det).not.toBe(0);
      const su = (e * d - b * g) / det;
      const sv = (a * g - e * cc) / det;
      expect(Number(p.answer)).toBeCloseTo(c.target === u ? su : sv, 9);
    }
  });
});

describe("polynomials", () => {
  const ps = problems("polynomials", 600);
  it("expand/collect: the answer equals the original at random points, has no brackets and no repeated monomial", () => {
    const rng = createRng(5);
    const sel = ps.filter((p) => p.module === "expand" || p.module === "collect");
    expect(new Set(sel.map((p) => p.module)).size).toBe(2);
    for (const p of sel) {
      const c = checkOf(p, "expand");
      expect(p.question).toContain(c.expr);
      expect(p.answer).not.toContain("(");
      const monos = p.answer.replace(/^-/, "").split(/ [+-] /).map((t) => t.replace(/^\d+\*?/, "").replace(/\/\d+$/, ""));
      expect(new Set(monos).size, p.answer).toBe(monos.length);
      for (let k = 0; k < 4; k++) {
        const x = randPoint(rng);
        const want = float.evaluate(mj(c.expr), { [c.variables[0]]: x }) as number;
        const got = float.evaluate(mj(p.answer), { [c.variables[0]]: x }) as number;
        expect(got).toBeCloseTo(want, 6);
      }
    }
  });
  it("evaluate: substituting the point gives the answer", () => {
    const sel = ps.filter((p) => p.module === "evaluate");
    expect(sel.length).toBeGreaterThan(50);
    for (const p of sel) {
      const c = checkOf(p, "evaluate_at");
      expect(p.question).toContain(`(${c.variable}) = ${c.expr}.`);
      expect(p.question).toMatch(new RegExp(`\\(${c.at}\\)[.?]$`));
      expect(sameFr(exact.evaluate(mj(c.expr), { [c.variable]: fr(c.at) }), fr(p.answer))).toBe(true);
    }
  });
  it("roots: quadratic formula on the coefficients gives exactly the listed roots, each an exact zero", () => {
    const sel = ps.filter((p) => p.module === "roots");
    expect(sel.length).toBeGreaterThan(50);
    let rational = 0;
    for (const p of sel) {
      const c = checkOf(p, "roots");
      expect(p.question).toContain(`${c.expr} = 0`);
      // Coefficients exactly (Fractions) from f(0), f(1), f(-1); the discriminant exactly.
      const f = (x: number): Fraction => exact.evaluate(mj(c.expr), { [c.variable]: fr(x) }) as Fraction;
      const E = (s: string, scope: Record<string, Fraction>): number => Number(exact.evaluate(s, scope).valueOf());
      const sc = { f0: f(0), f1: f(1), fm: f(-1) };
      const a = E("(f1 + fm)/2 - f0", sc);
      const b = E("(f1 - fm)/2", sc);
      const disc = E("((f1 - fm)/2)^2 - 4*((f1 + fm)/2 - f0)*f0", sc);
      expect(disc).toBeGreaterThanOrEqual(0);
      const s = Math.sqrt(Math.max(0, disc));
      const want = [...new Set([(-b - s) / (2 * a), (-b + s) / (2 * a)].map((r) => Math.round(r * 1e9) / 1e9))].sort((x, y) => x - y);
      const got = p.answer.split(", ");
      expect(got.length).toBe(want.length);
      got.forEach((r, i) => {
        expect(isReducedRational(r)).toBe(true);
        if (r.includes("/")) rational++;
        expect(float.evaluate(r) as number).toBeCloseTo(want[i], 9);
        expect(sameFr(exact.evaluate(mj(c.expr), { [c.variable]: fr(r) }), fr(0))).toBe(true);
      });
    }
    expect(rational).toBeGreaterThan(0);
  });
});

describe("derivatives", () => {
  const ps = problems("derivatives", 400);
  it("match central finite differences at random points (first and second order)", () => {
    const rng = createRng(9);
    const orders = new Set<number>();
    for (const p of ps) {
      const c = checkOf(p, "derivative");
      orders.add(c.order);
      expect(p.question).toContain(c.expr);
      expect(p.question).toMatch(new RegExp(`(wrt|with respect to) ${c.variable}[.?]$`));
      expect(/second|twice/.test(p.question)).toBe(c.order === 2);
      const f = float.compile(mj(c.expr));
      const d = float.compile(mj(p.answer));
      for (let k = 0; k < 3; k++) {
        const scope: Record<string, number> = {};
        for (const v of c.variables) scope[v] = randPoint(rng);
        const at = (dx: number): number => f.evaluate({ ...scope, [c.variable]: scope[c.variable] + dx }) as number;
        const h = c.order === 1 ? 1e-5 : 1e-3;
        const fd = c.order === 1 ? (at(h) - at(-h)) / (2 * h) : (at(h) - 2 * at(0) + at(-h)) / (h * h);
        const want = d.evaluate(scope) as number;
        expect(Math.abs(fd - want), `${p.question} → ${p.answer}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(want), Math.abs(at(0))));
      }
    }
    expect([...orders].sort()).toEqual([1, 2]);
    expect(new Set(ps.map((p) => p.module))).toEqual(new Set(["derivative_poly", "derivative_product", "derivative_multivariate"]));
  });
  it("equal mathjs' symbolic derivative exactly at rational points", () => {
    for (const p of ps.slice(0, 150)) {
      const c = checkOf(p, "derivative");
      let node = exact.parse(mj(c.expr));
      for (let k = 0; k < c.order; k++) node = exact.derivative(node, c.variable);
      const scope = Object.fromEntries(c.variables.map((v, i) => [v, exact.fraction(2 * i + 3, 7)]));
      expect(sameFr(node.evaluate({ ...scope }), exact.evaluate(mj(p.answer), { ...scope }))).toBe(true);
      expect(lettersIn(p.answer).every((v) => c.variables.includes(v))).toBe(true);
    }
  });
});

describe("gcd and lcm", () => {
  it("match brute force", () => {
    const ps = problems("gcd_lcm", 300);
    expect(new Set(ps.map((p) => p.module))).toEqual(new Set(["gcd", "lcm"]));
    for (const p of ps) {
      const c = p.check;
      if (c.type !== "gcd" && c.type !== "lcm") throw new Error("unexpected check");
      expect(p.question).toMatch(new RegExp(`\\b${c.a}\\b.*\\b${c.b}\\b`));
      let want = 0;
      if (c.type === "gcd") {
        for (let d = Math.min(c.a, c.b); d >= 1; d--) if (c.a % d === 0 && c.b % d === 0) { want = d; break; }
      } else {
        for (let m = c.a; ; m += c.a) if (m % c.b === 0) { want = m; break; }
      }
      expect(p.answer).toBe(String(want));
    }
  });
});

describe("base conversion", () => {
  it("parseInt of the answer in the target base equals parseInt of the question's digits", () => {
    const ps = problems("base_conversion", 400);
    const pairs = new Set<string>();
    for (const p of ps) {
      const c = checkOf(p, "base");
      pairs.add(`${c.fromBase}>${c.toBase}`);
      expect(c.fromBase).not.toBe(c.toBase);
      expect(p.question).toContain(`${c.digits} (base ${c.fromBase})`);
      expect(p.question).toMatch(new RegExp(`(to|in) base ${c.toBase}\\b`));
      expect(p.answer).toMatch(/^-?[1-9a-f][0-9a-f]*$/);
      for (const ch of p.answer.replace("-", "")) expect(parseInt(ch, 16)).toBeLessThan(c.toBase);
      expect(parseInt(p.answer, c.toBase)).toBe(parseInt(c.digits, c.fromBase));
    }
    expect(ps.some((p) => p.answer.startsWith("-"))).toBe(true);
    expect(pairs.size).toBeGreaterThan(100);
  });
});

describe("probability", () => {
  /** Exact probability by listing every ordered draw of `picks` positions. */
  function enumerate(c: Extract<CheckSpec, { type: "probability" }>): [number, number] {
    const L = c.letters;
    let hit = 0, total = 0;
    const walk = (used: number[]): void => {
      if (used.length === c.picks) {
        total++;
        const s = used.map((i) => L[i]).join("");
        if ("sequence" in c.event) { if (s === c.event.sequence) hit++; return; }
        const counts: Record<string, number> = {};
        for (const ch of s) counts[ch] = (counts[ch] ?? 0) + 1;
        const want = c.event.counts;
        if (Object.keys(counts).length === Object.keys(want).length && Object.entries(want).every(([k, v]) => counts[k] === v)) hit++;
        return;
      }
      for (let i = 0; i < L.length; i++) if (!used.includes(i)) walk([...used, i]);
    };
    walk([]);
    return [hit, total];
  }
  it("answers equal exhaustive enumeration of draws, as reduced fractions in (0, 1)", () => {
    const ps = problems("probability", 300);
    expect(new Set(ps.map((p) => p.module))).toEqual(new Set(["counts", "sequence"]));
    for (const p of ps) {
      const c = checkOf(p, "probability");
      const [hit, total] = enumerate(c);
      const g = gcdInt(hit, total);
      expect(p.answer, p.question).toBe(`${hit / g}/${total / g}`);
      expect(hit).toBeGreaterThan(0);
      expect(hit).toBeLessThan(total);
      // The bag in the question holds the same letters.
      const dict = p.question.match(/\{([^}]*)\}/);
      const bag = dict ? dict[1].split(", ").map((kv) => kv.split(": ")).map(([l, n]) => l.repeat(Number(n))).join("") : p.question.match(/from ([a-z]+)/)![1];
      expect([...bag].sort().join("")).toBe([...c.letters].sort().join(""));
      expect(p.question).toContain(["", "", "wo", "hree", "our"][c.picks] + " letters picked without replacement");
      if ("sequence" in c.event) expect(p.question).toContain(`sequence ${c.event.sequence}`);
      else for (const [l, n] of Object.entries(c.event.counts)) expect(p.question).toMatch(new RegExp(`\\b${n} ${l}\\b`));
    }
  });
});

describe("verifyProblem (mathjs) accepts every family and rejects a wrong answer", () => {
  it("accepts generated problems and rejects tampered answers", () => {
    for (const f of MATH_FAMILIES) {
      const rng = createRng(77);
      for (const p of problems(f, 60, 21)) {
        expect(verifyProblem(p), `${p.question} → ${p.answer}`).toEqual({ ok: true });
        const [wrong] = distractors(p, rng, 1);
        expect(verifyProblem({ ...p, answer: wrong }).ok, `${p.question}: ${wrong}`).toBe(false);
      }
    }
  });
});

describe("distractors", () => {
  it("k distinct wrong answers of the answer's form, deterministic by rng", () => {
    const rng = createRng(3);
    for (const f of MATH_FAMILIES) {
      for (const p of problems(f, 100, 31)) {
        const ds = distractors(p, rng, 4);
        expect(ds).toHaveLength(4);
        expect(new Set(ds).size).toBe(4);
        expect(ds).not.toContain(p.answer);
        expect(distractors(p, createRng(8), 4)).toEqual(distractors(p, createRng(8), 4));
        for (const d of ds) {
          const v = p.value;
          if (v.kind === "rational") {
            expect(isReducedRational(d), d).toBe(true);
            expect(d.includes("/")).toBe(p.answer.includes("/"));
            expect(sameFr(fr(d), fr(p.answer))).toBe(false);
            if (v.constraint === "probability") expect(float.evaluate(d) as number).toBeGreaterThan(0), expect(float.evaluate(d) as number).toBeLessThan(1);
            if (v.constraint === "positive") expect(Number(d)).toBeGreaterThan(0);
          } else if (v.kind === "base") {
            expect(d).toMatch(/^-?(0|[1-9a-f][0-9a-f]*)$/);
            for (const ch of d.replace("-", "")) expect(parseInt(ch, 16)).toBeLessThan(v.base);
            expect(parseInt(d, v.base)).not.toBe(parseInt(p.answer, v.base));
          } else if (v.kind === "roots") {
            for (const r of d.split(", ")) expect(isReducedRational(r)).toBe(true);
          } else {
            // A polynomial in the same variables, not equal to the answer as a function.
            expect(d).not.toContain("(");
            expect(lettersIn(d).every((x) => v.value.vars.includes(x))).toBe(true);
            const scope = Object.fromEntries(v.value.vars.map((x, i) => [x, exact.fraction(3 * i + 5, 11)]));
            const scope2 = Object.fromEntries(v.value.vars.map((x, i) => [x, exact.fraction(-2 * i - 7, 3)]));
            const differs = [scope, scope2].some((s) => !sameFr(exact.evaluate(mj(d), { ...s }), exact.evaluate(mj(p.answer), { ...s })));
            expect(differs, `${p.answer} vs ${d}`).toBe(true);
          }
        }
      }
    }
  });
  it("uses the problem's near misses (e.g. the lcm offered for a gcd, the other variable of a system)", () => {
    const p = problems("gcd_lcm", 50).find((q) => q.module === "gcd")!;
    const c = checkOf(p, "gcd");
    const lcmStr = String((c.a / Number(p.answer)) * c.b);
    expect(distractors(p, createRng(1), 3 + p.nearMisses.length)).toContain(lcmStr);
  });
});

describe("documents", () => {
  it("are deterministic by seed and document i does not depend on count", () => {
    const a = generateMathDocuments(123, 40);
    expect(generateMathDocuments(123, 40)).toEqual(a);
    expect(generateMathDocuments(123, 10)).toEqual(a.slice(0, 10));
    const b = generateMathDocuments(124, 40);
    expect(b.filter((d, i) => d === a[i]).length).toBe(0);
  });
  it("are 8–20 Question/Answer pairs of printable ASCII", () => {
    const docs = generateMathDocuments(5, 200);
    for (const d of docs) {
      expect(d).toMatch(/^(Question: [^\n]+\nAnswer: [^\n]+\n)+$/);
      expect(d).toMatch(/^[\x20-\x7e\n]+$/);
      const n = d.split("\n").length - 1;
      expect(n % 2).toBe(0);
      expect(n / 2).toBeGreaterThanOrEqual(8);
      expect(n / 2).toBeLessThanOrEqual(20);
    }
  });
  it("draw every family in roughly equal shares", () => {
    const counts = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < 400; i++)
      for (const p of mathDocumentProblems(9, i)) {
        counts.set(p.family, (counts.get(p.family) ?? 0) + 1);
        total++;
      }
    expect([...counts.keys()].sort()).toEqual([...MATH_FAMILIES].sort());
    for (const [, n] of counts) {
      expect(n / total).toBeGreaterThan(0.08);
      expect(n / total).toBeLessThan(0.22);
    }
    // The text is exactly the problems' question/answer lines.
    const text = mathDocumentProblems(9, 0).map((p) => `Question: ${p.question}\nAnswer: ${p.answer}\n`).join("");
    expect(generateMathDocuments(9, 1)[0]).toBe(text);
  });
  it("generate text fast enough for the corpus (~5 MB well under a minute)", () => {
    // CPU time, not wall time: other test files share the two cores and would inflate wall time.
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let bytes = 0, docs = 0;
    while (bytes < 1_000_000) {
      for (const d of generateMathDocuments(docs + 1, 100)) bytes += d.length;
      docs += 100;
    }
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    const mbps = bytes / 1e6 / cpu;
    console.log(`math generator: ${docs} documents, ${(bytes / 1e6).toFixed(2)} MB in ${cpu.toFixed(2)} s CPU (${wall.toFixed(2)} s wall) = ${mbps.toFixed(2)} MB/s, ${(docs / cpu).toFixed(0)} documents/s of CPU`);
    // 5 MB in under 10 s of CPU (measured ≈ 5 MB/s on an idle core).
    expect(mbps).toBeGreaterThan(0.5);
  });
  it("reject a bad count and an unknown family with named errors", () => {
    const code = (fn: () => unknown): string | undefined => {
      try { fn(); } catch (e) { return isMixlabError(e) ? e.code : "other"; }
      return undefined;
    };
    expect(code(() => generateMathDocuments(1, -1))).toBe("MATH_BAD_COUNT");
    expect(code(() => generateMathDocuments(1, 2.5))).toBe("MATH_BAD_COUNT");
    expect(code(() => generateProblem("topology" as MathFamily, createRng(1)))).toBe("MATH_UNKNOWN_FAMILY");
  });
});
