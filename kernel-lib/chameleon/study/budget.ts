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
import { flopsPerToken, type PresetName } from "../../model/config.js";
import { recipeModelConfig, recipeTokens } from "../../train/recipe.js";
import { studyCompareConfig, type ChameleonStudyConfig, type ChameleonStudyTask } from "./config.js";

/**
 * Training tokens per second per worker with two workers busy on 2 cores (the project's
 * measurements: tiny 500 × 16 × 64 in ≈ 6 s, 445k 1000 × 16 × 128 in ≈ 55 s, 1M 1000 × 16 × 128
 * in ≈ 200 s). A preset not measured is scaled from 1M by FLOPs per token.
 */
export const MEASURED_TRAIN_RATE: Readonly<Partial<Record<PresetName, number>>> = Object.freeze({
  tiny: (500 * 16 * 64) / 6,
  "445k": (1000 * 16 * 128) / 55,
  "1M": (1000 * 16 * 128) / 200,
});
/** DoReMi's and DoGE's proxy step over a plain step of the same windows (kernel-lib/doremi/README.md, 445k, b = 1). */
export const GROUP_STEP_OVERHEAD = Object.freeze({ doremi: 1.6, doge: 2.17 });

type Recipe = { preset: PresetName; overrides?: Parameters<typeof recipeModelConfig>[0]["overrides"]; steps: number; batchSize: number; seqLen: number };

function trainRate(r: Recipe): number {
  const measured = MEASURED_TRAIN_RATE[r.preset];
  if (measured !== undefined && !r.overrides) return measured;
  const oneM = recipeModelConfig({ preset: "1M" });
  return MEASURED_TRAIN_RATE["1M"]! * flopsPerToken(oneM, r.seqLen) / flopsPerToken(recipeModelConfig(r), r.seqLen);
}
const train = (r: Recipe, overhead = 1) => (recipeTokens(r) / trainRate(r)) * overhead;
const forward = (r: Recipe, tokens: number) => tokens / (3 * trainRate(r));

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
        return train(f.base) + 2 * train(ft) + forward(f.base, n * f.embed.windowsPerDomain * f.embed.seqLen + 3 * n * f.eval.windowsPerDomain * f.eval.seqLen);
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
