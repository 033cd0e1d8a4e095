/**
 * Probability of drawing letters without replacement, as in DeepMind's
 * probability__swr_p_level_set / swr_p_sequence: "Two letters picked without replacement from
 * bbaaa. What is prob of picking 2 b?" → "1/10". Exact counting; answers reduced fractions.
 */
import type { Rng } from "../../../util/rng.js";
import { div, formatQ, mul, ONE, rat, sub, type Q } from "../rational.js";
import { pick, randInt } from "../random.js";
import type { AnswerValue, MathProblem } from "../types.js";

const NUMBER_WORDS = ["zero", "one", "two", "three", "four"];
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 0; i < k; i++) r = (r * (n - i)) / (i + 1);
  return r;
}

function factorial(n: number): number {
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

/** P(multiset of counts) without replacement: Π C(n_l, c_l) / C(N, k). */
function pCounts(bag: Map<string, number>, counts: Map<string, number>, total: number, k: number): Q {
  let num = 1;
  for (const [l, c] of counts) num *= choose(bag.get(l) ?? 0, c);
  return rat(num, choose(total, k));
}

/** P(exact ordered sequence) without replacement. */
function pSequence(bag: Map<string, number>, seq: string, total: number): Q {
  const left = new Map(bag);
  let p = ONE;
  for (let i = 0; i < seq.length; i++) {
    const n = left.get(seq[i]) ?? 0;
    p = mul(p, rat(n, total - i));
    left.set(seq[i], n - 1);
  }
  return p;
}

/** The same events with replacement (a plausible wrong model). */
function pCountsWithReplacement(bag: Map<string, number>, counts: Map<string, number>, total: number, k: number): Q {
  let p = rat(factorial(k));
  for (const [l, c] of counts) p = div(mul(p, rat((bag.get(l) ?? 0) ** c, total ** c)), rat(factorial(c)));
  return p;
}
function pSequenceWithReplacement(bag: Map<string, number>, seq: string, total: number): Q {
  let p = ONE;
  for (const ch of seq) p = mul(p, rat(bag.get(ch) ?? 0, total));
  return p;
}

/**
 * One letter-drawing probability problem (counts or sequence event).
 *
 * @example
 * probability(createRng(7)).answer; // e.g. "1/10"
 */
export function probability(rng: Rng): MathProblem {
  const nLetters = randInt(rng, 2, 4);
  const pool = LETTERS.split("");
  const bag = new Map<string, number>();
  let total = 0;
  while (bag.size < nLetters) {
    const l = pool.splice(rng.int(pool.length), 1)[0];
    const c = randInt(rng, 1, 6);
    bag.set(l, c);
    total += c;
  }
  if (total < 3) {
    // Two singletons: drawing two would be certain; add one more of the first letter.
    const [first] = bag.keys();
    bag.set(first, (bag.get(first) ?? 0) + 1);
    total += 1;
  }
  const k = total >= 6 && total <= 10 && rng.next() < 0.1 ? 4 : total >= 4 && rng.next() < 0.4 ? 3 : 2;
  // Bag text: the letters themselves (shuffled or grouped), or a {letter: count} dict.
  let letters = "";
  for (const [l, c] of bag) letters += l.repeat(c);
  const style = rng.int(3);
  const shuffled = rng.shuffle(letters.split("")).join("");
  const bagText = style === 0 ? letters : style === 1 ? shuffled : `{${[...bag].map(([l, c]) => `${l}: ${c}`).join(", ")}}`;
  // The event is a real draw, so its probability is never 0.
  const draw = rng.shuffle(letters.split("")).slice(0, k);
  const seq = draw.join("");
  const counts = new Map<string, number>();
  for (const ch of draw) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const word = NUMBER_WORDS[k];
  const Word = word[0].toUpperCase() + word.slice(1);
  const setup = `${word} letters picked without replacement from ${bagText}`;
  const Setup = `${Word} letters picked without replacement from ${bagText}`;
  const asSequence = rng.next() < 0.4;
  let question: string;
  let p: Q, alt: Q, repl: Q;
  if (asSequence) {
    p = pSequence(bag, seq, total);
    alt = pCounts(bag, counts, total, k);
    repl = pSequenceWithReplacement(bag, seq, total);
    question = pick(rng, [`${Setup}. What is prob of sequence ${seq}?`, `${Setup}. Give prob of sequence ${seq}.`, `What is prob of sequence ${seq} when ${setup}?`, `Calculate prob of sequence ${seq} when ${setup}.`]);
  } else {
    p = pCounts(bag, counts, total, k);
    alt = pSequence(bag, seq, total);
    repl = pCountsWithReplacement(bag, counts, total, k);
    const parts = [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([l, c]) => `${c} ${l}`);
    rng.shuffle(parts);
    const ev = parts.length === 1 ? parts[0] : parts.length === 2 ? `${parts[0]} and ${parts[1]}` : `${parts.slice(0, -1).join(", ")}, and ${parts[parts.length - 1]}`;
    question = pick(rng, [`${Setup}. What is prob of picking ${ev}?`, `${Setup}. Give prob of picking ${ev}.`, `What is prob of picking ${ev} when ${setup}?`, `Calculate prob of picking ${ev} when ${setup}.`]);
  }
  const prob = (q: Q): AnswerValue => ({ kind: "rational", value: q, constraint: "probability" });
  const inRange = (q: Q): boolean => q.n > 0 && q.n < q.d;
  const misses = [repl, alt, sub(ONE, p)].filter(inRange);
  return {
    family: "probability",
    module: asSequence ? "sequence" : "counts",
    question,
    answer: formatQ(p),
    value: prob(p),
    nearMisses: misses.map(prob),
    check: {
      type: "probability",
      letters,
      picks: k,
      event: asSequence ? { sequence: seq } : { counts: Object.fromEntries([...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) },
    },
  };
}
