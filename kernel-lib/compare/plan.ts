/**
 * The comparison as a plan of tasks with dependencies — what the `compare` experiment kind runs
 * (inline in a notebook with `workers: 0`, on the local pool, or as Slurm arrays):
 *
 *   search tasks   MergeMix's search (one task: base → experts → merges → α*), Chameleon's search
 *                  (one task: proxy → embeddings → both PT weight vectors), one task per RegMix
 *                  proxy (the sweep is embarrassingly parallel), DoReMi's search (one task:
 *                  reference → Group-DRO proxy), DoGE's search (one task: its proxy)
 *   final tasks    one per arm, after its search tasks: the arm's mixture (RegMix fits and
 *                  simulates here, from its proxies' results), then the shared final recipe
 *
 * Seeds come from the experiment seed through `compareSeeds`, so the plan does not depend on
 * task order or executor.
 */
import type { Corpus } from "../data/corpus.js";
import { tokenPrior } from "../data/prior.js";
import { proposeRegmixMixtures } from "../regmix/mixtures.js";
import { trainRegmixProxy, type RegmixProxyRun } from "../regmix/proxies.js";
import { runDoge, type DogeChoice } from "../doge/run.js";
import { runDoremi, type DoremiChoice } from "../doremi/run.js";
import { chameleonArmSearch, completeArm, dogeArmSearch, doremiArmSearch, fixedArmSearch, mergemixArmSearch, regmixArmSearch, type ArmSearch } from "./arms.js";
import { chameleonSearch, type ChameleonChoice } from "./chameleon.js";
import { compareSeeds, finalSeed, methodLabel, orderedMethods, REGMIX_MEAN_TARGET, searchSpec, type CompareConfig, type CompareMethod } from "./config.js";
import { compareSuite, trainFinalModel } from "./final.js";
import { mergemixSearch, type MergeMixChoice } from "./mergemix.js";
import { chooseRegmixWeights } from "./regmix.js";
import { onlineArm, stratifiedArmSearch } from "./online.js";
import type { ComparisonArm } from "./table.js";
import { MixlabError } from "../util/errors.js";

/** A task of the plan: a search, or an arm's final model. Every task carries the experiment seed. */
export type CompareTask =
  | { stage: "search"; method: "mergemix"; experimentSeed: number }
  | { stage: "search"; method: "chameleon"; experimentSeed: number }
  | { stage: "search"; method: "doremi"; experimentSeed: number }
  | { stage: "search"; method: "doge"; experimentSeed: number }
  | { stage: "search"; method: "regmix-proxy"; proxy: number; mixture: Record<string, number>; experimentSeed: number }
  | { stage: "final"; method: CompareMethod; experimentSeed: number; /** seed repeat (absent: 0, the comparison's own final seed) */ repeat?: number };

/** A finished search task, as a final task receives it. */
export type FinishedSearch = { task: CompareTask; result: RegmixProxyRun | ChameleonChoice | MergeMixChoice | DoremiChoice | DogeChoice; seconds: number };

/** The search a final arm waits for. */
function searchOf(method: CompareMethod, config?: Pick<CompareConfig, "aioliRestricted">): CompareTask["method"] | null {
  if (method === "aioli-restricted") return config?.aioliRestricted ? searchOf(config.aioliRestricted.prior) : null;
  if (method === "regmix" || method === "regmix-mean") return "regmix-proxy";
  if (method === "chameleon" || method === "chameleon-official") return "chameleon";
  if (method === "mergemix") return "mergemix";
  if (method === "doremi") return "doremi";
  if (method === "doge") return "doge";
  return null;
}

/**
 * The tasks of a comparison, longest searches first (on the local pool they start first).
 * `repeats`: train every arm's final model with that many seeds (`finalSeed`), repeat by repeat,
 * each final task carrying its `repeat`; absent, one final per arm without the field (the
 * plan of a `compare` experiment).
 *
 * @example
 * const tasks = compareTasks(config, corpus, 42);
 * compareTasks(config, corpus, 42, { repeats: 3 }).filter((t) => t.stage === "final").length; // 3 × arms
 */
