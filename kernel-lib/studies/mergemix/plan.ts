/**
 * The MergeMix study's tasks (see config.ts for the stages), in the order they should run, and
 * their dependencies. Plan order is the order the local pool hands tasks out: the base, the
 * experts, the searches and the merged grids (short, and the finals wait for the searches), the
 * trained grid, then the final models seed repeat by seed repeat (proxy scale, then the larger
 * scale) — so a study run in pieces completes whole paired seeds before starting the next.
 *
 * Seeds (all from the experiment seed, `studySeeds`): the base; the experts of each kind
 * (`trainExperts` derives one per expert); the grid's Dirichlet draws; trained grid model i;
 * each kind's search; the finals of repeat k, shared by every arm (paired), and the scale
 * finals of repeat k likewise.
 */
import type { Corpus } from "../../data/corpus.js";
import { MixlabError } from "../../util/errors.js";
import { createRng, deriveSeed } from "../../util/rng.js";
import { resolveGroups } from "../../mergemix/groups.js";
import { BASELINE_ARMS, EXPERT_KINDS, mergemixArm, SCALE_BASELINES, type ExpertKind, type FinalArm, type GridFamily, type MergeMixStudyConfig, type MergeMixStudyTask } from "./config.js";

const NAMESPACE = "mergemix-study";

/**
 * The study's seeds.
 *
 * @example
 * studySeeds(16).final(0); // the seed of every arm's first final model
 */
export function studySeeds(seed: number) {
  return {
    base: deriveSeed(seed, `${NAMESPACE}/base`),
    /** the experts of one kind (`trainExperts` derives each expert's from it and the expert's name) */
    experts: (kind: ExpertKind) => deriveSeed(seed, `${NAMESPACE}/experts/${kind}`),
    /** the grid's multi-domain Dirichlet draws */
    grid: deriveSeed(seed, `${NAMESPACE}/grid`),
    /** trained grid model i (init copy of the base; the batch stream) */
    trained: (mixture: number) => deriveSeed(seed, `${NAMESPACE}/trained/${mixture}`),
    /** one kind's search (`searchMergeWeights` derives the seed α and the simplex search from it) */
    search: (kind: ExpertKind) => deriveSeed(seed, `${NAMESPACE}/search/${kind}`),
    /** final models of seed repeat k at the proxy scale, shared by every arm */
    final: (repeat: number) => deriveSeed(seed, `${NAMESPACE}/final/${repeat}`),
    /** final models of seed repeat k at the larger scale, shared by every arm */
    scale: (repeat: number) => deriveSeed(seed, `${NAMESPACE}/scale/${repeat}`),
  };
}

/**
 * The experts of one kind: group name → domains. Per domain: every corpus domain its own group
 * (so α is the data mixture itself); per group: `config.groups`, which must partition the
 * corpus's domains. Errors: `CONFIG_INVALID` naming the config path.
 *
 * @example
 * Object.keys(studyGroups(config, corpus, "group")); // ["code", "math", "prose", "reference"]
 */
export function studyGroups(config: Pick<MergeMixStudyConfig, "groups" | "corpus">, corpus: Pick<Corpus, "domains">, kind: ExpertKind): Record<string, string[]> {
  if (kind === "domain") return Object.fromEntries(corpus.domains.map((d) => [d, [d]]));
  let groups: Record<string, string[]>;
  try {
    groups = resolveGroups(corpus.domains, config.groups, true);
  } catch (e) {
    throw new MixlabError("CONFIG_INVALID", `groups: ${(e as Error).message} (corpus "${config.corpus}": ${corpus.domains.join(", ")})`);
  }
  const covered = new Set(Object.values(groups).flat());
  const left = corpus.domains.filter((d) => !covered.has(d));
  if (left.length) throw new MixlabError("CONFIG_INVALID", `groups: ${left.join(", ")} of corpus "${config.corpus}" ${left.length === 1 ? "is" : "are"} in no group (the groups must partition the domains, as the per-domain experts do)`);
  return groups;
}

/** One mixture of the grid: α over the groups (config order). */
export type GridMixture = { family: GridFamily; label: string; alpha: number[] };

/**
 * The rank-consistency grid: the two-domain α on one pair of groups, then the Dirichlet draws
 * over every group (deterministic in the seed).
 *
 * @example
 * studyGrid(config, Object.keys(groups), 16).length; // twoDomain.alphas + multiDomain.mixtures
 */
