/**
 * The worker-thread half of the WebGPU engine (engine-webgpu.ts is the other half).
 *
 * Why a worker: reading a tensor back from WebGPU is asynchronous (tfjs's `dataSync` on webgpu
 * needs OffscreenCanvas, which Node lacks), but `GptEngine` is synchronous because the trainer,
 * validation loss, embeddings and scoring are. So gpt.ts runs here on tfjs's webgpu backend with
 * `await tensor.data()`, and the main thread blocks on an `Atomics.wait` until the reply is
 * posted (then takes it with `receiveMessageOnPort`). The GPU work is the same either way; the
 * price is one copy of the parameters per call.
 *
 * Protocol (one request at a time): main sets ctrl[0] = 0 and posts a `WorkerRequest` on the
 * port; the worker posts a `WorkerReply`, then sets ctrl[0] = 1 and notifies.
 */
import * as tf from "@tensorflow/tfjs";
import type { MessagePort } from "node:worker_threads";
import type { GptConfig } from "./config.js";
import { paramLayout } from "./config.js";
import { splitWindows } from "./engine.js";
import { hiddenStates, logitsOf, lossOf, paramTensors, tokenLossesOf, type TfParams } from "./gpt.js";
import { installNavigatorGpu, loadWebgpuModule, requestWebgpuAdapter, type WebgpuAdapterInfo, type WebgpuPath } from "./webgpu.js";

/** What the main thread passes as `workerData`. */
export interface WebgpuWorkerData {
  /** Int32Array(1) view target: 0 = waiting, 1 = reply posted */
  ctrl: SharedArrayBuffer;
  port: MessagePort;
  config: GptConfig;
  /** restrict the adapter search to one Dawn path */
  path?: WebgpuPath;
}

export type WorkerRequest =
  | { op: "lossAndGrad"; params: Float32Array; tokens: Int32Array; B: number; T: number }
  | { op: "tokenLosses"; params: Float32Array; tokens: Int32Array; B: number; T: number }
  | { op: "logits"; params: Float32Array; inputs: Int32Array; B: number; T: number }
  | { op: "hidden"; params: Float32Array; inputs: Int32Array; B: number; T: number; layer: number }
  | { op: "dispose" };

export type WorkerReply =
  | { ok: true; adapter?: WebgpuAdapterInfo; loss?: number; data?: Float32Array; numTensors: number }
  | { ok: false; error: string };

/** Bring up tfjs's webgpu backend on the first adapter found; returns the teardown. */
async function initBackend(path: WebgpuPath | undefined): Promise<{ adapter: WebgpuAdapterInfo; teardown: () => void }> {
  const mod = await loadWebgpuModule();
  if (!mod) throw new Error('optional package "webgpu" is not installed');
  const found = await requestWebgpuAdapter(path);
  if (!found) throw new Error("no WebGPU adapter");
  Object.assign(globalThis, mod.globals); // GPUBufferUsage, GPUMapMode, … which tfjs reads as globals
  const undo = installNavigatorGpu(found.gpu);
  // the backend registers itself only if navigator.gpu exists when it is first imported
  const spec: string = "@tensorflow/tfjs-backend-webgpu";
  await import(spec);
  if (!(await tf.setBackend("webgpu"))) throw new Error("tfjs webgpu backend failed to initialise");
  await tf.ready();
  return {
    adapter: found.info,
    teardown: () => {
      tf.removeBackend("webgpu"); // disposes the backend (and destroys its device)
      undo();
    },
  };
}

/** int32 [B, T] tensor */
const ids = (a: Int32Array, B: number, T: number) => tf.tensor2d(a, [B, T], "int32");

/** Run one request on the webgpu backend; exactly one read-back per call. */
async function handle(c: GptConfig, r: Exclude<WorkerRequest, { op: "dispose" }>): Promise<{ loss?: number; data: Float32Array }> {
  if (r.op === "lossAndGrad") {
    const layout = paramLayout(c);
    const names = layout.map((e) => e.name);
    const { inputs, targets } = splitWindows(r.tokens, r.B, r.T);
    // the loss [] and all gradients flattened in layout order into one [nParams] tensor
    const out = tf.tidy(() => {
      const P = paramTensors(c, r.params);
      const xi = ids(inputs, r.B, r.T), yi = ids(targets, r.B, r.T);
      const f = (...ts: tf.Tensor[]) => {
        const Q: TfParams = {};
        names.forEach((n, i) => (Q[n] = ts[i]));
        return lossOf(c, Q, xi, yi);
      };
      const { value, grads } = tf.valueAndGrads(f)(names.map((n) => P[n]));
      return { value, flat: tf.concat(grads.map((g) => tf.reshape(g, [-1]))) };
    });
    try {
      const [loss, data] = await Promise.all([out.value.data(), out.flat.data()]);
      return { loss: loss[0], data: data as Float32Array };
    } finally {
      tf.dispose([out.value, out.flat]);
    }
  }
  const t = tf.tidy(() => {
    const P = paramTensors(c, r.params);
    if (r.op === "tokenLosses") {
      const { inputs, targets } = splitWindows(r.tokens, r.B, r.T);
      return tokenLossesOf(c, P, ids(inputs, r.B, r.T), ids(targets, r.B, r.T));
    }
    if (r.op === "logits") return logitsOf(c, P, ids(r.inputs, r.B, r.T));
    return hiddenStates(c, P, ids(r.inputs, r.B, r.T), r.layer + 1)[r.layer];
  });
  try {
    return { data: (await t.data()) as Float32Array };
  } finally {
    t.dispose();
  }
}

/**
 * The worker's main loop (called by the bootstrap in engine-webgpu.ts): initialise, reply with
 * the adapter, then answer requests until "dispose".
 *
 * @example
 * // inside a worker thread, after tsx has loaded this file:
 * serveWebgpuWorker(workerData as WebgpuWorkerData);
 */
export function serveWebgpuWorker(d: WebgpuWorkerData): void {
  const ctrl = new Int32Array(d.ctrl);
  const reply = (m: WorkerReply, transfer: ArrayBuffer[] = []) => {
    d.port.postMessage(m, transfer);
    Atomics.store(ctrl, 0, 1);
    Atomics.notify(ctrl, 0);
  };
  const fail = (e: unknown) => reply({ ok: false, error: e instanceof Error ? e.message : String(e) });
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
  let teardown = () => {};
  initBackend(d.path).then(
    (r) => {
      teardown = r.teardown;
      reply({ ok: true, adapter: r.adapter, numTensors: tf.memory().numTensors });
      d.port.on("message", (req: WorkerRequest) => {
        if (req.op === "dispose") {
          try {
            teardown();
            reply({ ok: true, numTensors: 0 });
          } catch (e) {
            fail(e);
          }
          d.port.close(); // nothing else keeps this thread alive
          return;
        }
        handle(d.config, req).then(
          (res) => {
            const whole = res.data.byteOffset === 0 && res.data.byteLength === res.data.buffer.byteLength;
            reply({ ok: true, ...res, numTensors: tf.memory().numTensors }, whole ? [res.data.buffer as ArrayBuffer] : []);
          },
          fail,
        );
      });
    },
    fail,
  );
}
