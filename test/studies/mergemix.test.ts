/**
 * The MergeMix study (issue 16 §2): its plan (sizes, paired seeds, dependencies, two suites, the
 * budget), config errors by path, the analysis on synthetic runs with a known answer (each
 * claim's verdict follows from the law), the ci profile end to end with resume and with the
 * model files deleted (retrained, sha256-checked), and the committed study store: every stored
 * run verifies and the verdict table recomputed from it equals the committed `verdicts.csv`
 * byte for byte.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FinalModelResult } from "../../kernel-lib/compare/final.js";
import { openCorpusRef } from "../../kernel-lib/data/corpus-ref.js";
import { loadExperimentConfig, parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { mergeMixStudy } from "../../kernel-lib/experiment/kinds/mergemix-study.js";
import { loadMergeMixStudyResults } from "../../kernel-lib/experiment/results.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { openStore, scanRuns } from "../../kernel-lib/experiment/store.js";
import { sha256Hex } from "../../kernel-lib/experiment/json.js";
import { studyWallSeconds, taskSeconds } from "../../kernel-lib/studies/mergemix/budget.js";
import { analyseMergeMixStudy } from "../../kernel-lib/studies/mergemix/claims.js";
import { BASELINE_ARMS, EXPERT_KINDS, mergemixArm, mergeMixStudySchema, type ExpertKind, type FinalArm, type MergeMixStudyConfig, type MergeMixStudyTask } from "../../kernel-lib/studies/mergemix/config.js";
import { studyArms, studyDependencies, studyGrid, studyGroups, studySeeds, studyTasks } from "../../kernel-lib/studies/mergemix/plan.js";
import { mergeMixStudyTables } from "../../kernel-lib/studies/mergemix/report.js";
import type { FinalRun, JudgedModel, MergedRun, SearchRun, TrainedRun } from "../../kernel-lib/studies/mergemix/run.js";
import { studyRuns } from "../../kernel-lib/studies/mergemix/runs.js";
import { studySuites } from "../../kernel-lib/studies/mergemix/suites.js";
import { MixlabError } from "../../kernel-lib/util/errors.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import { describeCommittedStudy } from "../experiment/committed-study.js";

const root = projectRoot();
const STUDY_FILE = join(root, "experiments", "mergemix-study.json");
const tmp = mkdtempSync(join(tmpdir(), "mixlab-mergemix-study-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const studyConfig = (profile: string) => loadExperimentConfig(STUDY_FILE, profile).fields as MergeMixStudyConfig;
const fixture = openCorpusRef("fixture");
const errorCode = (f: () => unknown): string | null => { try { f(); return null; } catch (e) { return e instanceof MixlabError ? e.code : "not a MixlabError"; } };

describe("the study's plan", () => {
  // the study's sizes over the fixture corpus's domains (the same 13 names as the default corpus)
  const config = studyConfig("study");
  const tasks = studyTasks(config, fixture, 16);
  const deps = studyDependencies(tasks);
  const of = <S extends MergeMixStudyTask["stage"]>(stage: S) => tasks.flatMap((t, i) => (t.stage === stage ? [{ i, t: t as Extract<MergeMixStudyTask, { stage: S }> }] : []));

  it("has every stage at the sizes the issue asks for", () => {
    expect(config.grid.twoDomain.alphas.length + config.grid.multiDomain.mixtures).toBeGreaterThanOrEqual(24);
    const trained = of("trained");
    expect(trained.length).toBeGreaterThanOrEqual(24);
    expect(new Set(trained.map((x) => x.t.family))).toEqual(new Set(["two", "multi"]));
    // both expert kinds: one per domain (the paper) and one per group, both merged over the grid, both searched
    expect(of("expert").filter((x) => x.t.kind === "domain").map((x) => x.t.expert)).toEqual([...fixture.domains]);
    expect(of("expert").filter((x) => x.t.kind === "group").map((x) => x.t.expert)).toEqual(Object.keys(config.groups));
    expect(of("merged").map((x) => x.t.kind)).toEqual([...EXPERT_KINDS]);
    expect(of("search").map((x) => x.t.kind)).toEqual([...EXPERT_KINDS]);
    expect(of("base")).toHaveLength(1);
    // finals: α* of each kind, uniform, prior and the best trained mixture, ≥ 3 seeds; scale: α*, uniform, prior, ≥ 3 seeds
    expect(config.finals.seeds).toBeGreaterThanOrEqual(3);
    expect(config.scale.seeds).toBeGreaterThanOrEqual(3);
    const arms = studyArms(config);
    expect(arms.finals).toEqual(["mergemix-domain", "mergemix-group", ...BASELINE_ARMS]);
    expect(arms.scale).toEqual(["mergemix-domain", "mergemix-group", "uniform", "prior"]);
    for (let k = 0; k < config.finals.seeds; k++) expect(of("final").filter((x) => x.t.repeat === k).map((x) => x.t.arm)).toEqual(arms.finals);
    for (let k = 0; k < config.scale.seeds; k++) expect(of("scale").filter((x) => x.t.repeat === k).map((x) => x.t.arm)).toEqual(arms.scale);
    expect(tasks).toHaveLength(1 + 13 + 4 + 2 + 2 + trained.length + arms.finals.length * config.finals.seeds + arms.scale.length * config.scale.seeds);
  });

  it("builds the grid from α on one pair of groups and Dirichlet draws, each a point of the simplex, deterministically", () => {
    const names = Object.keys(config.groups);
    const grid = studyGrid(config, names, 16);
    expect(grid).toEqual(studyGrid(config, names, 16));
    expect(studyGrid(config, names, 17).slice(config.grid.twoDomain.alphas.length)).not.toEqual(grid.slice(config.grid.twoDomain.alphas.length));
    for (const m of grid) {
      expect(m.alpha.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (const x of m.alpha) expect(x).toBeGreaterThanOrEqual(0);
    }
    const [a, b] = config.grid.twoDomain.groups;
    grid.filter((m) => m.family === "two").forEach((m, i) => {
      expect(m.alpha[names.indexOf(a)]).toBe(config.grid.twoDomain.alphas[i]);
      expect(m.alpha.filter((_, j) => j !== names.indexOf(a) && j !== names.indexOf(b))).toEqual([0, 0]);
    });
  });

  it("makes each task wait for exactly what it uses", () => {
    const base = of("base")[0].i;
    const experts = (kind: ExpertKind) => of("expert").filter((x) => x.t.kind === kind).map((x) => x.i);
    const search = (kind: ExpertKind) => of("search").filter((x) => x.t.kind === kind).map((x) => x.i);
    const trained = of("trained").map((x) => x.i);
    tasks.forEach((t, i) => {
      for (const d of deps[i]) expect(d).toBeLessThan(i);
      if (t.stage === "expert" || t.stage === "trained") expect(deps[i]).toEqual([base]);
      if (t.stage === "merged" || t.stage === "search") expect(deps[i]).toEqual([base, ...experts(t.kind)]);
      if (t.stage === "final" || t.stage === "scale") {
        const want = t.arm === "best-trained" ? trained : t.arm === "uniform" || t.arm === "prior" ? [] : search(t.arm === "mergemix-domain" ? "domain" : "group");
        expect(deps[i]).toEqual(want);
      }
    });
  });

  it("pairs the finals: one seed per repeat shared by every arm, another at the larger scale", () => {
    const s = studySeeds(16);
    const finals = Array.from({ length: config.finals.seeds }, (_, k) => s.final(k));
    const scale = Array.from({ length: config.scale.seeds }, (_, k) => s.scale(k));
    expect(new Set([...finals, ...scale]).size).toBe(finals.length + scale.length);
    // a final's params are its arm and repeat only: its seed comes from the repeat
    for (const { t } of of("final")) expect(Object.keys(t).sort()).toEqual(["arm", "experimentSeed", "repeat", "stage"]);
    // and the finals run repeat by repeat
    const order = of("final").map((x) => x.t.repeat);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("chooses and judges with two different suites", () => {
    const { choose, judge } = studySuites(fixture, studyConfig("ci"));
    expect(choose.seed).not.toBe(judge.seed);
    expect(choose.tasks.map((t) => t.name)).toEqual(judge.tasks.map((t) => t.name));
    const ids = (s: typeof choose) => s.tasks.flatMap((t) => t.items.map((it) => Buffer.from(it.context).toString("hex")));
    expect(ids(choose)).not.toEqual(ids(judge));
  });

  it("fits the budget: ≤ 4 h on 2 workers at the measured rates, the figure the description states", () => {
    const corpus = { domains: fixture.domains };
    const hours = studyWallSeconds(config, corpus, tasks, 2) / 3600;
    expect(hours).toBeLessThanOrEqual(4);
    const description = JSON.parse(readFileSync(STUDY_FILE, "utf8")).description as string;
    expect(Number(/about ([\d.]+) h on 2 cores/.exec(description)?.[1])).toBeCloseTo(hours, 1);
    expect(/(\d+) tasks\./.exec(description)?.[1]).toBe(String(tasks.length));
    // a 1M final costs what the measured rate says: 1000 × 16 × 128 bytes in ≈ 200 s, plus its scoring
    const secs = taskSeconds(config, corpus, tasks);
    const scale = of("scale")[0].i;
    expect(secs[scale]).toBeGreaterThan(200);
    expect(secs[scale]).toBeLessThan(260);
    expect(/the (\d+) 1M finals/.exec(description)?.[1]).toBe(String(of("scale").length));
  });

  it("rejects inconsistent settings by path, and groups that do not partition the corpus when planning", () => {
    const raw = JSON.parse(readFileSync(STUDY_FILE, "utf8"));
    const bad = (patch: Record<string, unknown>) => () => parseExperimentConfig({ ...raw, profiles: {}, ...patch }, { source: "x.json" });
    expect(bad({ suite: { ...raw.suite, judge: raw.suite.choose } })).toThrow(/suite\.judge: must differ from suite\.choose/);
    expect(bad({ grid: { ...raw.grid, twoDomain: { ...raw.grid.twoDomain, groups: ["code", "poetry"] } } })).toThrow(/grid\.twoDomain\.groups: unknown group "poetry"/);
    expect(bad({ grid: { ...raw.grid, twoDomain: { ...raw.grid.twoDomain, groups: ["code", "code"] } } })).toThrow(/grid\.twoDomain\.groups: needs two different groups/);
    expect(bad({ scale: { ...raw.scale, recipe: raw.finals.recipe } })).toThrow(/scale\.recipe: the tiny model .* is not larger/);
    expect(bad({ search: { ...raw.search, experts: ["domain", "domain"] } })).toThrow(/search\.experts: an expert kind is listed twice/);
    expect(bad({ search: { ...raw.search, experts: ["topic"] } })).toThrow(/search\.experts/);
    expect(bad({ finals: { ...raw.finals, seeds: 1 } })).toThrow(/finals\.seeds/);
    expect(bad({ seqLen: 128 })).toThrow(/seqLen: 128 exceeds the model's blockSize 64/);
    expect(bad({ grid: { ...raw.grid, extra: 1 } })).toThrow(/grid/);
    expect(mergeMixStudySchema.safeParse({ ...raw, profiles: undefined }).success).toBe(false); // envelope keys are not the kind's
    const rest = Object.fromEntries(Object.entries(config.groups).map(([g, ds]) => [g, ds.filter((d) => d !== "legal")]));
    expect(errorCode(() => studyTasks({ ...config, groups: rest }, fixture, 1))).toBe("CONFIG_INVALID");
    expect(() => studyGroups({ ...config, groups: rest }, fixture, "group")).toThrow(/groups: legal of corpus "default" is in no group/);
    expect(errorCode(() => studyTasks({ ...config, groups: { ...config.groups, reference: [...config.groups.reference, "klingon"] } }, fixture, 1))).toBe("CONFIG_INVALID");
    expect(studyGroups(config, fixture, "domain")).toEqual(Object.fromEntries(fixture.domains.map((d) => [d, [d]])));
  });
});

/**
 * Synthetic runs with a known answer, over the ci profile's config with 30 grid mixtures and 3
 * seeds. Trained grid model i: utility 0.01·i, 3 − 0.01·i nats; every capability = the utility,
 * both halves equal to it. Merged: equal to the trained ("same"), or the trained values in a
 * scrambled order ("shuffled"). Finals: utility 0.1 + 0.01·seed + the arm's offset (α* per
 * domain +0.05, per group +0.025, best trained +0.03, prior +0.005, uniform 0) and a 0.001
 * arm × seed term; loss 3 − the same offsets. Search cost: MergeMix 1e12 FLOPs, the grid 4e12.
 */
