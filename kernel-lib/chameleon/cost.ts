/**
 * What it costs to get a mixture, in FLOPs — the figure Chameleon's pitch rests on: one small
 * proxy trained once plus forward passes to the middle layer, against methods that train many
 * proxies (RegMix) or reference models (DoReMi, DoGE).
 *
 * Training uses the model layer's `trainingFlops` (forward + backward = 3 × forward, PaLM-style
 * attention term). Embedding runs the forward pass only, and only up to the embedding layer ℓ:
 * per token 2·ℓ·(4d² + 2dm) for the block matrices plus 4·ℓ·T·d for attention (QKᵀ and A·V,
 * 2·T·d each, full T×T counted as `flopsPerToken` does); no output projection. Padded positions
 * are computed too, so they are counted: `embed.ts` pads each batch to its longest window (the
 * official `padding=True`), so an embedding's cost is the sum of `embeddingFlops(B, W)` over its
 * batches — `windows · T` positions when every window is full.
 */
import type { GptConfig } from "../model/config.js";

/**
 * Forward FLOPs per token up to the residual state after `layer` blocks (layer 0 = the
 * embedding lookup: free).
 *
 * @example
 * embeddingFlopsPerToken(presetConfig("tiny"), 64, 1); // 2·(4·64² + 2·64·256) + 4·64·64
 */
export function embeddingFlopsPerToken(config: GptConfig, seqLen: number, layer: number): number {
  const { dModel: d, dMlp: m } = config;
  return 2 * layer * (4 * d * d + 2 * d * m) + 4 * layer * seqLen * d;
}

/**
 * FLOPs of embedding `windows` windows of `seqLen` tokens up to `layer`.
 *
 * @example
 * embeddingFlops(presetConfig("tiny"), 13 * 64, 64, 1);
 */
export function embeddingFlops(config: GptConfig, windows: number, seqLen: number, layer: number): number {
  return embeddingFlopsPerToken(config, seqLen, layer) * windows * seqLen;
}
