/**
 * The inference module the three studies share (beside `../verdicts.ts`): family-wise
 * correction (Holm), range-respecting intervals, noise ceilings for rank correlations,
 * threshold sensitivity, split-sample selection and outlier flags. Each file's header gives its
 * maths and sources; `../README.md` has the overview.
 */
export { normalQuantile, tTwoSidedP } from "./distributions.js";
export { boundedTInterval, fisherZInterval, rangeLogit, rangeExpit, SHARE, CORRELATION, type BoundedInterval, type Range } from "./bounded.js";
export {
  holm, holmFamily, pairedTFamily, tMember, boundedTMember, bootstrapMember, bootstrapPValue, judge, formatFamily,
  type FamilyClaim, type FamilyMember, type FamilyPart, type FamilyResult, type Side,
} from "./family.js";
export { seedAgreement, noiseCeiling, judgeAgainstCeiling, formatCeiling, type SeedAgreement, type NoiseCeiling, type CeilingJudgement } from "./ceiling.js";
export { sensitivity, sensitivityOf, pointEstimate, formatSensitivity, type Basis, type SensitivityRow } from "./sensitivity.js";
export { splitHalves, splitSampleSelection, formatSplit, type PickTest, type CrossTest, type SplitSampleResult } from "./split-sample.js";
export { madOutliers, armOutliers, formatOutliers, MAD_NORMAL_SCALE, type MadOutliers, type OutlierFlag } from "./outliers.js";
export { familyCells, familySensitivity } from "./rows.js";
