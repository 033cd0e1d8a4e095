/**
 * `compare`: the all-methods comparison (kernel-lib/compare) as one resumable experiment.
 *
 * The kit has no task dependencies, so the plan has two stages in one list, searches first:
 *   search tasks   MergeMix's search (one task: base → experts → merges → α*), Chameleon's search
 *                  (one task: proxy → embeddings → both PT weight vectors), and one task per
 *                  RegMix proxy (the sweep is embarrassingly parallel)
 *   final tasks    one per arm (uniform, prior, chameleon, chameleon-official, regmix, mergemix):
 *                  wait until the arm's search results are in the results directory (uniform and
 *                  prior need none; RegMix fits its regression on all proxies here), then train
 *                  the shared final-model recipe on the arm's mixture and score it
 * On the local pool tasks are handed out in plan order, so a final task starts only once every
 * search has been handed out and waits at most for searches already running; inline (workers 0)
 * nothing waits. Under Slurm the finals poll until their searches land. A final task gives up
 * (COMPARE_SEARCH_INCOMPLETE; re-run to resume) when its searches made no progress for
 * `waitSeconds`.
 *
 * Seeds come from the experiment seed through `compareSeeds` (not the kit's per-task seed), so
 * `runComparison` in a notebook and this kind give identical numbers.
 */
import { join } from "node:path";
import { z } from "zod";
import {
  chameleonArmSearch, chooseRegmixWeights, COMPARE_METHODS, compareSeeds, comparisonMarkdown, comparisonTable, compareSuite,
  completeArm, fixedArmSearch, mergemixArmSearch, orderedMethods, regmixArmSearch, regmixProxyMixtures, regmixProxySeed,
  trainFinalModel, trainRegmixProxy, weightsTable, costItemsTable, chameleonSearch, mergemixSearch,
  type ArmSearch, type ChameleonChoice, type CompareConfig, type CompareMethod, type ComparisonArm, type MergeMixChoice, type RegmixProxyRun,
} from "../../compare/index.js";
import { PRESETS, type PresetName } from "../../model/config.js";
import { MixlabError } from "../../util/errors.js";
import { savePlot } from "../../viz/save.js";
import { tableToCsv } from "../../viz/table.js";
import type { Json } from "../json.js";
import { defineKind, type RunRecord } from "../kind.js";
import { openStore, scanRuns } from "../store.js";
import { corpusRefSchema, describeCorpus, openCorpusRef as openCorpus } from "../../data/corpus-ref.js";
import { mergeMixSchema } from "./mergemix.js";

const presetNames = Object.keys(PRESETS) as [PresetName, ...PresetName[]];
const posInt = z.number().int().min(1);
const schedule = z.enum(["cosine", "constant", "linear"]);

const modelSpec = (defaultSchedule: "cosine" | "constant") => z.strictObject({
  preset: z.enum(presetNames),
  steps: posInt,
  batchSize: posInt,
  seqLen: posInt,
  lr: z.number().positive(),
  schedule: schedule.default(defaultSchedule),
  warmupSteps: z.number().int().min(0).optional(),
  minLrRatio: z.number().min(0).max(1).default(0.1),
});

const mm = mergeMixSchema.shape;

