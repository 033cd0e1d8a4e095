/**
 * The RegMix study (issue 14): its plan (shared seeds, stages, dependencies), the analysis on
 * synthetic runs with a known law (each claim's verdict follows from the law), the ci profile
 * end to end with resume, and the committed study store: every stored run verifies and the
 * verdict table recomputed from it equals the committed `verdicts.csv` byte for byte.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { loadExperimentConfig, parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { regmixStudy } from "../../kernel-lib/experiment/kinds/regmix-study.js";
import { loadRegmixStudyResults } from "../../kernel-lib/experiment/results.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { describeCommittedStudy } from "../experiment/committed-study.js";
import type { RegmixProxyRun } from "../../kernel-lib/regmix/proxies.js";
import { analyseStudy, noiseRatio } from "../../kernel-lib/studies/regmix/claims.js";
import { regmixStudySchema, type RegmixStudyConfig, type StudyArm, type StudyTask } from "../../kernel-lib/studies/regmix/config.js";
import { studyDependencies, studySeeds, studyTasks } from "../../kernel-lib/studies/regmix/plan.js";
import { regmixStudyTables } from "../../kernel-lib/studies/regmix/report.js";
import { studyRuns } from "../../kernel-lib/studies/regmix/runs.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import { createRng } from "../../kernel-lib/util/rng.js";

const root = projectRoot();
const STUDY_FILE = join(root, "experiments", "regmix-study.json");
const tmp = mkdtempSync(join(tmpdir(), "mixlab-regmix-study-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const studyConfig = (profile: string) => loadExperimentConfig(STUDY_FILE, profile).fields as RegmixStudyConfig;

describe("the study's plan", () => {
  const config = studyConfig("study");
  const domains = Object.keys(config.finals.human.mixture);
  const prior = Mixture.uniform(domains);
  const tasks = studyTasks(config, domains, prior, 14);

  it("has every stage at the sizes the issue asks for", () => {
    const count = (f: (t: StudyTask) => boolean) => tasks.filter(f).length;
    expect(config.sweep.fit).toBeGreaterThanOrEqual(256);
    expect(count((t) => t.stage === "sweep" && t.repeat === 0)).toBe(config.sweep.fit + config.sweep.heldOut);
    expect(count((t) => t.stage === "sweep" && t.repeat > 0)).toBe(config.seedRepeats * config.crossScale.mixtures);
    expect(count((t) => t.stage === "tokens")).toBe(config.tokensPerProxy.proxies);
    expect(config.crossScale.mixtures).toBeGreaterThanOrEqual(24);
    expect(config.crossScale.scales.length).toBeGreaterThanOrEqual(2);
    for (const s of config.crossScale.scales) expect(count((t) => t.stage === "scale" && t.scale === s.name)).toBe(config.crossScale.mixtures);
    expect(config.finals.seeds).toBeGreaterThanOrEqual(3);
    expect(count((t) => t.stage === "final")).toBe(4 * config.finals.seeds);
  });

  it("gives every sweep proxy one shared seed; repeats and final seeds are separate axes", () => {
    const seeds = studySeeds(14);
    expect(seeds.regmix.proxy()).toBe(seeds.regmix.proxy(0));
    expect(new Set([0, 1, 2].map((k) => seeds.regmix.proxy(k))).size).toBe(3);
    expect(new Set([0, 1, 2].map((k) => seeds.final(k))).size).toBe(3);
    expect(seeds.scale("445k")).not.toBe(seeds.scale("1M"));
  });

  it("trains the cross-scale set on the first held-out mixtures, the 4x-token set on the first fitted ones", () => {
    const sweep = tasks.filter((t): t is Extract<StudyTask, { stage: "sweep" }> => t.stage === "sweep" && t.repeat === 0);
    for (const t of tasks) {
      if (t.stage === "scale" || (t.stage === "sweep" && t.repeat > 0)) {
        expect(t.mixture).toBeGreaterThanOrEqual(config.sweep.fit);
        expect(t.mixture).toBeLessThan(config.sweep.fit + config.crossScale.mixtures);
        expect(t.weights).toEqual(sweep[t.mixture].weights);
      }
      if (t.stage === "tokens") expect(t.mixture).toBeLessThan(config.tokensPerProxy.proxies);
    }
  });

  it("makes RegMix's final models wait for exactly the fitted proxies", () => {
    const deps = studyDependencies(config, tasks);
    tasks.forEach((t, i) => {
      if (t.stage === "final" && t.arm === "regmix") expect(deps[i]).toEqual([...Array(config.sweep.fit).keys()]);
      else expect(deps[i]).toEqual([]);
    });
  });

  it("rejects inconsistent sizes by path", () => {
    const raw = JSON.parse(readFileSync(STUDY_FILE, "utf8"));
    const bad = (patch: Record<string, unknown>) => () => parseExperimentConfig({ ...raw, profiles: {}, ...patch }, { source: "x.json" });
    expect(bad({ sweep: { fit: 16, heldOut: 64, learningCurve: [32] } })).toThrow(/sweep\.learningCurve\[0\]: 32 exceeds sweep\.fit 16/);
    expect(bad({ finals: { ...raw.finals, scale: "10B" } })).toThrow(/finals\.scale/);
    expect(bad({ windowsPerDomain: 3 })).toThrow(/even/);
    expect(regmixStudySchema.safeParse({ ...raw, profiles: undefined }).success).toBe(false); // envelope keys are not the kind's
  });
});

/**
 * Synthetic runs with a known law over 4 domains: loss_t(w) = 3 − Σ_d A[t][d]·w_d, where books is
 * helped most by speeches (A[books][speeches] > A[books][books]); the larger scales keep the
 * order (loss − 0.5), the 4x-token proxies too; RegMix's final beats every baseline by 0.01 on
 * each seed. Halves differ by ±e with known e.
 */
