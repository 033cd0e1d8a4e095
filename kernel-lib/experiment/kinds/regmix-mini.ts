/**
 * `regmix-mini`: RegMix end to end at this project's scale, as one resumable experiment.
 *
 *   tasks 0…N−1   proxies: one small proxy per RegMix-sampled mixture (constant LR after warm-up)
 *   task  N, N+1  final models on the baselines (uniform, token prior) — independent of the sweep
 *   task  N+2     the RegMix final model: waits for every proxy, fits GBDT + OLS on the proxies
 *                 (last `heldOut` held out), simulates, picks the top-k mixture and trains on it
 *
 * The three final models share one seed (same initialisation, same batch stream, same tokens),
 * so they differ only in their mixture. The report holds the held-out Spearman table, the chosen
 * mixture, the figures (predicted vs true loss, simulated-loss histogram, weights vs prior) and
 * the per-domain validation-loss table of the final models (the paper's RegMix vs human vs
 * uniform), plus the sweep in RegMix's CSV schema (train_/test_ mixture and loss files).
 *
 * The RegMix final task is planned last, so on the local pool it starts only when every proxy
 * has been handed out; it polls the results directory until the proxies are all present and
 * gives up (REGMIX_SWEEP_INCOMPLETE; re-run to resume) when none has arrived for `waitSeconds`.
 */
import { join } from "node:path";
import { z } from "zod";
import { Mixture } from "../../data/mixture.js";
import { tokenPrior } from "../../data/prior.js";
import { PRESETS, type PresetName } from "../../model/config.js";
import { analyseSweep, chooseTarget, lossTable, type RegmixAnalysis } from "../../regmix/experiment.js";
import { chosenWeightsBars, heldOutScatter, simulatedLossHistogram } from "../../regmix/figures.js";
import { regmixLossesCsv, regmixMixturesCsv, type SweepRow } from "../../regmix/sweep.js";
import { toCsv } from "../../util/csv.js";
import { MixlabError } from "../../util/errors.js";
import { deriveSeed } from "../../util/rng.js";
import { savePlot } from "../../viz/save.js";
import { toMarkdown } from "../../viz/table.js";
import type { Json } from "../json.js";
import { defineKind, type RunRecord } from "../kind.js";
import { openStore, scanRuns } from "../store.js";
import { corpusRefSchema, describeCorpus, openCorpusRef } from "../../data/corpus-ref.js";
import { mixturesSchema, resolveMixtures, sweepDomains } from "./mixture-sources.js";
import { proxyRun, type ProxyRunResult, type ProxySweepConfig } from "./proxy-sweep.js";

const presetNames = Object.keys(PRESETS) as [PresetName, ...PresetName[]];

const trainSchema = z.strictObject({
  steps: z.number().int().min(1),
  batchSize: z.number().int().min(1).default(16),
  seqLen: z.number().int().min(1).default(64),
  lr: z.number().positive(),
  /** RegMix proxies: constant after warm-up */
  schedule: z.enum(["cosine", "constant", "linear"]).default("constant"),
  warmupSteps: z.number().int().min(0).optional(),
  minLrRatio: z.number().min(0).max(1).default(0.1),
  maxEpochs: z.number().positive().optional(),
  onCap: z.enum(["error", "renormalise"]).optional(),
});

const modelSchema = z.strictObject({
  preset: z.enum(presetNames),
  train: trainSchema,
  windowsPerDomain: z.number().int().min(1).default(16),
});

