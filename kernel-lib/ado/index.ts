/**
 * ADO (Jiang et al., Adaptive Data Optimization; code yidingjiang/ado) — an online mixing
 * method: per-domain scaling laws fitted to the run's own training losses choose the next
 * mixture. README.md: paper step → file → function.
 */
export { adoSpecSchema, type AdoSpec } from "./config.js";
export { savgolFilter } from "./savgol.js";
export { scalingLaw, scalingLawObjective, fitScalingLaw, type ScalingLaw } from "./scaling-law.js";
export { clipMinProbability, adoCredit, adoStep } from "./update.js";
export { adoController, type AdoRecord } from "./controller.js";
