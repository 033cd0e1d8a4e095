import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/index.js";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { buildSuite, modelScorer, scoreTasks, type ChoiceTask } from "../../kernel-lib/eval/suite/index.js";
import { trainAndScore } from "../../kernel-lib/train/train-and-score.js";
import { concatBytes } from "../../kernel-lib/eval/suite/text.js";
import { createEngine, initModel, presetConfig, type GptEngine, type GptModel } from "../../kernel-lib/model/index.js";
import { createTrainer } from "../../kernel-lib/train/index.js";
import { createRng } from "../../kernel-lib/util/rng.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

// A real tiny GPT trained (overfit) on exactly the correct continuations of two suite tasks
// must pick the right answers far above chance; the same untrained model must not.
const T = 64;
const STEPS = 300;
const LR = 3e-3;
let engine: GptEngine;
let tasks: ChoiceTask[];
let untrained: GptModel;
let trained: GptModel;

beforeAll(async () => {
  const corpus = loadCorpus(fixtureCorpusDir());
  const suite = buildSuite(corpus, {
    seed: 5, defaults: { items: 12, numChoices: 4, contextBytes: 40, minContextBytes: 16, maxChoiceBytes: 20, minChoiceBytes: 8 },
    tasks: [{ name: "math_answer", kind: "math_answer", domain: "math" }, { name: "nextline_code_c", kind: "code_line", domain: "code_c" }],
    taskOverrides: { math_answer: { contextBytes: 48, maxChoiceBytes: 12 } },
  });
  tasks = suite.tasks;
  const config = presetConfig("tiny");
  engine = (await createEngine(config)).engine;
  untrained = initModel(config, 3);
  trained = initModel(config, 3);
  // every item's context + correct answer from position 0 (where the scorer puts it: learned
  // position embeddings), right-padded with 0 to one window of T+1 bytes
  const seqs = tasks.flatMap((t) => t.items.map((it) => concatBytes(it.context, it.choices[it.answer]).slice(-(T + 1))));
  const windows = seqs.map((s) => { const w = new Int32Array(T + 1); w.set(s, 0); return w; });
  const tr = createTrainer({ model: trained, engine, schedule: { kind: "constant", lr: LR, warmupSteps: 10, totalSteps: STEPS } });
  const rng = createRng(9);
  const B = 8;
  for (let step = 0; step < STEPS; step++) {
    const tokens = new Int32Array(B * (T + 1));
    for (let b = 0; b < B; b++) tokens.set(windows[rng.int(windows.length)], b * (T + 1));
    tr.trainStep({ tokens, batchSize: B, seqLen: T, domainIndex: new Int32Array(B) });
  }
}, 120_000);

afterAll(() => engine?.dispose());

describe("suite scored by a real model", () => {
  it("a tiny GPT overfit on the correct answers beats chance by a wide margin; untrained it does not", async () => {
    const known = await scoreTasks(tasks, modelScorer(engine, trained));
    const blind = await scoreTasks(tasks, modelScorer(engine, untrained));
    for (const s of known) {
      expect(s.acc, s.task).toBeGreaterThan(0.75);
      expect(s.prob, s.task).toBeGreaterThan(0.6);
    }
    for (const s of blind) expect(s.prob, s.task).toBeLessThan(0.45);
  });

  it("the model scorer gives the summed log-likelihood of each continuation", () => {
    const it0 = tasks[0].items[0];
    const scores = modelScorer(engine, trained)(it0.context, it0.choices) as Float64Array;
    // recompute choice 0 from per-position losses of one window: Σ −loss over the choice bytes
    const seq = concatBytes(it0.context, it0.choices[0]).slice(-(T + 1));
    const L = seq.length - 1;
    const losses = engine.tokenLosses(trained.params, Int32Array.from(seq), 1, L);
    let sum = 0;
    for (let p = seq.length - it0.choices[0].length; p < seq.length; p++) sum -= losses[p - 1];
    expect(scores[0]).toBeCloseTo(sum, 3);
  });
});

describe("the default suite scored by models trained on different data", () => {
  it("a tiny GPT trained on C code picks the true continuation of held-out C far above chance; one trained on books does not", async () => {
    const corpus = loadCorpus(fixtureCorpusDir());
    const suite = buildSuite(corpus, { seed: 5, defaults: { items: 48, numChoices: 4, contextBytes: 40, minContextBytes: 16, maxChoiceBytes: 24, minChoiceBytes: 8 } });
    const task = suite.tasks.filter((t) => t.name === "continue_code_c");
    const recipe = { preset: "tiny" as const, steps: 150, batchSize: 16, seqLen: 64, lr: 3e-3 };
    const acc = async (domain: string): Promise<number> => {
      const r = await trainAndScore(corpus, Mixture.fromRecord({ [domain]: 1 }), recipe, 1, { engine, eval: { windowsPerDomain: 1 } });
      return (await scoreTasks(task, modelScorer(engine, r.model)))[0].acc;
    };
    const code = await acc("code_c");
    const books = await acc("books");
    expect(code).toBeGreaterThan(0.6);
    expect(code - books).toBeGreaterThan(0.3);
  });
});
