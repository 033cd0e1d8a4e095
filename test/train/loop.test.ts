import { mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { createBatchSampler } from "../../kernel-lib/data/sampler.js";
import { FusedEngine } from "../../kernel-lib/model/engine-fused.js";
import { initModel } from "../../kernel-lib/model/params.js";
import { loadCheckpoint, saveCheckpoint } from "../../kernel-lib/train/checkpoint.js";
import { createTrainer, trainProxy } from "../../kernel-lib/train/loop.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";
import { maxAbsDiff, randomTokens, smallConfig } from "../model/helpers.js";

const corpus = loadCorpus(fixtureCorpusDir());
const tmp = mkdtempSync(join(tmpdir(), "mixlab-train-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("training", () => {
  it("overfits one batch to near-zero loss", () => {
    const cfg = smallConfig({ blockSize: 32 });
    const engine = new FusedEngine(cfg);
    const tr = createTrainer({ model: initModel(cfg, 3), engine, schedule: { kind: "constant", lr: 1e-2, warmupSteps: 5, totalSteps: 80 }, optimizer: { weightDecay: 0 } });
    const batch = { tokens: randomTokens(4 * 33, 1), batchSize: 4, seqLen: 32, domainIndex: new Int32Array(4) };
    const first = tr.trainStep(batch).loss;
    let last = first;
    for (let s = 1; s < 80; s++) last = tr.trainStep(batch).loss;
    expect(first).toBeGreaterThan(5); // ≈ ln 256 at init
    expect(last).toBeLessThan(0.02);
  });

  it("save → load gives identical logits, and resuming continues bit-for-bit", () => {
    const cfg = smallConfig();
    const mixture = Mixture.uniform(corpus.domains);
    const schedule = { kind: "cosine" as const, lr: 3e-3, warmupSteps: 2, totalSteps: 6 };
    const opts = { seqLen: 16, batchSize: 4, seed: 5 };
    // straight run: 6 steps
    const a = createTrainer({ model: initModel(cfg, 9), engine: new FusedEngine(cfg), schedule });
    const sa = createBatchSampler(corpus, mixture, opts);
    for (let s = 0; s < 6; s++) a.trainStep(sa.next());
    // 3 steps, checkpoint, fresh objects, 3 more
    const b = createTrainer({ model: initModel(cfg, 9), engine: new FusedEngine(cfg), schedule });
    const sb = createBatchSampler(corpus, mixture, opts);
    for (let s = 0; s < 3; s++) b.trainStep(sb.next());
    const dir = join(tmp, "ckpt");
    const meta = { format: 1, config: cfg, step: b.step, seed: 9, adamStep: b.optimizerState().step, sampler: sb.state() };
    saveCheckpoint(dir, { meta, model: b.model, optimizer: b.optimizerState() });
    saveCheckpoint(dir, { meta, model: b.model, optimizer: b.optimizerState() }); // overwrite in place
    expect(readdirSync(tmp)).toEqual(["ckpt"]); // no temp or old directories left behind
    // a crash between the two renames of a save leaves only the previous checkpoint as .ckpt.*.old
    renameSync(dir, join(tmp, ".ckpt.1.2.x.old"));
    const ck = loadCheckpoint(dir);
    expect(readdirSync(tmp)).toEqual(["ckpt"]);
    const inputs = randomTokens(2 * 16, 3);
    expect(maxAbsDiff(b.engine.logits(b.model.params, inputs, 2, 16), new FusedEngine(cfg).logits(ck.model.params, inputs, 2, 16))).toBe(0);
    const c = createTrainer({ model: ck.model, engine: new FusedEngine(cfg), schedule, optimizerState: ck.optimizer, step: ck.meta.step });
    const sc = createBatchSampler(corpus, mixture, opts);
    sc.restore(ck.meta.sampler!);
    for (let s = 0; s < 3; s++) c.trainStep(sc.next());
    expect(c.step).toBe(6);
    expect(maxAbsDiff(c.model.params, a.model.params)).toBe(0);
    expect(maxAbsDiff(c.optimizerState().v, a.optimizerState().v)).toBe(0);
  });

  it("trainProxy lowers validation loss on every domain, deterministically by seed", async () => {
    const mixture = Mixture.uniform(corpus.domains);
    const recipe = { preset: "tiny" as const, steps: 60, batchSize: 8, seqLen: 32, lr: 3e-3 };
    const opts = { evalWindows: 4, evalAtStart: true, backend: "fused" as const };
    const r = await trainProxy(corpus, mixture, recipe, 1, opts);
    expect(r.engine.engine).toBe("fused-wasm");
    expect(r.history).toHaveLength(60);
    for (const d of corpus.domains) {
      expect(r.initialValidation!.domains[d].nats).toBeGreaterThan(4.5); // near ln 256 = 5.55 untrained
      expect(r.validation.domains[d].nats, d).toBeLessThan(r.initialValidation!.domains[d].nats - 1);
      expect(r.validation.domains[d].bitsPerByte).toBeCloseTo(r.validation.domains[d].nats / Math.LN2, 10);
    }
    const again = await trainProxy(corpus, mixture, recipe, 1, { ...opts, evalAtStart: false });
    expect(maxAbsDiff(again.model.params, r.model.params)).toBe(0);
    r.dispose();
    again.dispose();
  });

  it("trainProxy resumes from its checkpoint directory to the same weights", async () => {
    const mixture = Mixture.uniform(corpus.domains);
    const recipe = { preset: "tiny" as const, batchSize: 4, seqLen: 16, lr: 3e-3, schedule: "constant" as const, warmupSteps: 2 };
    const opts = { evalWindows: 2, backend: "fused" as const };
    const straight = await trainProxy(corpus, mixture, { ...recipe, steps: 8 }, 2, opts);
    const dir = join(tmp, "proxy");
    await trainProxy(corpus, mixture, { ...recipe, steps: 8 }, 2, { ...opts, checkpointDir: dir, checkpointEvery: 4 });
    // simulate a crash after step 4: rewind the checkpoint by re-running 4 steps into a fresh dir
    const dir2 = join(tmp, "proxy2");
    await trainProxy(corpus, mixture, { ...recipe, steps: 4 }, 2, { ...opts, checkpointDir: dir2 });
    const resumed = await trainProxy(corpus, mixture, { ...recipe, steps: 8 }, 2, { ...opts, checkpointDir: dir2 });
    expect(resumed.history).toHaveLength(8);
    expect(maxAbsDiff(resumed.model.params, straight.model.params)).toBe(0);
  });
});
