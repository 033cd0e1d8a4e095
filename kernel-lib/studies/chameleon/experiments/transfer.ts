/**
 * Experiment 2 — transfer to new data. Chameleon's weights come from embeddings of a frozen
 * proxy, so when domains are added the proxy need not be retrained: embed the new domains and
 * recompute K, S and α (step 6). Two arms:
 *   frozen   proxy trained on the uniform mix of the base domains; weights on the base domains
 *            ("before"); then the held-out domains are embedded with the same proxy and the
 *            weights recomputed over all domains ("after") — the added cost is forward passes
 *   retrain  a new proxy trained on the uniform mix of all domains, all domains embedded
 * Both proxies have the same size, budget and seed. The report compares the "after" weights
 * (leverage rank correlation, L1 distances) and the cost of getting them.
 */
import type { TrainRecipe } from "../../../train/recipe.js";
import type { Corpus } from "../../../data/corpus.js";
import { spearman } from "../../../regression/metrics.js";
import { MixlabError } from "../../../util/errors.js";
import type { DomainEmbeddingSet } from "../../../chameleon/embed.js";
import { weightsWithNewDomains } from "../../../chameleon/new-data.js";
import { chameleonRunJson, embedOptions, experimentSeeds, proxyWeights, weightsFromEmbeddings, type ChameleonRunJson, type EmbedSpec, type WeightSpec } from "../../../chameleon/proxy-run.js";

export const TRANSFER_ARMS = ["frozen", "retrain"] as const;
export type TransferArm = (typeof TRANSFER_ARMS)[number];

/** Config of the transfer experiment. */
export type TransferConfig = {
  /** every domain after the addition (default: all of the corpus) */
  domains?: string[];
  /** the domains added later (a non-empty subset of `domains`, leaving ≥ 2 base domains) */
  heldOut: string[];
  proxy: TrainRecipe;
  embed: EmbedSpec;
  chameleon: WeightSpec;
};

/** One arm's outcome (JSON). */
export type TransferArmResult = {
  arm: TransferArm;
  label: string;
  /** frozen arm: the weights on the base domains before the addition */
  before: ChameleonRunJson | null;
  /** weights over all domains (base then held-out) */
  after: ChameleonRunJson;
  cost: {
    /** FLOPs of the proxy this arm trained */
    proxyTraining: number;
    /** FLOPs of all embedding forward passes in this arm */
    embedding: number;
    /** FLOPs spent once the new domains arrive (frozen: embed them; retrain: new proxy + embed all) */
    incremental: number;
    /** proxy training steps taken once the new domains arrive */
    incrementalTrainingSteps: number;
    total: number;
  };
};

/**
 * Base and held-out domains of a config, checked.
 * Errors: `CONFIG_INVALID` (held-out domain not among domains, duplicates, < 2 base domains).
 *
 * @example
 * transferDomains(corpus, { heldOut: ["math"], ... }); // { all, base, heldOut }
 */
export function transferDomains(corpus: Corpus, config: TransferConfig): { all: string[]; base: string[]; heldOut: string[] } {
  const all = [...(config.domains ?? corpus.domains)];
  const held = new Set(config.heldOut);
  if (held.size !== config.heldOut.length) throw new MixlabError("CONFIG_INVALID", "heldOut: a domain is listed twice");
  if (held.size === 0) throw new MixlabError("CONFIG_INVALID", "heldOut: name at least one domain to add");
  for (const d of held) if (!all.includes(d)) throw new MixlabError("CONFIG_INVALID", `heldOut: "${d}" is not among the experiment's domains`);
  const base = all.filter((d) => !held.has(d));
  if (base.length < 2) throw new MixlabError("CONFIG_INVALID", `only ${base.length} base domain(s) left; Chameleon needs at least 2`);
  return { all: [...base, ...config.heldOut], base, heldOut: [...config.heldOut] };
}

function concatSets(a: DomainEmbeddingSet, b: DomainEmbeddingSet): DomainEmbeddingSet {
  return {
    ...a,
    domains: [...a.domains, ...b.domains],
    embeddings: [...a.embeddings, ...b.embeddings],
    uniqueWindows: [...a.uniqueWindows, ...b.uniqueWindows],
    realTokens: [...a.realTokens, ...b.realTokens],
    flops: a.flops + b.flops,
    seconds: a.seconds + b.seconds,
  };
}

/**
 * Run one arm of the transfer experiment.
 *
 * @example
 * const frozen = await runTransferArm(corpus, config, "frozen", 42);
 * frozen.after.ptWeights; frozen.cost.incrementalTrainingSteps; // 0
 */