function syntheticStudy(): { config: RegmixStudyConfig; domains: string[]; runs: ReturnType<typeof studyRuns> } {
  const domains = ["books", "speeches", "code", "math"];
  const A: Record<string, number[]> = { books: [0.4, 0.8, 0, 0], speeches: [0.2, 0.9, 0, 0], code: [0, 0, 1, 0.3], math: [0, 0, 0.2, 1] };
  const base = studyConfig("ci");
  const config: RegmixStudyConfig = {
    ...base, corpus: "fixture", target: "books",
    sweep: { fit: 120, heldOut: 40, learningCurve: [20, 120] }, seedRepeats: 1,
    tokensPerProxy: { proxies: 5, factor: 2 },
    crossScale: { mixtures: 8, scales: base.crossScale.scales },
    finals: { ...base.finals, human: { rule: "r", mixture: { books: 1 } } },
    gbdt: { minDataInLeaf: 3 }, bootstrap: { resamples: 300 },
  };
  const rng = createRng(5);
  const run = (w: number[], shift = 0, e = 0.001): RegmixProxyRun => {
    const mixture = Object.fromEntries(domains.map((d, j) => [d, w[j]]));
    const losses = Object.fromEntries(domains.map((t) => [t, 3 - A[t].reduce((s, a, j) => s + a * w[j], 0) - shift]));
    return {
      mixture, losses, tokens: 1, finalTrainLoss: 1, tokensPerDomain: {}, engine: "synthetic",
      halves: { a: Object.fromEntries(domains.map((d) => [d, losses[d] + e])), b: Object.fromEntries(domains.map((d) => [d, losses[d] - e])) },
    };
  };
  const mixtures = Array.from({ length: 160 }, () => Array.from(rng.dirichlet([1, 1, 1, 1])));
  const list: { task: StudyTask; result: RegmixProxyRun }[] = [];
  const s = 14;
  mixtures.forEach((w, i) => list.push({ task: { stage: "sweep", mixture: i, repeat: 0, weights: {}, experimentSeed: s }, result: run(w, 0, 0.001 * ((i % 3) - 1)) }));
  for (let j = 120; j < 128; j++) list.push({ task: { stage: "sweep", mixture: j, repeat: 1, weights: {}, experimentSeed: s }, result: run(mixtures[j], 0.0001) });
  for (let i = 0; i < 5; i++) list.push({ task: { stage: "tokens", mixture: i, weights: {}, experimentSeed: s }, result: run(mixtures[i], 0.2) });
  for (const sc of config.crossScale.scales) for (let j = 120; j < 128; j++) list.push({ task: { stage: "scale", scale: sc.name, mixture: j, weights: {}, experimentSeed: s }, result: run(mixtures[j], 0.5) });
  const arms: StudyArm[] = ["regmix", "uniform", "prior", "human"];
  for (let k = 0; k < 2; k++) for (const arm of arms) {
    const r = run([0.25, 0.25, 0.25, 0.25], arm === "regmix" ? 0.01 * (k + 1) + 0.01 : 0.01 * (k + 1));
    list.push({ task: { stage: "final", arm, repeat: k, weights: {}, experimentSeed: s }, result: r });
  }
  return { config, domains, runs: studyRuns(config, list, list.length) };
}

