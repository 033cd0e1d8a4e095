import { MixlabError } from "../util/errors.js";
import type { GptConfig } from "./config.js";
import { paramCount } from "./config.js";
import type { GptEngine } from "./engine.js";
import { ENGINE_WASM_BASE64 } from "./fused/engine-wasm.generated.js";

/** The slice of the WebAssembly JS API used here (the project's TS lib has no DOM types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const WASM = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The exports of fused/gpt_engine.c (pointers are byte offsets into `memory`). */
interface EngineExports {
  memory: { buffer: ArrayBuffer };
  mx_init(V: number, Tm: number, L: number, H: number, d: number, m: number, capN: number, capT: number): number;
  mx_params(): number;
  mx_grads(): number;
  mx_inputs(): number;
  mx_targets(): number;
  mx_logits(): number;
  mx_rowmax(): number;
  mx_rowsum(): number;
  mx_tlogit(): number;
  mx_hidden(l: number): number;
  mx_nparams(): number;
  mx_forward(B: number, T: number, nblocks: number, logits: number): void;
  mx_backward(B: number, T: number): void;
}

let compiled: object | null = null;

/** Compile the embedded module once per process (≈40 KB, synchronous). */
function engineModule(): object {
  if (!compiled) compiled = new WASM.Module(Buffer.from(ENGINE_WASM_BASE64, "base64"));
  return compiled;
}

/**
 * True when this JavaScript runtime can run the fused engine (WebAssembly with SIMD128;
 * Node ≥ 16.4 has it).
 *
 * @example
 * if (fusedEngineAvailable()) engine = new FusedEngine(cfg);
 */
export function fusedEngineAvailable(): boolean {
  try {
    engineModule();
    return true;
  } catch {
    return false;
  }
}

/**
 * The hand-written forward/backward engine (fused/gpt_engine.c, WebAssembly SIMD): same function
 * as gpt.ts, single-threaded, no per-op dispatch, no allocation per step. Each engine owns one
 * WebAssembly instance sized for the largest batch seen so far (B·T rows); a larger request
 * re-instantiates.
 *
 * @example
 * const eng = new FusedEngine(presetConfig("tiny"));
 * const loss = eng.lossAndGrad(model.params, batch.tokens, 8, 64, grad);
 */
export class FusedEngine implements GptEngine {
  readonly name = "fused-wasm";
  readonly config: GptConfig;
  private ex: EngineExports | null = null;
  private capN = 0;
  private readonly nParams: number;

  constructor(config: GptConfig) {
    this.config = { ...config };
    this.nParams = paramCount(config);
    const { vocabSize: V, dModel: d, dMlp: m, nLayer: L } = config;
    if (V % 4 || d % 4 || m % 4 || L > 64) {
      throw new MixlabError("ENGINE_UNSUPPORTED", `fused engine needs vocabSize, dModel, dMlp divisible by 4 and ≤ 64 layers`);
    }
  }

  /** Make sure the instance can hold B·T rows at length T; copies `params` in. */
  private prepare(params: Float32Array, B: number, T: number): EngineExports {
    const c = this.config;
    if (T > c.blockSize) throw new MixlabError("MODEL_SEQ_TOO_LONG", `sequence length ${T} exceeds blockSize ${c.blockSize}`);
    if (params.length !== this.nParams) throw new MixlabError("MODEL_PARAM_MISMATCH", `expected ${this.nParams} parameters, got ${params.length}`);
    const N = B * T;
    if (!this.ex || N > this.capN) {
      const capN = Math.max(N, this.capN);
      const inst = new WASM.Instance(engineModule(), {});
      const ex = inst.exports as unknown as EngineExports;
      if (ex.mx_init(c.vocabSize, c.blockSize, c.nLayer, c.nHead, c.dModel, c.dMlp, capN, c.blockSize) !== 0) {
        throw new MixlabError("ENGINE_OUT_OF_MEMORY", `fused engine could not allocate buffers for ${capN} rows`);
      }
      if (ex.mx_nparams() !== this.nParams) throw new Error(`fused engine layout has ${ex.mx_nparams()} params, config.ts ${this.nParams}`);
      this.ex = ex;
      this.capN = capN;
    }
    const ex = this.ex;
    new Float32Array(ex.memory.buffer, ex.mx_params(), this.nParams).set(params);
    return ex;
  }