export async function runTransferArm(corpus: Corpus, config: TransferConfig, arm: TransferArm, seed: number): Promise<TransferArmResult> {
  const { all, base, heldOut } = transferDomains(corpus, config);
  if (arm === "frozen") {
    const { proxy, X, weights } = await proxyWeights(corpus, base, config.proxy, config.embed, config.chameleon, seed);
    const added = await weightsWithNewDomains(proxy.model, corpus, X, heldOut, embedOptions(config.embed, experimentSeeds(seed).windows), {
      lambda: config.chameleon.lambda, tauPt: config.chameleon.tauPt, tauFt: config.chameleon.tauFt,
    });
    const union = concatSets(X, added.added);
    const after = weightsFromEmbeddings(union, config.chameleon); // same numbers as added.result, with the WeightSpec's temperature rule
    return {
      arm, label: "frozen proxy + embed new domains",
      before: chameleonRunJson(proxy, X, weights),
      after: chameleonRunJson(proxy, union, after),
      cost: { proxyTraining: proxy.flops, embedding: union.flops, incremental: added.flops, incrementalTrainingSteps: 0, total: proxy.flops + union.flops },
    };
  }
  const { proxy, X, weights } = await proxyWeights(corpus, all, config.proxy, config.embed, config.chameleon, seed);
  return {
    arm, label: "retrain proxy on the new uniform mix",
    before: null,
    after: chameleonRunJson(proxy, X, weights),
    cost: { proxyTraining: proxy.flops, embedding: X.flops, incremental: proxy.flops + X.flops, incrementalTrainingSteps: proxy.train.steps, total: proxy.flops + X.flops },
  };
}

/** The transfer experiment's tables. */
export type TransferTables = {
  /** domain, leverage/PT/FT per arm (and before) */
  weights: Record<string, string | number | null>[];
  /** agreement of the two "after" results */
  agreement: Record<string, string | number>[];
  /** arm, FLOPs */
  cost: Record<string, string | number>[];
};

function l1(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, x, i) => s + Math.abs(x - b[i]), 0);
}

/**
 * Tables comparing the frozen and retrained arms (both must be present).
 *
 * @example
 * toMarkdown(transferTables(arms).agreement);
 */
export function transferTables(arms: readonly TransferArmResult[]): TransferTables {
  const frozen = arms.find((a) => a.arm === "frozen");
  const retrain = arms.find((a) => a.arm === "retrain");
  if (!frozen || !retrain) throw new MixlabError("EXPERIMENT_INCOMPLETE", "transfer tables need both the frozen and the retrain arm");
  const f = frozen.after, r = retrain.after, b = frozen.before;
  const idx = (d: string) => r.domains.indexOf(d);
  const rAligned = (xs: number[]) => f.domains.map((d) => xs[idx(d)]);
  const weights = f.domains.map((d, i) => {
    const j = idx(d);
    const bi = b ? b.domains.indexOf(d) : -1;
    return {
      domain: d,
      "held out": bi < 0 ? "yes" : "",
      "S before": bi < 0 || !b ? null : b.leverage[bi],
      "S frozen": f.leverage[i],
      "S retrain": r.leverage[j],
      "PT before": bi < 0 || !b ? null : b.ptWeights[bi],
      "PT frozen": f.ptWeights[i],
      "PT retrain": r.ptWeights[j],
      "FT frozen": f.ftWeights[i],
      "FT retrain": r.ftWeights[j],
    };
  });
  const agreement = [
    { quantity: "Spearman ρ of leverage S (frozen vs retrain)", value: spearman(f.leverage, rAligned(r.leverage)) },
    { quantity: "L1 distance of S", value: l1(f.leverage, rAligned(r.leverage)) },
    { quantity: "L1 distance of PT weights", value: l1(f.ptWeights, rAligned(r.ptWeights)) },
    { quantity: "L1 distance of FT weights", value: l1(f.ftWeights, rAligned(r.ftWeights)) },
    { quantity: "τ_pt frozen / retrain", value: `${f.tauPt.toPrecision(4)} / ${r.tauPt.toPrecision(4)}` },
  ];
  const cost = [frozen, retrain].map((a) => ({
    arm: a.label,
    "FLOPs once new data arrives": a.cost.incremental,
    "training steps then": a.cost.incrementalTrainingSteps,
    "proxy training": a.cost.proxyTraining,
    "all embedding": a.cost.embedding,
    "total FLOPs": a.cost.total,
  }));
  return { weights, agreement, cost };
}

/**
 * Both arms in turn, then the tables.
 *
 * @example
 * const { tables } = await runTransferExperiment(corpus, config, 42);
 */
export async function runTransferExperiment(corpus: Corpus, config: TransferConfig, seed: number): Promise<{ arms: TransferArmResult[]; tables: TransferTables }> {
  const arms: TransferArmResult[] = [];
  for (const arm of TRANSFER_ARMS) arms.push(await runTransferArm(corpus, config, arm, seed));
  return { arms, tables: transferTables(arms) };
}
