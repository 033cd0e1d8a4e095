// RegMix's mean-target arm (issue 27): fitted on the mean over domains from the same sweep as the
// books arm, labelled by target when both are listed; a config with one RegMix arm keeps "RegMix".
import { describe, expect, it } from "vitest";
import { armSearch, compareDependencies, compareSchema, compareTasks, completeArm, methodLabel, searchSpec, weightsTable, type CompareConfig, type FinishedSearch } from "../../kernel-lib/compare/index.js";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { tokenPrior } from "../../kernel-lib/data/prior.js";
import { loadExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { fitRegmix } from "../../kernel-lib/regmix/fit.js";
import { proposeRegmixMixtures } from "../../kernel-lib/regmix/mixtures.js";
import { simulateRegmix } from "../../kernel-lib/regmix/simulate.js";
import { mixtureDesign } from "../../kernel-lib/regmix/sweep.js";
import { compareSeeds } from "../../kernel-lib/compare/config.js";
import type { FinalModelResult } from "../../kernel-lib/compare/final.js";
import { fixtureCorpusDir, projectRoot } from "../../kernel-lib/util/paths.js";
import { join } from "node:path";

const corpus = loadCorpus(fixtureCorpusDir());
const domains = [...corpus.domains];
const ci = loadExperimentConfig(join(projectRoot(), "experiments", "compare.json"), "ci");
const SEED = ci.seed!;
const withMethods = (methods: string[]): CompareConfig => compareSchema.parse({ ...(ci.fields as Record<string, unknown>), methods });

// a synthetic sweep with a known law: books' loss falls with its own weight, every other domain's
// with its own weight more steeply — so "books" and "mean" are optimised by different mixtures
function sweep(config: CompareConfig): FinishedSearch[] {
  const spec = searchSpec(config, "regmix");
  return proposeRegmixMixtures(tokenPrior(corpus), spec.proxies, compareSeeds(SEED).regmix.mixtures).map((m, proxy) => {
    const mixture = m.toRecord();
    const losses = Object.fromEntries(domains.map((d, j) => [d, 3 + 0.05 * j - (d === "books" ? 1.5 : 0.8) * Math.sqrt(mixture[d])]));
    return { task: { stage: "search", method: "regmix-proxy", proxy, mixture, experimentSeed: SEED }, result: { mixture, losses, tokens: 0, finalTrainLoss: 0, tokensPerDomain: {}, engine: "synthetic" }, seconds: 0 };
  });
}

describe("RegMix's mean-target arm", () => {
  const both = withMethods(["uniform", "regmix", "regmix-mean"]);
  const runs = sweep(both);

  it("chooses the mixture fitRegmix + the simulation give on the mean over domains", () => {
    const arm = armSearch(both, corpus, "regmix-mean", SEED, runs);
    // the same steps by hand: y = mean of each row's per-domain losses, fit on the rows before the held-out ones, simulate with the GBDT
    const spec = searchSpec(both, "regmix");
    const n = runs.length - spec.heldOut;
    const rows = runs.map((r) => r.result as { mixture: Record<string, number>; losses: Record<string, number> });
    const X = mixtureDesign(rows.map((r) => r.mixture), domains).subarray(0, n * domains.length);
    const y = Float64Array.from(rows.slice(0, n), (r) => domains.reduce((a, d) => a + r.losses[d], 0) / domains.length);
    const { gbdt } = fitRegmix(X, y, { gbdt: spec.gbdt });
    const s = spec.simulate;
    const sim = simulateRegmix(gbdt, tokenPrior(corpus), { numCandidates: s.candidates, topK: s.topK, strength: s.strength, sampler: s.sampler, seed: compareSeeds(SEED).regmix.simulate, keepPredictions: false });
    const hand = sim.mixture.toRecord();
    for (const d of domains) expect(arm.mixture[d]).toBeCloseTo(hand[d], 12);
    expect(arm.details.target).toBe("mean");
    // and it is not the books arm's mixture
    const books = armSearch(both, corpus, "regmix", SEED, runs);
    expect(books.details.target).toBe("books");
    expect(domains.some((d) => Math.abs(books.mixture[d] - arm.mixture[d]) > 1e-3)).toBe(true);
  });

  it("labels both RegMix arms by target when both are listed, and keeps \"RegMix\" alone", () => {
    const fake = { validation: {}, average: 0, trainFlops: 1, trainTokens: 0 } as unknown as FinalModelResult;
    const label = (config: CompareConfig, m: "regmix" | "regmix-mean") => completeArm(armSearch(config, corpus, m, SEED, runs), fake).label;
    expect(label(both, "regmix")).toBe("RegMix (books)");
    expect(label(both, "regmix-mean")).toBe("RegMix (mean)");
    const alone = withMethods(["uniform", "regmix"]);
    expect(label(alone, "regmix")).toBe("RegMix");
    expect(methodLabel(alone, "regmix", "books")).toBe("RegMix");
    const rows = weightsTable([{ method: "regmix-mean", label: label(both, "regmix-mean"), mixture: {}, cost: { flops: 0, trainTokens: 0, forwardTokens: 0, models: 0, items: [] }, details: {}, searchSeconds: 0, final: fake }], domains);
    expect(rows[0].method).toBe("RegMix (mean)");
  });

  it("shares the books arm's sweep (one proxy task per mixture) and refuses a mean-target books arm beside it", () => {
    const tasks = compareTasks(both, corpus, SEED);
    const proxies = tasks.flatMap((t, i) => (t.stage === "search" && t.method === "regmix-proxy" ? [i] : []));
    expect(proxies).toHaveLength(searchSpec(both, "regmix").proxies);
    const after = compareDependencies(tasks);
    for (const m of ["regmix", "regmix-mean"]) expect(after[tasks.findIndex((t) => t.stage === "final" && t.method === m)]).toEqual(proxies);
    expect(() => withMethods(["uniform", "regmix-mean"])).not.toThrow();
    expect(compareSchema.safeParse({ ...(ci.fields as Record<string, unknown>), methods: ["regmix", "regmix-mean"], regmix: { ...searchSpec(both, "regmix"), target: "mean" } }).success).toBe(false);
    const { regmix: _r, ...noRegmix } = ci.fields as Record<string, unknown>;
    expect(compareSchema.safeParse({ ...noRegmix, methods: ["uniform", "regmix-mean"] }).success).toBe(false);
  });
});
