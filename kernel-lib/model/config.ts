import { MixlabError } from "../util/errors.js";

/**
 * The proxy GPT's architecture: nanoGPT's shape (token + learned position embedding, pre-LN
 * blocks, causal multi-head attention, tanh-GELU MLP, final LayerNorm, output tied to the token
 * embedding, biases everywhere). Tokens are bytes, so `vocabSize` is 256.
 */
export interface GptConfig {
  /** V: vocabulary size (256 byte tokens) */
  vocabSize: number;
  /** Tmax: longest sequence the position table covers; training seqLen ≤ blockSize */
  blockSize: number;
  /** L: transformer blocks */
  nLayer: number;
  /** H: attention heads; dModel must be divisible by it */
  nHead: number;
  /** d: residual width */
  dModel: number;
  /** m: MLP hidden width (4d in GPT-2) */
  dMlp: number;
}

export type PresetName = "tiny" | "1M" | "445k" | "small";

/**
 * Named sizes. `tiny` is for tests/CI; `1M` is RegMix's smallest proxy scaled to bytes (≈1M
 * non-embedding parameters); `445k` is the model every speed figure in the issue was measured on
 * (V=256, T=128, d=128, 2 layers, 4 heads, MLP 512: 445,952 parameters); `small` ≈ 10M.
 */
export const PRESETS: Readonly<Record<PresetName, Readonly<GptConfig>>> = {
  tiny: { vocabSize: 256, blockSize: 64, nLayer: 2, nHead: 4, dModel: 64, dMlp: 256 },
  "445k": { vocabSize: 256, blockSize: 128, nLayer: 2, nHead: 4, dModel: 128, dMlp: 512 },
  "1M": { vocabSize: 256, blockSize: 256, nLayer: 5, nHead: 4, dModel: 128, dMlp: 512 },
  small: { vocabSize: 256, blockSize: 256, nLayer: 12, nHead: 8, dModel: 256, dMlp: 1024 },
};

/**
 * The config of a preset (a fresh copy), optionally with fields overridden.
 *
 * @example
 * presetConfig("tiny").dModel;                   // 64
 * presetConfig("1M", { blockSize: 128 }).blockSize; // 128
 */
export function presetConfig(name: PresetName | string, overrides: Partial<GptConfig> = {}): GptConfig {
  const p = (PRESETS as Record<string, GptConfig>)[name];
  if (!p) throw new MixlabError("MODEL_UNKNOWN_PRESET", `unknown model preset "${name}" (known: ${Object.keys(PRESETS).join(", ")})`);
  return validateConfig({ ...p, ...overrides });
}

/**
 * Check a config is well-formed (positive integers, d divisible by heads); returns it.
 *
 * @example
 * validateConfig({ ...presetConfig("tiny"), nHead: 3 }); // throws MODEL_BAD_CONFIG
 */
export function validateConfig(c: GptConfig): GptConfig {
  for (const k of ["vocabSize", "blockSize", "nLayer", "nHead", "dModel", "dMlp"] as const) {
    const v = c[k];
    if (!Number.isInteger(v) || v < 1) throw new MixlabError("MODEL_BAD_CONFIG", `config.${k} must be a positive integer, got ${v}`);
  }
  if (c.dModel % c.nHead !== 0) throw new MixlabError("MODEL_BAD_CONFIG", `dModel ${c.dModel} is not divisible by nHead ${c.nHead}`);
  return c;
}

/** One named parameter tensor inside the flat parameter vector. */
export interface ParamEntry {
  name: string;
  shape: number[];
  /** offset into the flat Float32Array */
  offset: number;
  size: number;
  /** AdamW decays matrices (weights, embeddings), not biases or LayerNorm gains/shifts */
  decay: boolean;
}

/**
 * The order and shapes of all parameters in the flat vector. Matrices are stored [in, out] so a
 * linear layer is y = x·W + b with no transpose in the forward pass.
 *
 * @example
 * paramLayout(presetConfig("tiny"))[0]; // { name: "wte", shape: [256, 64], offset: 0, ... }
 */
export function paramLayout(c: GptConfig): ParamEntry[] {
  const out: ParamEntry[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], decay: boolean) => {
    const size = shape.reduce((a, b) => a * b, 1);
    out.push({ name, shape, offset, size, decay });
    offset += size;
  };
  const { vocabSize: V, blockSize: Tm, dModel: d, dMlp: m } = c;
  add("wte", [V, d], true); // token embedding, also the output projection (tied)
  add("wpe", [Tm, d], true); // learned positions
  for (let l = 0; l < c.nLayer; l++) {
    const p = `h${l}.`;
    add(p + "ln1.g", [d], false);
    add(p + "ln1.b", [d], false);
    add(p + "attn.wq", [d, d], true);
    add(p + "attn.bq", [d], false);
    add(p + "attn.wk", [d, d], true);
    add(p + "attn.bk", [d], false);
    add(p + "attn.wv", [d, d], true);
    add(p + "attn.bv", [d], false);
    add(p + "attn.wo", [d, d], true);
    add(p + "attn.bo", [d], false);
    add(p + "ln2.g", [d], false);
    add(p + "ln2.b", [d], false);
    add(p + "mlp.w1", [d, m], true);
    add(p + "mlp.b1", [m], false);
    add(p + "mlp.w2", [m, d], true);
    add(p + "mlp.b2", [d], false);
  }
  add("lnf.g", [d], false);
  add("lnf.b", [d], false);
  return out;
}

/**
 * Total number of parameters (the tied output projection is counted once).
 *
 * @example
 * paramCount(PRESETS["445k"]); // 445952
 */
export function paramCount(c: GptConfig): number {
  const L = paramLayout(c);
  const last = L[L.length - 1];
  return last.offset + last.size;
}

/**
 * Parameters outside the embedding tables (wte, wpe) — the "N" of scaling-law papers.
 *
 * @example
 * nonEmbeddingParamCount(PRESETS["1M"]); // 991616
 */
export function nonEmbeddingParamCount(c: GptConfig): number {
  return paramCount(c) - c.vocabSize * c.dModel - c.blockSize * c.dModel;
}

/**
 * Training FLOPs per token at sequence length T (forward + backward = 3× forward):
 * 6·N_matmul for every matrix a token is multiplied by (the blocks' weights and the tied V×d
 * output projection; the embedding lookups are free) plus the attention term 12·L·T·d
 * (forward QKᵀ and A·V cost 2·T·d FLOPs each per token per layer, backward twice that; the
 * full T×T product is counted, as PaLM's formula does, although half of it is masked).
 *
 * @example
 * flopsPerToken(PRESETS["445k"], 128); // ≈ 2.99e6
 */
export function flopsPerToken(c: GptConfig, seqLen: number = c.blockSize): number {
  const { nLayer: L, dModel: d, dMlp: m, vocabSize: V } = c;
  const matmulParams = L * (4 * d * d + 2 * d * m) + V * d;
  return 6 * matmulParams + 12 * L * seqLen * d;
}

/**
 * FLOPs of training a model for `steps` steps of `batchSize` windows of `seqLen` tokens.
 *
 * @example
 * trainingFlops(presetConfig("tiny"), 100, 16, 64); // flopsPerToken(tiny, 64) · 102400
 */
export function trainingFlops(config: GptConfig, steps: number, batchSize: number, seqLen: number): number {
  return flopsPerToken(config, seqLen) * steps * batchSize * seqLen;
}
