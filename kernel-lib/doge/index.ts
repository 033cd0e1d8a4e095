/**
 * DoGE (Fan et al., 2024): domain weights from the alignment of each domain's gradient with the
 * sum of all domains' gradients. See README.md for the paper step → file → function table.
 */
export { alignmentScores, dogeUpdate } from "./update.js";
export { clipDomainGradients, dogeOfficialSchema, officialDogeStep, officialScores, officialWeights, type DogeOfficialOptions } from "./official.js";
export { DOGE_UPDATES, dogeSpecSchema, dogeUpdateOf, type DogeSpec, type DogeSpecInput, type DogeUpdateKind } from "./config.js";
export { dogeSearchCost } from "./cost.js";
export { runDoge, type DogeChoice } from "./run.js";
