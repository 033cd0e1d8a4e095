/**
 * How one task of the Chameleon study runs. Every stage calls the code its experiment already
 * has: the comparison's `runSearchTask` / `runFinalTask`, the transfer experiment's frozen arm
 * (`runTransferArm`), the comparison's `trainFinalModel` for a final model on the transferred
 * weights, the finetuning experiment (`runFinetuningExperiment`), and `runRegimeProxy`.
 */
import { compareSeeds, finalSeed } from "../../compare/config.js";
import { compareSuite, trainFinalModel, type FinalModelResult } from "../../compare/final.js";
import { runFinalTask, runSearchTask, type CompareTask, type FinishedSearch } from "../../compare/plan.js";
import type { ComparisonArm } from "../../compare/table.js";
import type { Corpus } from "../../data/corpus.js";
import { MixlabError } from "../../util/errors.js";
import { runFinetuningExperiment, type FinetuneResult } from "./experiments/finetune.js";
import { runTransferArm, type TransferArmResult, type TransferConfig } from "./experiments/transfer.js";
import { studyCompareConfig, type ChameleonStudyConfig, type ChameleonStudyTask } from "./config.js";
import { studySeeds } from "./plan.js";
import { runRegimeProxy, type RegimeRun } from "./regime.js";

/** A final model on the transferred weights (JSON). */
export type TransferFinal = { repeat: number; mixture: Record<string, number>; final: FinalModelResult };

/** What a task of each stage returns. */
export type StudyResult = RegimeRun | FinishedSearch["result"] | ComparisonArm | TransferArmResult | TransferFinal | FinetuneResult;

/** A finished dependency as a task receives it (its params, result and time). */
export type StudyDependency = { task: ChameleonStudyTask; result: unknown; seconds: number };

/**
 * The transfer experiment's config for the study: the pretraining search's Chameleon recipe,
 * windows and fitted-ratio rule, with `transfer.heldOut` left out of the proxy's training.
 *
 * @example
 * runTransferArm(corpus, transferConfig(config, corpus), "frozen", compareSeeds(seed).chameleon);
 */
export function transferConfig(config: ChameleonStudyConfig, corpus: Pick<Corpus, "domains">): TransferConfig {
  const c = config.pretrain.chameleon;
  if (!c) throw new MixlabError("CONFIG_INVALID", "pretrain.chameleon: the transfer stage uses the Chameleon search's recipe");
  return { domains: [...corpus.domains], heldOut: [...config.transfer.heldOut], proxy: c.proxy, embed: c.embed, chameleon: { ptWeightRatio: c.ptWeightRatio } };
}

/**
 * The mixture a transfer arm's weights give (pretraining weights over all domains, after the addition).
 *
 * @example
 * transferredMixture(frozen).legal;
 */
export function transferredMixture(r: TransferArmResult): Record<string, number> {
  return Object.fromEntries(r.after.domains.map((d, i) => [d, r.after.ptWeights[i]]));
}

/**
 * Run one task. `dependencies`: the finished tasks it waits for (`studyDependencies`), in plan order.
 *
 * @example
 * const result = await runStudyTask(config, corpus, task, [], console.log);
 */
export async function runStudyTask(config: ChameleonStudyConfig, corpus: Corpus, task: ChameleonStudyTask, dependencies: readonly StudyDependency[], log: (line: string) => void): Promise<StudyResult> {
  const seed = task.experimentSeed;
  const cmp = studyCompareConfig(config);
  switch (task.stage) {
    case "regime":
      return runRegimeProxy(corpus, config, task.proxy, task.repeat, seed);
    case "pretrain": {
      const t = task.compare;
      if (t.stage === "search") return runSearchTask(cmp, corpus, t, log);
      const searches: FinishedSearch[] = dependencies.map((d) => ({ task: compareTaskOf(d.task), result: d.result as FinishedSearch["result"], seconds: d.seconds }));
      return runFinalTask(cmp, corpus, t, searches);
    }
    case "transfer-weights":
      return runTransferArm(corpus, transferConfig(config, corpus), "frozen", compareSeeds(seed).chameleon);
    case "transfer-final": {
      const weights = dependencies.find((d) => d.task.stage === "transfer-weights");
      if (!weights) throw new MixlabError("EXPERIMENT_INCOMPLETE", "a transfer final needs the transfer weights' run");
      const mixture = transferredMixture(weights.result as TransferArmResult);
      const final = await trainFinalModel(corpus, cmp, compareSuite(corpus, cmp.suite), mixture, finalSeed(seed, task.repeat));
      return { repeat: task.repeat, mixture, final };
    }
    case "finetune": {
      const { repeats: _r, ...ft } = config.finetune;
      return runFinetuningExperiment(corpus, ft, studySeeds(seed).finetune(task.repeat));
    }
  }
}

function compareTaskOf(t: ChameleonStudyTask): CompareTask {
  if (t.stage !== "pretrain") throw new MixlabError("EXPERIMENT_INCOMPLETE", `a comparison final waits for comparison searches, got a "${t.stage}" task`);
  return t.compare;
}
