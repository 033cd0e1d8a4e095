/**
 * `bigram-sweep`: for each mixture, fit a byte-bigram language model (add-k smoothed counts)
 * on `tokens` bytes sampled from the mixture, and record every domain's validation loss.
 *
 * It is the count-based analogue of `proxy-sweep` — same mixtures, same sampler, same fixed
 * validation windows, same result shape — at a cost of milliseconds per run instead of
 * minutes, so it serves as a baseline for proxy sweeps and as the cheap real workload the
 * experiment kit's reliability tests use (kill -9 mid-sweep, corruption, Slurm).
 */
import { z } from "zod";
import { createBatchSampler } from "../../data/sampler.js";
import { validationSets } from "../../data/validation.js";
import { VOCAB_SIZE } from "../../data/format.js";
import { defineKind } from "../kind.js";
import { corpusRefSchema, describeCorpus, openCorpusRef } from "../../data/corpus-ref.js";
import { mixturesSchema, resolveMixtures } from "./mixture-sources.js";
import { sweepDomains } from "../../data/corpus-ref.js";
import { sweepReport, type SweepParams, type SweepResult } from "./sweep-report.js";

export const bigramSweepSchema = z.strictObject({
  /** "default", "fixture" or a corpus directory relative to the project root */
  corpus: corpusRefSchema,
  /** subset of the corpus's domains (default: all) */
  domains: z.array(z.string().min(1)).min(1).optional(),
  mixtures: mixturesSchema,
  /** training bytes drawn from the mixture per run */
  tokens: z.number().int().min(1),
  /** window length of sampled training and validation windows */
  seqLen: z.number().int().min(1).default(64),
  /** add-k smoothing of the bigram counts */
  smoothing: z.number().positive().default(0.5),
  /** validation windows per domain (fixed, evenly spaced; the same for every run) */
  windowsPerDomain: z.number().int().min(1).default(16),
});
export type BigramSweepConfig = z.infer<typeof bigramSweepSchema>;

/** Windows per sampler batch: large enough to amortise calls, small enough to stay cheap. */
const BATCH = 32;

/**
 * Fit add-k bigram counts on `tokens` bytes of `mixture` and return each domain's mean
 * negative log-likelihood (nats/byte) on its validation windows.
 *
 * @example
 * bigramRun(config, { books: 0.5, code_c: 0.5 }, 7).validation.books; // ≈ 2.6
 */
export function bigramRun(config: BigramSweepConfig, mixtureRecord: Record<string, number>, seed: number): SweepResult {
  const corpus = openCorpusRef(config.corpus);
  const domains = sweepDomains(corpus, config.domains);
  const [mixture] = resolveMixtures([{ source: "list", list: [mixtureRecord] }], corpus, domains, seed);
  const V = VOCAB_SIZE;
  const T = config.seqLen;
  // counts[a * V + b]: times byte b followed byte a in the sampled windows; [V*V]
  const counts = new Float64Array(V * V);
  const sampler = createBatchSampler(corpus, mixture, { seqLen: T, batchSize: BATCH, seed });
  const windows = Math.ceil(config.tokens / T);
  let left = windows;
  while (left > 0) {
    const b = sampler.next(); // tokens: [BATCH, T+1]
    const use = Math.min(BATCH, left);
    for (let w = 0; w < use; w++) {
      const off = w * (T + 1);
      for (let t = 0; t < T; t++) counts[b.tokens[off + t] * V + b.tokens[off + t + 1]]++;
    }
    left -= use;
  }
  const k = config.smoothing;
  // logRow[a] = log(Σ_b counts[a,b] + V·k): the normaliser of row a; [V]
  const logRow = new Float64Array(V);
  for (let a = 0; a < V; a++) {
    let s = 0;
    for (let b = 0; b < V; b++) s += counts[a * V + b];
    logRow[a] = Math.log(s + V * k);
  }
  const validation: Record<string, number> = {};
  for (const set of validationSets(corpus, { seqLen: T, windowsPerDomain: config.windowsPerDomain, domains })) {
    let nll = 0;
    for (let w = 0; w < set.windows; w++) {
      const off = w * (T + 1);
      for (let t = 0; t < T; t++) {
        const a = set.tokens[off + t], b = set.tokens[off + t + 1];
        nll += logRow[a] - Math.log(counts[a * V + b] + k);
      }
    }
    validation[set.domain] = nll / (set.windows * T);
  }
  const losses = Object.values(validation);
  return { validation, average: losses.reduce((s, x) => s + x, 0) / losses.length, trainTokens: windows * T };
}

export const bigramSweep = defineKind<BigramSweepConfig, SweepParams, SweepResult>({
  name: "bigram-sweep",
  summary: "fit a smoothed byte-bigram LM per mixture and record every domain's validation loss (cheap proxy-sweep baseline)",
  schema: bigramSweepSchema,
  plan(config, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const domains = sweepDomains(corpus, config.domains);
    return resolveMixtures(config.mixtures, corpus, domains, ctx.seed).map((m) => ({ mixture: m.toRecord() }));
  },
  async runTask(config, task) {
    return bigramRun(config, task.params.mixture, task.seed);
  },
  report(config, runs, ctx) {
    return sweepReport(runs, {
      title: "Bigram sweep",
      what: `One add-${config.smoothing} byte-bigram model per mixture, fitted on ${config.tokens} sampled bytes (windows of ${config.seqLen}); loss on ${config.windowsPerDomain} fixed validation windows per domain. ${runs.length}/${ctx.total} runs.`,
      total: ctx.total,
      outDir: ctx.outDir,
      png: ctx.png,
    });
  },
  describeInputs(config) {
    return { corpus: describeCorpus(config.corpus) };
  },
});