type Law = { merged?: "same" | "shuffled"; domainOffset?: number };
const OFFSET: Record<FinalArm, number> = { "mergemix-domain": 0.05, "mergemix-group": 0.025, "best-trained": 0.03, prior: 0.005, uniform: 0 };
const M = 30;
const CAPS = ["prose", "code", "math", "knowledge"];

function syntheticStudy(law: Law = {}) {
  const base = studyConfig("ci");
  const config: MergeMixStudyConfig = {
    ...base, grid: { ...base.grid, multiDomain: { ...base.grid.multiDomain, mixtures: M - base.grid.twoDomain.alphas.length } },
    finals: { ...base.finals, seeds: 3 }, scale: { ...base.scale, seeds: 3 },
  };
  const domains = [...fixture.domains];
  const S = 16;
  const judged = (u: number, nats: number): JudgedModel => {
    const scores: Record<string, number> = { utility: u, utility_half0: u, utility_half1: u };
    for (const c of CAPS) Object.assign(scores, { [c]: u, [`${c}_half0`]: u, [`${c}_half1`]: u });
    return { scores, capabilities: CAPS, validation: Object.fromEntries(domains.map((d) => [d, nats])), valNats: nats };
  };
  const list: { task: MergeMixStudyTask; result: unknown }[] = [];
  const grid = studyGrid(config, Object.keys(config.groups), S);
  const perm = Array.from({ length: M }, (_, i) => (i * 7 + 3) % M); // 7 is coprime with 30: a permutation
  grid.forEach((m, i) => {
    const t: TrainedRun = {
      tokens: 1, flops: 1, seconds: 1, engine: "synthetic", mixture: i, family: m.family, label: m.label, alpha: m.alpha,
      weights: {}, judge: judged(0.01 * i, 3 - 0.01 * i), choose: { utility: i === 7 ? 1 : 0 },
    };
    list.push({ task: { stage: "trained", mixture: i, family: m.family, label: m.label, alpha: m.alpha, experimentSeed: S }, result: t });
  });
  for (const kind of EXPERT_KINDS) {
    const points = grid.map((m, i) => {
      const j = law.merged === "shuffled" ? perm[i] : i;
      return { mixture: i, family: m.family, label: m.label, alpha: m.alpha, judge: judged(0.01 * j, 3 - 0.01 * j) };
    });
    const merged: MergedRun = { kind, engine: "synthetic", points };
    list.push({ task: { stage: "merged", kind, experimentSeed: S }, result: merged });
    const row = (item: string, flops: number) => ({ item, count: 1, tokens: 1, flops });
    const search = {
      kind, groups: config.groups, capabilities: CAPS, alphaStar: [1, 0, 0, 0], mixture: {}, seeds: [], surrogateCv: {},
      predicted: { utility: 0.2 }, verified: { alpha: [], scores: { utility: 0.1 }, valNats: 3 }, bestSeed: { alpha: [], scores: { utility: 0.15 }, valNats: 3 }, evaluations: 1,
      cost: { mergeMix: [row("base", 5e11), row("MergeMix total", 1e12)], grid: [row("base", 5e11), row("trained mixtures total", 4e12)] },
    } as SearchRun;
    list.push({ task: { stage: "search", kind, experimentSeed: S }, result: search });
  }
  const final = (utility: number, loss: number): FinalModelResult => ({
    validation: Object.fromEntries(domains.map((d) => [d, loss])), average: loss,
    suite: { metric: "acc_norm", utility, capabilities: Object.fromEntries(CAPS.map((c) => [c, utility])), tasks: {} },
    trainTokens: 1, tokensPerDomain: {}, trainFlops: 1, finalTrainLoss: 1, engine: "synthetic", seconds: 1,
  });
  const arms = studyArms(config);
  for (const [stage, planned, seeds] of [["final", arms.finals, config.finals.seeds], ["scale", arms.scale, config.scale.seeds]] as const) {
    planned.forEach((arm, a) => {
      for (let k = 0; k < seeds; k++) {
        const offset = arm === "mergemix-domain" ? law.domainOffset ?? OFFSET[arm] : OFFSET[arm];
        const e = 0.001 * (((a + k) % 3) - 1);
        const r: FinalRun = { arm, repeat: k, mixture: {}, chosen: arm === "best-trained" ? { mixture: 7, label: grid[7].label, objective: 1 } : null, final: final(0.1 + 0.01 * k + offset + e, 3 - offset - e) };
        list.push({ task: { stage, arm, repeat: k, experimentSeed: S }, result: r });
      }
    });
  }
  return { config, domains, runs: studyRuns(list, list.length) };
}

