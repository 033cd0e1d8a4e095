/**
 * The compute backend recorded in manifests and run records. One small function so the
 * experiment kit asks the model layer (`chooseEngine`, which honours MIXLAB_BACKEND) in
 * exactly one place.
 */

let cached: Promise<string> | null = null;

/**
 * Name of the engine runs of this process use, e.g. "fused-native", "fused-wasm" or "tfjs-wasm". The model
 * layer (and tfjs) is loaded lazily on first call and the answer cached for the process.
 * A bad MIXLAB_BACKEND is a `MixlabError` (BACKEND_UNAVAILABLE / BAD_BACKEND).
 *
 * @example
 * await currentBackend(); // "fused-native" where a C compiler exists, else "fused-wasm"
 */
export function currentBackend(): Promise<string> {
  if (!cached) {
    cached = import("../model/backend.js").then(async ({ chooseEngine }) => {
      const info = await chooseEngine();
      return info.tfjsBackend && !info.engine.endsWith(info.tfjsBackend) ? `${info.engine}/${info.tfjsBackend}` : info.engine;
    });
    cached.catch(() => { cached = null; });
  }
  return cached;
}
