import type { GptConfig } from "./config.js";

/**
 * Elements per block of the gradient's sum of squares. The sum runs in double precision, each
 * block in index order, then the blocks' sums in block order: the native engine's clip splits
 * the blocks over its threads and gets the same double, bit for bit (fused/native-addon.c `clip`;
 * train/optimizer.ts `gradSumSquares` is the JS side). It lives here, beside `clipGradNorm`, because it
 * is part of that hook's contract.
 */
export const SUMSQ_BLOCK = 65536;

/**
 * Which compiled build of an engine computed a run, recorded in manifests and run records so a
 * reader knows whether bit-identity with another run is to be expected: two runs agree bit for
 * bit when their `buildId`s are equal (same sources, compiler, flags and — for the `native`
 * flavour — CPU). `portable` builds agree across CPUs; `wasm` is one committed module, the same
 * arithmetic on every machine. See fused/native-build.ts.
 */
export interface EngineBuild {
  flavour: "native" | "portable" | "wasm";
  /** the vector primitives compiled in: "AVX-512", "AVX2", "wasm-simd128" */
  isa: string;
  /** floats per vector register of those primitives */
  vectorWidth: number;
  /** the matmul register tile, rows × columns */
  tile: string;
  /** the compiler, first line of its --version (wasm: the committed module's) */
  compiler: string;
  flags: string[];
  /** sha256 (16 hex) of what fixes the arithmetic */
  buildId: string;
}

/**
 * A build in words, for messages: "native build 7c5a9a7e4fc334fa (AVX-512, cc (Debian 12.2.0-14) 12.2.0)".
 *
 * @example
 * `retrained with the ${describeEngineBuild(build)}`;
 */
export function describeEngineBuild(b: EngineBuild): string {
  return `${b.flavour} build ${b.buildId} (${b.isa}, ${b.compiler})`;
}

/**
 * What computes the model: forward passes and the gradient of the training loss over a flat
 * parameter vector (layout `paramLayout(config)`). Everything above it — optimiser, trainer,
 * validation loss, embeddings, scoring — talks to this interface only, so a faster engine
 * (a native library, a GPU) slots in without touching the methods.
 *
 * Token arrays are int32 row-major. `tokens` for losses are [B, T+1] windows (inputs = [:, :T],
 * targets = [:, 1:]); `inputs` for logits/hidden states are [B, T].
 */
export interface GptEngine {
  /** e.g. "fused-native", "fused-wasm", "tfjs-wasm", "tfjs-cpu", "tfjs-tensorflow" */
  readonly name: string;
  readonly config: GptConfig;
  /** Mean next-token loss (nats) over the B×T targets; writes ∂loss/∂params into `grad`. */
  lossAndGrad(params: Float32Array, tokens: Int32Array, B: number, T: number, grad: Float32Array): number;
  /** Per-position next-token losses (nats) [B, T], no gradient. */
  tokenLosses(params: Float32Array, tokens: Int32Array, B: number, T: number): Float32Array;
  /** Next-token logits [B, T, V]. */
  logits(params: Float32Array, inputs: Int32Array, B: number, T: number): Float32Array;
  /** Residual stream [B, T, d] after `layer` blocks (0 = embedding output, L = last block, before LN_f). */
  hidden(params: Float32Array, inputs: Int32Array, B: number, T: number, layer: number): Float32Array;
  /**
   * Optional fast path for train/optimizer.ts `adamwStep` (same arguments and effect, bit for
   * bit: the trainer uses whichever exists). The native engine spreads it over its threads.
   */
  adamwStep?(params: Float32Array, grad: Float32Array, state: { step: number; m: Float32Array; v: Float32Array }, lr: number,
    cfg: { beta1: number; beta2: number; eps: number; weightDecay: number }, mask: Uint8Array): void;
  /** Optional fast path for train/optimizer.ts `clipGradNorm`, bit for bit like adamwStep. */
  clipGradNorm?(grad: Float32Array, maxNorm: number): number;
  /** Free whatever the engine holds (wasm memory, tensors). */
  dispose(): void;
}

/** Engines the kit can build, fastest first on a CPU-only machine. */
export type EngineName = "fused-native" | "fused-wasm" | "tfjs-tensorflow" | "tfjs-webgpu" | "tfjs-wasm" | "tfjs-cpu";

/** Split [B, T+1] windows into inputs [B, T] and targets [B, T]. */
export function splitWindows(tokens: Int32Array, B: number, T: number): { inputs: Int32Array; targets: Int32Array } {
  if (tokens.length !== B * (T + 1)) throw new RangeError(`tokens has ${tokens.length} entries, expected B·(T+1) = ${B * (T + 1)}`);
  const inputs = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    inputs.set(tokens.subarray(b * (T + 1), b * (T + 1) + T), b * T);
    targets.set(tokens.subarray(b * (T + 1) + 1, (b + 1) * (T + 1)), b * T);
  }
  return { inputs, targets };
}