export const compareSchema = z.strictObject({
  corpus: corpusRefSchema,
  methods: z.array(z.enum(COMPARE_METHODS)).min(1).default([...COMPARE_METHODS]),
  /** every arm's final model */
  final: modelSpec("cosine"),
  eval: z.strictObject({ windowsPerDomain: posInt, split: z.enum(["validation", "test"]).default("validation") }),
  /** the suite the final models are scored on (MergeMix searches on its own, `mergemix.suite`) */
  suite: z.strictObject({
    seed: z.number().int().min(0),
    metric: z.enum(["acc", "acc_norm", "prob"]),
    sizes: mm.suite.shape.sizes,
    taskOverrides: mm.suite.shape.taskOverrides,
  }),
  regmix: z.strictObject({
    proxies: z.number().int().min(3),
    proxy: modelSpec("constant"),
    windowsPerDomain: posInt,
    target: z.string().min(1).optional(),
    heldOut: z.number().int().min(0),
    gbdt: z.strictObject({
      numRounds: posInt.optional(), learningRate: z.number().positive().optional(), numLeaves: z.number().int().min(2).optional(),
      minDataInLeaf: posInt.optional(), maxBin: z.number().int().min(2).optional(),
    }).default({}),
    simulate: z.strictObject({ candidates: posInt, topK: posInt, strength: z.number().positive().default(1) }),
  }),
  chameleon: z.strictObject({
    proxy: z.strictObject({
      preset: z.enum(presetNames), steps: posInt, batchSize: posInt, seqLen: posInt, lr: z.number().positive(),
      schedule: schedule.optional(), warmupSteps: z.number().int().min(0).optional(), minLrRatio: z.number().min(0).max(1).optional(),
    }),
    embed: z.strictObject({
      windowsPerDomain: posInt,
      seqLen: posInt,
      split: z.enum(["train", "validation", "test"]).default("train"),
      documentBoundaries: z.enum(["pad", "cross"]).default("pad"),
      includePadding: z.boolean().default(false),
      dedupe: z.boolean().default(true),
      layer: z.number().int().min(0).optional(),
    }),
    /** τ_pt of the "chameleon" arm: max/min weight = this ratio (official worked example: 4.08) */
    ptWeightRatio: z.number().gt(1).default(4.08),
  }),
  mergemix: z.strictObject({
    model: mm.model, seqLen: mm.seqLen, batchSize: mm.batchSize, base: mm.base, experts: mm.experts, groups: mm.groups,
    suite: mm.suite, validationWindows: mm.validationWindows, search: mm.search,
  }),
  waitSeconds: z.number().positive().default(900),
}).superRefine((c, ctx) => {
  const check = (path: (string | number)[], seqLen: number, block: number, what: string) => {
    if (seqLen > block) ctx.addIssue({ code: "custom", path, message: `${seqLen} exceeds the ${what} blockSize ${block}` });
  };
  check(["final", "seqLen"], c.final.seqLen, PRESETS[c.final.preset].blockSize, `${c.final.preset} preset's`);
  check(["regmix", "proxy", "seqLen"], c.regmix.proxy.seqLen, PRESETS[c.regmix.proxy.preset].blockSize, `${c.regmix.proxy.preset} preset's`);
  check(["chameleon", "proxy", "seqLen"], c.chameleon.proxy.seqLen, PRESETS[c.chameleon.proxy.preset].blockSize, `${c.chameleon.proxy.preset} preset's`);
  check(["chameleon", "embed", "seqLen"], c.chameleon.embed.seqLen, PRESETS[c.chameleon.proxy.preset].blockSize, "Chameleon proxy's");
  check(["mergemix", "seqLen"], c.mergemix.seqLen, c.mergemix.model.overrides?.blockSize ?? PRESETS[c.mergemix.model.preset].blockSize, "MergeMix model's");
  if (c.regmix.heldOut > c.regmix.proxies - 2) ctx.addIssue({ code: "custom", path: ["regmix", "heldOut"], message: `${c.regmix.heldOut} leaves fewer than 2 of ${c.regmix.proxies} proxies to fit on` });
  if (new Set(c.methods).size !== c.methods.length) ctx.addIssue({ code: "custom", path: ["methods"], message: "a method is listed twice" });
});

// The schema's output must be a CompareConfig (checked at compile time).
type Parsed = z.infer<typeof compareSchema>;
const parsedIsConfig = (c: Parsed): CompareConfig => c;
void parsedIsConfig;

/** A task of the plan: a search, or an arm's final model. Every task carries the experiment seed. */
export type CompareParams =
  | { stage: "search"; method: "mergemix"; experimentSeed: number }
  | { stage: "search"; method: "chameleon"; experimentSeed: number }
  | { stage: "search"; method: "regmix-proxy"; proxy: number; mixture: Record<string, number>; experimentSeed: number }
  | { stage: "final"; method: CompareMethod; experimentSeed: number };

type Run = RunRecord<CompareParams, Json>;

