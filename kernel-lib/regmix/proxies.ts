/**
 * RegMix step 2 — train one small proxy per proposed mixture and record every domain's
 * validation loss: the (mixture → per-domain loss) rows the regression (step 3) is fitted on.
 * Each proxy is one `trainAndScore` call; the runs are independent, so the experiment kit runs
 * each as its own task (local pool or Slurm array).
 */
import type { Corpus } from "../data/corpus.js";
import { Mixture } from "../data/mixture.js";
import type { TrainRecipe } from "../train/recipe.js";
import { trainAndScore } from "../train/train-and-score.js";

/** One finished proxy of the sweep (a sweep row plus training facts; timings are the run's meta, not its result). */
export type RegmixProxyRun = {
  mixture: Record<string, number>;
  /** domain → validation nats per token */
  losses: Record<string, number>;
  /** training tokens (steps × batch × T) */
  tokens: number;
  finalTrainLoss: number;
  /** tokens drawn per domain */
  tokensPerDomain: Record<string, number>;
  engine: string;
  /** domain → nats on the two disjoint halves of the validation windows (when scored with `halves`) */
  halves?: { a: Record<string, number>; b: Record<string, number> };
};

/**
 * Train one proxy on `mixture` (over `domains`, default every corpus domain) and score every
 * domain on `windowsPerDomain` fixed validation windows of the proxy's T (`halves`: also on
 * the even and odd windows apart, for the validation-noise measure).
 *
 * @example
 * const run = await trainRegmixProxy(corpus, recipe, mixtures[0].toRecord(), 7, { windowsPerDomain: 16 });
 * run.losses.books; // nats/token
 */
export async function trainRegmixProxy(
  corpus: Corpus,
  recipe: TrainRecipe,
  mixture: Record<string, number>,
  seed: number,
  score: { windowsPerDomain: number; domains?: readonly string[]; halves?: boolean },
): Promise<RegmixProxyRun> {
  const domains = score.domains ?? corpus.domains;
  const r = await trainAndScore(corpus, Mixture.fromRecord(mixture).over(domains), recipe, seed, { eval: { windowsPerDomain: score.windowsPerDomain, domains, halves: score.halves } });
  const run: RegmixProxyRun = { mixture, losses: r.losses, tokens: r.tokens, finalTrainLoss: r.finalTrainLoss, tokensPerDomain: r.tokensPerDomain, engine: r.engine };
  return r.halves ? { ...run, halves: r.halves } : run;
}
