/**
 * `npx tsx bench/group-step.ts` — what a DoReMi / DoGE step costs against a plain training step
 * of the same total batch: the plain step is one `lossAndGrad` over k·b windows; the group step
 * is k `lossAndGrad` calls of b windows (one per domain) plus the weighted gradient sum; DoReMi
 * adds k reference forward passes (`tokenLosses`), DoGE the k alignment dot products.
 *
 * Timed by process CPU time (the machine is shared), interleaved in rounds, after one warm-up
 * step each. Also prints DoGE's raw alignment scores s_d and lr·s_d (README.md of kernel-lib/doge:
 * why the step is scaled by the learning rate).
 *
 * Flags: --preset (default tiny), --seqLen (64), --perDomain (b, 1), --steps (per round, 5),
 * --rounds (3), --corpus ("fixture" or a corpus directory; default "fixture").
 */
import { parseArgs } from "node:util";
import { loadCorpus } from "../kernel-lib/data/corpus.js";
import { Mixture } from "../kernel-lib/data/mixture.js";
import { createBatchSampler } from "../kernel-lib/data/sampler.js";
import { alignmentScores, dogeUpdate } from "../kernel-lib/doge/update.js";
import { doremiUpdate } from "../kernel-lib/doremi/update.js";
import type { PresetName } from "../kernel-lib/model/config.js";
import { initModel } from "../kernel-lib/model/params.js";
import { createGroupProxy } from "../kernel-lib/train/group-step.js";
import { createTrainer } from "../kernel-lib/train/loop.js";
import { fixtureCorpusDir } from "../kernel-lib/util/paths.js";

const { values: a } = parseArgs({ options: {
  preset: { type: "string", default: "tiny" }, seqLen: { type: "string", default: "64" }, perDomain: { type: "string", default: "1" },
  steps: { type: "string", default: "5" }, rounds: { type: "string", default: "3" }, corpus: { type: "string", default: "fixture" },
} });
const corpus = loadCorpus(a.corpus === "fixture" ? fixtureCorpusDir() : a.corpus!);
const k = corpus.domains.length, b = Number(a.perDomain), T = Number(a.seqLen), steps = Number(a.steps), rounds = Number(a.rounds);
const recipe = { preset: a.preset as PresetName, steps: 1000, batchSize: k * b, seqLen: T, lr: 3e-3, warmupSteps: 0, schedule: "constant" as const };

const group = await createGroupProxy(corpus, recipe, 1, { perDomainBatch: b });
const engine = group.engine;
const plain = createTrainer({ model: initModel(group.config, 1), engine, schedule: { kind: "constant", lr: 3e-3, warmupSteps: 0, totalSteps: 1000 } });
const sampler = createBatchSampler(corpus, Mixture.uniform(corpus.domains), { seqLen: T, batchSize: k * b, seed: 1 });
const reference = initModel(group.config, 2);
let alphaR: ArrayLike<number> = new Float64Array(k).fill(1 / k);
let alphaG: ArrayLike<number> = new Float64Array(k).fill(1 / k);
const scoreLog: number[][] = [];

const cpuMs = (f: () => void): number => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const arms: Record<string, () => void> = {
  plain: () => void plain.trainStep(sampler.next()),
  doge: () => {
    const g = group.gradients();
    const s = alignmentScores(g.grads);
    scoreLog.push(Array.from(s));
    group.apply(alphaG);
    alphaG = dogeUpdate(alphaG, s, { stepSize: g.lr });
  },
  doremi: () => {
    const g = group.gradients();
    const excess = g.batches.map((bt, d) => {
      const l = engine.tokenLosses(reference.params, bt.tokens, b, T);
      return Math.max(g.losses[d] - l.reduce((x, y) => x + y, 0) / l.length, 0);
    });
    const u = doremiUpdate(alphaR, excess, { stepSize: 1, smoothing: 1e-3 });
    alphaR = u.alpha;
    group.apply(u.smoothed);
  },
};
const ms: Record<string, number[]> = { plain: [], doge: [], doremi: [] };
for (const f of Object.values(arms)) f(); // warm-up
for (let r = 0; r < rounds; r++) for (const [name, f] of Object.entries(arms)) for (let s = 0; s < steps; s++) ms[name].push(cpuMs(f));
const mean = (x: number[]) => x.reduce((p, q) => p + q, 0) / x.length;
console.log(`engine ${engine.name}, preset ${a.preset}, k = ${k} domains × b = ${b} windows × T = ${T} (plain step: ${k * b} windows), ${rounds}×${steps} steps each, CPU ms/step:`);
for (const name of Object.keys(arms)) console.log(`  ${name.padEnd(7)} ${mean(ms[name]).toFixed(1).padStart(8)} ms/step   ×${(mean(ms[name]) / mean(ms.plain)).toFixed(2)} of plain`);
const flat = scoreLog.flat();
const absMean = mean(flat.map(Math.abs));
console.log(`DoGE raw scores s_d: mean |s| ${absMean.toFixed(3)}, max |s| ${Math.max(...flat.map(Math.abs)).toFixed(3)}; scaled lr·s (lr 3e-3): mean ${(absMean * 3e-3).toExponential(2)}`);
console.log(JSON.stringify({ engine: engine.name, preset: a.preset, k, b, T, msPlain: mean(ms.plain), msDoge: mean(ms.doge), msDoremi: mean(ms.doremi), meanAbsScore: absMean }));
group.dispose();
