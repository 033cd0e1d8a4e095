/**
 * What each method spent to find its weights, in one shape for the comparison table: model
 * FLOPs (training = forward + backward, `flopsPerToken`; forward-only passes at a third of
 * that), tokens trained on, tokens only scored or embedded, and the method's own itemised rows
 * (MergeMix's `mergeMixCost`, Chameleon's proxy and embedding FLOPs; RegMix has no cost module,
 * so its rows are computed here from the sweep's shape with the same formula).
 *
 * Not counted anywhere (no model FLOPs): fitting regressors, simulating candidates, the
 * leverage algebra. Validation passes a method makes for its own bookkeeping are not counted
 * unless the method's own accounting counts them (RegMix's proxies *must* be scored — their
 * per-domain losses are the regression's data — so they are).
 */
import type { CostRow, SearchCost } from "../train/cost.js";
import { flopsPerToken, type GptConfig } from "../model/config.js";

export type { CostRow, SearchCost };

/**
 * The cost of a method that needs no compute (uniform; the token prior is a byte count).
 *
 * @example
 * freeSearch().flops; // 0
 */
export function freeSearch(): SearchCost {
  return { flops: 0, trainTokens: 0, forwardTokens: 0, models: 0, items: [] };
}

/**
 * RegMix's sweep: `proxies` models of `config` trained for `trainTokens` tokens each, each
 * scored on `evalTokens` validation tokens (forward only).
 *
 * @example
 * regmixSweepCost(presetConfig("tiny"), 64, 32, 200 * 16 * 64, 13 * 16 * 64);
 */
export function regmixSweepCost(config: GptConfig, seqLen: number, proxies: number, trainTokens: number, evalTokens: number): SearchCost {
  const train = flopsPerToken(config, seqLen);
  const items: CostRow[] = [
    { item: "proxies (training)", count: proxies, tokens: proxies * trainTokens, flops: proxies * trainTokens * train },
    { item: "proxies (validation, forward)", count: proxies, tokens: proxies * evalTokens, flops: (proxies * evalTokens * train) / 3 },
    { item: "regression + simulation", count: 1, tokens: 0, flops: 0 },
  ];
  return sumRows(items, proxies, proxies * trainTokens, proxies * evalTokens, "RegMix total");
}

/**
 * Chameleon: one proxy trained, then every domain's windows embedded (forward to layer ℓ).
 *
 * @example
 * chameleonSearchCost({ tokens: 4e5, flops: 1e12 }, { windows: 13 * 128, tokens: 13 * 128 * 64, flops: 1e10 });
 */
export function chameleonSearchCost(proxy: { tokens: number; flops: number }, embedding: { windows: number; tokens: number; flops: number }): SearchCost {
  const items: CostRow[] = [
    { item: "proxy on the uniform mix (training)", count: 1, tokens: proxy.tokens, flops: proxy.flops },
    { item: "domain embeddings (forward to layer ℓ)", count: embedding.windows, tokens: embedding.tokens, flops: embedding.flops },
  ];
  return sumRows(items, 1, proxy.tokens, embedding.tokens, "Chameleon total");
}

/**
 * MergeMix from its own cost table (`MergeMixResult.cost.mergeMix`, whose last row is the
 * total) and the tokens it trained (base + experts).
 *
 * @example
 * mergemixSearchCost(r.cost.mergeMix, r.base.tokens + r.experts.reduce((a, e) => a + e.tokens, 0), 1 + r.experts.length);
 */
export function mergemixSearchCost(rows: readonly CostRow[], trainTokens: number, models: number): SearchCost {
  const total = rows[rows.length - 1];
  return {
    flops: total.flops,
    trainTokens,
    forwardTokens: total.tokens - trainTokens,
    models,
    items: rows.map((r) => ({ ...r })),
  };
}

function sumRows(items: CostRow[], models: number, trainTokens: number, forwardTokens: number, label: string): SearchCost {
  const flops = items.reduce((a, r) => a + r.flops, 0);
  items.push({ item: label, count: 1, tokens: trainTokens + forwardTokens, flops });
  return { flops, trainTokens, forwardTokens, models, items };
}
