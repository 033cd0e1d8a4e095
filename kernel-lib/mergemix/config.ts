/**
 * The plain config of a MergeMix run (what `runMergeMix` takes and an experiment JSON holds),
 * with the quick profile (tiny proxy on the fixture corpus, ≤ 15 min on 2 cores) and the
 * default profile (the built corpus, a bigger budget).
 */
import type { CapabilityMap } from "../eval/suite/capabilities.js";
import type { SuiteMetric } from "../eval/suite/types.js";
import type { TextTaskOptions } from "../eval/suite/tasks/options.js";
import type { BackendChoice } from "../model/backend.js";
import type { GptConfig, PresetName } from "../model/config.js";
import type { GbdtOptions } from "../regression/index.js";
import type { ScheduleKind } from "../train/schedule.js";
import { MixlabError } from "../util/errors.js";
import { DEFAULT_EXPERT_GROUPS, type ExpertGroups } from "./groups.js";
import type { SimplexSearchOptions } from "./search.js";
import type { SeedOptions } from "./seeds.js";

export interface MergeMixConfig {
  seed: number;
  /** "fixture", "default" (the built corpus) or a corpus directory */
  corpus: string;
  model: { preset: PresetName; overrides?: Partial<GptConfig> };
  seqLen: number;
  batchSize: number;
  /** the shared base: trained from scratch on `mixture` */
  base: { mixture: "token_prior" | "uniform"; steps: number; lr: number; schedule: ScheduleKind; warmupSteps: number };
  /** each expert (and every trained comparison model) continues from the base with a constant LR */
  experts: { steps: number; lr: number; warmupSteps: number };
  groups: ExpertGroups;
  suite: {
    seed: number;
    sizes: TextTaskOptions;
    /** task name → size overrides (e.g. a longer context for math questions) */
    taskOverrides?: Record<string, Partial<TextTaskOptions>>;
    capabilities?: CapabilityMap;
    metric: SuiteMetric;
  };
  /** validation windows per domain (for the loss columns) */
  validationWindows: number;
  search: {
    seeds: SeedOptions;
    /** maximise one capability instead of the macro-average */
    capability?: string;
    gbdt?: Partial<GbdtOptions>;
    options?: Partial<SimplexSearchOptions>;
    /** folds of the surrogate cross-validation (0 = skip) */
    cvFolds: number;
  };
  consistency: {
    /** two groups' experts merged at each α, vs models trained on the same two-group mixtures */
    twoDomain: { groups: [string, string]; alphas: number[] } | null;
    /** Dirichlet-sampled mixtures over all groups, merged vs trained */
    multiDomain: { mixtures: number; concentration: number } | null;
  };
  /** train from the base on α*, uniform and the token prior and compare on the suite */
  final: boolean;
  backend?: BackendChoice;
}

/**
 * The quick profile: tiny proxy on the built corpus, 32 items per task (≈ 10 min of one core;
 * `experiments/mergemix-quick.json` holds the same values, a test keeps them in step).
 */
export const QUICK_MERGEMIX: MergeMixConfig = {
  seed: 1,
  corpus: "default",
  model: { preset: "tiny" },
  seqLen: 64,
  batchSize: 16,
  base: { mixture: "token_prior", steps: 1200, lr: 3e-3, schedule: "cosine", warmupSteps: 60 },
  experts: { steps: 240, lr: 1e-3, warmupSteps: 10 },
  groups: DEFAULT_EXPERT_GROUPS,
  // context + longest choice ≤ 64 bytes, the tiny model's window; math questions need more
  // context and have short answers
  suite: {
    seed: 1, metric: "acc_norm",
    sizes: { items: 32, numChoices: 4, contextBytes: 40, minContextBytes: 16, maxChoiceBytes: 24, minChoiceBytes: 8 },
    taskOverrides: { math_answer: { contextBytes: 50, maxChoiceBytes: 14 } },
  },
  validationWindows: 8,
  search: { seeds: { count: 40, gridSteps: 2, dirichletConcentration: 1 }, cvFolds: 5 },
  consistency: {
    twoDomain: { groups: ["code", "prose"], alphas: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] },
    multiDomain: { mixtures: 12, concentration: 1 },
  },
  final: true,
};

