/**
 * One call from a suite and a model to every number a method needs: task accuracies,
 * capability scores and the utility.
 */
import { capabilityScores, suiteUtility, type CapabilityScore } from "./capabilities.js";
import type { Suite } from "./build.js";
import { itemHalf, scoreItems, taskScoresFrom, type TaskScore } from "./score.js";
import type { SuiteMetric, SuiteScorer } from "./types.js";

/** Everything one evaluation of one model on the suite gives. */
export interface SuiteResult {
  metric: SuiteMetric;
  tasks: TaskScore[];
  capabilities: CapabilityScore[];
  /** macro-average of capability scores under `metric` */
  utility: number;
  /** the same macro-average under each metric (for reporting several at once) */
  utilities: Record<SuiteMetric, number>;
  /**
   * The utility (under `metric`) on the even-numbered and on the odd-numbered items of every
   * task: across models, the rank agreement of the two halves measures how much of the suite's
   * ranking is signal rather than item noise (split-half reliability).
   */
  halfUtilities: [number, number];
}

/**
 * Score a model on the whole suite.
 *
 * @example
 * const r = await evaluateSuite(suite, ngramScorer(lm));
 * r.utility; r.capabilities.map((c) => [c.capability, c.score]);
 */
export async function evaluateSuite(suite: Suite, scorer: SuiteScorer, metric: SuiteMetric = "acc_norm"): Promise<SuiteResult> {
  const logliks = await scoreItems(suite.tasks, scorer);
  const tasks = taskScoresFrom(suite.tasks, logliks);
  const capabilities = capabilityScores(tasks, suite.capabilities, metric);
  const utilities = Object.fromEntries((["acc", "acc_norm", "prob"] as const).map((m) => [m, suiteUtility(capabilityScores(tasks, suite.capabilities, m))])) as Record<SuiteMetric, number>;
  const half = (h: 0 | 1): number => {
    const part = itemHalf(suite.tasks, logliks, h);
    return suiteUtility(capabilityScores(taskScoresFrom(part.tasks, part.logliks), suite.capabilities, metric));
  };
  return { metric, tasks, capabilities, utility: suiteUtility(capabilities), utilities, halfUtilities: [half(0), half(1)] };
}
