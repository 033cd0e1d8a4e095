/**
 * DoReMi (Xie et al., 2023): domain weights from a Group-DRO proxy's excess loss over a
 * reference model. See README.md for the paper step → file → function table.
 */
export { doremiUpdate, DOREMI_DEFAULTS, type DoremiUpdateOptions } from "./update.js";
export { doremiSpecSchema, type DoremiSpec, type DoremiSpecInput } from "./config.js";
export { doremiSearchCost } from "./cost.js";
export { runDoremi, type DoremiChoice } from "./run.js";
