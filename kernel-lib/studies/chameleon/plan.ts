/**
 * The Chameleon study's tasks (see config.ts for the stages), in the order they should run, and
 * their dependencies. Plan order is the order the local pool hands tasks out: the searches first
 * (the final models wait for them), then the proxies of the transfer and the regime stages and
 * the finetuning repeats, then the final models seed repeat by seed repeat — so a study run in
 * pieces completes whole paired seeds (every arm of seed k) before starting seed k + 1.
 *
 * Seeds (all from the experiment seed): the comparison's (`compareSeeds`, `finalSeed`), so the
 * pretraining stage's first repeat is exactly the `compare` experiment with the same seed; the
 * transfer proxy uses Chameleon's search seed, so its windows are the search's windows and only
 * the proxy differs; its final models use the comparison's final seed of their repeat, so the
 * pretraining stage's Chameleon and uniform finals of that repeat are the transfer claim's
 * "retrained" and "uniform" arms, trained once.
 */
import { compareDependencies, compareTasks } from "../../compare/plan.js";
import type { Corpus } from "../../data/corpus.js";
import { MixlabError } from "../../util/errors.js";
import { deriveSeed } from "../../util/rng.js";
import { studyCompareConfig, type ChameleonStudyConfig, type ChameleonStudyTask } from "./config.js";

const NAMESPACE = "chameleon-study";

/** The study's own seeds (the comparison's come from `compareSeeds` / `finalSeed`). */
export function studySeeds(seed: number) {
  return {
    /** regime repeat k: the proxy's init and batch stream, shared by every proxy of the list (paired across sizes) */
    regimeProxy: (repeat: number) => deriveSeed(seed, `${NAMESPACE}/regime/proxy/${repeat}`),
    /** regime repeat k: the embedding windows, shared by every proxy of the list */
    regimeWindows: (repeat: number) => deriveSeed(seed, `${NAMESPACE}/regime/windows/${repeat}`),
    /** finetuning repeat k: base model, windows and finetunes (`experimentSeeds` derives them) */
    finetune: (repeat: number) => deriveSeed(seed, `${NAMESPACE}/finetune/${repeat}`),
  };
}

/**
 * The domains of the transfer and finetuning stages, checked against the corpus.
 * Errors: `CONFIG_INVALID` naming the config path.
 *
 * @example
 * studyDomains(config, corpus).heldOut; // ["legal", …]
 */
export function studyDomains(config: ChameleonStudyConfig, corpus: Pick<Corpus, "domains">): { all: string[]; heldOut: string[]; base: string[]; finetune: string[]; finetunePretrain: string[] } {
  const all = [...corpus.domains];
  const known = (path: string, ds: readonly string[]) => {
    for (const d of ds) if (!all.includes(d)) throw new MixlabError("CONFIG_INVALID", `${path}: "${d}" is not a domain of corpus "${config.corpus}" (${all.join(", ")})`);
  };
  known("transfer.heldOut", config.transfer.heldOut);
  const base = all.filter((d) => !config.transfer.heldOut.includes(d));
  if (base.length < 2) throw new MixlabError("CONFIG_INVALID", `transfer.heldOut leaves ${base.length} base domain(s); Chameleon needs at least 2`);
  const f = config.finetune;
  known("finetune.finetuneDomains", f.finetuneDomains);
  if (f.pretrainDomains) known("finetune.pretrainDomains", f.pretrainDomains);
  const finetunePretrain = f.pretrainDomains ? [...f.pretrainDomains] : all.filter((d) => !f.finetuneDomains.includes(d));
  if (finetunePretrain.length === 0) throw new MixlabError("CONFIG_INVALID", "finetune: no domain left to pretrain the base on");
  return { all, heldOut: [...config.transfer.heldOut], base, finetune: [...f.finetuneDomains], finetunePretrain };
}

/**
 * The planned tasks, in run order.
 *
 * @example
 * studyTasks(config, corpus, 15).filter((t) => t.stage === "regime").length; // proxies × regime.seeds
 */
export function studyTasks(config: ChameleonStudyConfig, corpus: Corpus, seed: number): ChameleonStudyTask[] {
  studyDomains(config, corpus); // unknown domains fail before any work
  const inner = compareTasks(studyCompareConfig(config), corpus, seed, { repeats: config.seeds });
  const wrap = (compare: (typeof inner)[number]): ChameleonStudyTask => ({ stage: "pretrain", compare, experimentSeed: seed });
  const tasks: ChameleonStudyTask[] = inner.filter((t) => t.stage === "search").map(wrap);
  tasks.push({ stage: "transfer-weights", experimentSeed: seed });
  for (let repeat = 0; repeat < config.regime.seeds; repeat++) {
    for (const p of config.regime.proxies) tasks.push({ stage: "regime", proxy: p.name, repeat, experimentSeed: seed });
  }
  for (let repeat = 0; repeat < config.finetune.repeats; repeat++) tasks.push({ stage: "finetune", repeat, experimentSeed: seed });
  for (let repeat = 0; repeat < config.seeds; repeat++) {
    for (const t of inner) if (t.stage === "final" && t.repeat === repeat) tasks.push(wrap(t));
    tasks.push({ stage: "transfer-final", repeat, experimentSeed: seed });
  }
  return tasks;
}

/**
 * For each task, the tasks it waits for: a comparison final waits for its method's searches
 * (`compareDependencies`, indices mapped into the study's plan), a transfer final for the
 * transfer weights; everything else for nothing.
 *
 * @example
 * const after = studyDependencies(tasks);
 */
export function studyDependencies(tasks: readonly ChameleonStudyTask[]): number[][] {
  const pretrain = tasks.flatMap((t, i) => (t.stage === "pretrain" ? [{ i, compare: t.compare }] : []));
  const inner = compareDependencies(pretrain.map((p) => p.compare));
  const at = new Map(pretrain.map((p, k) => [p.i, inner[k].map((j) => pretrain[j].i)]));
  const weights = tasks.findIndex((t) => t.stage === "transfer-weights");
  return tasks.map((t, i) => (t.stage === "pretrain" ? at.get(i)! : t.stage === "transfer-final" ? [weights] : []));
}
