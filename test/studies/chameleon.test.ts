/**
 * The Chameleon study (issue 15): its plan (stages, paired seeds, dependencies, the budget), the
 * fitted ratio's derivation from the official example, the regime measures on a hand case, the
 * analysis on synthetic runs with a known law (each claim's verdict follows from the law), the
 * ci profile end to end with resume, and the committed study store: every stored run verifies and
 * the verdict table recomputed from it equals the committed `verdicts.csv` byte for byte.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chameleonWeights } from "../../kernel-lib/chameleon/pipeline.js";
import { OFFICIAL_EXAMPLE, OFFICIAL_PT_WEIGHT_RATIO } from "../../kernel-lib/chameleon/temperature.js";
import { studyWallSeconds, taskSeconds } from "../../kernel-lib/studies/chameleon/budget.js";
import { analyseChameleonStudy, officialReference } from "../../kernel-lib/studies/chameleon/claims.js";
import { chameleonStudySchema, STUDY_METHODS, studyCompareConfig, type ChameleonStudyConfig, type ChameleonStudyTask, type StudyMethod } from "../../kernel-lib/studies/chameleon/config.js";
import { studyDependencies, studyTasks } from "../../kernel-lib/studies/chameleon/plan.js";
import { regimeMeasures, type RegimeRun } from "../../kernel-lib/studies/chameleon/regime.js";
import { chameleonStudyTables } from "../../kernel-lib/studies/chameleon/report.js";
import { transferredMixture, type TransferFinal } from "../../kernel-lib/studies/chameleon/run.js";
import { comparisonArmsOf, studyRuns } from "../../kernel-lib/studies/chameleon/runs.js";
import type { FinetuneResult } from "../../kernel-lib/studies/chameleon/experiments/finetune.js";
import type { TransferArmResult } from "../../kernel-lib/studies/chameleon/experiments/transfer.js";
import { compareSeeds, finalSeed } from "../../kernel-lib/compare/config.js";
import type { FinalModelResult } from "../../kernel-lib/compare/final.js";
import { armSearch, compareTasks, runFinalTask, searchesOf } from "../../kernel-lib/compare/plan.js";
import type { ComparisonArm } from "../../kernel-lib/compare/table.js";
import { openCorpusRef } from "../../kernel-lib/data/corpus-ref.js";
import { defaultTaskSpecs } from "../../kernel-lib/eval/suite/build.js";
import { domainKinds } from "../../kernel-lib/data/kind.js";
import { loadExperimentConfig, parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { chameleonStudy } from "../../kernel-lib/experiment/kinds/chameleon-study.js";
import { loadChameleonStudyResults } from "../../kernel-lib/experiment/results.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { describeCommittedStudy } from "../experiment/committed-study.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import { errorCode, figureMatrix, workedExample } from "../chameleon/helpers.js";

const root = projectRoot();
const STUDY_FILE = join(root, "experiments", "chameleon-study.json");
const tmp = mkdtempSync(join(tmpdir(), "mixlab-chameleon-study-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const studyConfig = (profile: string) => loadExperimentConfig(STUDY_FILE, profile).fields as ChameleonStudyConfig;
const fixture = openCorpusRef("fixture");

describe("the study's plan", () => {
  // the study's sizes over the fixture corpus's domains (the same 13 names as the default corpus)
  const config = studyConfig("study");
  const tasks = studyTasks(config, fixture, 15);
  const deps = studyDependencies(tasks);
  const finals = tasks.flatMap((t, i) => (t.stage === "pretrain" && t.compare.stage === "final" ? [{ i, t: t.compare }] : []));

  it("has every stage at the sizes the issue asks for", () => {
    const count = (f: (t: ChameleonStudyTask) => boolean) => tasks.filter(f).length;
    expect(config.seeds).toBeGreaterThanOrEqual(3);
    expect(config.finetune.repeats).toBeGreaterThanOrEqual(3);
    expect(config.regime.seeds).toBeGreaterThanOrEqual(3);
    expect([...config.pretrain.methods].sort()).toEqual([...STUDY_METHODS].sort());
    expect(finals).toHaveLength(STUDY_METHODS.length * config.seeds);
    expect(count((t) => t.stage === "pretrain" && t.compare.stage === "search")).toBe(3 + config.pretrain.regmix!.proxies);
    expect(count((t) => t.stage === "regime")).toBe(config.regime.proxies.length * config.regime.seeds);
    expect(count((t) => t.stage === "transfer-weights")).toBe(1);
    expect(count((t) => t.stage === "transfer-final")).toBe(config.seeds);
    expect(count((t) => t.stage === "finetune")).toBe(config.finetune.repeats);
    // the regime list grows in size and in length beyond its reference
    const presets = new Set(config.regime.proxies.map((p) => p.recipe.preset));
    expect(presets.size).toBeGreaterThanOrEqual(2);
    expect(config.regime.proxies.some((p, i) => i > 0 && p.recipe.preset === config.regime.proxies[0].recipe.preset && p.recipe.steps > config.regime.proxies[0].recipe.steps)).toBe(true);
  });

  it("pairs the final models: seed repeat k is one seed for every arm, and repeat 0 is the comparison's own", () => {
    for (const { t } of finals) expect(t.repeat).toBeGreaterThanOrEqual(0);
    const repeats = [...new Set(finals.map((f) => f.t.repeat!))];
    expect(repeats).toEqual([...Array(config.seeds).keys()]);
    expect(finalSeed(15, 0)).toBe(compareSeeds(15).final);
    expect(new Set(repeats.map((k) => finalSeed(15, k))).size).toBe(config.seeds);
    for (const k of repeats) expect(finals.filter((f) => f.t.repeat === k).map((f) => f.t.method).sort()).toEqual([...STUDY_METHODS].sort());
  });

  it("runs every search before any final, and the finals seed repeat by seed repeat", () => {
    const firstFinal = Math.min(...finals.map((f) => f.i));
    tasks.forEach((t, i) => { if (t.stage === "pretrain" && t.compare.stage === "search") expect(i).toBeLessThan(firstFinal); });
    const order = tasks.flatMap((t) => (t.stage === "pretrain" && t.compare.stage === "final" ? [t.compare.repeat!] : t.stage === "transfer-final" ? [t.repeat] : []));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("makes each final wait for exactly its method's searches, a transfer final for the transfer weights", () => {
    const searchesOf = (m: string) => tasks.flatMap((t, i) => (t.stage === "pretrain" && t.compare.stage === "search" && t.compare.method === m ? [i] : []));
    const weights = tasks.findIndex((t) => t.stage === "transfer-weights");
    tasks.forEach((t, i) => {
      for (const d of deps[i]) expect(d).toBeLessThan(i);
      if (t.stage === "pretrain" && t.compare.stage === "final") {
        const m = t.compare.method;
        const want = m === "regmix" ? searchesOf("regmix-proxy") : m === "chameleon" || m === "chameleon-official" ? searchesOf("chameleon") : m === "doremi" || m === "doge" ? searchesOf(m) : [];
        expect(deps[i]).toEqual(want);
      } else if (t.stage === "transfer-final") expect(deps[i]).toEqual([weights]);
      else expect(deps[i]).toEqual([]);
    });
    expect(searchesOf("regmix-proxy")).toHaveLength(config.pretrain.regmix!.proxies);
  });

  it("leaves a compare experiment's plan as it was (no repeat field without `repeats`)", () => {
    const cmp = studyCompareConfig(config);
    const plain = compareTasks(cmp, fixture, 15).filter((t) => t.stage === "final");
    expect(plain).toHaveLength(STUDY_METHODS.length);
    for (const t of plain) expect("repeat" in t).toBe(false);
    expect(errorCode(() => compareTasks(cmp, fixture, 15, { repeats: 0 }))).toBe("COMPARE_BAD_CONFIG");
  });

  it("fits the budget: ≤ 3 h on 2 workers at the measured rates, the figure the description states", () => {
    const corpus = { domains: fixture.domains };
    const hours = studyWallSeconds(config, corpus, tasks, 2) / 3600;
    expect(hours).toBeLessThanOrEqual(3);
    const description = JSON.parse(readFileSync(STUDY_FILE, "utf8")).description as string;
    expect(Number(/about ([\d.]+) h on 2 cores/.exec(description)?.[1])).toBeCloseTo(hours, 1);
    expect(/(\d+) tasks\./.exec(description)?.[1]).toBe(String(tasks.length));
    // a final model costs what the measured 1M rate says: 1000 × 16 × 128 bytes in ≈ 200 s, plus its scoring
    const secs = taskSeconds(config, corpus, tasks);
    expect(secs[finals[0].i]).toBeGreaterThan(200);
    expect(secs[finals[0].i]).toBeLessThan(230);
  });

  it("rejects inconsistent settings by path, and unknown domains when planning", () => {
    const raw = JSON.parse(readFileSync(STUDY_FILE, "utf8"));
    const bad = (patch: Record<string, unknown>) => () => parseExperimentConfig({ ...raw, profiles: {}, ...patch }, { source: "x.json" });
    expect(bad({ pretrain: { ...raw.pretrain, methods: ["prior", "chameleon", "chameleon-official"] } })).toThrow(/pretrain\.methods: must list "uniform"/);
    const { chameleon: _c, ...noChameleon } = raw.pretrain;
    expect(bad({ pretrain: noChameleon })).toThrow(/pretrain\.chameleon/);
    expect(bad({ regime: { ...raw.regime, embed: { ...raw.regime.embed, seqLen: 128 } } })).toThrow(/regime\.embed\.seqLen: 128 exceeds proxy "tiny-500"/);
    const shorter = { name: "tiny-100", recipe: { ...raw.regime.proxies[0].recipe, steps: 100 } };
    expect(bad({ regime: { ...raw.regime, proxies: [raw.regime.proxies[0], shorter] } })).toThrow(/regime\.proxies\[1\]: "tiny-100" trains with no more FLOPs/);
    expect(bad({ seeds: 1 })).toThrow(/seeds/);
    expect(chameleonStudySchema.safeParse({ ...raw, profiles: undefined }).success).toBe(false); // envelope keys are not the kind's
    expect(errorCode(() => studyTasks({ ...config, transfer: { ...config.transfer, heldOut: ["klingon"] } }, fixture, 1))).toBe("CONFIG_INVALID");
    expect(errorCode(() => studyTasks({ ...config, finetune: { ...config.finetune, finetuneDomains: ["math", "klingon"] } }, fixture, 1))).toBe("CONFIG_INVALID");
  });
});

describe("the fitted ratio and the official regime's measures", () => {
  it("derives 4.08 from the official figure: the official pipeline on its printed affinity matrix, max/min weight", () => {
    const { domains, K } = figureMatrix();
    const r = chameleonWeights({ domains, kernel: K }); // λ = 10, τ_pt = 5
    const ratio = Math.max(...r.ptWeights) / Math.min(...r.ptWeights);
    expect(ratio).toBeCloseTo(OFFICIAL_PT_WEIGHT_RATIO, 2);
    expect(studyConfig("study").pretrain.chameleon!.ptWeightRatio).toBe(Number(ratio.toFixed(2)));
    // the stored S of that example (4 decimals) is the reference data's, in its order
    const ex = workedExample();
    expect(OFFICIAL_EXAMPLE.domains).toEqual(ex.domains);
    expect(OFFICIAL_EXAMPLE.leverageRaw).toEqual(ex.rows.krls_raw);
    const ref = officialReference(studyConfig("study"));
    expect(ref.maxOfficialWeight).toBeCloseTo(Math.max(...ex.rows.weights_pretrain_tau5), 3);
    expect(ref.officialRatio).toBeCloseTo(OFFICIAL_PT_WEIGHT_RATIO, 2);
    expect(ref.tauForRatio).toBeCloseTo(5, 2); // the fitted rule gives back τ = 5 in the official regime
  });

  it("computes spread, effective dimension, kernel/ridge and the official weights by hand on 3 domains", () => {
    const m = regimeMeasures({ leverageRaw: [0.01, 0.02, 0.04], lambda: 10, centeredKernel: [[0.3, 0, 0], [0, 0.6, 0], [0, 0, 1.2]] }, 2);
    expect(m.spread).toBeCloseTo(4, 12);
    expect(m.effectiveDimension).toBeCloseTo(0.07, 12);
    expect(m.kernelToRidge).toBeCloseTo(2.1 / 30, 12);
    // S = [1/7, 2/7, 4/7]: logits (1/S)/5 = [1.4, 0.7, 0.35] (up to the official ε = 1e-12 in 1/(S + ε))
    const z = [1.4, 0.7, 0.35].map(Math.exp), sum = z.reduce((a, b) => a + b, 0);
    expect(m.maxOfficialWeight).toBeCloseTo(z[0] / sum, 10);
    expect(m.officialRatio).toBeCloseTo(Math.exp(1.05), 10);
    expect(m.tauForRatio).toBeCloseTo((7 - 7 / 4) / Math.log(2), 9);
  });
});

/**
 * Synthetic runs with a known law over the fixture's 13 domains, 3 seeds. Domain d's loss is
 * 3 + 0.1·j(d) nats/byte, shifted by a seed offset 0.01·k shared by every arm of seed k and by
 * the arm's own offset: Chameleon (fitted) −0.02, uniform 0, the other baselines 0.005–0.01,
 * Chameleon (official) +0.05, plus a small arm × seed term. Search FLOPs: Chameleon 0.1 of a
 * final, RegMix 3, DoReMi 1.5, DoGE 0.8. Regime: the reference proxy's S spans 3 orders of
 * magnitude (collapsed), the longer one's is nearly flat. Transfer: the transferred model is the
 * retrained one + δ nats on every held-out domain. Finetuning: Chameleon FT is 1 below uniform
 * (± 0.1) on every domain.
 */
