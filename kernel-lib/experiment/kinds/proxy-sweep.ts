/**
 * `proxy-sweep`: train one small proxy language model per mixture (kernel-lib/train
 * `trainProxy`) and record every domain's validation loss — RegMix's proxy sweep, whose
 * (mixture → per-domain loss) table the regression step fits. Each run is independent, so a
 * sweep spreads over the local pool or a Slurm job array.
 */
import { z } from "zod";
import { Mixture } from "../../data/mixture.js";
import { PRESETS, type PresetName } from "../../model/config.js";
import { trainProxy } from "../../train/index.js";
import { defineKind } from "../kind.js";
import { corpusRefSchema, describeCorpus, openCorpusRef } from "../../data/corpus-ref.js";
import { mixturesSchema, resolveMixtures, sweepDomains } from "./mixture-sources.js";
import { sweepReport, type SweepParams, type SweepResult } from "./sweep-report.js";

const presetNames = Object.keys(PRESETS) as [PresetName, ...PresetName[]];

export const proxySweepSchema = z.strictObject({
  /** "default", "fixture" or a corpus directory relative to the project root */
  corpus: corpusRefSchema,
  /** subset of the corpus's domains (default: all) */
  domains: z.array(z.string().min(1)).min(1).optional(),
  mixtures: mixturesSchema,
  /** model size (kernel-lib/model/config.ts PRESETS) */
  preset: z.enum(presetNames).default("tiny"),
  train: z.strictObject({
    steps: z.number().int().min(1),
    batchSize: z.number().int().min(1).default(8),
    /** ≤ the preset's blockSize */
    seqLen: z.number().int().min(1).default(64),
    /** peak learning rate */
    lr: z.number().positive(),
    schedule: z.enum(["cosine", "constant", "linear"]).default("cosine"),
    /** default min(100, ⌊steps/10⌋) */
    warmupSteps: z.number().int().min(0).optional(),
    /** final lr / peak lr for cosine and linear */
    minLrRatio: z.number().min(0).max(1).default(0.1),
    /** cap on epochs of any domain's train split (RegMix: 15) */
    maxEpochs: z.number().positive().optional(),
    onCap: z.enum(["error", "renormalise"]).optional(),
  }),
  eval: z.strictObject({
    /** fixed validation windows per domain (same windows for every run) */
    windowsPerDomain: z.number().int().min(1).default(16),
  }).default({ windowsPerDomain: 16 }),
}).superRefine((c, ctx) => {
  // caught at load time rather than inside every task
  const block = PRESETS[c.preset].blockSize;
  if (c.train.seqLen > block) ctx.addIssue({ code: "custom", path: ["train", "seqLen"], message: `${c.train.seqLen} exceeds the ${c.preset} preset's blockSize ${block}` });
});
export type ProxySweepConfig = z.infer<typeof proxySweepSchema>;

/** A proxy run's result: the sweep result plus training facts. */
export type ProxyRunResult = SweepResult & {
  bitsPerByte: Record<string, number>;
  finalTrainLoss: number;
  tokensPerDomain: Record<string, number>;
  engine: string;
};

/**
 * Train one proxy on `mixtureRecord` with the config's settings and per-task `seed`.
 *
 * @example
 * const r = await proxyRun(config, { books: 0.5, code_c: 0.5 }, 7);
 * r.validation.books; // nats/byte after training
 */
export async function proxyRun(config: ProxySweepConfig, mixtureRecord: Record<string, number>, seed: number): Promise<ProxyRunResult> {
  const corpus = openCorpusRef(config.corpus);
  const domains = sweepDomains(corpus, config.domains);
  const mixture = Mixture.fromRecord(mixtureRecord).over(domains);
  const t = config.train;
  const r = await trainProxy({
    corpus, mixture, preset: config.preset, seed,
    steps: t.steps, batchSize: t.batchSize, seqLen: t.seqLen, lr: t.lr, schedule: t.schedule,
    warmupSteps: t.warmupSteps, minLrRatio: t.minLrRatio, maxEpochs: t.maxEpochs, onCap: t.onCap,
    evalWindows: config.eval.windowsPerDomain,
  });
  try {
    const validation: Record<string, number> = {};
    const bitsPerByte: Record<string, number> = {};
    for (const d of domains) {
      validation[d] = r.validation.domains[d].nats;
      bitsPerByte[d] = r.validation.domains[d].bitsPerByte;
    }
    return {
      validation,
      average: r.validation.meanNats,
      bitsPerByte,
      finalTrainLoss: r.history.at(-1)?.loss ?? Number.NaN,
      tokensPerDomain: r.tokensPerDomain,
      engine: r.engine.engine,
    };
  } finally {
    r.dispose();
  }
}

export const proxySweep = defineKind<ProxySweepConfig, SweepParams, ProxyRunResult>({
  name: "proxy-sweep",
  summary: "train one proxy LM per mixture and record every domain's validation loss (RegMix's proxy sweep)",
  schema: proxySweepSchema,
  plan(config, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const domains = sweepDomains(corpus, config.domains);
    return resolveMixtures(config.mixtures, corpus, domains, ctx.seed).map((m) => ({ mixture: m.toRecord() }));
  },
  runTask(config, task) {
    return proxyRun(config, task.params.mixture, task.seed);
  },
  report(config, runs, ctx) {
    const t = config.train;
    return sweepReport(runs, {
      title: "Proxy sweep",
      what: `One \`${config.preset}\` proxy per mixture: ${t.steps} steps × ${t.batchSize} windows of ${t.seqLen} bytes, lr ${t.lr} (${t.schedule}); loss on ${config.eval.windowsPerDomain} fixed validation windows per domain. ${runs.length}/${ctx.total} runs.`,
      total: ctx.total,
      outDir: ctx.outDir,
      png: ctx.png,
    });
  },
  describeInputs(config) {
    return { corpus: describeCorpus(config.corpus) };
  },
});
