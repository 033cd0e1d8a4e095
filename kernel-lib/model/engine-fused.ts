import { createHash } from "node:crypto";
import { MixlabError } from "../util/errors.js";
import type { GptConfig } from "./config.js";
import { paramCount } from "./config.js";
import { splitWindows, SUMSQ_BLOCK, type EngineBuild, type GptEngine } from "./engine.js";
import { ENGINE_WASM_BASE64 } from "./fused/engine-wasm.generated.js";
import { nativeEngineStatus, type NativeBuild, type NativeFlavour, type NativeModule } from "./fused/native-build.js";
import { CLANG_FLAGS } from "./fused/wasm-flags.js";

/** The slice of the WebAssembly JS API used here (the project's TS lib has no DOM types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const WASM = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * The entry points of fused/gpt_engine.c (pointers are byte offsets into `memory`): the
 * WebAssembly instance's exports, or an adapter over the native module (nativeExports).
 */
interface EngineExports {
  memory: { buffer: ArrayBuffer };
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

interface WasmExports extends EngineExports {
  mx_init(V: number, Tm: number, L: number, H: number, d: number, m: number, capN: number, capT: number): number;
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
 * re-instantiates. `NativeEngine` below is the same C compiled for this CPU; it only swaps
 * `instantiate`.
 *
 * @example
 * const eng = new FusedEngine(presetConfig("tiny"));
 * const loss = eng.lossAndGrad(model.params, batch.tokens, 8, 64, grad);
 */
export class FusedEngine implements GptEngine {
  readonly name: string = "fused-wasm";
  readonly config: GptConfig;
  protected ex: EngineExports | null = null;
  private capN = 0;
  protected readonly nParams: number;

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
      const ex = this.instantiate(capN);
      if (ex.mx_nparams() !== this.nParams) throw new Error(`fused engine layout has ${ex.mx_nparams()} params, config.ts ${this.nParams}`);
      this.ex = ex;
      this.capN = capN;
    }
    const ex = this.ex;
    new Float32Array(ex.memory.buffer, ex.mx_params(), this.nParams).set(params);
    return ex;
  }