type Law = { officialOffset?: number; dogeCost?: number; flatLater?: boolean; transferDelta?: number; finetuneWorse?: string | null; legacyTaskNames?: boolean };
const ARM_OFFSET: Record<StudyMethod | "regmix-mean", number> = { uniform: 0, prior: 0.005, regmix: 0.01, "regmix-mean": 0.009, doremi: 0.008, doge: 0.006, chameleon: -0.02, "chameleon-official": 0.05 };
const COST: Record<StudyMethod | "regmix-mean", number> = { uniform: 0, prior: 0, regmix: 3, "regmix-mean": 3, doremi: 1.5, doge: 0.8, chameleon: 0.1, "chameleon-official": 0.1 };
const TRAIN_FLOPS = 1e12;

function syntheticStudy(law: Law = {}) {
  const base = studyConfig("ci");
  const config: ChameleonStudyConfig = { ...base, seeds: 3, regime: { ...base.regime, seeds: 3 }, finetune: { ...base.finetune, repeats: 3 } };
  const domains = [...fixture.domains];
  const k = domains.length;
  const S = 15;
  const noise = (a: number, seed: number) => 0.001 * (((a + seed) % 3) - 1);
  const nats = (offset: number, seed: number, e: number) => Object.fromEntries(domains.map((d, j) => [d, 3 + 0.1 * j + 0.01 * seed + offset + e]));
  // runs stored before final results recorded task domains named their tasks by the old suite's scheme
  const legacy = (d: string) => (d === "dictionary" ? "dictionary_word" : d === "math" ? "math_answer" : d === "structured_json" ? `nextfield_${d}` : /^code_/.test(d) ? `nextline_${d}` : `cloze_${d}`);
  const suiteTasks = law.legacyTaskNames ? domains.map((d) => ({ name: legacy(d), domain: d })) : defaultTaskSpecs(domainKinds(fixture));
  // tasks of domains that are not held out score -1: counting one of them in the transfer's suite mean would show
  const final = (validation: Record<string, number>, suite = 0.5): FinalModelResult => ({
    validation, average: Object.values(validation).reduce((a, b) => a + b, 0) / k,
    suite: {
      metric: "acc_norm", utility: 0, capabilities: {}, tasks: Object.fromEntries(suiteTasks.map((t) => [t.name, config.transfer.heldOut.includes(t.domain) ? suite : -1])),
      ...(law.legacyTaskNames ? {} : { taskDomains: Object.fromEntries(suiteTasks.map((t) => [t.name, t.domain])) }),
    },
    trainTokens: 1, tokensPerDomain: {}, trainFlops: TRAIN_FLOPS, finalTrainLoss: 1, engine: "synthetic", seconds: 1,
  });
  const list: { task: ChameleonStudyTask; result: unknown }[] = [];
  const offsetOf = (m: StudyMethod | "regmix-mean") => (m === "chameleon-official" ? law.officialOffset ?? ARM_OFFSET[m] : ARM_OFFSET[m]);
  const validations = new Map<string, Record<string, number>>();
  config.pretrain.methods.forEach((method, a) => {
    for (let seed = 0; seed < config.seeds; seed++) {
      const validation = nats(offsetOf(method), seed, noise(a, seed));
      validations.set(`${method}/${seed}`, validation);
      const cost = (method === "doge" ? law.dogeCost ?? COST.doge : COST[method]) * TRAIN_FLOPS;
      const arm: ComparisonArm = {
        method, label: method, mixture: Object.fromEntries(domains.map((d) => [d, 1 / k])),
        cost: { flops: cost, trainTokens: 0, forwardTokens: 0, models: 0, items: [] },
        details: method === "chameleon" ? { leverage: Object.fromEntries(domains.map((d) => [d, 1 / k])) } : {}, searchSeconds: 0, final: final(validation),
      };
      list.push({ task: { stage: "pretrain", compare: { stage: "final", method, experimentSeed: S, repeat: seed }, experimentSeed: S }, result: arm });
    }
  });
  // regime: the reference's S spans 1e-4…0.13 (collapsed); the later one's is flat (or as steep)
  config.regime.proxies.forEach((p, i) => {
    for (let seed = 0; seed < config.regime.seeds; seed++) {
      const steep = domains.map((_, j) => 1e-4 * (1 + j * j) * (1 + 0.01 * seed));
      const flat = domains.map((_, j) => 0.1 + 0.001 * j + 0.0005 * seed);
      const leverageRaw = i === 0 || law.flatLater === false ? steep : flat;
      const sum = leverageRaw.reduce((a, b) => a + b, 0);
      const run: RegimeRun = {
        proxy: p.name, repeat: seed, preset: p.recipe.preset, steps: p.recipe.steps, batchSize: p.recipe.batchSize, seqLen: p.recipe.seqLen,
        tokens: 1, flops: 1, finalTrainLoss: 1, seconds: 1, engine: "synthetic", domains, layer: 1, windowsPerDomain: 1, embedSeqLen: 1, uniqueWindows: [], embeddingFlops: 1,
        lambda: 10, centeredKernel: domains.map((_, r) => domains.map((__, c) => (r === c ? 2 : 0))), leverageRaw, leverage: leverageRaw.map((x) => x / sum),
      };
      list.push({ task: { stage: "regime", proxy: p.name, repeat: seed, experimentSeed: S }, result: run });
    }
  });
  // transfer: the frozen proxy's model is the retrained (Chameleon) one + δ nats on the held-out domains
  const delta = law.transferDelta ?? 0.001;
  const frozen = { arm: "frozen", label: "frozen", before: null, after: { domains, ptWeights: domains.map(() => 1 / k) } } as unknown as TransferArmResult;
  list.push({ task: { stage: "transfer-weights", experimentSeed: S }, result: frozen });
  for (let seed = 0; seed < config.seeds; seed++) {
    const v = validations.get(`chameleon/${seed}`)!;
    const validation = Object.fromEntries(domains.map((d) => [d, config.transfer.heldOut.includes(d) ? v[d] + delta : v[d]]));
    const tf: TransferFinal = { repeat: seed, mixture: transferredMixture(frozen), final: final(validation, 0.6) };
    list.push({ task: { stage: "transfer-final", repeat: seed, experimentSeed: S }, result: tf });
  }
  // finetuning: Chameleon FT 1 below uniform (± 0.1) on every domain, or worse on one
  const ft = config.finetune.finetuneDomains;
  for (let seed = 0; seed < config.finetune.repeats; seed++) {
    const u = Object.fromEntries(ft.map((d, j) => [d, 20 + j + 0.5 * seed]));
    const c = Object.fromEntries(ft.map((d, j) => [d, u[d] + (d === law.finetuneWorse ? 1 : -1) + 0.1 * (((j + seed) % 3) - 1)]));
    const evaluation = (perplexity: Record<string, number>) => ({ nats: {}, perplexity, averagePerplexity: 0, meanNats: 0, trainFlops: 0, trainSeconds: 0, finalTrainLoss: 0, engine: "synthetic" });
    const r = {
      pretrainDomains: [], finetuneDomains: ft, base: {},
      chameleon: { leverage: [], leverageRaw: [], ftWeights: ft.map(() => 1 / ft.length), tauFt: 0.2, centeredKernel: [], uniqueWindows: [], layer: 1, embeddingFlops: 0 },
      arms: [{ arm: "uniform", label: "Uniform", mixture: {}, weightFlops: 0, evaluation: evaluation(u) }, { arm: "chameleon", label: "Chameleon FT", mixture: {}, weightFlops: 0, evaluation: evaluation(c) }],
    } as unknown as FinetuneResult;
    list.push({ task: { stage: "finetune", repeat: seed, experimentSeed: S }, result: r });
  }
  return { config, domains, validations, runs: studyRuns(list, list.length) };
}

