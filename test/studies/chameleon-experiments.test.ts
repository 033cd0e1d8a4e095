/**
 * The three Chameleon experiments end to end on the fixture corpus with tiny sizes: mixtures on
 * the simplex, finite perplexities, equal budgets, the cost accounting, and the fitted
 * pretraining temperature.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { embeddingFlops } from "../../kernel-lib/chameleon/cost.js";
import { trainingFlops } from "../../kernel-lib/model/config.js";
import {
  finetuningTables,
  runFinetuningExperiment,
  runTransferExperiment,
  type EmbedSpec,
  type EvalSpec,
} from "../../kernel-lib/studies/chameleon/experiments/index.js";
import { OFFICIAL_PT_WEIGHT_RATIO, ptTemperatureForRatio } from "../../kernel-lib/chameleon/temperature.js";
import { pretrainingWeights } from "../../kernel-lib/chameleon/weights.js";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { loadComparisonResults } from "../../kernel-lib/experiment/results.js";
import { presetConfig } from "../../kernel-lib/model/config.js";
import { continueRecipeSchema, trainRecipeSchema } from "../../kernel-lib/train/recipe.js";
import { fixtureCorpusDir, projectRoot } from "../../kernel-lib/util/paths.js";
import { workedExample } from "../chameleon/helpers.js";

const corpus = loadCorpus(fixtureCorpusDir());
const train = trainRecipeSchema().parse({ preset: "tiny", steps: 12, batchSize: 4, seqLen: 32, lr: 3e-3 });
const embed: EmbedSpec = { windowsPerDomain: 6, seqLen: 32, split: "train", windowMode: "stream", includePadding: false, dedupe: true };
const evalSpec: EvalSpec = { windowsPerDomain: 2, seqLen: 32, split: "validation" };

function expectSimplex(ws: ArrayLike<number>): void {
  let s = 0;
  for (let i = 0; i < ws.length; i++) {
    expect(ws[i]).toBeGreaterThanOrEqual(0);
    s += ws[i];
  }
  expect(Math.abs(s - 1)).toBeLessThan(1e-9);
}

function expectFinitePerplexities(p: Record<string, number>, domains: readonly string[]): void {
  expect(Object.keys(p)).toEqual([...domains]);
  for (const v of Object.values(p)) {
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(1); // per-byte perplexity of a barely trained model: well above 1
    expect(v).toBeLessThan(256 * 4); // and not absurdly above uniform over bytes
  }
}

describe("ptTemperatureForRatio", () => {
  it("gives the requested max/min weight ratio, and the official ratio on the worked example at τ = 5", () => {
    const S = Float64Array.of(0.01, 0.05, 0.2, 0.74);
    const tau = ptTemperatureForRatio(S, 4);
    const w = pretrainingWeights(S, { tau });
    expect(Math.max(...w) / Math.min(...w)).toBeCloseTo(4, 10);
    const ex = workedExample();
    const official = ptTemperatureForRatio(ex.rows.krls_normalized, OFFICIAL_PT_WEIGHT_RATIO);
    expect(official).toBeCloseTo(5, 1); // the example's own ratio recovers τ_pt ≈ 5 (rounded inputs)
  });
});

describe("pretraining (experiments/chameleon-pretrain.json, a comparison)", () => {
  it("trains every arm with the same budget; the fitted arm has the configured max/min ratio; both Chameleon arms share one search", async () => {
    const out = mkdtempSync(join(tmpdir(), "mixlab-cham-pretrain-"));
    try {
      const run = await runExperiment({ config: join(projectRoot(), "experiments", "chameleon-pretrain.json"), profile: "ci", out, workers: 0, png: false, log: () => {} });
      expect(run.done).toBe(run.total);
      const { arms, config } = loadComparisonResults(run.dir);
      expect(arms.map((a) => a.method)).toEqual(["uniform", "prior", "chameleon", "chameleon-official"]);
      const f = config.final;
      const budget = trainingFlops(presetConfig(f.preset), f.steps, f.batchSize, f.seqLen);
      for (const a of arms) {
        expectSimplex(corpus.domains.map((d) => a.mixture[d]));
        expect(a.final.trainFlops).toBe(budget);
        for (const d of corpus.domains) expect(Number.isFinite(a.final.validation[d])).toBe(true);
      }
      const [uniform, prior, cham, official] = arms;
      const w = Object.values(cham.mixture);
      expect(Math.max(...w) / Math.min(...w)).toBeCloseTo(4.08, 6);
      expect(cham.mixture).not.toEqual(official.mixture);
      expect(cham.details.leverage).toEqual(official.details.leverage);
      expect(cham.cost).toEqual(official.cost);
      // Chameleon's cost: one proxy's training + the embedding forward passes (13 domains × 8 windows of 32, layer 1)
      const c = config.chameleon!;
      const proxyFlops = trainingFlops(presetConfig(c.proxy.preset), c.proxy.steps, c.proxy.batchSize, c.proxy.seqLen);
      expect(cham.cost.flops).toBeCloseTo(proxyFlops + embeddingFlops(presetConfig(c.proxy.preset), 13 * 8, 32, 1), 0);
      expect(uniform.cost.flops).toBe(0);
      expect(prior.cost.flops).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("transfer experiment", () => {
  it("adds held-out domains without training and compares with a retrained proxy", async () => {
    const { arms, tables } = await runTransferExperiment(corpus, { heldOut: ["math", "legal"], proxy: train, embed, chameleon: {} }, 42);
    const [frozen, retrain] = arms;
    for (const a of arms) {
      expectSimplex(a.after.ptWeights);
      expectSimplex(a.after.ftWeights);
      expect(a.after.domains).toHaveLength(13);
    }
    expect(frozen.before!.domains).toHaveLength(11);
    expect(frozen.after.domains.slice(11)).toEqual(["math", "legal"]);
    expect(frozen.cost.incrementalTrainingSteps).toBe(0);
    expect(frozen.cost.incremental).toBe(embeddingFlops(presetConfig("tiny"), 2 * 6, 32, 1));
    expect(retrain.cost.incrementalTrainingSteps).toBe(12);
    expect(retrain.cost.incremental).toBeGreaterThan(frozen.cost.incremental);
    // the base domains keep their embeddings: the frozen arm's kernel block equals "before"'s
    expect(frozen.after.kernel.slice(0, 11).map((r) => r.slice(0, 11))).toEqual(frozen.before!.kernel);
    const rho = tables.agreement[0].value as number;
    expect(rho).toBeGreaterThanOrEqual(-1);
    expect(rho).toBeLessThanOrEqual(1);
    expect(tables.weights.filter((r) => r["held out"] === "yes").map((r) => r.domain)).toEqual(["math", "legal"]);
  });
});

describe("finetuning experiment", () => {
  it("finetunes the base with uniform and Chameleon FT weights and reports finite test perplexities", async () => {
    const ft = ["math", "legal", "code_c"];
    const r = await runFinetuningExperiment(corpus, {
      finetuneDomains: ft, base: train, embed, chameleon: {},
      finetune: continueRecipeSchema().parse({ steps: 6, batchSize: 4, seqLen: 32, lr: 1e-3 }), eval: { ...evalSpec, split: "test" },
    }, 42);
    expect(r.pretrainDomains).toHaveLength(10);
    expect(r.pretrainDomains.some((d) => ft.includes(d))).toBe(false);
    expectSimplex(r.chameleon.ftWeights);
    expectFinitePerplexities(r.base.perplexity, ft);
    for (const a of r.arms) {
      expectSimplex(ft.map((d) => a.mixture[d]));
      expectFinitePerplexities(a.evaluation.perplexity, ft);
    }
    // FT weights follow the leverage order (softmax(S/τ) is increasing in S)
    const order = (xs: number[]) => xs.map((_, i) => i).sort((i, j) => xs[i] - xs[j]);
    expect(order(r.chameleon.ftWeights)).toEqual(order(r.chameleon.leverage));
    expect(finetuningTables(r).perplexity).toHaveLength(3);
  });

  it("with ftWeightRatio adds a fitted-τ_ft arm whose largest/smallest weight is that ratio, leaving the other two arms as they were", async () => {
    const ft = ["math", "legal", "code_c"];
    const cfg = {
      finetuneDomains: ft, base: train, embed, chameleon: {},
      finetune: continueRecipeSchema().parse({ steps: 4, batchSize: 4, seqLen: 32, lr: 1e-3 }), eval: { ...evalSpec, split: "test" as const },
    };
    const plain = await runFinetuningExperiment(corpus, cfg, 7);
    const r = await runFinetuningExperiment(corpus, { ...cfg, ftWeightRatio: 3 }, 7);
    expect(r.arms.map((a) => a.arm)).toEqual(["uniform", "chameleon", "chameleon-fitted"]);
    const w = ft.map((d) => r.arms[2].mixture[d]);
    expect(Math.max(...w) / Math.min(...w)).toBeCloseTo(3, 9);
    expect(r.chameleon.fitted!.ftWeights.map((x, i) => x - w[i]).every((x) => Math.abs(x) < 1e-12)).toBe(true);
    // the fitted weights keep the leverage order; the official arm and uniform are unchanged by the option
    const order = (xs: number[]) => xs.map((_, i) => i).sort((i, j) => xs[i] - xs[j]);
    expect(order(w)).toEqual(order(r.chameleon.leverage));
    const numbers = (arms: typeof r.arms) => arms.map((a) => ({ arm: a.arm, mixture: a.mixture, perplexity: a.evaluation.perplexity })); // not the wall-clock seconds
    expect(numbers(r.arms.slice(0, 2))).toEqual(numbers(plain.arms));
    expect(plain.chameleon.fitted).toBeUndefined();
    expect(finetuningTables(r).perplexity).toHaveLength(4);
    expect(Object.keys(finetuningTables(plain).weights[0])).not.toContain("Chameleon FT (fitted τ_ft)");
  }, 120_000);
});

describe("experiment kinds", () => {
  it("the shipped transfer config's ci profile runs through the experiment kit and writes its tables", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "cham-kind-")), "res");
    const r = await runExperiment({ config: join(projectRoot(), "experiments", "chameleon-transfer.json"), profile: "ci", out, workers: 0, png: false, log: () => {} });
    expect(r.done).toBe(2);
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain("Frozen vs retrained: agreement");
    expect(readFileSync(join(out, "cost.csv"), "utf8").split("\n")[0]).toContain("FLOPs once new data arrives");
  });
});
