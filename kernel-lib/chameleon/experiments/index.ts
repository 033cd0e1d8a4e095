/**
 * The Chameleon experiments as plain functions over a corpus and a config (the experiment kit's
 * kinds `chameleon-pretrain`, `chameleon-transfer`, `chameleon-finetune` and the notebook call
 * these):
 *   pretraining — equal-budget models on Chameleon PT weights vs uniform / token prior (/ RegMix)
 *   transfer    — add held-out domains with the frozen proxy vs retrain the proxy
 *   finetuning  — finetune a pretrained model with uniform vs Chameleon FT weights
 *
 * @example
 * import { runPretrainingExperiment } from "./kernel-lib/chameleon/experiments/index.js";
 * const { tables } = await runPretrainingExperiment(corpus, config, 42);
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
} from "./common.js";
export {
  PRETRAIN_ARMS,
  pretrainArms,
  pretrainingTables,
  regmixFlops,
  runPretrainingArm,
  runPretrainingExperiment,
  type PretrainArm,
  type PretrainArmResult,
  type PretrainConfig,
  type PretrainTables,
  type RegMixInput,
} from "./pretrain.js";
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
