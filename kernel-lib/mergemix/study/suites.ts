/**
 * The study's two downstream suites — the one place that decides which items choose α* (seed
 * merges, the best trained grid mixture) and which judge every claim. Today they are the
 * comparison's suite built twice with different seeds (`compareSuite`); the items of two seeds
 * come from the same test split and are not disjoint by construction. A suite API that splits
 * the items into disjoint choose and judge parts replaces this function's body only.
 *
 * Also here: the suite's two halves (even- and odd-numbered items of every task, the split
 * `evaluateSuite`'s `halfUtilities` uses), scored per capability for split-half reliability.
 */
import { compareSuite } from "../../compare/final.js";
import type { Corpus } from "../../data/corpus.js";
import type { Suite } from "../../eval/suite/build.js";
import { studySuiteSpecs, type MergeMixStudyConfig } from "./config.js";

/**
 * The choose suite and the judge suite.
 *
 * @example
 * const { choose, judge } = studySuites(corpus, config);
 */
export function studySuites(corpus: Corpus, config: Pick<MergeMixStudyConfig, "suite">): { choose: Suite; judge: Suite } {
  const specs = studySuiteSpecs(config);
  return { choose: compareSuite(corpus, specs.choose), judge: compareSuite(corpus, specs.judge) };
}

/**
 * The suite's even-numbered and odd-numbered items of every task, as two suites (a task with one
 * item is in the first only, as in `evaluateSuite`'s half utilities).
 *
 * @example
 * const [even, odd] = suiteHalves(judge);
 */
export function suiteHalves(suite: Suite): [Suite, Suite] {
  const half = (h: number): Suite => ({
    ...suite,
    tasks: suite.tasks.map((t) => ({ ...t, items: t.items.filter((_, i) => i % 2 === h) })).filter((t) => t.items.length > 0),
  });
  return [half(0), half(1)];
}
