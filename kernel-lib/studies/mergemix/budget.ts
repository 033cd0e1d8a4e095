/**
 * What the study's plan costs in wall time, estimated before it runs (the measured rates of
 * kernel-lib/train/wall-time.ts): each task's training tokens at its preset's training rate,
 * forward-only tokens (validation windows, suite choices; the merged and trained grid models
 * are scored on the judge suite twice — whole and by halves) at three times that rate, suite
 * tokens at `SUITE_SCORING_FACTOR` times that, and the tasks spread over `workers`. An estimate for sizing a config, not a promise: it ignores process
 * start-up, building the suites, the GBDT fits and simplex searches, and the last worker's idle
 * tail.
 */
import type { Corpus } from "../../data/corpus.js";
import { forwardSeconds, trainSeconds } from "../../train/wall-time.js";
import { mergeMixRecipes } from "../../mergemix/config.js";
import type { MergeMixStudyConfig, MergeMixStudyTask } from "./config.js";

/**
 * Suite scoring's cost over the forward estimate: the suite scores every item's context with
 * each choice as its own short sequence, unbatched. Measured on the study's judge suite (128
 * items per task, 373k tokens) with a tiny model on the busy 2-core machine: whole + halves +
 * validation in 5.8–8.0 s, against 3.0 s from the forward rate.
 */
export const SUITE_SCORING_FACTOR = 2;

/**
 * Estimated seconds of each task of a plan (one worker).
 *
 * @example
 * taskSeconds(config, corpus, studyTasks(config, corpus, 16)).reduce((a, b) => a + b, 0);
 */
export function taskSeconds(config: MergeMixStudyConfig, corpus: Pick<Corpus, "domains">, tasks: readonly MergeMixStudyTask[]): number[] {
  const k = corpus.domains.length;
  const r = mergeMixRecipes(config);
  const s = config.suite.sizes;
  // tokens one suite evaluation scores (the default suite has about one task per domain: a continuation task each, next-field for structured ones), weighted by the scoring factor
  const suite = SUITE_SCORING_FACTOR * s.items * s.numChoices * k * (s.contextBytes + s.maxChoiceBytes);
  const val = k * config.eval.windowsPerDomain * config.seqLen;
  const judged = forwardSeconds(r.base, 2 * suite + val); // whole suite, its halves, validation
  const grid = config.grid.twoDomain.alphas.length + config.grid.multiDomain.mixtures;
  const final = (b: MergeMixStudyConfig["finals"]) => trainSeconds(b.recipe) + forwardSeconds(b.recipe, k * b.eval.windowsPerDomain * b.recipe.seqLen + suite);
  return tasks.map((t) => {
    switch (t.stage) {
      case "base": return trainSeconds(r.base) + forwardSeconds(r.base, val);
      case "expert": return trainSeconds(r.expert) + forwardSeconds(r.base, val);
      case "trained": return trainSeconds(r.expert) + forwardSeconds(r.base, val + suite) + judged;
      case "merged": return grid * judged;
      case "search": return (config.search.seeds.count + 1) * forwardSeconds(r.base, suite + val);
      case "final": return final(config.finals);
      case "scale": return final(config.scale);
    }
  });
}

/**
 * The plan's estimated wall time on `workers` workers: the larger of the total over the workers
 * and the longest single task.
 *
 * @example
 * studyWallSeconds(config, corpus, tasks, 2) / 3600; // hours
 */
export function studyWallSeconds(config: MergeMixStudyConfig, corpus: Pick<Corpus, "domains">, tasks: readonly MergeMixStudyTask[], workers: number): number {
  const secs = taskSeconds(config, corpus, tasks);
  return Math.max(secs.reduce((a, b) => a + b, 0) / workers, ...secs);
}
