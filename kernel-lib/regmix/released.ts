/**
 * The RegMix repository's released 1M-proxy runs (datasets/reference/regmix, MIT, see its
 * SOURCE.md): 512 train and 256 test runs over 17 Pile domains with 13 loss targets, and the
 * notebook's simulation (prior and printed top-128 mixture for the pile_cc target). Read in the
 * same schema as our own sweeps, so the notebook and tests treat both alike.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Mixture } from "../data/mixture.js";
import { projectRoot } from "../util/paths.js";
import { readRegmixTables, type RegmixTable } from "./sweep.js";

/** The released runs' domain prefix in column names (`train_the_pile_arxiv`). */
export const RELEASED_DOMAIN_PREFIX = "the_pile_";

/** The notebook's simulation facts (datasets/reference/regmix/simulation_top128.json). */
export interface ReleasedSimulation {
  source: string;
  target: string;
  numCandidates: number;
  topK: number;
  domains: string[];
  prior: number[];
  top128Mean: number[];
}

/** The released runs, read back. */
export interface ReleasedRegmixRuns {
  train: RegmixTable;
  test: RegmixTable;
  simulation: ReleasedSimulation;
  /** Spearman×100 the notebook printed per target (LightGBM, test rows) */
  notebookSpearman: Record<string, number>;
  /** the notebook's Dirichlet centre over `train.domains` */
  prior: Mixture;
}

/**
 * Directory of the released data inside the project.
 *
 * @example
 * releasedDir(); // "<root>/datasets/reference/regmix"
 */
export function releasedDir(): string {
  return join(projectRoot(), "datasets", "reference", "regmix");
}

/**
 * Load the released RegMix 1M runs (train/test tables with the `the_pile_` prefix stripped).
 *
 * @example
 * const rel = loadReleasedRegmixRuns();
 * rel.train.X.length / rel.train.domains.length; // 512
 * rel.train.losses.pile_cc;                       // 512 losses
 */
export function loadReleasedRegmixRuns(dir: string = releasedDir()): ReleasedRegmixRuns {
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  const opts = { domainPrefix: RELEASED_DOMAIN_PREFIX };
  const train = readRegmixTables(read("train_mixture_1m.csv"), read("train_pile_loss_1m.csv"), { ...opts, source: "train_*_1m.csv" });
  const test = readRegmixTables(read("test_mixture_1m.csv"), read("test_pile_loss_1m.csv"), { ...opts, source: "test_*_1m.csv" });
  const simulation = JSON.parse(read("simulation_top128.json")) as ReleasedSimulation;
  const spearman = JSON.parse(read("reference_spearman.json")) as { head_1m: { spearman_x100: Record<string, number> } };
  const byName = Object.fromEntries(simulation.domains.map((d, i) => [d, simulation.prior[i]]));
  return {
    train,
    test,
    simulation,
    notebookSpearman: spearman.head_1m.spearman_x100,
    prior: Mixture.normalised(train.domains, train.domains.map((d) => byName[d])),
  };
}
