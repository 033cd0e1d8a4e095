/**
 * The study's two downstream suites — the one place that decides which items choose α* (seed
 * merges, the best trained grid mixture) and which judge every claim. The choose suite is built
 * from the "choose" part of the test split, the judge suite is the comparison's (`compareSuite`,
 * the "judge" part): no item is in both, whatever the seeds (kernel-lib/eval/suite/roles.ts).
 *
 * Also here: the suite's two halves (even- and odd-numbered items of every task, the split
 * `evaluateSuite`'s `halfUtilities` uses), scored per capability for split-half reliability.
 */
import { compareSuite } from "../../compare/final.js";
import type { Corpus } from "../../data/corpus.js";
import { buildSuite, type Suite } from "../../eval/suite/build.js";
import { studySuiteSpecs, type MergeMixStudyConfig } from "./config.js";

/**
 * The choose suite and the judge suite.
 *
 * @example
 * const { choose, judge } = studySuites(corpus, config);
 */
export function studySuites(corpus: Corpus, config: Pick<MergeMixStudyConfig, "suite">): { choose: Suite; judge: Suite } {
  const specs = studySuiteSpecs(config);
  const c = specs.choose;
  return {
    choose: buildSuite(corpus, { seed: c.seed, role: "choose", defaults: c.sizes, taskOverrides: c.taskOverrides }),
    judge: compareSuite(corpus, specs.judge),
  };
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
