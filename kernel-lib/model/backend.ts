import * as tf from "@tensorflow/tfjs";
import { MixlabError } from "../util/errors.js";
import type { GptConfig } from "./config.js";
import type { EngineBuild, EngineName, GptEngine } from "./engine.js";
import { defaultThreads, FusedEngine, fusedEngineAvailable, nativeEngineCheck, NativeEngine, wasmBuild } from "./engine-fused.js";
import { TfjsEngine } from "./engine-tfjs.js";
import { WebgpuEngine } from "./engine-webgpu.js";
import { adapterSummary, probeWebgpu } from "./webgpu.js";

/**
 * Which engine computes the model. Chosen once per process (or per call with `backend`), and
 * recorded in every run manifest as `EngineInfo`.
 *
 * "auto" order, fastest first on this kind of machine:
 *   1. tfjs-node-gpu ("tensorflow" backend on a CUDA GPU) — only when the user installed
 *      @tensorflow/tfjs-node-gpu (a native download this kit cannot make; see environment.md);
 *   2. fused-native — mixlab's own forward/backward engine (fused/gpt_engine.c) compiled by the
 *      system C compiler for this CPU (AVX2/AVX-512 + FMA, OpenMP threads), built and cached at
 *      first use (fused/native-build.ts); ~3× fused-wasm on one core;
 *   3. fused-wasm — the same C compiled to WebAssembly SIMD (engine-fused.ts), when the native
 *      build is impossible (no compiler, no AVX2, …: one line on stderr says why);
 *   4. tfjs-node ("tensorflow" backend, CPU) when installed;
 *   5. tfjs-wasm (tfjs's XNNPACK WebAssembly backend; threads do not work in Node);
 *   6. tfjs-cpu (plain JavaScript kernels; for parity checks only — ~60× slower).
 * tfjs-webgpu (Dawn, optional `webgpu` package) is opt-in only: `MIXLAB_BACKEND=webgpu`. It is
 * never auto-selected until `npm run bench:train-gpu` on a real GPU shows it beating the default
 * engine (environment.md).
 * `MIXLAB_BACKEND` (or the `backend` option) overrides: auto | native | fused | tensorflow | webgpu | wasm | cpu
 * (`fused` is the WebAssembly build; `webgpu` also takes a software adapter, e.g. llvmpipe).
 * `MIXLAB_THREADS` (default 1) sets the native engine's threads.
 */
export type BackendChoice = "auto" | "native" | "fused" | "tensorflow" | "webgpu" | "wasm" | "cpu";

export interface EngineInfo {
  engine: EngineName;
  /** the tfjs backend name, when the engine is a tfjs one */
  tfjsBackend?: string;
  /** the npm package that provided a native tfjs backend */
  nativePackage?: string;
  /** the WebGPU adapter, for tfjs-webgpu (see webgpu.ts `adapterSummary`) */
  adapter?: string;
  /** threads of the fused-native engine */
  threads?: number;
  /** the compiled build of a fused engine (fused-native: native or portable flavour; fused-wasm: the committed module) */
  build?: EngineBuild;
  /** why this engine was chosen */
  reason: string;
}

let nativeProbe: Promise<string | null> | null = null;

/**
 * Try to load tfjs-node-gpu, then tfjs-node (dynamic import: neither is a dependency). Returns
 * the package that registered the native "tensorflow" backend, or null. An npm alias that maps
 * the name to plain tfjs (as this project's own overrides do) registers no such backend and is
 * correctly reported as absent.
 *
 * @example
 * await probeNativeBackend(); // null on a machine without tfjs-node
 */
export function probeNativeBackend(): Promise<string | null> {
  if (!nativeProbe) {
    nativeProbe = (async () => {
      for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
        try {
          const spec: string = pkg; // a variable: bundlers and tsc must not resolve it statically
          await import(spec);
          if (tf.findBackend("tensorflow")) return pkg;
        } catch {
          // not installed (or its native library failed to load): try the next one
        }
      }
      return null;
    })();
  }
  return nativeProbe;
}

/**
 * Initialise a tfjs backend ("wasm", "cpu" or "tensorflow") and make it current. Returns false
 * when it cannot be initialised.
 *
 * @example
 * await initTfjsBackend("wasm"); // true in Node 20
 */