describe("analyseMergeMixStudy on runs with a known answer", () => {
  const { config, domains, runs } = syntheticStudy();
  const a = analyseMergeMixStudy(config, runs, domains, 16);
  const row = (prefix: string) => a.rows.find((r) => r.claim.startsWith(prefix))!;

  it("claim 1 holds when the merged models score as the trained ones: ρ = 1 with a degenerate interval", () => {
    expect(a.consistency.map((c) => c.kind)).toEqual(["domain", "group"]);
    for (const c of a.consistency) {
      expect(c.points).toHaveLength(M);
      for (const iv of [c.utility, c.valNats]) {
        expect(iv.n).toBe(M);
        for (const x of [iv.value, iv.lo, iv.hi]) expect(x).toBeCloseTo(1, 12);
      }
      expect(c.perFamily.map((f) => [f.family, f.n])).toEqual([["two", 3], ["multi", M - 3]]);
    }
    for (const p of ["1a", "1b", "1c", "1d"]) expect(row(p).verdict).toBe("holds");
  });

  it("claim 1 does not hold when the merged scores are scrambled", () => {
    const s = syntheticStudy({ merged: "shuffled" });
    const b = analyseMergeMixStudy(s.config, s.runs, domains, 16);
    for (const c of b.consistency) {
      expect(Math.abs(c.utility.value)).toBeLessThan(0.5);
      expect(c.utility.hi).toBeLessThan(config.spearman);
    }
    for (const p of ["1a", "1b", "1c", "1d"]) expect(b.rows.find((r) => r.claim.startsWith(p))!.verdict).toBe("does not hold at this scale");
  });

  it("reports the judge suite's reliability and spread per capability", () => {
    const t = a.suite.filter((r) => r.population === "trained grid models");
    expect(t.map((r) => r.metric)).toEqual([...CAPS, "utility"]);
    for (const r of t) {
      expect(r.reliability).toBeCloseTo(1, 12); // identical halves
      expect(r.spread).toBeCloseTo(100 * 0.01 * (M - 1), 9);
    }
    expect(a.suite.filter((r) => r.population.startsWith("final models")).every((r) => Number.isNaN(r.reliability))).toBe(true);
  });

  it("claim 2: α* against uniform, prior and the best trained mixture, paired by seed; the paired difference is the law's", () => {
    const d = a.finals!.differences.find((x) => x.kind === "domain" && x.baseline === "uniform")!;
    const e = (arm: number, k: number) => 0.001 * (((arm + k) % 3) - 1);
    expect(d.utility.value).toBeCloseTo(0.05 + [0, 1, 2].reduce((s, k) => s + e(0, k) - e(2, k), 0) / 3, 12);
    expect(d.loss.value).toBeCloseTo(-d.utility.value, 12);
    expect(row("2a").verdict).toBe("holds"); // per domain, utility
    expect(row("2b").verdict).toBe("holds"); // per domain, loss
    // per group: 0.005 below the best trained mixture, inside the 0.01 margin
    expect(a.finals!.differences.find((x) => x.kind === "group" && x.baseline === "best-trained")!.utility.value).toBeCloseTo(-0.005, 2);
    expect(row("2c").verdict).toBe("holds");
    expect(row("2a").value).toContain("search FLOPs: α* 1.00e+12, best trained 4.00e+12");
    const worse = syntheticStudy({ domainOffset: -0.05 });
    const w = analyseMergeMixStudy(worse.config, worse.runs, domains, 16);
    expect(w.rows.find((r) => r.claim.startsWith("2a"))!.verdict).toBe("does not hold at this scale");
    expect(w.rows.find((r) => r.claim.startsWith("3a"))!.verdict).toBe("does not hold at this scale");
  });

  it("claim 3 compares α* with uniform and prior only, at the larger scale", () => {
    expect(a.scale!.differences.map((x) => x.baseline)).toEqual(["uniform", "prior", "uniform", "prior"]);
    for (const p of ["3a", "3b", "3c", "3d"]) expect(row(p).verdict).toBe("holds");
  });

  it("claim 4 is the exact FLOP ratio", () => {
    for (const c of a.cost) expect(c.fraction).toBe(0.25);
    expect(row("4a").verdict).toBe("holds");
    expect(row("4a").estimate).toEqual({ value: 0.25, lo: 0.25, hi: 0.25, n: 1 });
  });

  it("says 'not yet run' for a claim whose runs are missing", () => {
    const b = analyseMergeMixStudy(config, studyRuns([], 100), domains, 16);
    expect(b.rows).toHaveLength(14);
    expect(b.rows.map((r) => r.verdict)).toEqual(Array(14).fill("not yet run"));
  });

  it("is deterministic: the same runs give the same table (and the bootstraps depend on the seed only)", () => {
    const s = syntheticStudy({ merged: "shuffled" });
    const x = analyseMergeMixStudy(s.config, s.runs, domains, 16), y = analyseMergeMixStudy(s.config, s.runs, domains, 16);
    expect(mergeMixStudyTables(s.config, s.runs, x)["verdicts.csv"]).toBe(mergeMixStudyTables(s.config, s.runs, y)["verdicts.csv"]);
    expect(mergeMixStudyTables(s.config, s.runs, x)["verdicts.csv"].trim().split("\n")).toHaveLength(15);
  });
});

