/**
 * DoGE's search FLOPs in the comparison's shape: one proxy trained on k sub-batches per step
 * (the per-domain gradients are the training gradients, so no extra pass; the alignment dot
 * products are O(k · nParams), not model FLOPs).
 */
import type { SearchCost } from "../train/cost.js";

/**
 * @example
 * dogeSearchCost({ tokens: 1e5, flops: 1e11 }).flops; // 1e11
 */
export function dogeSearchCost(proxy: { tokens: number; flops: number }): SearchCost {
  return {
    flops: proxy.flops, trainTokens: proxy.tokens, forwardTokens: 0, models: 1,
    items: [
      { item: "DoGE proxy (training, per-domain gradients)", count: 1, tokens: proxy.tokens, flops: proxy.flops },
      { item: "DoGE total", count: 1, tokens: proxy.tokens, flops: proxy.flops },
    ],
  };
}
