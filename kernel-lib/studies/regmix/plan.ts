/**
 * The RegMix study's tasks (see config.ts for the stages), their dependencies and how one runs.
 * Plan order is the order the local pool hands tasks out, so the cheap stages that decide most
 * claims (the sweep, the seed repeats, the N/4 × 4T proxies) finish first when a study runs in
 * pieces; the final models come last.
 *
 * Seeds: the whole sweep shares one proxy seed (repeat 0), as the RegMix repository; a scale
 * shares one seed across its mixtures; the final models of repeat k share one seed across arms,
 * so each comparison is paired (same init and batch stream, only the mixture differs).
 */
import type { Corpus } from "../../data/corpus.js";
import { Mixture } from "../../data/mixture.js";
import { tokenPrior } from "../../data/prior.js";
import type { TrainRecipe } from "../../train/recipe.js";
import { deriveSeed } from "../../util/rng.js";
import { MixlabError } from "../../util/errors.js";
import { chooseRegmixMixture, chooseTarget } from "../../regmix/choose.js";
import { regmixSeeds, type RegmixSearchSpec } from "../../regmix/config.js";
import { proposeRegmixMixtures } from "../../regmix/mixtures.js";
import { trainRegmixProxy, type RegmixProxyRun } from "../../regmix/proxies.js";
import type { SweepRow } from "../../regmix/sweep.js";
import { STUDY_ARMS, type RegmixStudyConfig, type StudyTask } from "./config.js";

const NAMESPACE = "regmix-study";

/** The study's seeds under one experiment seed. */
export function studySeeds(seed: number) {
  const regmix = regmixSeeds(seed, NAMESPACE);
  return {
    /** the sweep's mixtures, the proxies' shared seed (repeat 0) and its repeats, the simulation */
    regmix,
    /** one seed per larger scale, shared by its mixtures */
    scale: (name: string) => deriveSeed(seed, `${NAMESPACE}/scale/${name}`),
    /** final models of repeat k: one seed shared by all arms */
    final: (repeat: number) => deriveSeed(seed, `${NAMESPACE}/final/${repeat}`),
  };
}

/**
 * The human baseline over `domains`: the written-down weights, normalised (a domain it does not
 * name gets 0; naming a domain outside the study is an error).
 */
export function humanMixture(config: RegmixStudyConfig, domains: readonly string[]): Mixture {
  for (const d of Object.keys(config.finals.human.mixture)) {
    if (!domains.includes(d)) throw new MixlabError("CONFIG_INVALID", `finals.human.mixture: "${d}" is not among the study's domains (${domains.join(", ")})`);
  }
  return Mixture.normalised(domains, domains.map((d) => config.finals.human.mixture[d] ?? 0));
}

/**
 * The planned tasks, in the order they should run.
 *
 * @example
 * studyTasks(config, domains, prior, 42).filter((t) => t.stage === "sweep").length; // fit + heldOut + mixtures × seedRepeats
 */
export function studyTasks(config: RegmixStudyConfig, domains: readonly string[], prior: Mixture, seed: number): StudyTask[] {
  chooseTarget(domains, config.target); // an unknown target fails before any work
  const human = humanMixture(config, domains);
  const { fit, heldOut } = config.sweep;
  const mixtures = proposeRegmixMixtures(prior, fit + heldOut, studySeeds(seed).regmix.mixtures).map((m) => m.toRecord());
  const cross = Array.from({ length: config.crossScale.mixtures }, (_, j) => fit + j);
  const tasks: StudyTask[] = mixtures.map((weights, mixture) => ({ stage: "sweep", mixture, repeat: 0, weights, experimentSeed: seed }));
  for (let repeat = 1; repeat <= config.seedRepeats; repeat++) for (const mixture of cross) tasks.push({ stage: "sweep", mixture, repeat, weights: mixtures[mixture], experimentSeed: seed });
  for (let mixture = 0; mixture < config.tokensPerProxy.proxies; mixture++) tasks.push({ stage: "tokens", mixture, weights: mixtures[mixture], experimentSeed: seed });
  for (const s of config.crossScale.scales) for (const mixture of cross) tasks.push({ stage: "scale", scale: s.name, mixture, weights: mixtures[mixture], experimentSeed: seed });
  const fixed: Record<Exclude<(typeof STUDY_ARMS)[number], "regmix">, Record<string, number>> = {
    uniform: Mixture.uniform(domains).toRecord(), prior: prior.toRecord(), human: human.toRecord(),
  };
  for (let repeat = 0; repeat < config.finals.seeds; repeat++) {
    for (const arm of STUDY_ARMS) tasks.push({ stage: "final", arm, repeat, weights: arm === "regmix" ? null : fixed[arm], experimentSeed: seed });
  }
  return tasks;
}