describe("the ci profile end to end", () => {
  it("trains every stage, writes the verdict table, resumes without retraining, and retrains missing model files to the same weights", async () => {
    const out = join(tmp, "ci");
    const quiet = { config: STUDY_FILE, profile: "ci", out, workers: 0, png: false, log: () => {} } as const;
    const r = await runExperiment(quiet);
    expect(r.failed).toEqual([]);
    expect(r.done).toBe(r.total);
    expect(readFileSync(join(out, "verdicts.csv"), "utf8").trim().split("\n")).toHaveLength(15);
    const loaded = loadMergeMixStudyResults(out);
    const s = loaded.runs, c = loaded.config;
    expect(s.trained.size).toBe(c.grid.twoDomain.alphas.length + c.grid.multiDomain.mixtures);
    expect([...s.merged.keys()]).toEqual(["domain", "group"]);
    for (const arm of studyArms(c).finals) expect(s.finals.get(arm)!.size).toBe(c.finals.seeds);
    for (const arm of studyArms(c).scale) expect(s.scale.get(arm)!.size).toBe(c.scale.seeds);
    // the judge suite's halves are the split evaluateSuite's half utilities use
    for (const t of s.trained.values()) {
      for (const h of [0, 1]) expect(t.judge.scores[`utility_half${h}`]).toBeCloseTo(t.judge.capabilities.reduce((a, cap) => a + t.judge.scores[`${cap}_half${h}`], 0) / t.judge.capabilities.length, 12);
    }
    // per-domain merges at a grid mixture use the mixture itself; per-group ones α over the groups
    const domainMerge = s.merged.get("domain")!.points[0], trained0 = s.trained.get(0)!;
    expect(domainMerge.alpha).toEqual(fixture.domains.map((d) => trained0.weights[d]));
    expect(s.merged.get("group")!.points[0].alpha).toEqual(trained0.alpha);
    // α*'s final trains on the search's mixture; the best trained arm on the grid mixture with the best choose score
    expect(s.finals.get(mergemixArm("group"))!.get(0)!.mixture).toEqual(s.searches.get("group")!.mixture);
    const best = s.finals.get("best-trained")!.get(0)!;
    expect(best.mixture).toEqual(s.trained.get(best.chosen!.mixture)!.weights);
    expect(Math.max(...[...s.trained.values()].map((t) => t.choose.utility))).toBe(best.chosen!.objective);
    const resumed = await runExperiment(quiet);
    expect(resumed.ran).toBe(0);
    // without the model files, a merged grid retrains the base and the experts it needs, checks their sha256, and scores the same
    const store = openStore(out);
    const mergedTask = store.tasks.find((t) => (t.params as MergeMixStudyTask).stage === "merged" && (t.params as { kind: string }).kind === "group")!;
    const before = scanRuns(store).done.find((x) => x.index === mergedTask.index)!.result;
    rmSync(join(out, "models"), { recursive: true });
    unlinkSync(join(out, "runs", `${mergedTask.id}.json`));
    const again = await runExperiment(quiet);
    expect(again.ran).toBe(1);
    expect(scanRuns(openStore(out)).done.find((x) => x.index === mergedTask.index)!.result).toEqual(before);
    expect(existsSync(join(out, "models", "expert-group-code.f32"))).toBe(true);
    // a model that retrains to other weights (as under another engine build) is refused, and the
    // error names the build that made the run and the one in use
    const baseTask = store.tasks.find((t) => (t.params as MergeMixStudyTask).stage === "base")!;
    const basePath = join(out, "runs", `${baseTask.id}.json`);
    const payload = JSON.parse(readFileSync(basePath, "utf8").replace(/,"sha256":"[0-9a-f]{64}"\}\n?$/, "}")) as { result: { model: { sha256: string } }; meta: { engineBuild?: { buildId: string } } };
    const madeBy = payload.meta.engineBuild!.buildId;
    payload.result.model.sha256 = "0".repeat(64);
    const body = JSON.stringify(payload);
    writeFileSync(basePath, `${body.slice(0, -1)},"sha256":"${sha256Hex(body)}"}\n`);
    rmSync(join(out, "models"), { recursive: true });
    unlinkSync(join(out, "runs", `${mergedTask.id}.json`));
    const refused = await runExperiment({ ...quiet, keepGoing: true });
    expect(refused.failed.map((f) => f.code)).toContain("MERGEMIX_STUDY_MODEL_CHANGED");
    const msg = refused.failed.find((f) => f.code === "MERGEMIX_STUDY_MODEL_CHANGED")!.message;
    expect(msg).toContain(`that run was computed by the native build ${madeBy}`);
    expect(msg).toMatch(/this process uses the (native|portable) build [0-9a-f]{16}/);
    expect(msg).toContain("MIXLAB_NATIVE_BUILD=native");
  }, 300_000);
});

describeCommittedStudy(join(root, "results", "studies", "mergemix"), mergeMixStudy.name, (copy) => {
  const r = loadMergeMixStudyResults(copy);
  return mergeMixStudyTables(r.config, r.runs, analyseMergeMixStudy(r.config, r.runs, r.domains, r.seed))["verdicts.csv"];
});
