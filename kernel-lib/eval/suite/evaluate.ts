/**
 * One call from a suite and a model to every number a method needs: task accuracies,
 * capability scores and the utility.
 */
import { capabilityScores, suiteUtility, type CapabilityScore } from "./capabilities.js";
import type { Suite } from "./build.js";
import { scoreTasks, type TaskScore } from "./score.js";
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
}

/**
 * Score a model on the whole suite.
 *
 * @example
 * const r = await evaluateSuite(suite, ngramScorer(lm));
 * r.utility; r.capabilities.map((c) => [c.capability, c.score]);
 */
export async function evaluateSuite(suite: Suite, scorer: SuiteScorer, metric: SuiteMetric = "acc_norm"): Promise<SuiteResult> {
  const tasks = await scoreTasks(suite.tasks, scorer);
  const capabilities = capabilityScores(tasks, suite.capabilities, metric);
  const utilities = Object.fromEntries((["acc", "acc_norm", "prob"] as const).map((m) => [m, suiteUtility(capabilityScores(tasks, suite.capabilities, m))])) as Record<SuiteMetric, number>;
  return { metric, tasks, capabilities, utility: suiteUtility(capabilities), utilities };
}
