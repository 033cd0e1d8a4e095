import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { mergeMixReport, parseMergeMixConfig, runMergeMix, type MergeMixResult, type MergeMixSettings } from "../../kernel-lib/mergemix/index.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";

// The whole pipeline at toy size on the fixture corpus: checks the wiring, not the science.
let r: MergeMixResult;
// the ci profile of experiments/mergemix-quick.json with a smaller study
const ci = loadExperimentConfig(join(projectRoot(), "experiments", "mergemix-quick.json"), "ci").fields as MergeMixSettings;
const cfg = parseMergeMixConfig({
  ...ci,
  suite: { ...ci.suite, seed: 2 },
  consistency: { twoDomain: { groups: ["code", "math"], alphas: [0.2, 0.5, 0.8] }, multiDomain: { mixtures: 3, concentration: 1 } },
}, 1);

beforeAll(async () => {
  r = await runMergeMix(cfg);
}, 240_000);

describe("runMergeMix (toy size)", () => {
  it("evaluates N seeds, the experts first: merging at a vertex is that expert", () => {
    expect(r.seeds.length).toBe(6);
    r.experts.forEach((e, k) => {
      const vertex = r.seeds[k];
      expect(vertex.alpha).toEqual([0, 1, 2, 3].map((i) => (i === k ? 1 : 0)));
      for (const c of r.capabilities) expect(vertex.scores[c], `${e.group}/${c}`).toBeCloseTo(e.scores[c], 12);
    });
  });

  it("returns α* on the simplex, its data mixture, and a verification of it", () => {
    const sum = r.search.alphaStar.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 9);
    for (const a of r.search.alphaStar) expect(a).toBeGreaterThanOrEqual(0);
    expect(r.search.verified.alpha).toEqual(r.search.alphaStar);
    expect(Object.values(r.search.mixture).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect([...r.capabilities].sort()).toEqual(["code", "dictionary", "prose", "qa", "structured"]); // the domains' kinds
  });

  it("runs both consistency studies with one ρ per metric", () => {
    const two = r.consistency.twoDomain!;
    const want = [[0.2, 0.8], [0.5, 0.5], [0.8, 0.2]];
    two.points.forEach((p, i) => p.alpha.forEach((a, j) => expect(a).toBeCloseTo(want[i][j], 12)));
    expect(two.table.map((x) => x.metric)).toEqual([...r.capabilities, "utility", "utility_acc", "utility_prob", "valNats"]);
    expect(r.consistency.multiDomain!.points.length).toBe(3);
    for (const row of two.table) expect(row.n).toBe(3);
  });

  it("accounts for every token: base + 4 experts + 7 suite evaluations", () => {
    const [base, experts, , evals, total] = r.cost.mergeMix;
    expect(base.tokens).toBe(30 * 16 * 64);
    expect(experts.tokens).toBe(4 * 8 * 16 * 64);
    expect(evals.count).toBe(7);
    expect(total.tokens).toBe(base.tokens + experts.tokens + evals.tokens);
    expect(mergeMixReport(r)).toContain("Rank consistency, multi-domain");
  });
});
