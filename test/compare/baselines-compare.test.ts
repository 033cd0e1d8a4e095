import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareTasks, compareDependencies, orderedMethods, searchSpec, type CompareConfig, type ComparisonArm } from "../../kernel-lib/compare/index.js";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { SIMPLEX_TOLERANCE } from "../../kernel-lib/data/mixture.js";
import { loadExperimentConfig, parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { loadComparisonResults } from "../../kernel-lib/experiment/results.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { fixtureCorpusDir, projectRoot } from "../../kernel-lib/util/paths.js";

// experiments/baselines-compare.json's "ci" profile: uniform, prior, DoReMi, DoGE on the fixture corpus
const CONFIG_FILE = join(projectRoot(), "experiments", "baselines-compare.json");
const ci = loadExperimentConfig(CONFIG_FILE, "ci");
const config = ci.fields as CompareConfig;
const corpus = loadCorpus(fixtureCorpusDir());

let arms: ComparisonArm[] = [];
const out = mkdtempSync(join(tmpdir(), "mixlab-baselines-compare-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));
beforeAll(async () => {
  const run = await runExperiment({ config: ci, out, workers: 0, png: false, log: () => {} });
  expect(run.done).toBe(run.total);
  arms = loadComparisonResults(run.dir).arms;
}, 120_000);

const arm = (m: string) => arms.find((a) => a.method === m)!;

describe("DoReMi and DoGE as arms of the comparison (experiments/baselines-compare.json, ci)", () => {
  it("plans one search task each, the finals after their own search", () => {
    const tasks = compareTasks(config, corpus, ci.seed!);
    const after = compareDependencies(tasks);
    for (const m of ["doremi", "doge"] as const) {
      const s = tasks.findIndex((t) => t.stage === "search" && t.method === m);
      const f = tasks.findIndex((t) => t.stage === "final" && t.method === m);
      expect(s, m).toBeGreaterThanOrEqual(0);
      expect(after[f], m).toEqual([s]);
    }
    expect(tasks.length).toBe(2 + 4);
  });

  it("runs the four arms in table order with weights on the simplex over every domain", () => {
    expect(arms.map((a) => a.method)).toEqual(orderedMethods(config.methods));
    expect(arms.map((a) => a.label)).toEqual(["Uniform", "Token prior", "DoReMi", "DoGE"]);
    for (const a of arms) {
      expect(Object.keys(a.mixture).sort(), a.method).toEqual([...corpus.domains].sort());
      const ws = Object.values(a.mixture);
      for (const w of ws) expect(w, a.method).toBeGreaterThanOrEqual(0);
      expect(Math.abs(ws.reduce((s, w) => s + w, 0) - 1), a.method).toBeLessThan(SIMPLEX_TOLERANCE);
    }
    // the searches moved off uniform
    const u = arm("uniform").mixture;
    for (const m of ["doremi", "doge"]) {
      const l1 = corpus.domains.reduce((s, d) => s + Math.abs(arm(m).mixture[d] - u[d]), 0);
      expect(l1, m).toBeGreaterThan(0);
    }
  });

  it("trains every arm's final model on the same budget", () => {
    const f = config.final;
    for (const a of arms) {
      expect(a.final.trainTokens, a.method).toBe(f.steps * f.batchSize * f.seqLen);
      expect(a.final.trainFlops, a.method).toBe(arms[0].final.trainFlops);
    }
  });

  it("accounts DoReMi's and DoGE's search compute (> 0, itemised, DoReMi = reference + proxy + reference forward)", () => {
    const k = corpus.domains.length;
    const dr = searchSpec(config, "doremi"), dg = searchSpec(config, "doge");
    const drProxy = dr.proxy.steps * k * Math.max(1, Math.floor(dr.proxy.batchSize / k)) * dr.proxy.seqLen;
    expect(arm("doremi").cost.flops).toBeGreaterThan(0);
    expect(arm("doremi").cost.trainTokens).toBe(dr.reference.steps * dr.reference.batchSize * dr.reference.seqLen + drProxy);
    expect(arm("doremi").cost.forwardTokens).toBe(k * dr.referenceEvalWindows * dr.reference.seqLen + drProxy);
    expect(arm("doremi").cost.models).toBe(2);
    expect(arm("doge").cost.flops).toBeGreaterThan(0);
    expect(arm("doge").cost.trainTokens).toBe(dg.proxy.steps * k * Math.max(1, Math.floor(dg.proxy.batchSize / k)) * dg.proxy.seqLen);
    for (const m of ["doremi", "doge"]) {
      const items = arm(m).cost.items;
      expect(items.at(-1)!.flops, m).toBeCloseTo(arm(m).cost.flops, 0);
      expect(arm(m).searchSeconds, m).toBeGreaterThan(0);
    }
    expect(arm("uniform").cost.flops).toBe(0);
  });

  it("requires a doremi/doge block when the method is listed", () => {
    const raw = { kind: "compare", version: 1, ...(ci.fields as Record<string, unknown>) };
    const { doremi: _d, ...noDoremi } = raw as Record<string, unknown>;
    expect(() => parseExperimentConfig(noDoremi)).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
    expect(() => parseExperimentConfig({ ...noDoremi, methods: ["uniform", "doge"] })).not.toThrow();
  });
});