describe("analyseChameleonStudy on runs with a known law", () => {
  const { config, domains, validations, runs } = syntheticStudy();
  const a = analyseChameleonStudy(config, runs, domains);
  const verdicts = () => a.rows.map((r) => r.verdict);
  const avgPpl = (v: Record<string, number>) => domains.reduce((s, d) => s + Math.exp(v[d]), 0) / domains.length;

  it("claim 1a holds: Chameleon (fitted) is below every baseline on every seed; the paired difference is the law's", () => {
    const d = a.pretrain!.differences.filter((x) => x.arm === "chameleon");
    expect(d.map((x) => x.baseline).sort()).toEqual(["doge", "doremi", "prior", "regmix", "uniform"]);
    for (const x of d) expect(x.perplexity.hi).toBeLessThan(0);
    const vsUniform = d.find((x) => x.baseline === "uniform")!;
    const want = [0, 1, 2].map((k) => avgPpl(validations.get(`chameleon/${k}`)!) - avgPpl(validations.get(`uniform/${k}`)!));
    expect(vsUniform.perplexity.value).toBeCloseTo(want.reduce((s, x) => s + x, 0) / 3, 12);
    expect(vsUniform.loss.value).toBeCloseTo(-0.02 + [0, 1, 2].reduce((s, k) => s + 0.001 * (((3 + k) % 3) - 1) - 0.001 * ((k % 3) - 1), 0) / 3, 12);
    expect(a.rows[0].verdict).toBe("holds");
  });

  it("claim 1b does not hold: the official arm is above every baseline", () => {
    expect(a.rows[1].verdict).toBe("does not hold at this scale");
    const below = syntheticStudy({ officialOffset: -0.03 });
    expect(analyseChameleonStudy(below.config, below.runs, domains).rows[1].verdict).toBe("holds");
  });

  it("claim 1c compares search FLOPs as fractions of one final training", () => {
    expect(a.cost.find((c) => c.method === "chameleon")!.fraction).toBeCloseTo(0.1, 12);
    expect(a.cost.find((c) => c.method === "regmix")!.fraction).toBeCloseTo(3, 12);
    expect(a.rows[2].verdict).toBe("holds");
    const cheap = syntheticStudy({ dogeCost: 0.05 });
    expect(analyseChameleonStudy(cheap.config, cheap.runs, domains).rows[2].verdict).toBe("does not hold at this scale");
  });

  it("claim 2 holds when a later proxy's S is flat, and not when every proxy's is steep", () => {
    const g = a.regime!;
    expect(g.proxies[0].maxWeight.lo).toBeGreaterThan(0.99);
    expect(g.proxies[1].maxWeight.hi).toBeLessThan(0.5);
    expect(g.proxies[0].outOfCollapse).toBe("does not hold at this scale");
    expect(g.proxies[1].kernelToRidge.mean).toBeCloseTo((2 * domains.length) / (10 * domains.length), 12);
    expect(a.rows[3].verdict).toBe("holds");
    const steep = syntheticStudy({ flatLater: false });
    expect(analyseChameleonStudy(steep.config, steep.runs, domains).rows[3].verdict).toBe("does not hold at this scale");
  });

  it("claim 3 holds within the margin: + δ nats on every new domain is exp(δ) − 1 in relative perplexity", () => {
    const t = a.transfer!;
    expect(t.vsRetrained.value).toBeCloseTo(Math.expm1(0.001), 12);
    expect(t.vsUniform.hi).toBeLessThan(0);
    expect(t.suiteVsUniform!.value).toBeCloseTo(0.1, 12);
    // the same from runs stored before results recorded task domains (old task names)
    const old = syntheticStudy({ legacyTaskNames: true });
    const o = analyseChameleonStudy(old.config, old.runs, domains).transfer!;
    expect(o.suiteVsUniform!.value).toBeCloseTo(0.1, 12);
    expect(o.arms.map((x) => x.newSuite!.mean)).toEqual(t.arms.map((x) => expect.closeTo(x.newSuite!.mean, 12)));
    expect(t.weights.l1).toBeCloseTo(0, 12);
    expect(a.rows[4].verdict).toBe("holds");
    const worse = syntheticStudy({ transferDelta: 0.05 });
    const w = analyseChameleonStudy(worse.config, worse.runs, domains);
    expect(w.transfer!.vsRetrained.lo).toBeGreaterThan(config.transfer.margin);
    expect(w.rows[4].verdict).toBe("does not hold at this scale");
  });

  it("claim 4 counts the domains improved: all when Chameleon FT is 1 below, not when one is 1 above", () => {
    const f = a.finetune!;
    expect(f.improved).toBe(config.finetune.finetuneDomains.length);
    for (const d of f.perDomain) expect(d.difference.value).toBeCloseTo(-1, 12);
    expect(a.rows[5].verdict).toBe("holds");
    const one = syntheticStudy({ finetuneWorse: config.finetune.finetuneDomains[1] });
    const b = analyseChameleonStudy(one.config, one.runs, domains);
    expect(b.finetune!.improved).toBe(config.finetune.finetuneDomains.length - 1);
    expect(b.rows[5].verdict).toBe("does not hold at this scale");
  });

  it("says 'not yet run' for a claim whose runs are missing", () => {
    const b = analyseChameleonStudy(config, studyRuns([], 100), domains);
    expect(b.rows.map((r) => r.verdict)).toEqual(Array(6).fill("not yet run"));
    expect(verdicts()).toHaveLength(6);
  });

  it("is deterministic: the same runs give the same table", () => {
    const b = analyseChameleonStudy(config, runs, domains);
    expect(chameleonStudyTables(config, runs, b)["verdicts.csv"]).toBe(chameleonStudyTables(config, runs, a)["verdicts.csv"]);
  });
});

