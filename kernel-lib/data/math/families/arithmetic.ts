/**
 * Arithmetic: integer add/subtract and multiply/divide, simple fractions, and mixed
 * expressions with brackets — exact rational answers ("-13", "11/12").
 */
import type { Rng } from "../../../util/rng.js";
import { add, div, formatQ, mul, neg, rat, sub, type Q } from "../rational.js";
import { nonZero, paren, pick, randInt, spread } from "../random.js";
import type { AnswerValue, MathProblem } from "../types.js";

type Op = "+" | "-" | "*" | "/";
type Expr = { readonly kind: "num"; readonly v: number } | { readonly kind: "op"; readonly op: Op; readonly l: Expr; readonly r: Expr };

function apply(op: Op, a: Q, b: Q): Q {
  return op === "+" ? add(a, b) : op === "-" ? sub(a, b) : op === "*" ? mul(a, b) : div(a, b);
}

/** Exact value, or null on division by zero; `flip` (a pre-order op index) swaps + and -. */
function evalExpr(e: Expr, flip = -1, counter = { i: 0 }): Q | null {
  if (e.kind === "num") return rat(e.v);
  let op = e.op;
  if (counter.i++ === flip) op = op === "+" ? "-" : op === "-" ? "+" : op === "*" ? "/" : "*";
  const a = evalExpr(e.l, flip, counter);
  const b = evalExpr(e.r, flip, counter);
  if (a === null || b === null || (op === "/" && b.n === 0)) return null;
  return apply(op, a, b);
}

const PREC: Record<Op, number> = { "+": 1, "-": 1, "*": 2, "/": 2 };

/** Text with the fewest brackets that keep the tree's meaning; negative numbers in brackets. */
function formatExpr(e: Expr, first = true): string {
  if (e.kind === "num") return first ? String(e.v) : paren(e.v);
  const wrap = (c: Expr, right: boolean): string => {
    if (c.kind === "num") return formatExpr(c, first && !right);
    const p = PREC[c.op];
    const need = p < PREC[e.op] || (right && p === PREC[e.op] && (e.op === "-" || e.op === "/"));
    return need ? `(${formatExpr(c, true)})` : formatExpr(c, first && !right);
  };
  const sep = PREC[e.op] === 1 ? ` ${e.op} ` : e.op;
  return `${wrap(e.l, false)}${sep}${wrap(e.r, true)}`;
}

function randomTree(rng: Rng, leaves: number): Expr {
  if (leaves === 1) return { kind: "num", v: nonZero(rng, -20, 20) };
  const k = randInt(rng, 1, leaves - 1);
  return { kind: "op", op: pick(rng, ["+", "-", "*", "/"] as const), l: randomTree(rng, k), r: randomTree(rng, leaves - k) };
}

const rational = (q: Q): AnswerValue => ({ kind: "rational", value: q });

function problem(module: string, question: string, expr: string, value: Q, misses: Q[]): MathProblem {
  return {
    family: "arithmetic",
    module,
    question,
    answer: formatQ(value),
    value: rational(value),
    nearMisses: misses.map(rational),
    check: { type: "evaluate", expr },
  };
}

function addSub(rng: Rng): MathProblem {
  const max = pick(rng, [50, 500, 5000, 100000]);
  const a = spread(rng, max, 0.35);
  const b = spread(rng, max, 0.35);
  const t = rng.int(6);
  if (t === 5) {
    const c = spread(rng, max, 0.35);
    const s1 = rng.next() < 0.5 ? "+" : "-";
    const s2 = rng.next() < 0.5 ? "+" : "-";
    const expr = `${a} ${s1} ${b} ${s2} ${c}`;
    const v = a + (s1 === "+" ? b : -b) + (s2 === "+" ? c : -c);
    const w = a + (s1 === "+" ? -b : b) + (s2 === "+" ? c : -c);
    const q = pick(rng, [`Calculate ${expr}.`, `Evaluate ${expr}.`, `What is ${expr}?`]);
    return problem("add_sub", q, expr, rat(v), [rat(w), rat(-v)]);
  }
  if (t === 0) return problem("add_sub", `What is ${a} + ${b}?`, `${a} + ${paren(b)}`, rat(a + b), [rat(a - b), rat(-a - b)]);
  if (t === 1) return problem("add_sub", `Calculate ${a} - ${b}.`, `${a} - ${paren(b)}`, rat(a - b), [rat(a + b), rat(b - a)]);
  if (t === 2) return problem("add_sub", `Add ${a} and ${b}.`, `${a} + ${paren(b)}`, rat(a + b), [rat(a - b), rat(b - a)]);
  if (t === 3) return problem("add_sub", `Subtract ${b} from ${a}.`, `${a} - ${paren(b)}`, rat(a - b), [rat(b - a), rat(a + b)]);
  return problem("add_sub", `Sum ${a} and ${b}.`, `${a} + ${paren(b)}`, rat(a + b), [rat(a - b), rat(-a - b)]);
}

