/**
 * The plain config of the all-methods comparison (what `runComparison` takes and the `compare`
 * experiment kind validates from `experiments/compare.json`): one corpus, one final-model
 * recipe shared by every arm, and each method's own search settings.
 *
 * Seeds: everything derives from one experiment seed through `compareSeeds`, so the in-process
 * `runComparison` and the kit's task-by-task run produce the same numbers.
 */
import type { EmbedSpec, TrainSpec } from "../chameleon/experiments/common.js";
import type { TextTaskOptions } from "../eval/suite/tasks/options.js";
import type { SuiteMetric } from "../eval/suite/types.js";
import type { MergeMixConfig } from "../mergemix/config.js";
import type { PresetName } from "../model/config.js";
import type { ScheduleKind } from "../train/schedule.js";
import { deriveSeed } from "../util/rng.js";

/** Every arm the comparison knows, in table order. */
export const COMPARE_METHODS = ["uniform", "prior", "regmix", "chameleon", "chameleon-official", "mergemix"] as const;
export type CompareMethod = (typeof COMPARE_METHODS)[number];

/** Row labels of the comparison table. */
export const METHOD_LABELS: Readonly<Record<CompareMethod, string>> = {
  uniform: "Uniform",
  prior: "Token prior",
  regmix: "RegMix",
  chameleon: "Chameleon (fitted τ)",
  "chameleon-official": "Chameleon (official τ=5)",
  mergemix: "MergeMix",
};

/** How one model is trained: size, steps, batch geometry, optimiser schedule. */
export type ModelSpec = {
  preset: PresetName;
  steps: number;
  batchSize: number;
  /** T ≤ the preset's blockSize */
  seqLen: number;
  lr: number;
  schedule: ScheduleKind;
  /** default min(100, ⌊steps/10⌋) */
  warmupSteps?: number;
  minLrRatio: number;
};

/** RegMix's search: a sweep of small proxies, a regression, a simulation. */
export type RegmixSearchSpec = {
  /** proxies in the sweep (RegMix's sampler around the token prior) */
  proxies: number;
  /** each proxy (RegMix: constant LR after warm-up) */
  proxy: ModelSpec;
  /** validation windows per domain each proxy is scored on (seqLen = the proxy's) */
  windowsPerDomain: number;
  /** domain whose loss RegMix minimises (default: regmix `chooseTarget`, books) */
  target?: string;
  /** the last `heldOut` proxies score the regressors and are kept out of fitting */
  heldOut: number;
  /** GBDT options over RegMix's LightGBM defaults */
  gbdt: { numRounds?: number; learningRate?: number; numLeaves?: number; minDataInLeaf?: number; maxBin?: number };
  simulate: { candidates: number; topK: number; strength: number };
};

/** Chameleon's search: proxy on the uniform mix, domain embeddings, leverage, PT weights. */
export type ChameleonSearchSpec = {
  proxy: TrainSpec;
  embed: EmbedSpec;
  /** the "chameleon" arm's τ_pt makes max/min weight this ratio (not official; see chameleon/temperature.ts) */
  ptWeightRatio: number;
};

/** MergeMix's search: base, experts, seed merges on the suite, surrogates, simplex search. */
export type MergeMixSearchSpec = Omit<MergeMixConfig, "seed" | "corpus" | "consistency" | "final" | "backend">;

/** The downstream suite every final model is scored on. */
export type CompareSuiteSpec = {
  seed: number;
  metric: SuiteMetric;
  sizes: TextTaskOptions;
  taskOverrides?: Record<string, Partial<TextTaskOptions>>;
};

export type CompareConfig = {
  /** "default", "fixture" or a corpus directory (relative to the project root or absolute) */
  corpus: string;
  /** arms to run, in any order (table order is COMPARE_METHODS') */
  methods: CompareMethod[];
  /** every arm's final model: same preset, steps, batch, T, lr and seed — only the mixture differs */
  final: ModelSpec;
  /** fixed evaluation windows per domain (seqLen = final.seqLen) */
  eval: { windowsPerDomain: number; split: "validation" | "test" };
  suite: CompareSuiteSpec;
  regmix: RegmixSearchSpec;
  chameleon: ChameleonSearchSpec;
  mergemix: MergeMixSearchSpec;
  /** a final task gives up when its search has made no progress for this long (kit runs only) */
  waitSeconds: number;
};

/** The sub-seeds of one experiment seed. */
export type CompareSeeds = {
  /** every final model (same init, same batch stream seed) */
  final: number;
  /** RegMix's proxy mixtures */
  regmixMixtures: number;
  /** RegMix's simulation */
  regmixSimulate: number;
  /** Chameleon's proxy and windows (chameleon/experiments `experimentSeeds` derives from it) */
  chameleon: number;
  /** MergeMix's run seed */
  mergemix: number;
};

/**
 * The sub-seeds of an experiment seed (stable labels: adding an arm changes no other seed).
 *
 * @example
 * compareSeeds(42).final; // the seed every final model trains with
 */
export function compareSeeds(seed: number): CompareSeeds {
  return {
    final: deriveSeed(seed, "compare/final"),
    regmixMixtures: deriveSeed(seed, "compare/regmix/mixtures"),
    regmixSimulate: deriveSeed(seed, "compare/regmix/simulate"),
    chameleon: deriveSeed(seed, "compare/chameleon"),
    mergemix: deriveSeed(seed, "compare/mergemix"),
  };
}

/**
 * The seed of RegMix proxy `i`.
 *
 * @example
 * regmixProxySeed(42, 0) !== regmixProxySeed(42, 1); // true
 */
export function regmixProxySeed(seed: number, i: number): number {
  return deriveSeed(seed, `compare/regmix/proxy/${i}`);
}

/**
 * The configured arms in table order, duplicates removed.
 *
 * @example
 * orderedMethods(["mergemix", "uniform"]); // ["uniform", "mergemix"]
 */
export function orderedMethods(methods: readonly CompareMethod[]): CompareMethod[] {
  return COMPARE_METHODS.filter((m) => methods.includes(m));
}