describe("analyseStudy on runs with a known law", () => {
  const { config, domains, runs } = syntheticStudy();
  const a = analyseStudy(config, runs, domains, 14);

  it("measures validation noise as sd(a − b)/2 against the spread across mixtures", () => {
    const r = noiseRatio([...runs.sweep.values()], "books")!;
    const diffs = [...runs.sweep.values()].map((x) => x.halves!.a.books - x.halves!.b.books); // ±0.002 or 0
    const mean = diffs.reduce((s, x) => s + x, 0) / diffs.length;
    const sd = Math.sqrt(diffs.reduce((s, x) => s + (x - mean) ** 2, 0) / (diffs.length - 1));
    expect(r.noise).toBeCloseTo(sd / 2, 12);
    expect(r.ratio).toBeLessThan(0.1);
  });

  it("claim 1 holds: a linear law is ranked almost perfectly on held-out mixtures", () => {
    expect(a.claim1!.curve.map((p) => p.n)).toEqual([20, 120]);
    expect(a.claim1!.curve[1].linear.value).toBeCloseTo(1, 10);
    expect(a.rows[0].verdict).toBe("holds");
  });

  it("claim 3 holds: the larger scales keep the order exactly", () => {
    for (const s of a.claim3!.scales) expect(s.rank.value).toBeCloseTo(1, 12);
    expect(a.rows[2].verdict).toBe("holds");
  });

  it("claim 4 holds: RegMix is 0.01 below every baseline on every seed", () => {
    for (const d of a.claim4!.differences) {
      expect(d.target.value).toBeCloseTo(-0.01, 12);
      expect(d.target.hi).toBeLessThan(0);
    }
    expect(a.rows[3].verdict).toBe("holds");
  });

  it("claim 5 finds that speeches helps books more than books does", () => {
    const books = a.claim5!.otherDomainBest.find((x) => x.target === "books");
    expect(books?.domain).toBe("speeches");
    expect(books!.difference.value).toBeCloseTo(-(0.8 - 0.4), 8); // coef = −A, so coef[speeches] − coef[books] = −0.4
    expect(a.claim5!.coef[0].reduce((s, x) => s + x, 0)).toBeCloseTo(0, 10); // minimum-norm rows sum to 0
    expect(a.rows[4].verdict).toBe("holds");
  });

  it("says 'not yet run' for a claim whose runs are missing", () => {
    const partial = studyRuns(config, [], 100);
    const b = analyseStudy(config, partial, domains, 14);
    expect(b.rows.map((r) => r.verdict)).toEqual(Array(5).fill("not yet run"));
  });

  it("is deterministic: the same runs give the same table", () => {
    const b = analyseStudy(config, runs, domains, 14);
    expect(regmixStudyTables(config, runs, b)["verdicts.csv"]).toBe(regmixStudyTables(config, runs, a)["verdicts.csv"]);
  });
});

describe("the ci profile end to end", () => {
  it("trains every stage, writes the verdict table, and resumes without retraining", async () => {
    const out = join(tmp, "ci");
    const r = await runExperiment({ config: STUDY_FILE, profile: "ci", out, workers: 0, log: () => {} });
    expect(r.failed).toEqual([]);
    expect(r.done).toBe(r.total);
    const verdicts = readFileSync(join(out, "verdicts.csv"), "utf8").trim().split("\n");
    expect(verdicts).toHaveLength(6);
    const loaded = loadRegmixStudyResults(out);
    for (const run of loaded.runs.sweep.values()) expect(run.halves).toBeDefined();
    const again = await runExperiment({ config: STUDY_FILE, profile: "ci", out, workers: 0, log: () => {} });
    expect(again.ran).toBe(0);
  }, 240_000);
});

describeCommittedStudy(join(root, "results", "studies", "regmix"), regmixStudy.name, (copy) => {
  const r = loadRegmixStudyResults(copy);
  return regmixStudyTables(r.config, r.runs, analyseStudy(r.config, r.runs, r.domains, r.seed))["verdicts.csv"];
});
