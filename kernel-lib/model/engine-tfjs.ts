import * as tf from "@tensorflow/tfjs";
import { MixlabError } from "../util/errors.js";
import type { GptConfig } from "./config.js";
import { paramLayout } from "./config.js";
import { splitWindows, type GptEngine } from "./engine.js";
import { hiddenStates, logitsOf, lossOf, paramTensors, tokenLossesOf, type TfParams } from "./gpt.js";

/**
 * The model of gpt.ts run on one tfjs backend ("wasm", "cpu", or "tensorflow" from tfjs-node).
 * The backend must already be initialised (see backend.ts `initTfjsBackend`); each call switches
 * to it, builds the parameter tensors from the flat vector, computes inside `tf.tidy`, and copies
 * the results out — nothing stays allocated between calls, so tensor counts cannot grow.
 *
 * @example
 * await initTfjsBackend("wasm");
 * const eng = new TfjsEngine(cfg, "wasm");
 * const loss = eng.lossAndGrad(model.params, batch.tokens, B, T, grad);
 */
export class TfjsEngine implements GptEngine {
  readonly name: string;
  readonly config: GptConfig;
  readonly backend: string;

  constructor(config: GptConfig, backend: string) {
    if (!tf.findBackend(backend)) throw new MixlabError("BACKEND_UNAVAILABLE", `tfjs backend "${backend}" is not initialised`);
    this.config = { ...config };
    this.backend = backend;
    this.name = `tfjs-${backend}`;
  }

  private use(): void {
    if (tf.getBackend() !== this.backend) void tf.setBackend(this.backend); // already initialised → switches synchronously
  }

  lossAndGrad(params: Float32Array, tokens: Int32Array, B: number, T: number, grad: Float32Array): number {
    this.use();
    const c = this.config;
    const { inputs, targets } = splitWindows(tokens, B, T);
    const layout = paramLayout(c);
    return tf.tidy(() => {
      const P = paramTensors(c, params);
      const names = layout.map((e) => e.name);
      const xi = tf.tensor2d(inputs, [B, T], "int32");
      const yi = tf.tensor2d(targets, [B, T], "int32");
      const f = (...ts: tf.Tensor[]) => {
        const Q: TfParams = {};
        names.forEach((n, i) => (Q[n] = ts[i]));
        return lossOf(c, Q, xi, yi);
      };
      const { value, grads } = tf.valueAndGrads(f)(names.map((n) => P[n]));
      layout.forEach((e, i) => grad.set(grads[i].dataSync() as Float32Array, e.offset));
      return value.dataSync()[0];
    });
  }

  tokenLosses(params: Float32Array, tokens: Int32Array, B: number, T: number): Float32Array {
    this.use();
    const { inputs, targets } = splitWindows(tokens, B, T);
    return tf.tidy(() => {
      const P = paramTensors(this.config, params);
      const out = tokenLossesOf(this.config, P, tf.tensor2d(inputs, [B, T], "int32"), tf.tensor2d(targets, [B, T], "int32"));
      return Float32Array.from(out.dataSync() as Float32Array);
    });
  }

  logits(params: Float32Array, inputs: Int32Array, B: number, T: number): Float32Array {
    this.use();
    return tf.tidy(() => {
      const P = paramTensors(this.config, params);
      return Float32Array.from(logitsOf(this.config, P, tf.tensor2d(inputs, [B, T], "int32")).dataSync() as Float32Array);
    });
  }

  hidden(params: Float32Array, inputs: Int32Array, B: number, T: number, layer: number): Float32Array {
    this.use();
    if (!Number.isInteger(layer) || layer < 0 || layer > this.config.nLayer) {
      throw new MixlabError("MODEL_BAD_LAYER", `layer must be in 0..${this.config.nLayer}, got ${layer}`);
    }
    return tf.tidy(() => {
      const P = paramTensors(this.config, params);
      const hs = hiddenStates(this.config, P, tf.tensor2d(inputs, [B, T], "int32"), layer + 1);
      return Float32Array.from(hs[layer].dataSync() as Float32Array);
    });
  }

  dispose(): void {
    // nothing is held between calls
  }
}
