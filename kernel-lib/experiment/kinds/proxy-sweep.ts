/**
 * `proxy-sweep`: train one small proxy language model per mixture (kernel-lib/regmix
 * `trainRegmixProxy`) and record every domain's validation loss — RegMix's proxy sweep, whose
 * (mixture → per-domain loss) table the regression step fits. Each run is independent, so a
 * sweep spreads over the local pool or a Slurm job array.
 */
import { z } from "zod";
import { PRESETS } from "../../model/config.js";
import { trainRegmixProxy } from "../../regmix/proxies.js";
import { continueRecipeSchema, presetNameSchema, seqLenIssue } from "../../train/recipe.js";
import { defineKind } from "../kind.js";
import { corpusRefSchema, describeCorpus, openCorpusRef } from "../../data/corpus-ref.js";
import { mixturesSchema, resolveMixtures } from "./mixture-sources.js";
import { sweepDomains } from "../../data/corpus-ref.js";
import { sweepReport, type SweepParams, type SweepResult } from "./sweep-report.js";

export const proxySweepSchema = z.strictObject({
  /** "default", "fixture" or a corpus directory relative to the project root */
  corpus: corpusRefSchema,
  /** subset of the corpus's domains (default: all) */
  domains: z.array(z.string().min(1)).min(1).optional(),
  mixtures: mixturesSchema,
  /** model size (kernel-lib/model/config.ts PRESETS) */
  preset: presetNameSchema.default("tiny"),
  /** the training recipe without the size (`preset` above); batch 8 × 64 tokens unless given */
  train: continueRecipeSchema({ batchSize: 8, seqLen: 64 }),
  eval: z.strictObject({
    /** fixed validation windows per domain (same windows for every run) */
    windowsPerDomain: z.number().int().min(1).default(16),
  }).default({ windowsPerDomain: 16 }),
}).superRefine((c, ctx) => {
  // caught at load time rather than inside every task
  const tooLong = seqLenIssue(c.train.seqLen, PRESETS[c.preset], `the ${c.preset} preset`);
  if (tooLong) ctx.addIssue({ code: "custom", path: ["train", "seqLen"], message: tooLong });
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
 * Train one proxy on `mixtureRecord` with the config's recipe and per-task `seed` (RegMix's
 * step 2, `trainRegmixProxy`).
 *
 * @example
 * const r = await proxyRun(config, { books: 0.5, code_c: 0.5 }, 7);
 * r.validation.books; // nats/token after training
 */
export async function proxyRun(config: ProxySweepConfig, mixtureRecord: Record<string, number>, seed: number): Promise<ProxyRunResult> {
  const corpus = openCorpusRef(config.corpus);
  const domains = sweepDomains(corpus, config.domains);
  const r = await trainRegmixProxy(corpus, { preset: config.preset, ...config.train }, mixtureRecord, seed, { windowsPerDomain: config.eval.windowsPerDomain, domains });
  const average = domains.reduce((a, d) => a + r.losses[d], 0) / domains.length;
  return {
    validation: r.losses,
    average,
    bitsPerByte: Object.fromEntries(domains.map((d) => [d, r.losses[d] / Math.LN2])),
    finalTrainLoss: r.finalTrainLoss,
    tokensPerDomain: r.tokensPerDomain,
    engine: r.engine,
  };
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
