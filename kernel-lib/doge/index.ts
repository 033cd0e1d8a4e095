/**
 * DoGE (Fan et al., 2024): domain weights from the alignment of each domain's gradient with the
 * sum of all domains' gradients. See README.md for the paper step → file → function table.
 */
export { alignmentScores, dogeUpdate } from "./update.js";
export { dogeSpecSchema, type DogeSpec, type DogeSpecInput } from "./config.js";
export { dogeSearchCost } from "./cost.js";
export { runDoge, type DogeChoice } from "./run.js";