export function compareTasks(config: CompareConfig, corpus: Corpus, experimentSeed: number, opts: { repeats?: number } = {}): CompareTask[] {
  const methods = orderedMethods(config.methods);
  const tasks: CompareTask[] = [];
  // the searches: the listed methods', and that of the method restricted Aioli starts from
  const searched = (m: CompareMethod) => methods.includes(m) || (methods.includes("aioli-restricted") && config.aioliRestricted?.prior === m);
  if (searched("mergemix")) tasks.push({ stage: "search", method: "mergemix", experimentSeed });
  if (searched("doremi")) tasks.push({ stage: "search", method: "doremi", experimentSeed });
  if (searched("doge")) tasks.push({ stage: "search", method: "doge", experimentSeed });
  if (searched("chameleon") || searched("chameleon-official")) tasks.push({ stage: "search", method: "chameleon", experimentSeed });
  if (searched("regmix") || searched("regmix-mean")) {
    proposeRegmixMixtures(tokenPrior(corpus), searchSpec(config, "regmix").proxies, compareSeeds(experimentSeed).regmix.mixtures).forEach((m, proxy) => {
      tasks.push({ stage: "search", method: "regmix-proxy", proxy, mixture: m.toRecord(), experimentSeed });
    });
  }
  // finals whose searches finish earliest first
  const finalOrder: CompareMethod[] = ["stratified", "uniform", "prior", "chameleon", "chameleon-official", "doge", "doremi", "regmix", "regmix-mean", "mergemix", "ado", "aioli", "aioli-restricted"];
  if (opts.repeats === undefined) {
    for (const m of finalOrder) if (methods.includes(m)) tasks.push({ stage: "final", method: m, experimentSeed });
    return tasks;
  }
  if (!Number.isInteger(opts.repeats) || opts.repeats < 1) throw new MixlabError("COMPARE_BAD_CONFIG", `repeats must be an integer ≥ 1, got ${opts.repeats}`);
  // repeat by repeat, so a plan run in pieces completes whole seeds (every arm) first
  for (let repeat = 0; repeat < opts.repeats; repeat++) {
    for (const m of finalOrder) if (methods.includes(m)) tasks.push({ stage: "final", method: m, experimentSeed, repeat });
  }
  return tasks;
}

/**
 * The finished searches an arm's weights come from, in plan order (RegMix's proxies by number;
 * none for the free baselines) — what `armSearch` needs to re-derive the arm from a store.
 *
 * @example
 * armSearch(config, corpus, "regmix", seed, searchesOf("regmix", stored)).mixture;
 */
export function searchesOf(method: CompareMethod, searches: readonly FinishedSearch[], config?: Pick<CompareConfig, "aioliRestricted">): FinishedSearch[] {
  const s = searchOf(method, config);
  const proxy = (x: FinishedSearch) => (x.task.stage === "search" && x.task.method === "regmix-proxy" ? x.task.proxy : 0);
  return s === null ? [] : searches.filter((x) => x.task.stage === "search" && x.task.method === s).sort((a, b) => proxy(a) - proxy(b));
}

/**
 * For each task, the indices of the tasks it waits for: a final arm waits for its searches
 * (RegMix's for every proxy), a search for nothing.
 *
 * @example
 * const after = compareDependencies(tasks);
 * after[tasks.findIndex((t) => t.stage === "final" && t.method === "regmix")]; // every proxy's index
 */
export function compareDependencies(tasks: readonly CompareTask[], config?: Pick<CompareConfig, "aioliRestricted">): number[][] {
  return tasks.map((t) => {
    if (t.stage === "search") return [];
    const s = searchOf(t.method, config);
    return tasks.flatMap((u, i) => (u.stage === "search" && u.method === s ? [i] : []));
  });
}

/**
 * Run one search task.
 *
 * @example
 * const r = await runSearchTask(config, corpus, tasks[0], console.log);
 */
