/**
 * Chameleon (Xie et al., arXiv 2505.24844; official code LIONS-EPFL/Chameleon) — data-mixture
 * weights from domain embeddings, in the paper's step order:
 *   (1)   proxy on the uniform mix     → `proxy.ts` (cost in FLOPs: `cost.ts`)
 *   (2)   windows → domain embeddings  → `windows.ts`, `embed.ts`
 *   (3)   affinity K = X Xᵀ, centred  → `affinity.ts`
 *   (4)   kernel ridge leverage S      → `leverage.ts`
 *   (5)   pretraining / finetuning α   → `weights.ts`
 *   (3–6) one call, and new domains    → `pipeline.ts`; embed-and-add in one call → `new-data.ts`
 *   experiments (pretraining, transfer, finetuning) → `experiments/`
 * Everything takes and returns plain data (`Float64Array[]` rows, `Float64Array` vectors).
 *
 * @example
 * import { chameleonWeights } from "./kernel-lib/chameleon/index.js";
 * chameleonWeights({ domains: ["a", "b", "c"], embeddings: [[1, 0], [0, 1], [1, 1]] }).ptWeights;
 */
export { assertFiniteMatrix, assertSymmetricKernel, centerKernel, linearKernel, type MatrixRows } from "./affinity.js";
export { normalizeLeverage, ridgeLeverageScores, type LeverageOptions } from "./leverage.js";
export {
  finetuningWeights,
  pretrainingWeights,
  softmax,
  type FinetuningWeightOptions,
  type PretrainingWeightOptions,
} from "./weights.js";
export {
  addDomains,
  CHAMELEON_DEFAULTS,
  chameleonWeights,
  type ChameleonInput,
  type ChameleonOptions,
  type ChameleonResult,
  type DomainEmbeddings,
} from "./pipeline.js";
export {
  LEGACY_WINDOW_MODE,
  resolveWindowMode,
  sampleDomainWindows,
  WINDOW_MODES,
  type DomainWindows,
  type WindowMode,
  type WindowOptions,
} from "./windows.js";
export {
  chameleonLayer,
  embedDomains,
  embedDomainWindows,
  meanRows,
  paddedBatches,
  uniqueRows,
  windowEmbeddings,
  windowLengths,
  type DomainEmbedding,
  type DomainEmbeddingSet,
  type EmbedDomainsOptions,
  type EmbedOptions,
  type PaddedBatch,
} from "./embed.js";
export { trainChameleonProxy, type ChameleonProxy } from "./proxy.js";
export { embeddingFlops, embeddingFlopsPerToken } from "./cost.js";
export { trainingFlops } from "../model/config.js";
export { weightsWithNewDomains, type NewDomainsResult } from "./new-data.js";
export { OFFICIAL_EXAMPLE, OFFICIAL_FT_WEIGHT_RATIO, OFFICIAL_PT_WEIGHT_RATIO, ftTemperatureForRatio, ptTemperatureForRatio } from "./temperature.js";