export async function initTfjsBackend(name: string): Promise<boolean> {
  if (name === "wasm") await import("@tensorflow/tfjs-backend-wasm");
  if (name === "tensorflow" && !(await probeNativeBackend())) return false;
  if (!tf.findBackendFactory(name) && !tf.findBackend(name)) return false;
  const ok = await tf.setBackend(name);
  if (!ok) return false;
  await tf.ready();
  if (name === "cpu") {
    // silence the one-time "install tfjs-node" banner: the cpu backend is only used for parity
    (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  }
  return true;
}

function parseChoice(s: string | undefined): BackendChoice {
  const v = (s ?? "auto").trim().toLowerCase();
  const ok: BackendChoice[] = ["auto", "native", "fused", "tensorflow", "webgpu", "wasm", "cpu"];
  if (!(ok as string[]).includes(v)) throw new MixlabError("BACKEND_UNKNOWN", `MIXLAB_BACKEND must be one of ${ok.join(", ")}, got "${s}"`);
  return v as BackendChoice;
}

let fallbackNoted = false;

/** One line on stderr, once per process, when auto falls back from the native engine. */
function noteNativeFallback(reason: string): void {
  if (fallbackNoted || reason === "MIXLAB_NATIVE=0") return;
  fallbackNoted = true;
  process.stderr.write(`mixlab: native engine unavailable (${reason}); using the WebAssembly engine\n`);
}

/**
 * Decide which engine to use (auto order above; `MIXLAB_BACKEND` or `choice` overrides).
 *
 * @example
 * (await chooseEngine()).engine; // "fused-native" on a machine with a C compiler, else "fused-wasm"
 */
export async function chooseEngine(choice?: BackendChoice | string): Promise<EngineInfo> {
  const explicit = choice !== undefined && choice !== "auto";
  const c = parseChoice(explicit ? choice : process.env.MIXLAB_BACKEND);
  const why = explicit ? "requested" : process.env.MIXLAB_BACKEND ? "MIXLAB_BACKEND" : "auto";
  if (c === "native") {
    const n = nativeEngineCheck();
    // `=== false` (not `!n.ok`): tslab compiles kernel-lib non-strict, where `!n.ok` does not narrow
    if (n.ok === false) throw new MixlabError("BACKEND_UNAVAILABLE", `native engine: ${n.reason}`);
    return { engine: "fused-native", threads: defaultThreads(), build: n.build, reason: `${why}: ${n.detail}` };
  }
  if (c === "fused") {
    if (!fusedEngineAvailable()) throw new MixlabError("BACKEND_UNAVAILABLE", "this runtime cannot run the fused WebAssembly SIMD engine");
    return { engine: "fused-wasm", build: wasmBuild(), reason: why };
  }
  if (c === "tensorflow") {
    const pkg = await probeNativeBackend();
    if (!pkg || !(await initTfjsBackend("tensorflow"))) {
      throw new MixlabError("BACKEND_UNAVAILABLE", "the tensorflow backend needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu installed");
    }
    return { engine: "tfjs-tensorflow", tfjsBackend: "tensorflow", nativePackage: pkg, reason: why };
  }
  if (c === "webgpu") {
    const p = await probeWebgpu();
    if (!p.available || !p.adapter) throw new MixlabError("BACKEND_UNAVAILABLE", `webgpu: ${p.reason}`);
    return { engine: "tfjs-webgpu", tfjsBackend: "webgpu", nativePackage: "webgpu", adapter: adapterSummary(p.adapter), reason: why };
  }
  if (c === "wasm" || c === "cpu") {
    if (!(await initTfjsBackend(c))) throw new MixlabError("BACKEND_UNAVAILABLE", `tfjs backend "${c}" failed to initialise`);
    return { engine: c === "wasm" ? "tfjs-wasm" : "tfjs-cpu", tfjsBackend: c, reason: why };
  }
  // auto
  const pkg = await probeNativeBackend();
  if (pkg === "@tensorflow/tfjs-node-gpu" && (await initTfjsBackend("tensorflow"))) {
    return { engine: "tfjs-tensorflow", tfjsBackend: "tensorflow", nativePackage: pkg, reason: "auto: CUDA backend installed" };
  }
  const n = nativeEngineCheck();
  if (n.ok) return { engine: "fused-native", threads: defaultThreads(), build: n.build, reason: `auto: ${n.detail}` };
  if (n.ok === false) {
    noteNativeFallback(n.reason);
    if (fusedEngineAvailable()) return { engine: "fused-wasm", build: wasmBuild(), reason: `auto: native engine unavailable (${n.reason}); WebAssembly SIMD` };
  }
  if (pkg && (await initTfjsBackend("tensorflow"))) return { engine: "tfjs-tensorflow", tfjsBackend: "tensorflow", nativePackage: pkg, reason: "auto" };
  if (await initTfjsBackend("wasm")) return { engine: "tfjs-wasm", tfjsBackend: "wasm", reason: "auto" };
  await initTfjsBackend("cpu");
  return { engine: "tfjs-cpu", tfjsBackend: "cpu", reason: "auto: nothing faster available" };
}

/**
 * Build the engine `info` describes for a config.
 *
 * @example
 * const eng = engineFor(cfg, await chooseEngine("fused"));
 */
export function engineFor(config: GptConfig, info: EngineInfo): GptEngine {
  if (info.engine === "fused-native") {
    const flavour = info.build?.flavour === "portable" || info.build?.flavour === "native" ? info.build.flavour : undefined;
    return new NativeEngine(config, { threads: info.threads, flavour });
  }
  if (info.engine === "fused-wasm") return new FusedEngine(config);
  if (info.engine === "tfjs-webgpu") return new WebgpuEngine(config);
  if (!info.tfjsBackend) throw new MixlabError("BACKEND_UNAVAILABLE", `engine ${info.engine} needs a tfjs backend`);
  return new TfjsEngine(config, info.tfjsBackend);
}

/**
 * Choose and build an engine in one call.
 *
 * @example
 * const { engine, info } = await createEngine(presetConfig("tiny"));
 * info.engine; // "fused-native"
 */
export async function createEngine(config: GptConfig, choice?: BackendChoice | string): Promise<{ engine: GptEngine; info: EngineInfo }> {
  const info = await chooseEngine(choice);
  return { engine: engineFor(config, info), info };
}
