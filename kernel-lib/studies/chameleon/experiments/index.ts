/**
 * The Chameleon experiments as plain functions over a corpus and a config (the experiment kit's
 * kinds `chameleon-transfer`, `chameleon-finetune` and the notebook call these):
 *   transfer    — add held-out domains with the frozen proxy vs retrain the proxy
 *   finetuning  — finetune a pretrained model with uniform vs Chameleon FT weights
 * Pretraining (the paper's Table 1) is the one equal-budget comparison, kernel-lib/compare
 * (`experiments/chameleon-pretrain.json` lists the methods).
 *
 * @example
 * import { runTransferExperiment } from "../../../studies/chameleon/experiments/kernel-lib/studies/chameleon/experiments/index.js";
 * const { tables } = await runTransferExperiment(corpus, config, 42);
 */
export {
  experimentSeeds,
  embedOptions,
  weightsFromEmbeddings,
  chameleonRunJson,
  proxyWeights,
  perplexities,
  evaluatedModel,
  scoreOn,
  matrixJson,
  type ChameleonRunJson,
  type EmbedSpec,
  type EvalSpec,
  type EvaluatedModel,
  type WeightSpec,
  type WeightsWithTemperature,
} from "../../../chameleon/proxy-run.js";
export {
  TRANSFER_ARMS,
  runTransferArm,
  runTransferExperiment,
  transferDomains,
  transferTables,
  type TransferArm,
  type TransferArmResult,
  type TransferConfig,
  type TransferTables,
} from "./transfer.js";
export { finetuningTables, runFinetuningExperiment, type FinetuneConfig, type FinetuneResult, type FinetuneSpec, type FinetuneTables } from "./finetune.js";
export { affinityHeatmap, leverageBars, weightsBesideBaselines } from "./figures.js";