export const regmixMiniSchema = z.strictObject({
  corpus: corpusRefSchema,
  domains: z.array(z.string().min(1)).min(1).optional(),
  /** domain whose validation loss RegMix minimises (default: books, see regmix/experiment.ts) */
  target: z.string().min(1).optional(),
  /** the proxies' mixtures (default: 64 from RegMix's sampler around the token prior) */
  mixtures: mixturesSchema.default([{ source: "regmix", count: 64, prior: "token" }]),
  proxy: modelSchema,
  regression: z.strictObject({
    /** the last `heldOut` proxies are kept out of fitting and score the regressors */
    heldOut: z.number().int().min(0),
    /** early-stop on the held-out proxies as the RegMix notebook does (leaks them into fitting) */
    earlyStopping: z.boolean().default(false),
    /** GBDT options over RegMix's LightGBM defaults */
    gbdt: z.strictObject({
      numRounds: z.number().int().min(1).optional(),
      learningRate: z.number().positive().optional(),
      numLeaves: z.number().int().min(2).optional(),
      minDataInLeaf: z.number().int().min(1).optional(),
      maxBin: z.number().int().min(2).optional(),
    }).default({}),
  }),
  simulate: z.strictObject({
    candidates: z.number().int().min(1).default(1_000_000),
    topK: z.number().int().min(1).default(128),
    sampler: z.enum(["dirichlet", "constrained"]).default("dirichlet"),
    /** Dirichlet(prior · strength); the notebook uses 1 */
    strength: z.number().positive().default(1),
    simulateWith: z.enum(["gbdt", "linear"]).default("gbdt"),
  }).default({ candidates: 1_000_000, topK: 128, sampler: "dirichlet", strength: 1, simulateWith: "gbdt" }),
  final: modelSchema.extend({
    /** baselines trained beside the RegMix mixture ("prior" = the token prior, this corpus's "human" mixture) */
    baselines: z.array(z.enum(["uniform", "prior"])).default(["uniform", "prior"]),
  }),
  /** the RegMix final task gives up when no proxy has finished for this long */
  waitSeconds: z.number().positive().default(900),
}).superRefine((c, ctx) => {
  for (const part of ["proxy", "final"] as const) {
    const block = PRESETS[c[part].preset].blockSize;
    if (c[part].train.seqLen > block) ctx.addIssue({ code: "custom", path: [part, "train", "seqLen"], message: `${c[part].train.seqLen} exceeds the ${c[part].preset} preset's blockSize ${block}` });
  }
  if (new Set(c.final.baselines).size !== c.final.baselines.length) ctx.addIssue({ code: "custom", path: ["final", "baselines"], message: "a baseline is listed twice" });
});
export type RegmixMiniConfig = z.infer<typeof regmixMiniSchema>;

/** A task: a proxy, a baseline final model, or the RegMix final model (mixture chosen at run time). */
export type RegmixMiniParams =
  | { stage: "proxy"; mixture: Record<string, number> }
  | { stage: "final"; name: "uniform" | "prior"; mixture: Record<string, number>; trainSeed: number }
  | { stage: "final"; name: "regmix"; trainSeed: number; simulateSeed: number };

/** A run's result: the proxy result, plus for final runs their name and mixture (and the RegMix analysis). */
export type RegmixMiniResult = ProxyRunResult & {
  stage: "proxy" | "final";
  name?: string;
  mixture?: Record<string, number>;
  analysis?: Json;
};

type MiniRun = RunRecord<RegmixMiniParams, RegmixMiniResult>;

/** The proxy-sweep config `proxyRun` needs for one of our two model settings. */
function runConfig(config: RegmixMiniConfig, part: "proxy" | "final"): ProxySweepConfig {
  const m = config[part];
  return { corpus: config.corpus, domains: config.domains, mixtures: config.mixtures, preset: m.preset, train: m.train, eval: { windowsPerDomain: m.windowsPerDomain } };
}

function domainsOf(config: RegmixMiniConfig): string[] {
  return sweepDomains(openCorpusRef(config.corpus), config.domains);
}

/** Sweep rows of finished proxy runs, in plan order. */
function proxyRows(runs: readonly MiniRun[]): SweepRow[] {
  return runs
    .filter((r) => r.params.stage === "proxy")
    .sort((a, b) => a.index - b.index)
    .map((r) => ({ mixture: (r.params as { mixture: Record<string, number> }).mixture, losses: r.result.validation }));
}

/**
 * Fit, score, simulate: the same call in the RegMix final task, the report and the notebook.
 *
 * @example
 * const r = loadRegmixMiniResults("results/regmix-mini-full");
 * regmixMiniAnalysis(r.config, r.rows, r.simulateSeed).chosen.toString(); // the mixture the RegMix final model trained on
 */
