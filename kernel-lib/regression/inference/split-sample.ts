/**
 * Split-sample selection, for claims that pick their own test case ("the domain that helps
 * each target most", "the best trained grid mixture"): choosing on the same data the pick is
 * then tested on makes the test too easy — the pick is the one whose noise happened to point
 * the claim's way (selection bias, "double dipping": Kriegeskorte et al. 2009, Nat. Neurosci.
 * 12, 535–540; data splitting as the remedy: Cox 1975, Biometrika 62, 441–444).
 *
 * The n units (proxies, mixtures) are split at random into halves A (⌊n/2⌋ units) and B (the
 * rest) by a seeded Fisher–Yates shuffle (util/rng.ts; the same seed, the same halves). The
 * pick is made on A and tested on B, and — since which half comes first is arbitrary — made on
 * B and tested on A; both are reported. The claim holds when both cross-tests hold (neither
 * direction may be chosen after seeing the results), does not hold when either does not, and
 * is inconclusive otherwise (`allOf`). Each cross-test sees half the units, so it is less
 * powerful than the same-data test it replaces; the same-data result is kept beside them
 * (`sameData`) to show how much of it was selection.
 */
import { MixlabError } from "../../util/errors.js";
import { createRng } from "../../util/rng.js";
import type { Interval } from "../intervals.js";
import { allOf, formatInterval, type Verdict } from "../verdicts.js";

/** A test of a pick on some units. */
export interface PickTest {
  estimate: Interval;
  verdict: Verdict;
}

/** A pick made on one half and tested on the other. */
export interface CrossTest<C> extends PickTest {
  chosenOn: "A" | "B";
  testedOn: "A" | "B";
  choice: C;
}

export interface SplitSampleResult<C> {
  /** unit indices of the halves, ascending */
  halves: { A: number[]; B: number[] };
  /** chosen on A, tested on B; then chosen on B, tested on A */
  cross: [CrossTest<C>, CrossTest<C>];
  /** both cross-tests must hold */
  verdict: Verdict;
  /** chosen and tested on every unit (what a study without the split does) */
  sameData: PickTest & { choice: C };
}

/**
 * The seeded random halves of n units (n ≥ 4): A has ⌊n/2⌋ units, B the rest, each ascending.
 *
 * @example
 * splitHalves(6, 3); // { A: [0, 2, 5], B: [1, 3, 4] }, the same every run
 */
export function splitHalves(n: number, seed: number): { A: number[]; B: number[] } {
  if (!Number.isInteger(n) || n < 4) throw new MixlabError("STATS_TOO_FEW", `a split-sample test needs at least 4 units (2 per half), got ${n}`);
  const order = createRng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const h = Math.floor(n / 2);
  return { A: order.slice(0, h).sort((a, b) => a - b), B: order.slice(h).sort((a, b) => a - b) };
}

/**
 * Choose on one half, test on the other, both ways. `choose(units)` picks from the given unit
 * indices only; `test(choice, units)` tests the pick on the given units only.
 *
 * @example
 * splitSampleSelection(proxies.length, (u) => mostHelpfulDomain(u), (d, u) => coefficientTest(d, u), { seed });
 */
export function splitSampleSelection<C>(
  n: number,
  choose: (units: readonly number[]) => C,
  test: (choice: C, units: readonly number[]) => PickTest,
  opts: { seed: number },
): SplitSampleResult<C> {
  const halves = splitHalves(n, opts.seed);
  const cross = (["A", "B"] as const).map((on): CrossTest<C> => {
    const other = on === "A" ? "B" : "A";
    const choice = choose(halves[on]);
    return { chosenOn: on, testedOn: other, choice, ...test(choice, halves[other]) };
  }) as [CrossTest<C>, CrossTest<C>];
  const all = Array.from({ length: n }, (_, i) => i);
  const choice = choose(all);
  return { halves, cross, verdict: allOf(cross.map((c) => c.verdict)), sameData: { choice, ...test(choice, all) } };
}

/**
 * The split-sample cell: "chosen on A (12): x, on B: v [lo, hi] holds; …; same data: …".
 *
 * @example
 * formatSplit(r, (d) => d); // "chosen on A (10): math, tested on B: -0.012 [-0.020, -0.004] holds; …"
 */
export function formatSplit<C>(r: SplitSampleResult<C>, name: (choice: C) => string, digits = 3): string {
  const part = (c: CrossTest<C>) => `chosen on ${c.chosenOn} (${r.halves[c.chosenOn].length}): ${name(c.choice)}, tested on ${c.testedOn}: ${formatInterval(c.estimate, digits)} ${c.verdict}`;
  return `${r.cross.map(part).join("; ")}; same data: ${name(r.sameData.choice)} ${formatInterval(r.sameData.estimate, digits)} ${r.sameData.verdict}`;
}
