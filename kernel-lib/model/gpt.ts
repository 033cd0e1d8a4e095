/**
 * The proxy GPT in tfjs ops — the readable reference implementation of the model. The fused
 * wasm engine (engine-fused.ts) computes exactly this function; tests hold the two together.
 *
 * Notation: B batch, T sequence length, V vocabulary (256 bytes), d = dModel, H heads,
 * hd = d/H head width, m = dMlp, L layers. Matrices are stored [in, out]: y = x·W + b.
 *
 * Written for the tfjs WebAssembly backend, whose kernels have three traps (measured):
 *  - matMul with transposeA/transposeB — which is also what the built-in matMul gradient uses —
 *    is 10–20× slower than a plain matMul, so `mm`/`bmm` below carry a custom gradient that
 *    transposes explicitly and then multiplies untransposed;
 *  - slicing a fused qkv projection is slow, so q, k, v have separate weights;
 *  - the gradient of `gather` needs UnsortedSegmentSum, which wasm lacks, so the token
 *    embedding is oneHot(ids)·E.
 */
import * as tf from "@tensorflow/tfjs";
import type { GptConfig } from "./config.js";
import { paramLayout } from "./config.js";

/** Named parameter tensors (same names as paramLayout). */
export type TfParams = Record<string, tf.Tensor>;

/**
 * Wrap the flat parameter vector as named tensors (copies into the active backend).
 *
 * @example
 * const P = tf.tidy(() => paramTensors(model.config, model.params));
 */
export function paramTensors(c: GptConfig, flat: Float32Array): TfParams {
  const P: TfParams = {};
  for (const e of paramLayout(c)) P[e.name] = tf.tensor(flat.subarray(e.offset, e.offset + e.size), e.shape, "float32");
  return P;
}

/** tf.customGrad's callback type, for two tensor inputs. */
type CustomGrad2 = Parameters<typeof tf.customGrad>[0];
const custom2 = (f: (a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] }) =>
  tf.customGrad(f as unknown as CustomGrad2) as unknown as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** a [M,K] · b [K,N] → [M,N], gradient through explicit transposes (see the file comment). */
const mm = custom2((a, b, save) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    // dA = dY·Bᵀ [M,K], dB = Aᵀ·dY [K,N]
    gradFunc: (dy, saved) => [
      tf.matMul(dy as tf.Tensor2D, tf.transpose(saved[1]) as tf.Tensor2D),
      tf.matMul(tf.transpose(saved[0]) as tf.Tensor2D, dy as tf.Tensor2D),
    ],
  };
});

/** Batched a [n,M,K] · b [n,K,N] → [n,M,N] with the same explicit-transpose gradient. */
const bmm = custom2((a, b, save) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D),
    gradFunc: (dy, saved) => [
      tf.matMul(dy as tf.Tensor3D, tf.transpose(saved[1], [0, 2, 1]) as tf.Tensor3D),
      tf.matMul(tf.transpose(saved[0], [0, 2, 1]) as tf.Tensor3D, dy as tf.Tensor3D),
    ],
  };
});

/** x [N,d] → LayerNorm over d (eps 1e-5, as torch), scaled by g [d] and shifted by b [d]. */
function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const mean = tf.mean(x, -1, true); // [N,1]
  const xc = tf.sub(x, mean); // [N,d]
  const variance = tf.mean(tf.square(xc), -1, true); // [N,1] (biased, as torch)
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, 1e-5))), g), b);
}

/** GELU, tanh approximation (GPT-2's "gelu_new"; torch nn.GELU(approximate="tanh")). */
function gelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** Additive causal mask [T,T]: 0 on and below the diagonal, -1e9 above (future positions). */
function causalMask(T: number): tf.Tensor {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -1e9;
  return tf.tensor(m, [T, T]);
}

/**
 * One pre-LN block on the residual stream x [B·T, d]; returns the new residual [B·T, d].
 * x ← x + Attn(LN1(x));  x ← x + MLP(LN2(x)).
 */