const toJson = (x: unknown): Json => JSON.parse(JSON.stringify(x)) as Json;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Wait until every planned task matching `want` has a verified result; throws after `waitSeconds` without progress. */
async function waitForRuns(dir: string, want: (p: CompareParams) => boolean, what: string, waitSeconds: number, log: (m: string) => void): Promise<Run[]> {
  const store = openStore(dir);
  const total = store.tasks.filter((t) => want(t.params as CompareParams)).length;
  let last = -1;
  let since = performance.now();
  for (;;) {
    const done = (scanRuns(store).done as unknown as Run[]).filter((r) => want(r.params)).sort((a, b) => a.index - b.index);
    if (done.length === total) return done;
    if (done.length !== last) {
      log(`waiting for ${what}: ${total - done.length} of ${total} task${total === 1 ? "" : "s"} to finish`);
      last = done.length;
      since = performance.now();
    } else if ((performance.now() - since) / 1000 > waitSeconds) {
      throw new MixlabError("COMPARE_SEARCH_INCOMPLETE", `${what}: ${total - done.length} of ${total} search task${total === 1 ? "" : "s"} missing and none finished in ${waitSeconds} s; re-run \`mixlab run\` to run them, then this task`);
    }
    await sleep(1000);
  }
}

/** The search behind an arm, from the results directory (waiting for it when needed). */
async function armSearch(config: CompareConfig, method: CompareMethod, experimentSeed: number, dir: string, log: (m: string) => void): Promise<ArmSearch> {
  const corpus = openCorpus(config.corpus);
  if (method === "uniform" || method === "prior") return fixedArmSearch(corpus, method);
  if (method === "regmix") {
    const runs = await waitForRuns(dir, (p) => p.stage === "search" && p.method === "regmix-proxy", "RegMix's proxies", config.waitSeconds, log);
    const t0 = performance.now();
    const choice = chooseRegmixWeights(corpus, config.regmix, runs.map((r) => r.result as unknown as RegmixProxyRun), compareSeeds(experimentSeed).regmixSimulate);
    const seconds = runs.reduce((a, r) => a + r.meta.seconds, 0) + (performance.now() - t0) / 1000;
    return regmixArmSearch(choice, seconds);
  }
  if (method === "chameleon" || method === "chameleon-official") {
    const [run] = await waitForRuns(dir, (p) => p.stage === "search" && p.method === "chameleon", "Chameleon's search", config.waitSeconds, log);
    return chameleonArmSearch(run.result as unknown as ChameleonChoice, method, run.meta.seconds);
  }
  const [run] = await waitForRuns(dir, (p) => p.stage === "search" && p.method === "mergemix", "MergeMix's search", config.waitSeconds, log);
  return mergemixArmSearch(run.result as unknown as MergeMixChoice, run.meta.seconds);
}

/** The finished arms among the runs, in table order. */
function finishedArms(runs: readonly Run[]): ComparisonArm[] {
  return runs.filter((r) => r.params.stage === "final").map((r) => r.result as unknown as ComparisonArm);
}

/**
 * The arms of a finished (or partial) compare results directory, as plain data.
 *
 * @example
 * const { config, arms, domains } = loadComparisonResults("results/compare-quick");
 * toMarkdown(comparisonView(arms, domains));
 */
export function loadComparisonResults(dir: string): { config: CompareConfig; seed: number; domains: string[]; arms: ComparisonArm[]; planned: number } {
  const store = openStore(dir);
  if (store.manifest.kind !== "compare") throw new MixlabError("RESULTS_WRONG_KIND", `${dir} holds a "${store.manifest.kind}" experiment, not compare`);
  const envelope = new Set(["kind", "version", "name", "profile", "seed", "description"]);
  const config = compareSchema.parse(Object.fromEntries(Object.entries(store.manifest.config).filter(([k]) => !envelope.has(k))));
  const runs = scanRuns(store).done as unknown as Run[];
  const planned = store.tasks.filter((t) => (t.params as CompareParams).stage === "final").length;
  return { config, seed: store.manifest.resolvedSeed, domains: [...openCorpus(config.corpus).domains], arms: finishedArms(runs), planned };
}

