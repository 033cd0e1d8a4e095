/**
 * What a study plan costs in wall time, estimated before it runs: each task's training tokens
 * at a measured training rate of its preset, forward-only tokens (embedding, validation, suite)
 * at three times that rate (a training step is ≈ 3 forward passes), DoReMi's and DoGE's proxy
 * steps at their measured overhead over a plain step, and the tasks spread over `workers`
 * (each worker measured while the other is busy too). An estimate for sizing a config, not a
 * promise: it ignores process start-up, RegMix's regression, and the last worker's idle tail.
 */
import type { CompareTask } from "../../compare/plan.js";
import type { Corpus } from "../../data/corpus.js";
import { forwardSeconds, MEASURED_TRAIN_RATE, trainSeconds } from "../../train/wall-time.js";
import { studyCompareConfig, type ChameleonStudyConfig, type ChameleonStudyTask } from "./config.js";

/** The measured training rates (kernel-lib/train/wall-time.ts), re-exported for this study's callers. */
export { MEASURED_TRAIN_RATE };
/** DoReMi's and DoGE's proxy step over a plain step of the same windows (kernel-lib/doremi/README.md, 445k, b = 1). */
export const GROUP_STEP_OVERHEAD = Object.freeze({ doremi: 1.6, doge: 2.17 });

const train = trainSeconds;
const forward = forwardSeconds;

/**
 * Estimated seconds of each task of a plan (one worker).
 *
 * @example
 * taskSeconds(config, corpus, studyTasks(config, corpus, 15)).reduce((a, b) => a + b, 0);
 */
export function taskSeconds(config: ChameleonStudyConfig, corpus: Pick<Corpus, "domains">, tasks: readonly ChameleonStudyTask[]): number[] {
  const k = corpus.domains.length;
  const cmp = studyCompareConfig(config);
  const s = cmp.suite.sizes;
  const suiteTokens = s.items * s.numChoices * k * (s.contextBytes + s.maxChoiceBytes); // ≈ one task per domain
  const final = () => train(cmp.final) + forward(cmp.final, k * cmp.eval.windowsPerDomain * cmp.final.seqLen + suiteTokens);
  const search = (t: Extract<CompareTask, { stage: "search" }>): number => {
    if (t.method === "regmix-proxy") { const r = cmp.regmix!; return train(r.proxy) + forward(r.proxy, k * r.windowsPerDomain * r.proxy.seqLen); }
    if (t.method === "chameleon") { const c = cmp.chameleon!; return train(c.proxy) + forward(c.proxy, k * c.embed.windowsPerDomain * c.embed.seqLen); }
    if (t.method === "doremi") { const d = cmp.doremi!; return train(d.reference) + train(d.proxy, GROUP_STEP_OVERHEAD.doremi); }
    if (t.method === "doge") return train(cmp.doge!.proxy, GROUP_STEP_OVERHEAD.doge);
    return 0; // MergeMix is not a study arm
  };
  return tasks.map((t) => {
    switch (t.stage) {
      case "pretrain": return t.compare.stage === "search" ? search(t.compare) : final();
      case "transfer-final": return final();
      case "transfer-weights": { const c = cmp.chameleon!; return train(c.proxy) + forward(c.proxy, k * c.embed.windowsPerDomain * c.embed.seqLen); }
      case "regime": {
        const p = config.regime.proxies.find((x) => x.name === t.proxy)!;
        return train(p.recipe) + forward(p.recipe, k * config.regime.embed.windowsPerDomain * config.regime.embed.seqLen);
      }
      case "finetune": {
        const f = config.finetune, n = f.finetuneDomains.length;
        const ft = { ...f.finetune, preset: f.base.preset, overrides: f.base.overrides };
        const arms = f.ftWeightRatio === undefined ? 2 : 3; // uniform, Chameleon FT (official τ_ft), and the fitted-τ_ft arm when asked
        return train(f.base) + arms * train(ft) + forward(f.base, n * f.embed.windowsPerDomain * f.embed.seqLen + (arms + 1) * n * f.eval.windowsPerDomain * f.eval.seqLen);
      }
    }
  });
}

/**
 * The plan's estimated wall time on `workers` workers: the larger of the total over the
 * workers and the longest single task.
 *
 * @example
 * studyWallSeconds(config, corpus, tasks, 2) / 3600; // hours
 */
export function studyWallSeconds(config: ChameleonStudyConfig, corpus: Pick<Corpus, "domains">, tasks: readonly ChameleonStudyTask[], workers: number): number {
  const secs = taskSeconds(config, corpus, tasks);
  return Math.max(secs.reduce((a, b) => a + b, 0) / workers, ...secs);
}