  /** A fresh engine instance with buffers for capN rows (B·T) at up to blockSize positions. */
  protected instantiate(capN: number): EngineExports {
    const c = this.config;
    const ex = new WASM.Instance(engineModule(), {}).exports as unknown as WasmExports;
    if (ex.mx_init(c.vocabSize, c.blockSize, c.nLayer, c.nHead, c.dModel, c.dMlp, capN, c.blockSize) !== 0) {
      throw new MixlabError("ENGINE_OUT_OF_MEMORY", `fused engine could not allocate buffers for ${capN} rows`);
    }
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
    const { inputs, targets } = splitWindows(tokens, B, T);
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

/** Thread count for native engines: `MIXLAB_THREADS` (default 1: sweeps run one process per core). */
export function defaultThreads(): number {
  const s = process.env.MIXLAB_THREADS;
  if (s === undefined || s.trim() === "") return 1;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new MixlabError("BAD_THREADS", `MIXLAB_THREADS must be an integer in 1..64, got "${s}"`);
  return n;
}

/** The native module's entry points over one engine ArrayBuffer, shaped like the wasm exports. */
function nativeExports(mod: NativeModule, mem: ArrayBuffer): EngineExports {
  return {
    memory: { buffer: mem },
    mx_params: () => mod.ptr(mem, 0, 0),
    mx_grads: () => mod.ptr(mem, 1, 0),
    mx_inputs: () => mod.ptr(mem, 2, 0),
    mx_targets: () => mod.ptr(mem, 3, 0),
    mx_logits: () => mod.ptr(mem, 4, 0),
    mx_rowmax: () => mod.ptr(mem, 5, 0),
    mx_rowsum: () => mod.ptr(mem, 6, 0),
    mx_tlogit: () => mod.ptr(mem, 7, 0),
    mx_hidden: (l) => mod.ptr(mem, 8, l),
    mx_nparams: () => mod.nparams(mem),
    mx_forward: (B, T, nb, logits) => mod.forward(mem, B, T, nb, logits),
    mx_backward: (B, T) => mod.backward(mem, B, T),
  };
}

/**
 * The same engine (fused/gpt_engine.c) compiled natively for this CPU (AVX2/AVX-512 + FMA) and
 * multi-threaded with OpenMP (fused/native-build.ts builds and caches it). `threads` splits
 * every matrix product, attention and element-wise pass into fixed chunks: results are
 * bit-identical run to run and across thread counts. Throws ENGINE_UNAVAILABLE where
 * `nativeEngineCheck()` is not ok.
 *
 * @example
 * const eng = new NativeEngine(presetConfig("1M"), { threads: 2 });
 */
export class NativeEngine extends FusedEngine {
  override readonly name: string = "fused-native";
  readonly threads: number;
  private readonly mod: NativeModule;

  /** the compiled build this engine runs */
  readonly build: NativeBuild;

  /** `flavour`: which native build (default MIXLAB_NATIVE_BUILD, else "native"; fused/native-build.ts) */
  constructor(config: GptConfig, o: { threads?: number; flavour?: NativeFlavour } = {}) {
    super(config);
    const s = nativeEngineStatus(o.flavour);
    // `=== false` (not `!s.ok`): tslab compiles kernel-lib non-strict, where `!s.ok` does not narrow
    if (s.ok === false) throw new MixlabError("ENGINE_UNAVAILABLE", `native engine: ${s.reason}`);
    this.mod = s.module;
    this.build = s.build;
    this.threads = o.threads ?? defaultThreads();
    if (!Number.isInteger(this.threads) || this.threads < 1 || this.threads > 64) throw new MixlabError("BAD_THREADS", `threads must be an integer in 1..64, got ${this.threads}`);
  }

  /** train/optimizer.ts `adamwStep` in C (bit-identical: same double-precision expression), on this engine's threads. */
  adamwStep(params: Float32Array, grad: Float32Array, st: { step: number; m: Float32Array; v: Float32Array }, lr: number,
    cfg: { beta1: number; beta2: number; eps: number; weightDecay: number }, mask: Uint8Array): void {
    st.step += 1;
    const { beta1: b1, beta2: b2, eps, weightDecay: wd } = cfg;
    const bc1 = 1 - Math.pow(b1, st.step);
    const sqrtBc2 = Math.sqrt(1 - Math.pow(b2, st.step));
    const k = Float64Array.of(b1, b2, lr / bc1, sqrtBc2, eps, 1 - lr * wd);
    this.mod.adamw(this.ex ? this.ex.memory.buffer : null, params, grad, st.m, st.v, mask, k);
  }

  /** train/optimizer.ts `clipGradNorm` in C (bit-identical: the same blocked double sum), on this engine's threads. */
  clipGradNorm(grad: Float32Array, maxNorm: number): number {
    return this.mod.clip(this.ex ? this.ex.memory.buffer : null, grad, maxNorm, SUMSQ_BLOCK);
  }

  protected override instantiate(capN: number): EngineExports {
    const c = this.config, m = this.mod;
    const args = [c.vocabSize, c.blockSize, c.nLayer, c.nHead, c.dModel, c.dMlp, capN, c.blockSize, this.threads] as const;
    const bytes = m.bytes(...args);
    let mem: ArrayBuffer;
    try {
      if (bytes < 0) throw new Error("config out of range");
      mem = new ArrayBuffer(bytes);
    } catch {
      throw new MixlabError("ENGINE_OUT_OF_MEMORY", `native engine could not allocate ${bytes} bytes for ${capN} rows`);
    }
    if (m.init(mem, ...args) !== 0) throw new MixlabError("ENGINE_OUT_OF_MEMORY", `native engine could not lay out buffers for ${capN} rows`);
    return nativeExports(m, mem);
  }
}

let nativeCheck: { ok: true; detail: string; build: NativeBuild } | { ok: false; reason: string } | null = null;

/**
 * Whether the native engine can run here: it builds and loads (native-build.ts) and computes
 * the same logits and gradient as the WebAssembly engine on a small model (≤ 1e-5), so a
 * miscompiled or mismatched build falls back instead of training wrongly. Once per process.
 *
 * @example
 * const c = nativeEngineCheck();
 * c.ok ? c.detail : c.reason; // "AVX-512+FMA, 8×32 tile, OpenMP threads; AMD EPYC; cc (Debian 12.2.0-14) 12.2.0"
 */
export function nativeEngineCheck(): { ok: true; detail: string; build: NativeBuild } | { ok: false; reason: string } {
  if (nativeCheck) return nativeCheck;
  const s = nativeEngineStatus();
  if (s.ok === false) return (nativeCheck = { ok: false, reason: s.reason });
  try {
    const cfg: GptConfig = { vocabSize: 256, blockSize: 16, nLayer: 2, nHead: 4, dModel: 32, dMlp: 64 };
    const n = paramCount(cfg), params = new Float32Array(n);
    let x = 12345;
    for (let i = 0; i < n; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; params[i] = ((x >>> 8) / (1 << 24) - 0.5) * 0.2; }
    const tokens = Int32Array.from({ length: 3 * 14 }, (_, i) => (i * 37 + 11) % 256);
    const a = new FusedEngine(cfg), b = new NativeEngine(cfg, { threads: 2 });
    const ga = new Float32Array(n), gb = new Float32Array(n);
    const la = a.lossAndGrad(params, tokens, 3, 13, ga), lb = b.lossAndGrad(params, tokens, 3, 13, gb);
    let d = Math.abs(la - lb);
    for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(ga[i] - gb[i]));
    if (!(d <= 1e-5)) return (nativeCheck = { ok: false, reason: `the native build disagrees with the WebAssembly engine (max |Δ| ${d})` });
    return (nativeCheck = { ok: true, detail: s.detail, build: s.build });
  } catch (e) {
    return (nativeCheck = { ok: false, reason: `the native build failed its self-check: ${(e as Error).message}` });
  }
}

let wasmBuildInfo: EngineBuild | null = null;

/**
 * The WebAssembly build as an `EngineBuild`: the committed module (fused/engine-wasm.generated.ts),
 * identified by the sha256 of its bytes; WebAssembly's float semantics are the same on every
 * machine, so equal ids agree bit for bit everywhere.
 *
 * @example
 * wasmBuild().buildId; // "3f1c…" (16 hex)
 */
export function wasmBuild(): EngineBuild {
  if (!wasmBuildInfo) {
    const buildId = createHash("sha256").update(Buffer.from(ENGINE_WASM_BASE64, "base64")).digest("hex").slice(0, 16);
    wasmBuildInfo = { flavour: "wasm", isa: "wasm-simd128", vectorWidth: 4, tile: "4×8", compiler: "clang (kernel-lib/model/fused/build.ts)", flags: [...CLANG_FLAGS], buildId };
  }
  return wasmBuildInfo;
}