/** The full profile: the built corpus, a 1M-scale budget (hours on 2 cores). */
export const FULL_MERGEMIX: MergeMixConfig = {
  ...QUICK_MERGEMIX,
  model: { preset: "1M", overrides: { blockSize: 128 } },
  seqLen: 128,
  batchSize: 16,
  base: { mixture: "token_prior", steps: 6000, lr: 2e-3, schedule: "cosine", warmupSteps: 200 },
  experts: { steps: 1000, lr: 5e-4, warmupSteps: 20 },
  suite: {
    seed: 1, metric: "acc_norm",
    sizes: { items: 100, numChoices: 4, contextBytes: 96, minContextBytes: 24, maxChoiceBytes: 32, minChoiceBytes: 12 },
    taskOverrides: { math_answer: { contextBytes: 96, maxChoiceBytes: 32 } },
  },
  validationWindows: 16,
  consistency: { ...QUICK_MERGEMIX.consistency, multiDomain: { mixtures: 16, concentration: 1 } },
};

/**
 * A config with overrides applied one level deep (nested objects are merged, not replaced).
 *
 * @example
 * mergeMixConfig({ seed: 7, experts: { steps: 100 } }); // quick profile with those changes
 */
export function mergeMixConfig(overrides: DeepPartial<MergeMixConfig> = {}, base: MergeMixConfig = QUICK_MERGEMIX): MergeMixConfig {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(overrides)) {
    const b = (base as unknown as Record<string, unknown>)[k];
    out[k] = v && typeof v === "object" && !Array.isArray(v) && b && typeof b === "object" && !Array.isArray(b) ? { ...b, ...v } : v;
  }
  const cfg = out as unknown as MergeMixConfig;
  checkMergeMixConfig(cfg);
  return cfg;
}

/** Partial at the top level and one level down. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : Partial<T[K]>) : T[K] };

/**
 * Check the parts `runMergeMix` relies on (MERGEMIX_BAD_CONFIG with the field named).
 *
 * @example
 * checkMergeMixConfig({ ...QUICK_MERGEMIX, seqLen: 0 }); // throws
 */
export function checkMergeMixConfig(c: MergeMixConfig): void {
  const posInt = (v: number, name: string): void => {
    if (!Number.isInteger(v) || v < 1) throw new MixlabError("MERGEMIX_BAD_CONFIG", `${name} must be a positive integer, got ${v}`);
  };
  posInt(c.seqLen, "seqLen");
  posInt(c.batchSize, "batchSize");
  posInt(c.base.steps, "base.steps");
  posInt(c.experts.steps, "experts.steps");
  posInt(c.search.seeds.count, "search.seeds.count");
  posInt(c.validationWindows, "validationWindows");
  if (!(c.base.lr > 0) || !(c.experts.lr > 0)) throw new MixlabError("MERGEMIX_BAD_CONFIG", "base.lr and experts.lr must be positive");
  if (c.consistency.twoDomain) {
    const [a, b] = c.consistency.twoDomain.groups;
    for (const g of [a, b]) if (!(g in c.groups)) throw new MixlabError("MERGEMIX_BAD_CONFIG", `consistency.twoDomain: unknown group "${g}" (groups: ${Object.keys(c.groups).join(", ")})`);
    if (a === b) throw new MixlabError("MERGEMIX_BAD_CONFIG", "consistency.twoDomain needs two different groups");
    for (const x of c.consistency.twoDomain.alphas) if (!(x >= 0 && x <= 1)) throw new MixlabError("MERGEMIX_BAD_CONFIG", `consistency.twoDomain.alphas must lie in [0, 1], got ${x}`);
  }
  if (c.consistency.multiDomain) posInt(c.consistency.multiDomain.mixtures, "consistency.multiDomain.mixtures");
}