function block(c: GptConfig, P: TfParams, l: number, x: tf.Tensor, B: number, T: number, mask: tf.Tensor): tf.Tensor {
  const p = `h${l}.`;
  const H = c.nHead, hd = c.dModel / H;
  const a = layerNorm(x, P[p + "ln1.g"], P[p + "ln1.b"]); // [B·T, d]
  // q, k, v [B·T, d] → [B, T, H, hd] → [B, H, T, hd] → [B·H, T, hd]
  const heads = (w: string, bias: string) =>
    tf.reshape(tf.transpose(tf.reshape(tf.add(mm(a, P[p + w]), P[p + bias]), [B, T, H, hd]), [0, 2, 1, 3]), [B * H, T, hd]);
  const q = heads("attn.wq", "attn.bq");
  const k = heads("attn.wk", "attn.bk");
  const v = heads("attn.wv", "attn.bv");
  const kT = tf.transpose(k, [0, 2, 1]); // [B·H, hd, T]
  const scores = tf.add(tf.mul(bmm(q, kT), 1 / Math.sqrt(hd)), mask); // [B·H, T, T]
  const att = tf.softmax(scores, -1); // [B·H, T, T], rows sum to 1 over past positions
  const y = bmm(att, v); // [B·H, T, hd]
  const merged = tf.reshape(tf.transpose(tf.reshape(y, [B, H, T, hd]), [0, 2, 1, 3]), [B * T, c.dModel]); // [B·T, d]
  x = tf.add(x, tf.add(mm(merged, P[p + "attn.wo"]), P[p + "attn.bo"]));
  const h = layerNorm(x, P[p + "ln2.g"], P[p + "ln2.b"]); // [B·T, d]
  const u = gelu(tf.add(mm(h, P[p + "mlp.w1"]), P[p + "mlp.b1"])); // [B·T, m]
  return tf.add(x, tf.add(mm(u, P[p + "mlp.w2"]), P[p + "mlp.b2"])); // [B·T, d]
}

/**
 * Residual-stream states: hidden[0] is the embedding output (token + position), hidden[l+1] the
 * output of block l (before the final LayerNorm, like HF's hidden_states except the last).
 * Stops after `upTo` states when given. inputs: int32 [B, T].
 */
export function hiddenStates(c: GptConfig, P: TfParams, inputs: tf.Tensor, upTo: number = c.nLayer + 1): tf.Tensor[] {
  const [B, T] = inputs.shape;
  // token embedding as oneHot(ids)·wte: [B·T, V]·[V, d] → [B·T, d]
  const onehot = tf.oneHot(tf.reshape(inputs, [B * T]) as tf.Tensor1D, c.vocabSize).toFloat();
  const tok = mm(onehot, P.wte);
  // positions 0..T-1 of wpe [Tmax, d], tiled over the batch → [B·T, d]
  const pos = tf.tile(tf.slice(P.wpe, [0, 0], [T, c.dModel]), [B, 1]);
  let x = tf.add(tok, pos);
  const out = [x];
  const mask = causalMask(T);
  for (let l = 0; l < c.nLayer && out.length < upTo; l++) {
    x = block(c, P, l, x, B, T, mask);
    out.push(x);
  }
  return out;
}

/**
 * Next-token logits [B·T, V] for inputs int32 [B, T]: LN_f(x_L) · wteᵀ (tied output).
 *
 * @example
 * const logits = tf.tidy(() => logitsOf(cfg, P, tf.tensor2d(ids, [B, T], "int32")));
 */
export function logitsOf(c: GptConfig, P: TfParams, inputs: tf.Tensor): tf.Tensor {
  const hs = hiddenStates(c, P, inputs);
  const x = layerNorm(hs[hs.length - 1], P["lnf.g"], P["lnf.b"]); // [B·T, d]
  return mm(x, tf.transpose(P.wte)); // [B·T, d]·[d, V] → [B·T, V]
}

/**
 * Per-position cross-entropy (nats) [B·T] of targets int32 [B, T] under the model.
 *
 * @example
 * const nll = tf.tidy(() => tokenLossesOf(cfg, P, inputs, targets));
 */
export function tokenLossesOf(c: GptConfig, P: TfParams, inputs: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  const logits = logitsOf(c, P, inputs); // [B·T, V]
  const logp = tf.logSoftmax(logits, -1); // [B·T, V]
  const [B, T] = targets.shape;
  const onehot = tf.oneHot(tf.reshape(targets, [B * T]) as tf.Tensor1D, c.vocabSize).toFloat(); // [B·T, V]
  return tf.neg(tf.sum(tf.mul(logp, onehot), -1)); // [B·T]
}

/**
 * Mean next-token loss (nats/token), the training objective.
 *
 * @example
 * const { value, grads } = tf.variableGrads(() => lossOf(cfg, P, inputs, targets));
 */
export function lossOf(c: GptConfig, P: TfParams, inputs: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.mean(tokenLossesOf(c, P, inputs, targets)) as tf.Scalar;
}
