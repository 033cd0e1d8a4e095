/**
 * Reading a results directory back as plain data: the kind's config (from the manifest, parsed
 * with the kind's schema, so defaults match the run), the resolved seed, the planned tasks and
 * the verified runs — and, per experiment, the plain results notebooks and reports use
 * (a comparison's arms, a RegMix sweep's rows and its analysis, the two studies' runs by
 * stage). Nothing is retrained.
 */
import type { z } from "zod";
import { compareSchema, sortArms, type CompareConfig, type CompareTask, type ComparisonArm } from "../compare/index.js";
import { describeCorpus, openCorpusRef, sweepDomains } from "../data/corpus-ref.js";
import { tokenPrior } from "../data/prior.js";
import { chooseRegmixMixture, type RegmixAnalysis } from "../regmix/choose.js";
import { regmixExperimentSchema, regmixSeeds, type RegmixExperimentConfig } from "../regmix/config.js";
import type { RegmixProxyRun } from "../regmix/proxies.js";
import type { SweepRow } from "../regmix/sweep.js";
import { regmixStudySchema, type RegmixStudyConfig, type StudyTask } from "../studies/regmix/config.js";
import { studyRuns, type StudyRuns } from "../studies/regmix/runs.js";
import { chameleonStudySchema, type ChameleonStudyTask, type ChameleonStudyConfig } from "../studies/chameleon/config.js";
import { studyRuns as chameleonStudyRuns, type ChameleonStudyRuns } from "../studies/chameleon/runs.js";
import { mergeMixStudySchema, type MergeMixStudyConfig, type MergeMixStudyTask } from "../studies/mergemix/config.js";
import { studyRuns as mergeMixStudyRuns, type MergeMixStudyRuns } from "../studies/mergemix/runs.js";
import type { Mixture } from "../data/mixture.js";
import { MixlabError } from "../util/errors.js";
import { storedAs, type Json } from "./json.js";
import type { RunRecord, Task } from "./kind.js";
import { openStore, scanRuns } from "./store.js";

/** The envelope keys of a stored config (not the kind's fields). */
const ENVELOPE = new Set(["kind", "version", "name", "profile", "seed", "description"]);

export interface StoredResults<C> {
  config: C;
  seed: number;
  tasks: Task[];
  /** verified finished runs, in plan order */
  runs: RunRecord[];
}

/**
 * Open the results of a `kind` experiment (RESULTS_WRONG_KIND for another kind's directory).
 *
 * @example
 * const r = readResults("results/compare-ci", "compare", compareSchema);
 * r.runs.length; r.config.methods;
 */
export function readResults<C>(dir: string, kind: string, schema: z.ZodType<C>): StoredResults<C> {
  const store = openStore(dir);
  if (store.manifest.kind !== kind) throw new MixlabError("RESULTS_WRONG_KIND", `${dir} holds a "${store.manifest.kind}" experiment, not ${kind}`);
  const config = schema.parse(Object.fromEntries(Object.entries(store.manifest.config).filter(([k]) => !ENVELOPE.has(k))));
  const runs = scanRuns(store).done.sort((a, b) => a.index - b.index);
  return { config, seed: store.manifest.resolvedSeed, tasks: store.tasks, runs };
}

/** The arms of a finished (or partial) comparison, in table order, with its config and domains. */
export type ComparisonResults = { config: CompareConfig; seed: number; domains: string[]; arms: ComparisonArm[]; planned: number };

/**
 * Read a compare results directory.
 *
 * @example
 * const { arms, domains } = loadComparisonResults("results/compare-ci");
 * toMarkdown(comparisonView(arms, domains));
 */
export function loadComparisonResults(dir: string): ComparisonResults {
  const r = readResults(dir, "compare", compareSchema);
  return { config: r.config, seed: r.seed, domains: [...openCorpusRef(r.config.corpus).domains], arms: finishedArms(r.runs), planned: r.tasks.filter((t) => isFinal(t.params)).length };
}

const isFinal = (p: Json): boolean => (p as CompareTask).stage === "final";

/**
 * The finished arms among a comparison's runs, in table order.
 *
 * @example
 * finishedArms(scanRuns(store).done).map((a) => a.method);
 */
export function finishedArms(runs: readonly RunRecord[]): ComparisonArm[] {
  return sortArms(runs.filter((r) => isFinal(r.params)).map((r) => storedAs<ComparisonArm>(r.result)));
}

/** A finished (or partial) RegMix search, as plain data. */
export interface RegmixMiniResults {
  config: RegmixExperimentConfig;
  /** the experiment's resolved seed */
  seed: number;
  /** finished proxies in plan order */
  rows: SweepRow[];
  plannedProxies: number;
}

/**
 * Sweep rows of finished proxies, in plan order.
 *
 * @example
 * sweepRows(runs.map((r) => ({ index: r.index, result: r.result })));
 */
export function sweepRows(runs: readonly { index: number; result: Json | RegmixProxyRun }[]): SweepRow[] {
  return [...runs].sort((a, b) => a.index - b.index).map((r) => {
    const p = storedAs<RegmixProxyRun>(r.result as Json);
    return { mixture: p.mixture, losses: p.losses };
  });
}

/**
 * Read a regmix-mini results directory (config from its manifest, verified runs only).
 *
 * @example
 * const r = loadRegmixMiniResults("results/regmix-mini");
 * const a = regmixMiniAnalysis(r.config, r.rows, r.seed);
 */
