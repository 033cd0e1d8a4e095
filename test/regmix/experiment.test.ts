/**
 * RegMix steps 3–5 over plain data (analyseSweep, lossTable, chooseTarget) on a synthetic sweep
 * with a known law, and the `regmix-mini` kind's plan and config checks.
 */
import { describe, expect, it } from "vitest";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import type { RegmixMiniParams } from "../../kernel-lib/experiment/kinds/regmix-mini.js";
import { loadExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { analyseSweep, chooseTarget, lossTable, regmixLeafSize, DEFAULT_TARGET } from "../../kernel-lib/regmix/choose.js";
import type { SweepRow } from "../../kernel-lib/regmix/sweep.js";
import { join } from "node:path";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import { createRng } from "../../kernel-lib/util/rng.js";

const DOMAINS = ["books", "code_c", "math", "legal", "email"];
const prior = Mixture.fromWeights(DOMAINS, [0.3, 0.2, 0.2, 0.2, 0.1]);
/** target (books) loss = 3 − 1.2·w_books − 0.3·w_email + noise: best at the books vertex */
function sweep(n: number, seed: number): SweepRow[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const w = rng.dirichlet(Array.from(prior.weights, (p) => p * 2));
    const mixture = Object.fromEntries(DOMAINS.map((d, j) => [d, w[j]]));
    const books = 3 - 1.2 * w[0] - 0.3 * w[4] + 0.005 * rng.normal();
    const losses = Object.fromEntries(DOMAINS.map((d, j) => [d, d === "books" ? books : 3 - w[j]]));
    return { mixture, losses };
  });
}

describe("analyseSweep", () => {
  const rows = sweep(96, 1);
  const a = analyseSweep(rows, prior, { heldOut: 24, simulate: { numCandidates: 50_000, topK: 64, seed: 3 }, gbdt: { numRounds: 400 } });

  it("fits on the first rows, scores on the last `heldOut`", () => {
    expect(a.target).toBe("books");
    expect(a.trainRows).toBe(72);
    expect(a.heldOutRows).toBe(24);
    expect(Array.from(a.heldOut.observed)).toEqual(rows.slice(72).map((r) => r.losses.books));
    expect(a.gbdt.numTrees).toBe(400); // no early stopping on the held-out rows by default
  });

  it("both regressors rank held-out proxies well on a near-linear law (linear ≈ exact)", () => {
    const g = a.scores.find((s) => s.model === "gbdt")!;
    const l = a.scores.find((s) => s.model === "linear")!;
    expect(l.spearman).toBeGreaterThan(0.97);
    expect(l.mse).toBeLessThan(1e-4);
    expect(g.spearman).toBeGreaterThan(0.8);
    expect(g.n).toBe(24);
  });

  it("the chosen mixture leans to the law's minimiser (books)", () => {
    expect(a.chosen.domains).toEqual(DOMAINS);
    expect(a.chosen.get("books")).toBeGreaterThan(0.7);
    expect(a.chosen.get("books")).toBeGreaterThan(prior.get("books"));
    expect(a.simulation.stats.topKMean).toBeLessThan(a.simulation.stats.mean);
    const viaLinear = analyseSweep(rows, prior, { heldOut: 24, simulateWith: "linear", simulate: { numCandidates: 50_000, topK: 64, seed: 3 }, gbdt: { numRounds: 50 } });
    expect(viaLinear.chosen.get("books")).toBeGreaterThan(0.9);
  });

  it("names bad splits and unknown targets", () => {
    expect(() => analyseSweep(rows, prior, { heldOut: 95 })).toThrow(expect.objectContaining({ code: "REGMIX_BAD_OPTION" }));
    expect(() => analyseSweep(rows, prior, { target: "nope" })).toThrow(expect.objectContaining({ code: "REGMIX_UNKNOWN_TARGET" }));
  });
});