describe("the ci profile end to end", () => {
  it("trains every stage, writes the verdict table, reuses the comparison's seed, and resumes without retraining", async () => {
    const out = join(tmp, "ci");
    const r = await runExperiment({ config: STUDY_FILE, profile: "ci", out, workers: 0, png: false, log: () => {} });
    expect(r.failed).toEqual([]);
    expect(r.done).toBe(r.total);
    expect(readFileSync(join(out, "verdicts.csv"), "utf8").trim().split("\n")).toHaveLength(7);
    const loaded = loadChameleonStudyResults(out);
    const s = loaded.runs;
    const c = loaded.config;
    expect(s.finetune.size).toBe(c.finetune.repeats);
    expect(s.transferFinals.size).toBe(c.seeds);
    for (const m of c.pretrain.methods) expect(s.finals.get(m)!.size).toBe(c.seeds);
    // the transfer finals train on the frozen proxy's weights over every domain
    expect(s.transferFinals.get(0)!.mixture).toEqual(transferredMixture(s.transferWeights!));
    expect(s.transferWeights!.after.domains.slice(-c.transfer.heldOut.length)).toEqual(c.transfer.heldOut);
    // repeat 0 of the study is the `compare` experiment with the same seed: same final model
    const uniform0 = comparisonArmsOf(s, 0).find((x) => x.method === "uniform")!;
    const again = await runFinalTask(studyCompareConfig(c), fixture, { stage: "final", method: "uniform", experimentSeed: loaded.seed }, []);
    expect(again.final.validation).toEqual(uniform0.final.validation);
    // a seed repeat is a different model
    expect(s.finals.get("uniform")!.get(1)!.final.validation).not.toEqual(uniform0.final.validation);
    // every arm's weights re-derive from the stored searches (notebook 04 at the study profile checks the same)
    expect(s.searches).toHaveLength(compareTasks(studyCompareConfig(c), fixture, loaded.seed).filter((t) => t.stage === "search").length);
    for (const arm of comparisonArmsOf(s, 0)) {
      const rederived = armSearch(studyCompareConfig(c), fixture, arm.method, loaded.seed, searchesOf(arm.method, s.searches));
      expect(rederived.mixture, arm.method).toEqual(arm.mixture);
    }
    expect(searchesOf("uniform", s.searches)).toEqual([]);
    expect(searchesOf("regmix", s.searches).map((x) => (x.task.stage === "search" && x.task.method === "regmix-proxy" ? x.task.proxy : -1))).toEqual([...Array(c.pretrain.regmix!.proxies).keys()]);
    const resumed = await runExperiment({ config: STUDY_FILE, profile: "ci", out, workers: 0, png: false, log: () => {} });
    expect(resumed.ran).toBe(0);
  }, 240_000);
});

describeCommittedStudy(join(root, "results", "studies", "chameleon"), chameleonStudy.name, (copy) => {
  const r = loadChameleonStudyResults(copy);
  return chameleonStudyTables(r.config, r.runs, analyseChameleonStudy(r.config, r.runs, r.domains))["verdicts.csv"];
});
