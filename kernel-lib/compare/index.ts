/**
 * The all-methods comparison (experiment level, above the methods): on one corpus and one
 * token budget, weights from uniform, the token prior, RegMix, Chameleon, MergeMix, DoReMi and DoGE
 * (kernel-lib/doremi, kernel-lib/doge); each
 * trained into a model of the same size with the same tokens and seed; one table of per-domain
 * validation loss, average, downstream suite scores and the compute each method spent on its
 * weights; the weights side by side.
 *
 *   config.ts   the plain config, arms, seeds
 *   regmix.ts / chameleon.ts / mergemix.ts   each method's search
 *   cost.ts     search cost in one shape
 *   final.ts    the shared final-model recipe and its scoring
 *   arms.ts     search outcome + final model → one arm
 *   table.ts, figures.ts, report.ts   the table, plots, markdown
 *   seeds.ts    one comparison over seed repeats: mean ± sd, paired differences with t intervals
 *   plan.ts     the tasks and their dependencies, one task's run (the `compare` experiment kind
 *               runs them: inline with `workers: 0`, on the local pool, or as Slurm arrays)
 */
export { compareSchema, COMPARE_METHODS, DEFAULT_COMPARE_METHODS, METHOD_LABELS, methodLabel, REGMIX_MEAN_TARGET, compareSeeds, finalSeed, orderedMethods, searchSpec, type CompareMethod, type CompareConfig, type CompareSeeds, type ChameleonSearchSpec, type MergeMixSearchSpec, type DoremiSearchSpec, type DogeSearchSpec, type CompareSuiteSpec } from "./config.js";
export { freeSearch, regmixSweepCost, chameleonSearchCost, mergemixSearchCost, type SearchCost, type CostRow } from "./cost.js";
export { chooseRegmixWeights, type RegmixChoice } from "./regmix.js";
export { chameleonSearch, type ChameleonChoice } from "./chameleon.js";
export { mergemixSearch, type MergeMixChoice } from "./mergemix.js";
export { compareSuite, compareValidation, trainFinalModel, type FinalModelResult } from "./final.js";
export { fixedArmSearch, regmixArmSearch, chameleonArmSearch, mergemixArmSearch, doremiArmSearch, dogeArmSearch, completeArm, type ArmSearch } from "./arms.js";
export { comparisonTable, comparisonView, weightsTable, costItemsTable, sortArms, capabilitiesOf, type ComparisonArm, type Row } from "./table.js";
export { armsAcrossSeeds, acrossSeedsTable, acrossSeedsFigure, type ArmAcrossSeeds } from "./seeds.js";
export { weightsFigure, weightsHeatmap, lossFigure, suiteFigure, costFigure, type WeightedArm } from "./figures.js";
export { comparisonMarkdown, type FigureSink } from "./report.js";
export { compareTasks, compareDependencies, runSearchTask, armSearch, searchesOf, runFinalTask, type CompareTask, type FinishedSearch } from "./plan.js";
export { proxyBudgetTable, proxiesOf } from "./budget.js";
