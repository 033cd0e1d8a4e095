/**
 * Chameleon step 6 in one call — new data without retraining. The frozen proxy embeds only the
 * new domains; K, S and both weight vectors are recomputed over old ∪ new (`addDomains`). The
 * cost is the forward passes over the new domains' windows: no gradient step is taken, so the
 * proxy's parameters are never written.
 */
import type { Corpus } from "../data/corpus.js";
import type { GptModel } from "../model/params.js";
import type { MatrixRows } from "./affinity.js";
import { embedDomains, type DomainEmbeddingSet, type EmbedDomainsOptions } from "./embed.js";
import { addDomains, type ChameleonOptions, type ChameleonResult } from "./pipeline.js";

/** What `weightsWithNewDomains` returns. */
export interface NewDomainsResult {
  /** weights etc. over existing domains then new ones */
  result: ChameleonResult;
  /** the new domains' embeddings (same proxy, layer and window options as the existing ones) */
  added: DomainEmbeddingSet;
  /** FLOPs of this call: embedding the new domains only */
  flops: number;
}

/**
 * Embed `newDomains` with the same frozen `proxy` and recompute Chameleon weights over
 * `existing` (their embeddings from that proxy, e.g. a `DomainEmbeddingSet` or a previous
 * `ChameleonResult`) plus the new ones. Pass the same `embed` options used for `existing`.
 *
 * @example
 * const X = await embedDomains(proxy.model, corpus, base, embed);
 * const r = await weightsWithNewDomains(proxy.model, corpus, X, ["math", "legal"], embed);
 * r.result.domains; // [...base, "math", "legal"]; r.result.ptWeights sums to 1
 */
export async function weightsWithNewDomains(
  proxy: GptModel,
  corpus: Corpus,
  existing: { domains: readonly string[]; embeddings?: MatrixRows },
  newDomains: readonly string[],
  embed: EmbedDomainsOptions,
  opts: ChameleonOptions = {},
): Promise<NewDomainsResult> {
  const added = await embedDomains(proxy, corpus, newDomains, embed);
  const result = addDomains(existing, { domains: added.domains, embeddings: added.embeddings }, opts);
  return { result, added, flops: added.flops };
}
