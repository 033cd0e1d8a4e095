import { MixlabError } from "../util/errors.js";
import { createRng } from "../util/rng.js";
import { paramCount, paramLayout, validateConfig, type GptConfig, type ParamEntry } from "./config.js";

/**
 * A model is plain data: its config and every weight in one flat Float32Array (layout:
 * `paramLayout(config)`). Engines (tfjs backends, the fused wasm engine) read and write this
 * buffer, so a model can be merged, saved, sent to a worker or compared without any tensor.
 */
export interface GptModel {
  readonly config: GptConfig;
  /** all parameters, length paramCount(config), order paramLayout(config) */
  readonly params: Float32Array;
}

/**
 * A freshly initialised model, deterministic in `seed` (nanoGPT's init: N(0, 0.02) for
 * matrices and embeddings, N(0, 0.02/√(2L)) for the two residual projections, zero biases,
 * LayerNorm gain 1).
 *
 * @example
 * const m = initModel(presetConfig("tiny"), 42);
 * m.params.length === paramCount(m.config); // true
 */
export function initModel(config: GptConfig, seed: number): GptModel {
  validateConfig(config);
  const params = new Float32Array(paramCount(config));
  const rng = createRng(seed).fork("gpt-init");
  const residStd = 0.02 / Math.sqrt(2 * config.nLayer);
  for (const e of paramLayout(config)) {
    const v = params.subarray(e.offset, e.offset + e.size);
    if (e.name.endsWith(".g")) v.fill(1);
    else if (!e.decay) v.fill(0);
    else {
      const std = e.name.endsWith("attn.wo") || e.name.endsWith("mlp.w2") ? residStd : 0.02;
      for (let i = 0; i < v.length; i++) v[i] = std * rng.normal();
    }
  }
  return { config: { ...config }, params };
}

/**
 * A model from a config and an existing flat parameter vector (copied).
 *
 * @example
 * const copy = modelFromParams(m.config, m.params);
 */
export function modelFromParams(config: GptConfig, params: Float32Array): GptModel {
  validateConfig(config);
  const n = paramCount(config);
  if (params.length !== n) throw new MixlabError("MODEL_PARAM_MISMATCH", `expected ${n} parameters for this config, got ${params.length}`);
  return { config: { ...config }, params: Float32Array.from(params) };
}

/**
 * A deep copy of a model.
 *
 * @example
 * const b = cloneModel(a); b.params[0] = 1; // a unchanged
 */
export function cloneModel(m: GptModel): GptModel {
  return modelFromParams(m.config, m.params);
}

/**
 * Every named weight as a Float32Array view into the model's flat buffer (writes go through).
 *
 * @example
 * getParams(m).get("h0.attn.wq")!.length; // d*d
 */
export function getParams(m: GptModel): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const e of paramLayout(m.config)) out.set(e.name, m.params.subarray(e.offset, e.offset + e.size));
  return out;
}

/**
 * Copy named weights into the model; every name must exist with the right size. Missing names
 * are left unchanged unless `strict` (default true) asks for all of them.
 *
 * @example
 * setParams(m, getParams(other)); // m now equals other
 */
export function setParams(m: GptModel, values: Map<string, Float32Array> | Record<string, Float32Array>, strict = true): void {
  const map = values instanceof Map ? values : new Map(Object.entries(values));
  const layout = paramLayout(m.config);
  const byName = new Map<string, ParamEntry>(layout.map((e) => [e.name, e]));
  for (const [name, v] of map) {
    const e = byName.get(name);
    if (!e) throw new MixlabError("MODEL_PARAM_MISMATCH", `unknown parameter "${name}"`);
    if (v.length !== e.size) throw new MixlabError("MODEL_PARAM_MISMATCH", `parameter "${name}" has ${v.length} values, expected ${e.size}`);
    m.params.set(v, e.offset);
  }
  if (strict) {
    const missing = layout.filter((e) => !map.has(e.name)).map((e) => e.name);
    if (missing.length) throw new MixlabError("MODEL_PARAM_MISMATCH", `missing parameters: ${missing.join(", ")}`);
  }
}

/**
 * True when two configs describe the same architecture.
 *
 * @example
 * sameArchitecture(presetConfig("tiny"), presetConfig("tiny")); // true
 */
export function sameArchitecture(a: GptConfig, b: GptConfig): boolean {
  return a.vocabSize === b.vocabSize && a.blockSize === b.blockSize && a.nLayer === b.nLayer &&
    a.nHead === b.nHead && a.dModel === b.dModel && a.dMlp === b.dMlp;
}
