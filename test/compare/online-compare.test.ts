import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareDependencies, compareSchema, compareTasks, orderedMethods, type CompareConfig, type ComparisonArm } from "../../kernel-lib/compare/index.js";
import { stratifiedGroups } from "../../kernel-lib/compare/online.js";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { SIMPLEX_TOLERANCE } from "../../kernel-lib/data/mixture.js";
import { loadExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { loadComparisonResults } from "../../kernel-lib/experiment/results.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { fixtureCorpusDir, projectRoot } from "../../kernel-lib/util/paths.js";

// experiments/online-compare.json's "ci" profile: stratified, uniform, prior, Aioli, restricted Aioli (from DoReMi), ADO
const ci = loadExperimentConfig(join(projectRoot(), "experiments", "online-compare.json"), "ci");
const config = ci.fields as CompareConfig;
const corpus = loadCorpus(fixtureCorpusDir());
let arms: ComparisonArm[] = [];
const out = mkdtempSync(join(tmpdir(), "mixlab-online-compare-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));
beforeAll(async () => {
  const run = await runExperiment({ config: ci, out, workers: 0, png: false, log: () => {} });
  expect(run.done).toBe(run.total);
  arms = loadComparisonResults(run.dir).arms;
}, 240_000);
const arm = (m: string) => arms.find((a) => a.method === m)!;

describe("online arms in the comparison (experiments/online-compare.json, ci)", () => {
  it("plans DoReMi's search for restricted Aioli only, which waits for it; the other online arms wait for nothing", () => {
    const tasks = compareTasks(config, corpus, ci.seed!);
    const after = compareDependencies(tasks, config);
    const s = tasks.findIndex((t) => t.stage === "search" && t.method === "doremi");
    expect(tasks.filter((t) => t.stage === "search")).toHaveLength(1);
    expect(after[tasks.findIndex((t) => t.stage === "final" && t.method === "aioli-restricted")]).toEqual([s]);
    for (const m of ["aioli", "ado", "stratified"]) expect(after[tasks.findIndex((t) => t.stage === "final" && t.method === m)], m).toEqual([]);
  });

  it("every arm on the same final budget, weights on the simplex; online arms keep their trajectory", () => {
    expect(arms.map((a) => a.method)).toEqual(orderedMethods(config.methods));
    for (const a of arms) {
      expect(a.final.trainTokens, a.method).toBe(20 * 4 * 32);
      expect(Object.values(a.final.tokensPerDomain).reduce((x, y) => x + y, 0), a.method).toBe(20 * 4 * 32);
      expect(Math.abs(Object.values(a.mixture).reduce((x, y) => x + y, 0) - 1), a.method).toBeLessThan(SIMPLEX_TOLERANCE);
    }
    for (const m of ["aioli", "aioli-restricted", "ado"]) {
      const t = arm(m).final.schedule!.trajectory;
      expect(t.reduce((x, e) => x + e.steps, 0), m).toBe(20);
      expect(arm(m).cost.models, m).toBe(0);
    }
    expect(arm("aioli-restricted").final.schedule!.trajectory[0]).toMatchObject({ step: 0, steps: 2, phase: "prior" });
    expect(arm("aioli").cost.items[0].tokens).toBe(13 * 4 * 32); // one LearnParams round of 13 one-step visits, inside the budget
  });

  it("stratified is uniform over the domains' kinds, and differs from uniform over domains", () => {
    const groups = stratifiedGroups(corpus, config);
    const G = Object.keys(groups).length;
    expect(G).toBeGreaterThan(1);
    expect(G).toBeLessThan(corpus.domains.length);
    for (const ds of Object.values(groups)) expect(ds.reduce((s, d) => s + arm("stratified").mixture[d], 0)).toBeCloseTo(1 / G, 9);
    expect(arm("stratified").mixture).not.toEqual(arm("uniform").mixture);
  });

  it("refuses Aioli judged on the split it learns from, and a restricted prior longer than the run", () => {
    const { corpus: c, ...rest } = config;
    const bad = compareSchema.safeParse({ corpus: c, ...rest, eval: { ...rest.eval, split: "validation" } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toContain("eval.split");
    const long = compareSchema.safeParse({ corpus: c, ...rest, aioliRestricted: { prior: "doremi", priorSteps: 20 } });
    expect(long.error!.issues.map((i) => i.path.join("."))).toContain("aioliRestricted.priorSteps");
  });
});