export function studyGrid(config: Pick<MergeMixStudyConfig, "grid">, groupNames: readonly string[], seed: number): GridMixture[] {
  const k = groupNames.length;
  const [ga, gb] = config.grid.twoDomain.groups;
  const ia = groupNames.indexOf(ga), ib = groupNames.indexOf(gb);
  if (ia < 0 || ib < 0) throw new MixlabError("CONFIG_INVALID", `grid.twoDomain.groups: "${ia < 0 ? ga : gb}" is not a group (${groupNames.join(", ")})`);
  const out: GridMixture[] = config.grid.twoDomain.alphas.map((x) => {
    const alpha = new Array<number>(k).fill(0);
    alpha[ia] = x;
    alpha[ib] = 1 - x;
    return { family: "two", label: `${ga} ${x.toFixed(2)} / ${gb} ${(1 - x).toFixed(2)}`, alpha };
  });
  const rng = createRng(studySeeds(seed).grid);
  const conc = new Float64Array(k).fill(config.grid.multiDomain.concentration);
  for (let i = 0; i < config.grid.multiDomain.mixtures; i++) {
    out.push({ family: "multi", label: `dirichlet ${i + 1}`, alpha: Array.from(rng.dirichlet(conc)) });
  }
  return out;
}

/** The arms of the proxy-scale finals and of the scale finals, in table order. */
export function studyArms(config: Pick<MergeMixStudyConfig, "search">): { finals: FinalArm[]; scale: FinalArm[] } {
  const mm = EXPERT_KINDS.filter((k) => config.search.experts.includes(k)).map(mergemixArm);
  return { finals: [...mm, ...BASELINE_ARMS], scale: [...mm, ...SCALE_BASELINES] };
}

/**
 * The planned tasks, in run order.
 *
 * @example
 * studyTasks(config, corpus, 16).filter((t) => t.stage === "trained").length; // the grid's size
 */
export function studyTasks(config: MergeMixStudyConfig, corpus: Corpus, seed: number): MergeMixStudyTask[] {
  const groups = studyGroups(config, corpus, "group");
  const s = { experimentSeed: seed };
  const tasks: MergeMixStudyTask[] = [{ stage: "base", ...s }];
  for (const kind of EXPERT_KINDS) for (const expert of Object.keys(studyGroups(config, corpus, kind))) tasks.push({ stage: "expert", kind, expert, ...s });
  for (const kind of EXPERT_KINDS) if (config.search.experts.includes(kind)) tasks.push({ stage: "search", kind, ...s });
  for (const kind of EXPERT_KINDS) tasks.push({ stage: "merged", kind, ...s });
  studyGrid(config, Object.keys(groups), seed).forEach((m, mixture) => tasks.push({ stage: "trained", mixture, family: m.family, label: m.label, alpha: m.alpha, ...s }));
  const arms = studyArms(config);
  for (let repeat = 0; repeat < Math.max(config.finals.seeds, config.scale.seeds); repeat++) {
    if (repeat < config.finals.seeds) for (const arm of arms.finals) tasks.push({ stage: "final", arm, repeat, ...s });
    if (repeat < config.scale.seeds) for (const arm of arms.scale) tasks.push({ stage: "scale", arm, repeat, ...s });
  }
  return tasks;
}

/**
 * For each task, the tasks it waits for: an expert and a trained grid model wait for the base; a
 * merged grid and a search for the base and their kind's experts; a MergeMix final for its
 * kind's search; the best trained mixture's final for the whole trained grid; uniform and prior
 * for nothing.
 *
 * @example
 * const after = studyDependencies(tasks);
 */
export function studyDependencies(tasks: readonly MergeMixStudyTask[]): number[][] {
  const where = (f: (t: MergeMixStudyTask) => boolean) => tasks.flatMap((t, i) => (f(t) ? [i] : []));
  const base = where((t) => t.stage === "base");
  const experts = (kind: ExpertKind) => where((t) => t.stage === "expert" && t.kind === kind);
  const search = (kind: ExpertKind) => where((t) => t.stage === "search" && t.kind === kind);
  const trained = where((t) => t.stage === "trained");
  return tasks.map((t) => {
    switch (t.stage) {
      case "base": return [];
      case "expert": case "trained": return base;
      case "merged": case "search": return [...base, ...experts(t.kind)];
      case "final": case "scale": {
        if (t.arm === "best-trained") return trained;
        const kind = EXPERT_KINDS.find((k) => mergemixArm(k) === t.arm);
        return kind ? search(kind) : [];
      }
    }
  });
}
