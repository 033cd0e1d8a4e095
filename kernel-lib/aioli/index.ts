/**
 * Aioli (Chen et al., arXiv 2411.05735; code HazyResearch/aioli) — an online mixing method: a
 * mixture controller that estimates the mixing law from the run (LearnParams) and updates the
 * mixture by exponentiated gradient. README.md: paper step → file → function.
 */
export { aioliSpecSchema, type AioliSpec } from "./config.js";
export { learnParamsMixture, learnParamsOrder, estimateMixingMatrix } from "./learn-params.js";
export { normaliseMixingMatrix, aioliUpdate, type AioliUpdateState } from "./update.js";
export { aioliController, type AioliControllerOptions, type AioliRecord } from "./controller.js";
export { aioliSearchCost } from "./cost.js";
