/**
 * The compute backend recorded in manifests and run records. One small function so the
 * experiment kit asks the model layer in exactly one place.
 */

/**
 * Name of the backend runs of this process use (e.g. "cpu", "wasm", "auto").
 *
 * @example
 * currentBackendName(); // "auto" unless MIXLAB_BACKEND is set
 */
export function currentBackendName(): string {
  return process.env.MIXLAB_BACKEND ?? "auto";
}