describe("chooseTarget and lossTable", () => {
  it("defaults to books, else the first domain", () => {
    expect(DEFAULT_TARGET).toBe("books");
    expect(chooseTarget(["code_c", "books"])).toBe("books");
    expect(chooseTarget(["code_c", "math"])).toBe("code_c");
    expect(chooseTarget(["code_c", "math"], "math")).toBe("math");
  });

  it("lists every domain, the average and the best model per row", () => {
    const t = lossTable([
      { name: "RegMix", validation: { a: 1.0, b: 3.0 } },
      { name: "uniform", validation: { a: 2.0, b: 1.0 } },
    ], ["a", "b"]);
    expect(t).toEqual([
      { domain: "a", RegMix: 1.0, uniform: 2.0, best: "RegMix" },
      { domain: "b", RegMix: 3.0, uniform: 1.0, best: "uniform" },
      { domain: "average", RegMix: 2.0, uniform: 1.5, best: "uniform" },
    ]);
  });
});

describe("the GBDT's leaf size follows the number of fitted proxies", () => {
  it("is LightGBM's 20 from 200 rows up, ⌊rows/10⌉ (at least 2) below", () => {
    expect([20, 48, 64, 128, 195, 200, 512, 4096].map(regmixLeafSize)).toEqual([2, 5, 6, 13, 20, 20, 20, 20]);
  });

  it("analyseSweep uses it unless the config sets minDataInLeaf", () => {
    const rows = sweep(60, 2);
    const opts = { heldOut: 12, simulate: { numCandidates: 1000, topK: 8, seed: 1 }, gbdt: { numRounds: 20 } };
    expect(analyseSweep(rows, prior, opts).gbdt.options?.minDataInLeaf).toBe(5); // 48 fitted rows
    expect(analyseSweep(rows, prior, { ...opts, gbdt: { numRounds: 20, minDataInLeaf: 9 } }).gbdt.options?.minDataInLeaf).toBe(9);
  });
});

describe("regmix-mini kind", () => {
  const file = join(projectRoot(), "experiments", "regmix-mini.json");

  it("plans one proxy per RegMix-sampled mixture, seeded from the experiment seed", async () => {
    const exp = loadExperimentConfig(file, "ci");
    const params = (await exp.kind.plan(exp.fields, { seed: 42, profile: "ci" })) as RegmixMiniParams[];
    expect(params).toHaveLength(16);
    expect(params.map((p) => p.proxy)).toEqual([...Array(16).keys()]);
    expect(new Set(params.map((p) => JSON.stringify(p.mixture))).size).toBe(16);
    // proxies come from RegMix's sampler: weights on the 2e-4 grid
    for (const p of params) for (const w of Object.values(p.mixture)) expect(Math.abs(w / 2e-4 - Math.round(w / 2e-4))).toBeLessThan(1e-6);
    // the same proposals as the library's sampler with the search's seed
    const again = (await exp.kind.plan(exp.fields, { seed: 42, profile: "ci" })) as RegmixMiniParams[];
    expect(again).toEqual(params);
  });

  it("every profile of the shipped config validates; the full one has ≥ 64 constant-LR proxies on the default corpus", () => {
    const full = loadExperimentConfig(file, "full");
    const f = full.fields as { corpus: string; regmix: { proxies: number; proxy: { schedule: string } } };
    expect(f.corpus).toBe("default");
    expect(f.regmix.proxies).toBeGreaterThanOrEqual(64);
    expect(f.regmix.proxy.schedule).toBe("constant");
  });

  it("rejects a held-out count that leaves too few proxies, an unknown target and an unknown key", async () => {
    const base = {
      kind: "regmix-mini", version: 1, seed: 1, corpus: "fixture",
      regmix: { proxies: 4, proxy: { preset: "tiny", steps: 2, batchSize: 2, seqLen: 16, lr: 0.003 }, windowsPerDomain: 1, heldOut: 3, simulate: { candidates: 10, topK: 2 } },
    };
    expect(() => parseExperimentConfig(base)).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
    const bad = parseExperimentConfig({ ...base, regmix: { ...base.regmix, heldOut: 1, target: "nope" } });
    await expect(async () => bad.kind.plan(bad.fields, { seed: 1, profile: "base" })).rejects.toThrow(expect.objectContaining({ code: "REGMIX_UNKNOWN_TARGET" }));
    expect(() => parseExperimentConfig({ ...base, regmix: { ...base.regmix, proxy: { ...base.regmix.proxy, stepz: 1 } } })).toThrow(expect.objectContaining({ code: "CONFIG_UNKNOWN_KEY" }));
  });
});
