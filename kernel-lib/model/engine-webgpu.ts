import { existsSync } from "node:fs";
import { join } from "node:path";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { MixlabError } from "../util/errors.js";
import { projectRoot } from "../util/paths.js";
import type { GptConfig } from "./config.js";
import type { GptEngine } from "./engine.js";
import { prepareEglEnvironment, type WebgpuAdapterInfo, type WebgpuPath } from "./webgpu.js";
import type { WebgpuWorkerData, WorkerReply, WorkerRequest } from "./webgpu-worker.js";

/**
 * Plain CommonJS run by `new Worker(…, { eval: true })`: load the TypeScript worker module
 * through tsx (a dependency; the worker thread does not inherit the parent's loader), then serve.
 * A failure here is reported on the same port/flag as any other reply, so the parent never hangs.
 */
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
const { pathToFileURL } = require("node:url");
const { createRequire } = require("node:module");
const d = workerData;
const fail = (e) => {
  d.port.postMessage({ ok: false, error: "webgpu worker failed to start: " + (e && e.message ? e.message : String(e)) });
  const ctrl = new Int32Array(d.ctrl);
  Atomics.store(ctrl, 0, 1);
  Atomics.notify(ctrl, 0);
};
try {
  // tsx's ESM api, located through its package.json exports (its CommonJS build cannot load here)
  const pkgPath = createRequire(d.root + "/package.json").resolve("tsx/package.json");
  const api = require(pkgPath).exports["./esm/api"].import.default;
  import(pathToFileURL(require("node:path").join(pkgPath, "..", api)).href)
    .then(({ tsImport }) => tsImport(pathToFileURL(d.entry).href, pathToFileURL(d.root + "/").href))
    .then((m) => m.serveWebgpuWorker(d))
    .catch(fail);
} catch (e) {
  fail(e);
}
`;

/** Options for `WebgpuEngine`. */
export interface WebgpuEngineOptions {
  /** only try this Dawn path ("default" = Vulkan/Metal/D3D12, "opengles" = EGL/GLES) */
  path?: WebgpuPath;
  /** per-call limit in ms (default 600,000): a wedged GPU driver becomes an error, not a hang */
  timeoutMs?: number;
}

/**
 * gpt.ts on tfjs's WebGPU backend (Dawn through the optional `webgpu` package), behind the
 * synchronous `GptEngine` interface: the model runs in a worker thread (webgpu-worker.ts) and
 * each call blocks until its result is back. Construction blocks too (adapter, device, tsx load:
 * about a second) and throws `MixlabError("BACKEND_UNAVAILABLE")` when no adapter is found.
 * WGSL shaders compile on first use of each kernel shape, so the first step is slow.
 *
 * @example
 * const eng = new WebgpuEngine(presetConfig("tiny"));
 * eng.adapter.software; // true on llvmpipe
 * const loss = eng.lossAndGrad(model.params, batch.tokens, B, T, grad);
 * eng.dispose(); // ends the worker (the worker is unref'd, so a forgotten dispose does not hang Node)
 */
export class WebgpuEngine implements GptEngine {
  readonly name = "tfjs-webgpu";
  readonly config: GptConfig;
  /** the adapter the worker's device runs on */
  readonly adapter: WebgpuAdapterInfo;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly ctrl: Int32Array;
  private readonly timeoutMs: number;
  private held = 0;
  private disposed = false;

  constructor(config: GptConfig, options: WebgpuEngineOptions = {}) {
    this.config = { ...config };
    this.timeoutMs = options.timeoutMs ?? 600_000;
    const root = projectRoot();
    const entry = join(root, "kernel-lib", "model", "webgpu-worker.ts");
    if (!existsSync(entry)) throw new MixlabError("BACKEND_UNAVAILABLE", `cannot find ${entry} (run from the mixlab project, or set MIXLAB_ROOT)`);
    prepareEglEnvironment();
    const shared = new SharedArrayBuffer(4);
    this.ctrl = new Int32Array(shared);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: WebgpuWorkerData & { root: string; entry: string } = { ctrl: shared, port: port2, config: this.config, path: options.path, root, entry };
    this.worker = new Worker(BOOTSTRAP, { eval: true, workerData: data, transferList: [port2] });
    this.worker.unref();
    this.worker.on("error", () => {}); // reported through the port; never crash the parent
    const r = this.wait(Math.max(this.timeoutMs, 120_000));
    if (!r.adapter) throw new MixlabError("BACKEND_UNAVAILABLE", "webgpu worker sent no adapter");
    this.adapter = r.adapter;
    this.held = r.numTensors;
  }

  /** Tensors alive in the worker after the last call (constant across calls: no leak). */
  get tensorsHeld(): number {
    return this.held;
  }

  /** Block until the worker's reply, and return it (throws on error or timeout). */
  private wait(timeoutMs: number): Extract<WorkerReply, { ok: true }> {
    if (Atomics.wait(this.ctrl, 0, 0, timeoutMs) === "timed-out") {
      this.kill();
      throw new MixlabError("BACKEND_TIMEOUT", `webgpu engine did not answer within ${timeoutMs} ms`);
    }
    const got = receiveMessageOnPort(this.port);
    const r = got?.message as WorkerReply | undefined;
    if (!r) {
      this.kill();
      throw new MixlabError("BACKEND_UNAVAILABLE", "webgpu worker signalled without a reply");
    }
    // `r.ok === false` (not `!r.ok`): tslab compiles kernel-lib non-strict, where `!r.ok` does not narrow.
    if (r.ok === false) {
      this.kill();
      throw new MixlabError("BACKEND_UNAVAILABLE", `webgpu: ${(r as { error: string }).error}`);
    }
    return r;
  }

  private call(req: WorkerRequest): Extract<WorkerReply, { ok: true }> {
    if (this.disposed) throw new MixlabError("BACKEND_UNAVAILABLE", "webgpu engine was disposed");
    Atomics.store(this.ctrl, 0, 0);
    this.port.postMessage(req);
    const r = this.wait(this.timeoutMs);
    this.held = r.numTensors;
    return r;
  }

  private kill(): void {
    this.disposed = true;
    this.port.close();
    void this.worker.terminate();
  }

  private data(req: WorkerRequest, expected: number): Float32Array {
    const d = this.call(req).data;
    if (!d || d.length !== expected) throw new MixlabError("BACKEND_UNAVAILABLE", `webgpu returned ${d?.length} values, expected ${expected}`);
    return d;
  }

  lossAndGrad(params: Float32Array, tokens: Int32Array, B: number, T: number, grad: Float32Array): number {
    const r = this.call({ op: "lossAndGrad", params, tokens, B, T });
    if (!r.data || r.data.length !== grad.length || r.loss === undefined) throw new MixlabError("BACKEND_UNAVAILABLE", "webgpu returned a malformed gradient");
    grad.set(r.data);
    return r.loss;
  }

  tokenLosses(params: Float32Array, tokens: Int32Array, B: number, T: number): Float32Array {
    return this.data({ op: "tokenLosses", params, tokens, B, T }, B * T);
  }

  logits(params: Float32Array, inputs: Int32Array, B: number, T: number): Float32Array {
    return this.data({ op: "logits", params, inputs, B, T }, B * T * this.config.vocabSize);
  }

  hidden(params: Float32Array, inputs: Int32Array, B: number, T: number, layer: number): Float32Array {
    if (!Number.isInteger(layer) || layer < 0 || layer > this.config.nLayer) {
      throw new MixlabError("MODEL_BAD_LAYER", `layer must be in 0..${this.config.nLayer}, got ${layer}`);
    }
    return this.data({ op: "hidden", params, inputs, B, T, layer }, B * T * this.config.dModel);
  }

  dispose(): void {
    if (this.disposed) return;
    try {
      this.call({ op: "dispose" });
    } finally {
      this.kill();
    }
  }
}