export const compare = defineKind<CompareConfig, CompareParams, Json>({
  name: "compare",
  summary: "all methods side by side: uniform, token prior, RegMix, Chameleon, MergeMix weights → equal-budget final models → one table of loss, suite scores and search cost",
  schema: compareSchema as unknown as z.ZodType<CompareConfig>,
  plan(config, ctx) {
    const corpus = openCorpus(config.corpus);
    const methods = orderedMethods(config.methods);
    const experimentSeed = ctx.seed;
    const params: CompareParams[] = [];
    // longest searches first: on the local pool they start first and are done before the finals need them
    if (methods.includes("mergemix")) params.push({ stage: "search", method: "mergemix", experimentSeed });
    if (methods.includes("chameleon") || methods.includes("chameleon-official")) params.push({ stage: "search", method: "chameleon", experimentSeed });
    if (methods.includes("regmix")) {
      regmixProxyMixtures(corpus, config.regmix, compareSeeds(experimentSeed).regmixMixtures).forEach((m, proxy) => {
        params.push({ stage: "search", method: "regmix-proxy", proxy, mixture: m.toRecord(), experimentSeed });
      });
    }
    // finals whose searches finish earliest first
    const finalOrder: CompareMethod[] = ["uniform", "prior", "chameleon", "chameleon-official", "regmix", "mergemix"];
    for (const m of finalOrder) if (methods.includes(m)) params.push({ stage: "final", method: m, experimentSeed });
    return params;
  },
  async runTask(config, task, ctx) {
    const p = task.params;
    const corpus = openCorpus(config.corpus);
    const seeds = compareSeeds(p.experimentSeed);
    if (p.stage === "search") {
      const t0 = performance.now();
      if (p.method === "regmix-proxy") return toJson(await trainRegmixProxy(corpus, config.regmix, p.mixture, regmixProxySeed(p.experimentSeed, p.proxy)));
      if (p.method === "chameleon") return toJson(await chameleonSearch(corpus, config.chameleon, seeds.chameleon));
      const r = await mergemixSearch(corpus, config.mergemix, seeds.mergemix, ctx.log);
      ctx.log(`mergemix search done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      return toJson(r);
    }
    const search = await armSearch(config, p.method, p.experimentSeed, ctx.resultsDir, ctx.log);
    const final = await trainFinalModel(corpus, config, compareSuite(corpus, config.suite), search.mixture, seeds.final);
    ctx.log(`${p.method}: average loss ${final.average.toFixed(3)}, utility ${final.suite.utility.toFixed(3)}`);
    return toJson(completeArm(search, final));
  },
  report(config, runs, ctx) {
    const domains = [...openCorpus(config.corpus).domains];
    const arms = finishedArms(runs);
    const planned = orderedMethods(config.methods).length;
    const searches = runs.filter((r) => r.params.stage === "search").length;
    const plannedSearches = ctx.total - planned;
    const figure = (name: string, fig: Parameters<typeof savePlot>[0], alt: string) => {
      const saved = savePlot(fig, join(ctx.outDir, "figures", name), { png: ctx.png });
      return saved.png ? `![${alt}](figures/${name}.png)` : `Figure: [${alt}](figures/${name}.html)`;
    };
    const md = [
      comparisonMarkdown(config, arms, domains, { figure: arms.length ? figure : undefined, planned }),
      "",
      `Search tasks finished: ${searches} of ${plannedSearches}. Tables: \`comparison.csv\` (one row per method), \`weights.csv\`, \`search_cost.csv\`.`,
    ];
    const tables: Record<string, string> = {};
    if (arms.length) {
      tables["comparison.csv"] = tableToCsv(comparisonTable(arms, domains));
      tables["weights.csv"] = tableToCsv(weightsTable(arms, domains));
      tables["search_cost.csv"] = tableToCsv(costItemsTable(arms));
    }
    return { markdown: md.join("\n"), tables };
  },
  describeInputs(config) {
    return { corpus: describeCorpus(config.corpus) };
  },
});
