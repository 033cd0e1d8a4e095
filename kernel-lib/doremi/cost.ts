/**
 * DoReMi's search FLOPs in the comparison's shape: the reference model's training and scoring,
 * the proxy's training, and the reference's forward pass on every proxy sub-batch (a third of
 * a training token's FLOPs).
 */
import type { CostRow, SearchCost } from "../train/cost.js";

/**
 * @example
 * doremiSearchCost({ tokens: 1e5, flops: 1e11 }, { tokens: 4e3, flops: 1e9 }, { tokens: 1e5, flops: 1e11 });
 */
export function doremiSearchCost(reference: { tokens: number; flops: number }, referenceEval: { tokens: number; flops: number }, proxy: { tokens: number; flops: number }): SearchCost {
  const items: CostRow[] = [
    { item: "reference model (training)", count: 1, tokens: reference.tokens, flops: reference.flops },
    { item: "reference model (validation, forward)", count: 1, tokens: referenceEval.tokens, flops: referenceEval.flops },
    { item: "Group-DRO proxy (training)", count: 1, tokens: proxy.tokens, flops: proxy.flops },
    { item: "reference losses on the proxy's batches (forward)", count: 1, tokens: proxy.tokens, flops: proxy.flops / 3 },
  ];
  const flops = items.reduce((a, r) => a + r.flops, 0);
  const trainTokens = reference.tokens + proxy.tokens;
  const forwardTokens = referenceEval.tokens + proxy.tokens;
  items.push({ item: "DoReMi total", count: 1, tokens: trainTokens + forwardTokens, flops });
  return { flops, trainTokens, forwardTokens, models: 2, items };
}