export function loadRegmixMiniResults(dir: string): RegmixMiniResults {
  const r = readResults(dir, "regmix-mini", regmixExperimentSchema);
  return { config: r.config, seed: r.seed, rows: sweepRows(r.runs), plannedProxies: r.tasks.length };
}

/**
 * Steps 3–5 on a finished sweep: what the report shows and the notebook re-derives.
 *
 * @example
 * const r = loadRegmixMiniResults("results/regmix-mini");
 * regmixMiniAnalysis(r.config, r.rows, r.seed).chosen.toString();
 */
export function regmixMiniAnalysis(config: RegmixExperimentConfig, rows: readonly SweepRow[], seed: number): RegmixAnalysis {
  const corpus = openCorpusRef(config.corpus);
  return chooseRegmixMixture(tokenPrior(corpus, sweepDomains(corpus, config.domains)), config.regmix, rows, regmixSeeds(seed).simulate);
}

/** A RegMix study's stored runs (finished or partial), grouped by stage, with what the analysis needs. */
export interface RegmixStudyResults {
  config: RegmixStudyConfig;
  seed: number;
  domains: string[];
  prior: Mixture;
  runs: StudyRuns;
}

/**
 * Read a regmix-study results directory (verified runs only); nothing is trained. The corpus
 * must be the one the runs were trained on (its manifest's sha256 is in the store's manifest):
 * RESULTS_CORPUS_CHANGED otherwise.
 *
 * @example
 * const r = loadRegmixStudyResults("results/studies/regmix");
 * analyseStudy(r.config, r.runs, r.domains, r.seed).rows;
 */
export function loadRegmixStudyResults(dir: string): RegmixStudyResults {
  const r = readResults(dir, "regmix-study", regmixStudySchema);
  assertSameCorpus(dir, r.config.corpus);
  const corpus = openCorpusRef(r.config.corpus);
  const domains = sweepDomains(corpus, r.config.domains);
  const runs = studyRuns(r.config, r.runs.map((x) => ({ task: x.params as StudyTask, result: storedAs<RegmixProxyRun>(x.result) })), r.tasks.length);
  return { config: r.config, seed: r.seed, domains, prior: tokenPrior(corpus, domains), runs };
}

/**
 * A study's store must be read against the corpus its runs were trained on (its manifest's
 * sha256 is in the store's manifest): RESULTS_CORPUS_CHANGED otherwise.
 *
 * @example
 * assertSameCorpus("results/studies/chameleon", "default");
 */
export function assertSameCorpus(dir: string, corpus: string): void {
  const stored = (openStore(dir).manifest.inputs as { corpus?: { manifestSha256?: string } } | null)?.corpus?.manifestSha256;
  const now = describeCorpus(corpus).manifestSha256;
  if (stored && stored !== now) {
    throw new MixlabError("RESULTS_CORPUS_CHANGED", `${dir} was trained on a corpus whose manifest sha256 is ${stored.slice(0, 12)}…, but ${corpus} is now ${now.slice(0, 12)}… (rebuild it with \`npm run data\` from this checkout)`);
  }
}

/** A Chameleon study's stored runs (finished or partial), grouped by stage, with the corpus's domains. */
export interface ChameleonStudyResults {
  config: ChameleonStudyConfig;
  seed: number;
  domains: string[];
  runs: ChameleonStudyRuns;
}

/**
 * Read a chameleon-study results directory (verified runs only); nothing is trained.
 * RESULTS_CORPUS_CHANGED when the corpus is not the one the runs were trained on.
 *
 * @example
 * const r = loadChameleonStudyResults("results/studies/chameleon");
 * analyseChameleonStudy(r.config, r.runs, r.domains).rows;
 * comparisonArmsOf(r.runs, 0); // the comparison of the first seed, as notebook 04 shows it
 */
export function loadChameleonStudyResults(dir: string): ChameleonStudyResults {
  const r = readResults(dir, "chameleon-study", chameleonStudySchema);
  assertSameCorpus(dir, r.config.corpus);
  const runs = chameleonStudyRuns(r.runs.map((x) => ({ task: x.params as ChameleonStudyTask, result: storedAs<unknown>(x.result), seconds: x.meta?.seconds })), r.tasks.length);
  return { config: r.config, seed: r.seed, domains: [...openCorpusRef(r.config.corpus).domains], runs };
}

/** A MergeMix study's stored runs (finished or partial), grouped by stage, with the corpus's domains. */
export interface MergeMixStudyResults {
  config: MergeMixStudyConfig;
  seed: number;
  domains: string[];
  runs: MergeMixStudyRuns;
}

/**
 * Read a mergemix-study results directory (verified runs only); nothing is trained.
 * RESULTS_CORPUS_CHANGED when the corpus is not the one the runs were trained on.
 *
 * @example
 * const r = loadMergeMixStudyResults("results/studies/mergemix");
 * analyseMergeMixStudy(r.config, r.runs, r.domains, r.seed).rows;
 */
export function loadMergeMixStudyResults(dir: string): MergeMixStudyResults {
  const r = readResults(dir, "mergemix-study", mergeMixStudySchema);
  assertSameCorpus(dir, r.config.corpus);
  const runs = mergeMixStudyRuns(r.runs.map((x) => ({ task: x.params as MergeMixStudyTask, result: storedAs<unknown>(x.result) })), r.tasks.length);
  return { config: r.config, seed: r.seed, domains: [...openCorpusRef(r.config.corpus).domains], runs };
}