export function regmixMiniAnalysis(config: RegmixMiniConfig, rows: readonly SweepRow[], simulateSeed: number): RegmixAnalysis {
  const corpus = openCorpusRef(config.corpus);
  const domains = sweepDomains(corpus, config.domains);
  const gbdt = Object.fromEntries(Object.entries(config.regression.gbdt).filter(([, v]) => v !== undefined));
  return analyseSweep(rows, tokenPrior(corpus, domains), {
    target: chooseTarget(domains, config.target),
    heldOut: config.regression.heldOut,
    earlyStopping: config.regression.earlyStopping,
    gbdt,
    simulateWith: config.simulate.simulateWith,
    simulate: { numCandidates: config.simulate.candidates, topK: config.simulate.topK, sampler: config.simulate.sampler, strength: config.simulate.strength, seed: simulateSeed },
  });
}

/** The JSON summary of an analysis recorded with the RegMix final run. */
function analysisJson(a: RegmixAnalysis): Json {
  const num = (x: number): Json => (Number.isFinite(x) ? x : null);
  return {
    target: a.target,
    trainRows: a.trainRows,
    heldOutRows: a.heldOutRows,
    scores: a.scores.map((s) => ({ model: s.model, spearman: num(s.spearman), pearson: num(s.pearson), mse: num(s.mse), mae: num(s.mae), n: s.n })),
    gbdtTrees: a.gbdt.numTrees,
    simulatedWith: a.simulatedWith,
    candidates: a.simulation.numCandidates,
    topK: a.simulation.top.predictions.length,
    predictedTopKMean: a.simulation.stats.topKMean,
    predictedBest: a.simulation.stats.min,
    predictedMean: a.simulation.stats.mean,
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Wait until every proxy run of the results directory is present; throws after `waitSeconds` without progress. */
async function waitForProxies(dir: string, waitSeconds: number, log: (m: string) => void): Promise<SweepRow[]> {
  const store = openStore(dir);
  const total = store.tasks.filter((t) => (t.params as RegmixMiniParams).stage === "proxy").length;
  let last = -1;
  let since = performance.now();
  for (;;) {
    const done = scanRuns(store).done as unknown as MiniRun[];
    const proxies = done.filter((r) => r.params.stage === "proxy");
    if (proxies.length === total) return proxyRows(proxies);
    if (proxies.length !== last) {
      if (last >= 0 || proxies.length < total) log(`regmix: waiting for ${total - proxies.length} of ${total} proxies`);
      last = proxies.length;
      since = performance.now();
    } else if ((performance.now() - since) / 1000 > waitSeconds) {
      throw new MixlabError("REGMIX_SWEEP_INCOMPLETE", `${total - proxies.length} of ${total} proxies are missing and none finished in ${waitSeconds} s; re-run \`mixlab run\` to train them, then this task`);
    }
    await sleep(1000);
  }
}

const fmt = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(digits));

export const regmixMini = defineKind<RegmixMiniConfig, RegmixMiniParams, RegmixMiniResult>({
  name: "regmix-mini",
  summary: "RegMix end to end: proxy sweep → GBDT/linear fit → simulation → top-k mixture → final models vs uniform and token prior",
  schema: regmixMiniSchema,
  plan(config, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const domains = sweepDomains(corpus, config.domains);
    chooseTarget(domains, config.target); // an unknown target fails before any work
    const mixtures = resolveMixtures(config.mixtures, corpus, domains, ctx.seed);
    if (config.regression.heldOut > mixtures.length - 2) {
      throw new MixlabError("CONFIG_INVALID", `regression.heldOut ${config.regression.heldOut} leaves fewer than 2 of ${mixtures.length} proxies to fit on`);
    }
    const trainSeed = deriveSeed(ctx.seed, "final");
    const params: RegmixMiniParams[] = mixtures.map((m) => ({ stage: "proxy", mixture: m.toRecord() }));
    for (const b of config.final.baselines) {
      const m = b === "uniform" ? Mixture.uniform(domains) : tokenPrior(corpus, domains);
      params.push({ stage: "final", name: b, mixture: m.toRecord(), trainSeed });
    }
    params.push({ stage: "final", name: "regmix", trainSeed, simulateSeed: deriveSeed(ctx.seed, "simulate") });
    return params;
  },
  async runTask(config, task, ctx) {
    const p = task.params;
    if (p.stage === "proxy") {
      return { ...(await proxyRun(runConfig(config, "proxy"), p.mixture, task.seed)), stage: "proxy" };
    }
    if (p.name !== "regmix") {
      return { ...(await proxyRun(runConfig(config, "final"), p.mixture, p.trainSeed)), stage: "final", name: p.name, mixture: p.mixture };
    }
    const rows = await waitForProxies(ctx.resultsDir, config.waitSeconds, ctx.log);
    const a = regmixMiniAnalysis(config, rows, p.simulateSeed);
    const mixture = a.chosen.toRecord();
    ctx.log(`regmix: chose ${a.chosen.toString()} (target ${a.target})`);
    return { ...(await proxyRun(runConfig(config, "final"), mixture, p.trainSeed)), stage: "final", name: "regmix", mixture, analysis: analysisJson(a) };
  },
  report(config, runs, ctx) {
    return regmixMiniReport(config, runs, ctx.outDir, ctx.total, ctx.manifest.resolvedSeed, ctx.png);
  },
  describeInputs(config) {
    return { corpus: describeCorpus(config.corpus) };
  },
});

/** The kind's report (see the file comment). */
function regmixMiniReport(config: RegmixMiniConfig, runs: readonly MiniRun[], outDir: string, total: number, seed: number, png: boolean | "auto") {
  const domains = domainsOf(config);
  const target = chooseTarget(domains, config.target);
  const rows = proxyRows(runs);
  const planned = total - config.final.baselines.length - 1;
  const finals = runs.filter((r) => r.params.stage === "final");
  const md: string[] = ["## RegMix mini reproduction", ""];
  const p = config.proxy;
  const f = config.final;
  md.push(
    `Target: **${target}** validation loss${config.target ? "" : " (default: the broadest prose domain, see kernel-lib/regmix/experiment.ts)"}. ` +
      `Proxies: ${rows.length}/${planned} \`${p.preset}\` models, ${p.train.steps} steps × ${p.train.batchSize} × ${p.train.seqLen} bytes, lr ${p.train.lr} (${p.train.schedule}). ` +
      `Final models: \`${f.preset}\`, ${f.train.steps} steps × ${f.train.batchSize} × ${f.train.seqLen} bytes (${f.train.steps * f.train.batchSize * f.train.seqLen} training bytes each, same seed).`,
    "",
  );
  const tables: Record<string, string> = {};
  if (rows.length > 0) {
    const heldOut = Math.min(config.regression.heldOut, rows.length);
    const fit = rows.slice(0, rows.length - heldOut);
    const ho = rows.slice(rows.length - heldOut);
    tables["train_mixture.csv"] = regmixMixturesCsv(fit, domains);
    tables["train_loss.csv"] = regmixLossesCsv(fit, domains);
    if (ho.length > 0) {
      tables["test_mixture.csv"] = regmixMixturesCsv(ho, domains);
      tables["test_loss.csv"] = regmixLossesCsv(ho, domains);
    }
  }
  if (rows.length < planned) {
    md.push(`The sweep is unfinished (${rows.length}/${planned} proxies); the regression runs once all are in.`, "");
  } else {
    const regmixRun = finals.find((r) => r.result.name === "regmix");
    const a = regmixMiniAnalysis(config, rows, deriveSeed(seed, "simulate"));
    const fig = (name: string, figure: Parameters<typeof savePlot>[0], alt: string) => {
      const saved = savePlot(figure, join(outDir, "figures", name), { png });
      return saved.png ? `![${alt}](figures/${name}.png)` : `Figure: [${alt}](figures/${name}.html)`;
    };
    md.push(
      `### Regression on held-out proxies (${a.trainRows} fitted, ${a.heldOutRows} held out)`,
      "",
      toMarkdown(a.scores.map((s) => ({ model: s.model, "Spearman×100": fmt(100 * s.spearman, 2), Pearson: fmt(s.pearson), MSE: s.mse, MAE: s.mae })), { digits: 5 }),
      "",
      fig("heldout_gbdt", heldOutScatter(a, "gbdt"), "GBDT predicted vs true loss"),
      "",
      fig("heldout_linear", heldOutScatter(a, "linear"), "Linear predicted vs true loss"),
      "",
      `### Simulation`,
      "",
      `${a.simulation.numCandidates.toLocaleString("en-US")} candidates from ${config.simulate.sampler === "dirichlet" ? `Dirichlet(token prior × ${config.simulate.strength})` : "RegMix's constrained sampler"}, predicted with the ${a.simulatedWith}; ` +
        `mean of the ${a.simulation.top.predictions.length} lowest. Predicted ${target} loss: best ${fmt(a.simulation.stats.min)}, top-k mean ${fmt(a.simulation.stats.topKMean)}, all-candidate mean ${fmt(a.simulation.stats.mean)}.` +
        (regmixRun?.result.mixture ? ` Recomputed mixture ${sameMixture(regmixRun.result.mixture, a.chosen) ? "equals" : "DIFFERS FROM"} the one the RegMix final run trained on.` : ""),
      "",
      fig("simulated_loss", simulatedLossHistogram(a.simulation, target), "distribution of simulated losses"),
      "",
      fig("weights", chosenWeightsBars(a.chosen, tokenPrior(openCorpusRef(config.corpus), domains), [{ name: "uniform", weights: Mixture.uniform(domains) }]), "RegMix weights vs token prior"),
      "",
      toMarkdown([
        { mixture: "RegMix", ...a.chosen.toRecord() },
        { mixture: "token prior", ...tokenPrior(openCorpusRef(config.corpus), domains).toRecord() },
      ], { digits: 3 }),
      "",
    );
  }
  if (finals.length > 0) {
    const order = ["regmix", "uniform", "prior"];
    const sorted = [...finals].sort((x, y) => order.indexOf(x.result.name ?? "") - order.indexOf(y.result.name ?? ""));
    const label = (n: string | undefined) => (n === "prior" ? "token prior" : n === "regmix" ? "RegMix" : n ?? "?");
    const table = lossTable(sorted.map((r) => ({ name: label(r.result.name), validation: r.result.validation })), domains);
    const header = ["domain", ...sorted.map((r) => label(r.result.name)), "best"];
    tables["final_validation_loss.csv"] = toCsv(header, table.map((row) => header.map((k) => row[k])));
    md.push(
      `### Final models: per-domain validation loss (nats/byte; lower is better; target ${target})`,
      "",
      `${finals.length}/${config.final.baselines.length + 1} final runs present.`,
      "",
      toMarkdown(table.map((row) => (row.domain === target ? { ...row, domain: `**${target}** (target)` } : row)), { digits: 4 }),
      "",
    );
  }
  return { markdown: md.join("\n"), tables };
}

function sameMixture(rec: Record<string, number>, m: Mixture): boolean {
  return m.domains.every((d, i) => Math.abs((rec[d] ?? 0) - m.weights[i]) < 1e-12);
}

/** A finished (or partial) regmix-mini results directory, as plain data. */
export interface RegmixMiniResults {
  config: RegmixMiniConfig;
  /** the experiment's resolved seed */
  seed: number;
  /** the seed the RegMix final task simulates with (`deriveSeed(seed, "simulate")`) */
  simulateSeed: number;
  /** finished proxies in plan order */
  rows: SweepRow[];
  plannedProxies: number;
  /** finished final models: "regmix", "uniform", "prior" */
  finals: { name: string; mixture: Record<string, number>; validation: Record<string, number>; analysis?: Json }[];
}

/**
 * Read a regmix-mini results directory (config from its manifest, verified runs only).
 *
 * @example
 * const r = loadRegmixMiniResults("results/regmix-mini-full");
 * const a = regmixMiniAnalysis(r.config, r.rows, r.simulateSeed); // the analysis the RegMix final run used
 */
export function loadRegmixMiniResults(dir: string): RegmixMiniResults {
  const store = openStore(dir);
  if (store.manifest.kind !== "regmix-mini") throw new MixlabError("RESULTS_WRONG_KIND", `${dir} holds a "${store.manifest.kind}" experiment, not regmix-mini`);
  const envelope = new Set(["kind", "version", "name", "profile", "seed", "description"]);
  const fields = Object.fromEntries(Object.entries(store.manifest.config).filter(([k]) => !envelope.has(k)));
  const config = regmixMiniSchema.parse(fields);
  const runs = scanRuns(store).done as unknown as MiniRun[];
  const seed = store.manifest.resolvedSeed;
  return {
    config,
    seed,
    simulateSeed: deriveSeed(seed, "simulate"),
    rows: proxyRows(runs),
    plannedProxies: store.tasks.length - config.final.baselines.length - 1,
    finals: runs.filter((r) => r.params.stage === "final").map((r) => ({
      name: r.result.name ?? "?", mixture: r.result.mixture ?? {}, validation: r.result.validation, analysis: r.result.analysis,
    })),
  };
}