  private setTokens(ex: EngineExports, inputs: Int32Array, targets: Int32Array | null, N: number): void {
    const inp = new Int32Array(ex.memory.buffer, ex.mx_inputs(), N);
    const tgt = new Int32Array(ex.memory.buffer, ex.mx_targets(), N);
    const V = this.config.vocabSize;
    for (let i = 0; i < N; i++) {
      const t = inputs[i];
      if (!(t >= 0 && t < V)) throw new MixlabError("MODEL_BAD_TOKEN", `token ${t} at ${i} is outside 0..${V - 1}`);
      inp[i] = t;
    }
    if (targets) {
      for (let i = 0; i < N; i++) {
        const t = targets[i];
        if (!(t >= 0 && t < V)) throw new MixlabError("MODEL_BAD_TOKEN", `target ${t} at ${i} is outside 0..${V - 1}`);
        tgt[i] = t;
      }
    } else tgt.fill(0);
  }

  /** [B, T+1] windows → engine inputs/targets */
  private setWindows(ex: EngineExports, tokens: Int32Array, B: number, T: number): void {
    if (tokens.length !== B * (T + 1)) throw new RangeError(`tokens has ${tokens.length} entries, expected B·(T+1) = ${B * (T + 1)}`);
    const inputs = new Int32Array(B * T), targets = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      inputs.set(tokens.subarray(b * (T + 1), b * (T + 1) + T), b * T);
      targets.set(tokens.subarray(b * (T + 1) + 1, (b + 1) * (T + 1)), b * T);
    }
    this.setTokens(ex, inputs, targets, B * T);
  }

  /** per-row loss = max + log Σexp − logit[target] (float64 log of the engine's statistics) */
  private rowLosses(ex: EngineExports, N: number): Float64Array {
    const mx = new Float32Array(ex.memory.buffer, ex.mx_rowmax(), N);
    const sm = new Float32Array(ex.memory.buffer, ex.mx_rowsum(), N);
    const tl = new Float32Array(ex.memory.buffer, ex.mx_tlogit(), N);
    const out = new Float64Array(N);
    for (let i = 0; i < N; i++) out[i] = mx[i] + Math.log(sm[i]) - tl[i];
    return out;
  }

  lossAndGrad(params: Float32Array, tokens: Int32Array, B: number, T: number, grad: Float32Array): number {
    const ex = this.prepare(params, B, T);
    this.setWindows(ex, tokens, B, T);
    ex.mx_forward(B, T, this.config.nLayer, 1);
    const rl = this.rowLosses(ex, B * T);
    let s = 0;
    for (let i = 0; i < rl.length; i++) s += rl[i];
    ex.mx_backward(B, T);
    grad.set(new Float32Array(ex.memory.buffer, ex.mx_grads(), this.nParams));
    return s / rl.length;
  }

  tokenLosses(params: Float32Array, tokens: Int32Array, B: number, T: number): Float32Array {
    const ex = this.prepare(params, B, T);
    this.setWindows(ex, tokens, B, T);
    ex.mx_forward(B, T, this.config.nLayer, 1);
    return Float32Array.from(this.rowLosses(ex, B * T));
  }

  logits(params: Float32Array, inputs: Int32Array, B: number, T: number): Float32Array {
    const ex = this.prepare(params, B, T);
    this.setTokens(ex, inputs, null, B * T);
    ex.mx_forward(B, T, this.config.nLayer, 1);
    return Float32Array.from(new Float32Array(ex.memory.buffer, ex.mx_logits(), B * T * this.config.vocabSize));
  }

  hidden(params: Float32Array, inputs: Int32Array, B: number, T: number, layer: number): Float32Array {
    if (!Number.isInteger(layer) || layer < 0 || layer > this.config.nLayer) {
      throw new MixlabError("MODEL_BAD_LAYER", `layer must be in 0..${this.config.nLayer}, got ${layer}`);
    }
    const ex = this.prepare(params, B, T);
    this.setTokens(ex, inputs, null, B * T);
    ex.mx_forward(B, T, layer, 0);
    return Float32Array.from(new Float32Array(ex.memory.buffer, ex.mx_hidden(layer), B * T * this.config.dModel));
  }

  dispose(): void {
    this.ex = null;
    this.capN = 0;
  }
}