/** RegMix's final arm waits for the fitted sweep proxies; every other task is independent. */
export function studyDependencies(config: RegmixStudyConfig, tasks: readonly StudyTask[]): number[][] {
  const fitted = tasks.flatMap((t, i) => (t.stage === "sweep" && t.repeat === 0 && t.mixture < config.sweep.fit ? [i] : []));
  return tasks.map((t) => (t.stage === "final" && t.arm === "regmix" ? fitted : []));
}

/** The search spec of RegMix's choice in the study: fit on every fitted sweep proxy, simulate, top-k. */
export function studySearchSpec(config: RegmixStudyConfig): RegmixSearchSpec {
  return {
    proxies: config.sweep.fit, proxy: config.proxy, windowsPerDomain: config.windowsPerDomain, target: config.target,
    heldOut: 0, earlyStopping: false, gbdt: config.gbdt, simulate: config.simulate,
  };
}

/**
 * RegMix's chosen mixture from the fitted sweep rows (plan order).
 *
 * @example
 * studyChoice(config, prior, rows, 42).chosen.toString();
 */
export function studyChoice(config: RegmixStudyConfig, prior: Mixture, fittedRows: readonly SweepRow[], seed: number) {
  return chooseRegmixMixture(prior, studySearchSpec(config), fittedRows, studySeeds(seed).regmix.simulate, { keepPredictions: false });
}

/** The recipe, seed and validation windows of a task (the final's mixture aside). */
export function taskTraining(config: RegmixStudyConfig, task: StudyTask, seed: number): { recipe: TrainRecipe; seed: number; windowsPerDomain: number } {
  const seeds = studySeeds(seed);
  const scale = (name: string) => {
    const s = config.crossScale.scales.find((x) => x.name === name);
    if (!s) throw new MixlabError("CONFIG_INVALID", `no scale "${name}"`);
    return s;
  };
  switch (task.stage) {
    case "sweep": return { recipe: config.proxy, seed: seeds.regmix.proxy(task.repeat), windowsPerDomain: config.windowsPerDomain };
    case "tokens": return { recipe: { ...config.proxy, steps: config.proxy.steps * config.tokensPerProxy.factor }, seed: seeds.regmix.proxy(0), windowsPerDomain: config.windowsPerDomain };
    case "scale": { const s = scale(task.scale); return { recipe: s.recipe, seed: seeds.scale(s.name), windowsPerDomain: s.windowsPerDomain }; }
    case "final": { const s = scale(config.finals.scale); return { recipe: s.recipe, seed: seeds.final(task.repeat), windowsPerDomain: s.windowsPerDomain }; }
  }
}

/**
 * Run one task: train on its mixture (RegMix's arm: chosen here from the fitted proxies) and
 * score every domain on both halves of the validation windows.
 */
export async function runStudyTask(config: RegmixStudyConfig, corpus: Corpus, domains: readonly string[], task: StudyTask, fittedRows: readonly SweepRow[]): Promise<RegmixProxyRun> {
  const seed = task.experimentSeed;
  const t = taskTraining(config, task, seed);
  let weights = task.weights;
  if (weights === null) {
    if (fittedRows.length !== config.sweep.fit) throw new MixlabError("REGMIX_BAD_OPTION", `RegMix's choice needs the ${config.sweep.fit} fitted proxies, got ${fittedRows.length}`);
    weights = studyChoice(config, tokenPrior(corpus, domains), fittedRows, seed).chosen.toRecord();
  }
  return trainRegmixProxy(corpus, t.recipe, weights, t.seed, { windowsPerDomain: t.windowsPerDomain, domains, halves: true });
}
