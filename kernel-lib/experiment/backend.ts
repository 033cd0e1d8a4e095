/**
 * The compute backend recorded in manifests and run records. One small module so the
 * experiment kit asks the model layer (`chooseEngine`, which honours MIXLAB_BACKEND and
 * MIXLAB_NATIVE_BUILD) in exactly one place.
 */
import type { EngineInfo } from "../model/backend.js";
import type { EngineBuild } from "../model/engine.js";

let cached: Promise<EngineInfo> | null = null;

function engineInfo(): Promise<EngineInfo> {
  if (!cached) {
    cached = import("../model/backend.js").then(({ chooseEngine }) => chooseEngine());
    cached.catch(() => { cached = null; });
  }
  return cached;
}

/**
 * Name of the engine runs of this process use, e.g. "fused-native", "fused-wasm" or "tfjs-wasm". The model
 * layer (and tfjs) is loaded lazily on first call and the answer cached for the process.
 * A bad MIXLAB_BACKEND is a `MixlabError` (BACKEND_UNAVAILABLE / BAD_BACKEND).
 *
 * @example
 * await currentBackend(); // "fused-native" where a C compiler exists, else "fused-wasm"
 */
export async function currentBackend(): Promise<string> {
  const info = await engineInfo();
  return info.tfjsBackend && !info.engine.endsWith(info.tfjsBackend) ? `${info.engine}/${info.tfjsBackend}` : info.engine;
}

/**
 * The compiled build of that engine (flavour, ISA, compiler, flags, build id), or null for a
 * tfjs engine (whose kernels mixlab does not build).
 *
 * @example
 * (await currentEngineBuild())?.buildId; // "9c0e…"
 */
export async function currentEngineBuild(): Promise<EngineBuild | null> {
  return (await engineInfo()).build ?? null;
}
