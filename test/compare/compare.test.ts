import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPARE_METHODS, DEFAULT_COMPARE_METHODS, comparisonTable, orderedMethods, searchSpec, type CompareConfig, type ComparisonArm, type Row } from "../../kernel-lib/compare/index.js";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { SIMPLEX_TOLERANCE } from "../../kernel-lib/data/mixture.js";
import { loadExperimentConfig, parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { loadComparisonResults } from "../../kernel-lib/experiment/results.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { flopsPerToken, presetConfig } from "../../kernel-lib/model/config.js";
import { fixtureCorpusDir, projectRoot } from "../../kernel-lib/util/paths.js";
import { tempDir } from "../experiment/helpers.js";

// The experiment file's own "ci" profile: fixture corpus, toy sizes — the same config CI and the
// notebook run, so these tests keep it working.
const CONFIG_FILE = join(projectRoot(), "experiments", "compare.json");
const ci = loadExperimentConfig(CONFIG_FILE, "ci");
const config = ci.fields as CompareConfig;
const corpus = loadCorpus(fixtureCorpusDir());

// the comparison inline (workers 0: one process, as a notebook runs it), read back from its store
let result: { arms: ComparisonArm[]; domains: string[]; table: Row[] };
const inline = mkdtempSync(join(tmpdir(), "mixlab-compare-inline-"));
afterAll(() => rmSync(inline, { recursive: true, force: true }));
beforeAll(async () => {
  const run = await runExperiment({ config: ci, out: inline, workers: 0, png: false, log: () => {} });
  expect(run.done).toBe(run.total);
  const loaded = loadComparisonResults(run.dir);
  result = { arms: loaded.arms, domains: loaded.domains, table: comparisonTable(loaded.arms, loaded.domains) };
}, 120_000);

describe("the compare experiment on the fixture corpus", () => {
  it("runs every method, one arm each, in table order", () => {
    expect(result.arms.map((a) => a.method)).toEqual([...DEFAULT_COMPARE_METHODS]);
    expect(result.domains).toEqual(corpus.domains);
  });

  it("gives every method's weights on the simplex over all domains", () => {
    for (const a of result.arms) {
      expect(Object.keys(a.mixture).sort(), a.method).toEqual([...corpus.domains].sort());
      const ws = Object.values(a.mixture);
      for (const w of ws) expect(w, a.method).toBeGreaterThanOrEqual(0);
      expect(Math.abs(ws.reduce((s, w) => s + w, 0) - 1), a.method).toBeLessThan(SIMPLEX_TOLERANCE);
    }
    // the searches really searched: RegMix, fitted Chameleon and MergeMix differ from uniform
    const uniform = result.arms.find((a) => a.method === "uniform")!.mixture;
    for (const m of ["regmix", "chameleon", "mergemix"]) {
      const mix = result.arms.find((a) => a.method === m)!.mixture;
      const l1 = corpus.domains.reduce((s, d) => s + Math.abs(mix[d] - uniform[d]), 0);
      expect(l1, m).toBeGreaterThan(0.05);
    }
  });

  it("trains every arm on exactly the same number of tokens with the same recipe", () => {
    const f = config.final;
    const budget = f.steps * f.batchSize * f.seqLen;
    const flops = result.arms[0].final.trainFlops;
    for (const a of result.arms) {
      expect(a.final.trainTokens, a.method).toBe(budget);
      expect(Object.values(a.final.tokensPerDomain).reduce((s, n) => s + n, 0), a.method).toBe(budget);
      expect(a.final.trainFlops, a.method).toBe(flops);
    }
    // different mixtures → different per-domain token draws (the budget is split differently)
    const byMethod = (m: string) => result.arms.find((a) => a.method === m)!.final.tokensPerDomain;
    expect(byMethod("mergemix")).not.toEqual(byMethod("uniform"));
  });

  it("has one table row per method with finite numbers in every numeric column", () => {
    expect(result.table.map((r) => r.method)).toEqual(result.arms.map((a) => a.label));
    const columns = Object.keys(result.table[0]);
    for (const d of corpus.domains) expect(columns).toContain(`loss.${d}`);
    for (const c of ["loss.average", "suite.utility", "search.flops", "search.train_tokens", "search.forward_tokens", "search.x_final", "final.tokens"]) expect(columns).toContain(c);
    expect(columns.filter((c) => c.startsWith("suite.")).length).toBeGreaterThan(1);
    for (const row of result.table) {
      expect(Object.keys(row)).toEqual(columns);
      for (const [k, v] of Object.entries(row)) if (k !== "method") expect(Number.isFinite(v), `${row.method} ${k}`).toBe(true);
      // losses are positive nats/byte below ln 256 (a uniform byte guess) plus slack
      for (const d of corpus.domains) expect(row[`loss.${d}`] as number).toBeGreaterThan(0);
      const avg = corpus.domains.reduce((s, d) => s + (row[`loss.${d}`] as number), 0) / corpus.domains.length;
      expect(row["loss.average"]).toBeCloseTo(avg, 12);
    }
  });

  it("accounts each method's search compute with the methods' own formulas", () => {
    const arm = (m: string) => result.arms.find((a) => a.method === m)!;
    expect(arm("uniform").cost.flops).toBe(0);
    expect(arm("prior").cost.flops).toBe(0);
    // RegMix: proxies × training tokens × flopsPerToken + their validation passes (forward, ⅓)
    const r = searchSpec(config, "regmix");
    const fpt = flopsPerToken(presetConfig(r.proxy.preset), r.proxy.seqLen);
    const trainTokens = r.proxies * r.proxy.steps * r.proxy.batchSize * r.proxy.seqLen;
    const evalTokens = r.proxies * corpus.domains.length * r.windowsPerDomain * r.proxy.seqLen;
    expect(arm("regmix").cost.trainTokens).toBe(trainTokens);
    expect(arm("regmix").cost.flops).toBeCloseTo(trainTokens * fpt + (evalTokens * fpt) / 3, 0);
    // Chameleon: one proxy; both Chameleon arms share the same search
    const c = searchSpec(config, "chameleon").proxy;
    expect(arm("chameleon").cost.trainTokens).toBe(c.steps * c.batchSize * c.seqLen);
    expect(arm("chameleon").cost.flops).toBeGreaterThan(c.steps * c.batchSize * c.seqLen * flopsPerToken(presetConfig(c.preset), c.seqLen));
    expect(arm("chameleon-official").cost).toEqual(arm("chameleon").cost);
    // MergeMix: base + 4 experts trained, suite passes forward
    const mm = searchSpec(config, "mergemix");
    expect(arm("mergemix").cost.trainTokens).toBe((mm.base.steps + 4 * mm.experts.steps) * mm.batchSize * mm.seqLen);
    expect(arm("mergemix").cost.models).toBe(5);
    expect(arm("mergemix").cost.forwardTokens).toBeGreaterThan(0);
  });

  it("gives the same table on the worker pool (tasks in other processes, finals after their searches), and is deterministic in the seed", async () => {
    const dir = tempDir("compare");
    const run = await runExperiment({ config: ci, out: join(dir, "pool"), workers: 2, png: false, log: () => {} });
    expect(run.done).toBe(run.total);
    // plan: MergeMix search, Chameleon search, one task per RegMix proxy, then 6 finals
    expect(run.total).toBe(2 + searchSpec(config, "regmix").proxies + DEFAULT_COMPARE_METHODS.length);
    const loaded = loadComparisonResults(run.dir);
    expect(loaded.arms.length).toBe(DEFAULT_COMPARE_METHODS.length);
    expect(comparisonTable(loaded.arms, loaded.domains)).toEqual(result.table);
    for (const a of loaded.arms) expect(a.mixture).toEqual(result.arms.find((b) => b.method === a.method)!.mixture);

    // another seed changes the RegMix sweep and every final model
    const otherConfig = parseExperimentConfig({ kind: "compare", version: 1, seed: ci.seed! + 1, ...(ci.fields as Record<string, unknown>), methods: ["uniform", "regmix"] });
    const otherRun = await runExperiment({ config: otherConfig, out: join(dir, "other"), workers: 0, png: false, log: () => {} });
    const other = loadComparisonResults(otherRun.dir);
    const mine = (m: string) => result.arms.find((a) => a.method === m)!;
    expect(other.arms[1].mixture).not.toEqual(mine("regmix").mixture);
    expect(other.arms[0].mixture).toEqual(mine("uniform").mixture);
    expect(other.arms[0].final.validation).not.toEqual(mine("uniform").final.validation);
  }, 180_000);
});

describe("experiments/compare.json", () => {
  it("validates in every profile and names a bad key", () => {
    for (const p of [undefined, "ci", "full"]) {
      const e = loadExperimentConfig(CONFIG_FILE, p);
      expect(e.kind.name).toBe("compare");
      // every method but DoReMi and DoGE, in table order (those two run in experiments/baselines-compare.json, kept out of CI's compare.json for time);
      // the demo's (base) and full profiles add RegMix fitted on the mean over domains beside the books arm (issue 27)
      const expected = p === "ci" ? [...DEFAULT_COMPARE_METHODS] : orderedMethods([...DEFAULT_COMPARE_METHODS, "regmix-mean"]);
      expect((e.fields as CompareConfig).methods).toEqual(expected);
    }
    expect(COMPARE_METHODS.filter((m) => !DEFAULT_COMPARE_METHODS.includes(m))).toEqual(["stratified", "regmix-mean", "doremi", "doge", "aioli", "aioli-restricted", "ado"]); // regmix-mean (demo and full profiles), the online arms and stratified (experiments/online-compare.json)
    expect((loadExperimentConfig(join(projectRoot(), "experiments", "baselines-compare.json")).fields as CompareConfig).methods).toEqual(["uniform", "prior", "doremi", "doge"]);
    const raw = { kind: "compare", version: 1, ...(ci.fields as Record<string, unknown>) };
    expect(() => parseExperimentConfig({ ...raw, final: { ...config.final, stepz: 3 } })).toThrow(expect.objectContaining({ code: "CONFIG_UNKNOWN_KEY" }));
    expect(() => parseExperimentConfig({ ...raw, final: { ...config.final, seqLen: 65 } })).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
    expect(() => parseExperimentConfig({ ...raw, methods: ["uniform", "doremi"] })).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" })); // no "doremi" block
    expect(() => parseExperimentConfig({ ...raw, methods: ["uniform", "nosuch"] })).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
  });
});
