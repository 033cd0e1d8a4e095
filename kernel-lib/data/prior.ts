import type { Corpus } from "./corpus.js";
import { Mixture } from "./mixture.js";

/**
 * The token prior: each domain's share of the corpus's training tokens — the "natural"
 * mixture, RegMix's Dirichlet centre and the usual human baseline.
 *
 * @example
 * tokenPrior(loadCorpus()).get("books"); // e.g. 0.065
 */
export function tokenPrior(corpus: Corpus, domains: readonly string[] = corpus.domains): Mixture {
  return Mixture.normalised(domains, domains.map((d) => corpus.tokenCount(d, "train")));
}
