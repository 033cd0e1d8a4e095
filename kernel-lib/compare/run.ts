/**
 * `runComparison`: the all-methods comparison in one process, in order — each method's weight
 * search (uniform, token prior, RegMix's sweep + regression, Chameleon's proxy + embeddings,
 * MergeMix's experts + merges + search), then one final model per arm with the same recipe,
 * scored on validation loss and the downstream suite. The `compare` experiment kind runs the
 * same steps as separate, resumable tasks; both give the same numbers for the same seed.
 */
import { loadCorpus, type Corpus } from "../data/corpus.js";
import { corpusDir } from "../data/corpus-ref.js";
import { chameleonArmSearch, completeArm, fixedArmSearch, mergemixArmSearch, regmixArmSearch, type ArmSearch } from "./arms.js";
import { chameleonSearch, type ChameleonChoice } from "./chameleon.js";
import { compareSeeds, orderedMethods, regmixProxySeed, type CompareConfig } from "./config.js";
import { compareSuite, trainFinalModel } from "./final.js";
import { mergemixSearch } from "./mergemix.js";
import { chooseRegmixWeights, regmixProxyMixtures, trainRegmixProxy, type RegmixProxyRun } from "./regmix.js";
import { comparisonTable, type ComparisonArm, type Row } from "./table.js";

/** Everything a comparison produced. */
export type ComparisonResult = {
  seed: number;
  corpusDir: string;
  domains: string[];
  /** in table order */
  arms: ComparisonArm[];
  /** `comparisonTable(arms, domains)` */
  table: Row[];
};

export interface RunComparisonOptions {
  /** the experiment seed (default 1) */
  seed?: number;
  /** a loaded corpus (else `config.corpus` is loaded) */
  corpus?: Corpus;
  /** progress lines */
  log?: (line: string) => void;
}

const now = () => performance.now() / 1000;

/**
 * Run the whole comparison in this process.
 *
 * @example
 * const exp = loadExperimentConfig("experiments/compare.json", "ci");
 * const r = await runComparison(exp.fields as CompareConfig, { seed: exp.seed, log: console.log });
 * toMarkdown(comparisonView(r.arms, r.domains));
 */
export async function runComparison(config: CompareConfig, opts: RunComparisonOptions = {}): Promise<ComparisonResult> {
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? 1;
  const corpus = opts.corpus ?? loadCorpus(corpusDir(config.corpus));
  const seeds = compareSeeds(seed);
  const methods = orderedMethods(config.methods);
  const searches: ArmSearch[] = [];

  for (const m of methods) if (m === "uniform" || m === "prior") searches.push(fixedArmSearch(corpus, m));
  if (methods.includes("regmix")) {
    const t0 = now();
    const mixtures = regmixProxyMixtures(corpus, config.regmix, seeds.regmixMixtures);
    const runs: RegmixProxyRun[] = [];
    for (let i = 0; i < mixtures.length; i++) {
      runs.push(await trainRegmixProxy(corpus, config.regmix, mixtures[i].toRecord(), regmixProxySeed(seed, i)));
      log(`regmix: proxy ${i + 1}/${mixtures.length}`);
    }
    const choice = chooseRegmixWeights(corpus, config.regmix, runs, seeds.regmixSimulate);
    searches.push(regmixArmSearch(choice, now() - t0));
    log(`regmix: chose its mixture (target ${choice.target}, held-out Spearman ${choice.spearman.gbdt?.toFixed(2) ?? "n/a"})`);
  }
  if (methods.includes("chameleon") || methods.includes("chameleon-official")) {
    const t0 = now();
    const choice: ChameleonChoice = await chameleonSearch(corpus, config.chameleon, seeds.chameleon);
    const seconds = now() - t0;
    for (const m of ["chameleon", "chameleon-official"] as const) if (methods.includes(m)) searches.push(chameleonArmSearch(choice, m, seconds));
    log(`chameleon: weights from ${corpus.domains.length} domain embeddings (fitted τ_pt ${choice.tauPt.toFixed(1)})`);
  }
  if (methods.includes("mergemix")) {
    const t0 = now();
    const choice = await mergemixSearch(corpus, config.mergemix, seeds.mergemix, (l) => log(`mergemix: ${l}`));
    searches.push(mergemixArmSearch(choice, now() - t0));
  }

  const suite = compareSuite(corpus, config.suite);
  const arms: ComparisonArm[] = [];
  for (const m of methods) {
    const search = searches.find((s) => s.method === m);
    if (!search) continue;
    const final = await trainFinalModel(corpus, config, suite, search.mixture, seeds.final);
    arms.push(completeArm(search, final));
    log(`final ${m}: average loss ${final.average.toFixed(3)}, utility ${final.suite.utility.toFixed(3)}`);
  }
  const domains = [...corpus.domains];
  return { seed, corpusDir: corpus.dir, domains, arms, table: comparisonTable(arms, domains) };
}
