/**
 * Linear equations: one variable (terms on one or both sides, like terms not yet collected)
 * and 2×2 systems; integer solutions, answer is the value of the asked variable.
 */
import type { Rng } from "../../../util/rng.js";
import { joinTerms } from "../poly.js";
import { formatQ, rat, type Q } from "../rational.js";
import { nonZero, pick, randInt, variables } from "../random.js";
import type { AnswerValue, MathProblem } from "../types.js";

const rational = (q: Q): AnswerValue => ({ kind: "rational", value: q });
/** a*v + b as text, terms in the given order. */
const lin = (terms: [number, string][]): string => joinTerms(terms.map(([c, mono]) => ({ c: rat(c), mono })));

function ask(rng: Rng, eq: string, v: string): string {
  return pick(rng, [`Solve ${eq} for ${v}.`, `Solve ${eq} for ${v}.`, `Find ${v} such that ${eq}.`, `What is ${v} in ${eq}?`]);
}

function oneVariable(rng: Rng): MathProblem {
  const [v] = variables(rng, 1);
  const s = randInt(rng, -15, 15);
  const t = rng.int(4);
  let eq: string;
  const misses: Q[] = [rat(-s)];
  if (t === 0) {
    const a = nonZero(rng, -12, 12);
    const b = nonZero(rng, -60, 60);
    const c = a * s + b;
    const left = rng.next() < 0.7 ? lin([[a, v], [b, ""]]) : lin([[b, ""], [a, v]]);
    eq = rng.next() < 0.75 ? `${left} = ${c}` : `${c} = ${left}`;
    misses.push(rat(c + b, a)); // moved b across without changing its sign
  } else if (t === 1) {
    const a = nonZero(rng, -12, 12);
    let c = nonZero(rng, -12, 12);
    while (c === a) c = nonZero(rng, -12, 12);
    const b = randInt(rng, -40, 40);
    const d = (a - c) * s + b;
    eq = `${lin([[a, v], [b, ""]])} = ${lin([[c, v], [d, ""]])}`;
    misses.push(rat(d + b, a - c));
    if (a + c !== 0) misses.push(rat(d - b, a + c)); // moved c*v without changing its sign
  } else if (t === 2) {
    const a1 = nonZero(rng, -9, 9);
    let a2 = nonZero(rng, -9, 9);
    while (a1 + a2 === 0) a2 = nonZero(rng, -9, 9);
    const b = -(a1 + a2) * s;
    eq = `0 = ${lin(pick(rng, [[[a1, v], [b, ""], [a2, v]], [[a1, v], [a2, v], [b, ""]], [[b, ""], [a1, v], [a2, v]]] as [number, string][][]))}`;
    if (a1 - a2 !== 0) misses.push(rat(-b, a1 - a2)); // dropped a sign while collecting
  } else {
    const a = nonZero(rng, -15, 15);
    if (a === 1 || a === -1) return oneVariable(rng);
    eq = `${lin([[a, v]])} = ${a * s}`;
    misses.push(rat(a * s * a), rat(a * s - a));
  }
  return {
    family: "linear",
    module: "linear_1d",
    question: ask(rng, eq, v),
    answer: String(s),
    value: rational(rat(s)),
    nearMisses: misses.map(rational),
    check: { type: "solve", equations: [eq], variables: [v], target: v },
  };
}

function twoVariables(rng: Rng): MathProblem {
  const [u, w] = variables(rng, 2);
  const s = randInt(rng, -10, 10);
  const t = randInt(rng, -10, 10);
  let a = 0, b = 0, c = 0, d = 0;
  while (a * d - b * c === 0 || a === 0 || d === 0) {
    a = randInt(rng, -7, 7); b = randInt(rng, -7, 7); c = randInt(rng, -7, 7); d = randInt(rng, -7, 7);
  }
  const eqText = (p: number, q: number, e: number): string => {
    const order: [number, string][] = rng.next() < 0.5 ? [[p, u], [q, w]] : [[q, w], [p, u]];
    const form = rng.int(3);
    if (form === 0) return `${lin(order)} = ${e}`;
    if (form === 1) return `0 = ${lin([...order, [-e, ""]])}`;
    return `${e} = ${lin(order)}`;
  };
  const eq1 = eqText(a, b, a * s + b * t);
  const eq2 = eqText(c, d, c * s + d * t);
  const asksU = rng.next() < 0.5;
  const target = asksU ? u : w;
  const val = asksU ? s : t;
  const other = asksU ? t : s;
  return {
    family: "linear",
    module: "linear_2d",
    question: pick(rng, [`Solve ${eq1}, ${eq2} for ${target}.`, `Suppose ${eq1}, ${eq2}. What is ${target}?`]),
    answer: formatQ(rat(val)),
    value: rational(rat(val)),
    nearMisses: [rat(other), rat(-val)].map(rational),
    check: { type: "solve", equations: [eq1, eq2], variables: [u, w], target },
  };
}

/**
 * One linear-equation problem (60% one variable, 40% a 2×2 system).
 *
 * @example
 * linear(createRng(3)).question; // e.g. "Solve 3*x + 7 = 22 for x."
 */
export function linear(rng: Rng): MathProblem {
  return rng.next() < 0.6 ? oneVariable(rng) : twoVariables(rng);
}