export async function runSearchTask(config: CompareConfig, corpus: Corpus, task: Extract<CompareTask, { stage: "search" }>, log: (line: string) => void): Promise<FinishedSearch["result"]> {
  const seeds = compareSeeds(task.experimentSeed);
  if (task.method === "regmix-proxy") {
    const spec = searchSpec(config, "regmix");
    return trainRegmixProxy(corpus, spec.proxy, task.mixture, seeds.regmix.proxy(), { windowsPerDomain: spec.windowsPerDomain });
  }
  if (task.method === "chameleon") return chameleonSearch(corpus, searchSpec(config, "chameleon"), seeds.chameleon);
  if (task.method === "doremi") return runDoremi(corpus, searchSpec(config, "doremi"), seeds.doremi);
  if (task.method === "doge") return runDoge(corpus, searchSpec(config, "doge"), seeds.doge);
  return mergemixSearch(corpus, searchSpec(config, "mergemix"), seeds.mergemix, log);
}

/**
 * An arm's weights from its finished searches (RegMix: fit, simulate and choose on its proxies,
 * in plan order).
 *
 * @example
 * const search = armSearch(config, corpus, "regmix", 42, finishedProxies);
 */
export function armSearch(config: CompareConfig, corpus: Corpus, method: CompareMethod, experimentSeed: number, searches: readonly FinishedSearch[]): ArmSearch {
  if (method === "uniform" || method === "prior") return fixedArmSearch(corpus, method);
  if (method === "stratified") return stratifiedArmSearch(corpus, config);
  if (method === "aioli" || method === "aioli-restricted" || method === "ado") throw new MixlabError("COMPARE_BAD_CONFIG", `${method} is an online arm: its mixture comes from its final run (onlineArm)`);
  if (method === "regmix" || method === "regmix-mean") {
    const t0 = performance.now();
    const runs = searches.map((s) => s.result as RegmixProxyRun);
    const spec = searchSpec(config, "regmix");
    // one sweep, two fits: the "regmix-mean" arm regresses the mean over domains instead of regmix.target
    const choice = chooseRegmixWeights(corpus, method === "regmix" ? spec : { ...spec, target: REGMIX_MEAN_TARGET }, runs, compareSeeds(experimentSeed).regmix.simulate);
    return regmixArmSearch(choice, searches.reduce((a, s) => a + s.seconds, 0) + (performance.now() - t0) / 1000, { method, label: methodLabel(config, method, choice.target) });
  }
  const [s] = searches;
  if (method === "chameleon" || method === "chameleon-official") return chameleonArmSearch(s.result as ChameleonChoice, method, s.seconds);
  if (method === "doremi") return doremiArmSearch(s.result as DoremiChoice, s.seconds);
  if (method === "doge") return dogeArmSearch(s.result as DogeChoice, s.seconds);
  return mergemixArmSearch(s.result as MergeMixChoice, s.seconds);
}

/**
 * Run one final task: the arm's weights from its searches, then the shared final recipe.
 *
 * @example
 * const arm = await runFinalTask(config, corpus, task, finishedSearches);
 * arm.final.average;
 */
export async function runFinalTask(config: CompareConfig, corpus: Corpus, task: Extract<CompareTask, { stage: "final" }>, searches: readonly FinishedSearch[]): Promise<ComparisonArm> {
  const m = task.method;
  if (m === "aioli" || m === "ado") return onlineArm(config, corpus, m, task.experimentSeed, task.repeat ?? 0);
  if (m === "aioli-restricted") {
    const prior = armSearch(config, corpus, config.aioliRestricted!.prior, task.experimentSeed, searches);
    return onlineArm(config, corpus, m, task.experimentSeed, task.repeat ?? 0, prior.mixture);
  }
  const search = armSearch(config, corpus, task.method, task.experimentSeed, searches);
  const final = await trainFinalModel(corpus, config, compareSuite(corpus, config.suite), search.mixture, finalSeed(task.experimentSeed, task.repeat ?? 0));
  return completeArm(search, final);
}