function mulDiv(rng: Rng): MathProblem {
  const a = spread(rng, pick(rng, [12, 100, 2000]), 0.4);
  const b = nonZero(rng, -99, 99);
  const t = rng.int(7);
  const pr = a * b;
  const mulMiss = [rat(-pr), rat(a * (b + 1)), rat(a * (b - 1))];
  if (t === 0) return problem("mul_div", `Multiply ${a} and ${b}.`, `${a}*${paren(b)}`, rat(pr), mulMiss);
  if (t === 1) return problem("mul_div", `What is ${a} times ${b}?`, `${a}*${paren(b)}`, rat(pr), mulMiss);
  if (t === 2) return problem("mul_div", `Calculate ${a}*${paren(b)}.`, `${a}*${paren(b)}`, rat(pr), mulMiss);
  if (t === 3) return problem("mul_div", `What is the product of ${a} and ${b}?`, `${a}*${paren(b)}`, rat(pr), mulMiss);
  // Division: mostly exact, sometimes a fraction (DeepMind keeps those exact too).
  const num = rng.next() < 0.8 ? pr : pr + nonZero(rng, -5, 5);
  const q = rat(num, b);
  const misses = [neg(q), rat(num * b), add(q, rat(1))];
  if (t === 4) return problem("mul_div", `Divide ${num} by ${b}.`, `${num}/${paren(b)}`, q, misses);
  if (t === 5) return problem("mul_div", `What is ${num} divided by ${b}?`, `${num}/${paren(b)}`, q, misses);
  return problem("mul_div", `Calculate ${num}/${paren(b)}.`, `${num}/${paren(b)}`, q, misses);
}

function fraction(rng: Rng): Q {
  const d = randInt(rng, 2, 12);
  return rat(nonZero(rng, -2 * d, 2 * d), d);
}

function fractions(rng: Rng): MathProblem {
  let x = fraction(rng);
  while (x.d === 1) x = fraction(rng);
  const y = fraction(rng);
  const op = pick(rng, ["+", "-", "*", "/"] as const);
  const fx = formatQ(x);
  const fy = formatQ(y);
  const v = apply(op, x, y);
  // Typical slips: add tops and bottoms; multiply instead of divide (and back); wrong sign.
  const naive = op === "+" || op === "-" ? rat(op === "+" ? x.n + y.n : x.n - y.n, x.d + y.d) : op === "*" ? div(x, y) : mul(x, y);
  const misses = [naive, neg(v)];
  if (op === "+" || op === "-") {
    const expr = `${fx} ${op} ${op === "-" && y.n < 0 ? `(${fy})` : fy}`;
    const q = pick(rng, [`What is ${fx} ${op} ${fy}?`, `Calculate ${fx} ${op} ${fy}.`, op === "+" ? `Add ${fx} and ${fy}.` : `Subtract ${fy} from ${fx}.`]);
    return problem("fractions", q, expr, v, misses);
  }
  const expr = `(${fx})${op}(${fy})`;
  const q = op === "*" ? pick(rng, [`Calculate (${fx})*(${fy}).`, `Multiply ${fx} and ${fy}.`, `What is ${fx} times ${fy}?`]) : pick(rng, [`Evaluate (${fx})/(${fy}).`, `Divide ${fx} by ${fy}.`, `What is (${fx})/(${fy})?`]);
  return problem("fractions", q, expr, v, misses);
}

function mixed(rng: Rng): MathProblem {
  for (;;) {
    const tree = randomTree(rng, randInt(rng, 3, 5));
    const v = evalExpr(tree);
    if (v === null || v.d > 30 || Math.abs(v.n) > 3000) continue;
    const misses: Q[] = [neg(v)];
    const flipped = evalExpr(tree, rng.int(4));
    if (flipped !== null) misses.push(flipped);
    const expr = formatExpr(tree);
    const q = pick(rng, [`Calculate ${expr}.`, `Evaluate ${expr}.`, `What is ${expr}?`, `What is the value of ${expr}?`]);
    return problem("mixed", q, expr, v, misses);
  }
}

/**
 * One arithmetic problem (add/sub, mul/div, fractions or a mixed bracketed expression).
 *
 * @example
 * arithmetic(createRng(1)).question; // e.g. "Calculate (-4)/(-6)*(-18)/(-3)."
 */
export function arithmetic(rng: Rng): MathProblem {
  const t = rng.int(4);
  return t === 0 ? addSub(rng) : t === 1 ? mulDiv(rng) : t === 2 ? fractions(rng) : mixed(rng);
}
