/**
 * WebGPU in Node through Dawn (`webgpu` npm package, an optional dependency that ships
 * `dawn.node`): load it, find an adapter, tell hardware from software, and install/remove the
 * `navigator.gpu` that @tensorflow/tfjs-backend-webgpu expects.
 *
 * Adapter search, first hit wins:
 *   1. Dawn's default backends (Vulkan on Linux; Metal on macOS; D3D12 on Windows), core
 *      feature level, "high-performance" — a GPU with a Vulkan driver (NVIDIA's, Mesa ≥ 23);
 *   2. Dawn's OpenGL ES backend through EGL (`backend=opengles`), which needs
 *      `featureLevel: "compatibility"` and, with no display, `EGL_PLATFORM=surfaceless`. With
 *      stock Mesa this is llvmpipe, a software rasteriser: slow, but the same WGSL kernels, so
 *      CI can run the model on it. Debian packages: libegl-dev (Dawn dlopens the unversioned
 *      `libEGL.so`, which only the -dev package ships), libegl-mesa0, libgl1-mesa-dri.
 * A software adapter (llvmpipe, lavapipe, SwiftShader, or one Dawn flags as fallback) is never
 * chosen automatically for training (the fused wasm engine is faster there); backend.ts only
 * uses it when asked (`MIXLAB_BACKEND=webgpu`).
 *
 * Lifetime: a `create()` result keeps Node's event loop alive while referenced, so everything
 * here drops its references (probe) or hands back a teardown function (navigator shim).
 */

import { existsSync } from "node:fs";
import { join } from "node:path";

/** Which Dawn path produced the adapter. */
export type WebgpuPath = "default" | "opengles";

/** What we learn about an adapter (plain data; safe to keep, log and put in manifests). */
export interface WebgpuAdapterInfo {
  path: WebgpuPath;
  vendor: string;
  architecture: string;
  /** e.g. "llvmpipe-llvm-15-0-6-256-bits-" or an NVIDIA device name */
  device: string;
  /** e.g. "OpenGL version OpenGL ES 3.2 Mesa 22.3.6" */
  description: string;
  /** a CPU rasteriser (llvmpipe, lavapipe, SwiftShader, …) rather than a GPU */
  software: boolean;
}

/** Result of looking for an adapter. */
export interface WebgpuProbe {
  available: boolean;
  adapter?: WebgpuAdapterInfo;
  /** why not, when unavailable (package missing, no adapter on any path, …) */
  reason: string;
}

/** The part of a WebGPU adapter we touch (structural: `webgpu` is optional, so no @webgpu/types). */
export interface GpuAdapterLike {
  readonly info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
  requestDevice(descriptor?: object): Promise<{ destroy(): void }>;
}

/** The part of `GPU` (navigator.gpu) we touch. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: string; featureLevel?: string; forceFallbackAdapter?: boolean }): Promise<GpuAdapterLike | null>;
}

/** The `webgpu` package's exports. */
export interface WebgpuModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

let modulePromise: Promise<WebgpuModule | null> | null = null;
let moduleError = "";

/**
 * Load the optional `webgpu` package (dynamic import: absent is fine). Null when it is not
 * installed or `dawn.node` cannot load on this platform; `webgpuLoadError()` says why.
 *
 * @example
 * const mod = await loadWebgpuModule(); // null without the optional dependency
 */
export function loadWebgpuModule(): Promise<WebgpuModule | null> {
  if (!modulePromise) {
    modulePromise = (async () => {
      try {
        const spec: string = "webgpu"; // a variable: tsc must not resolve the optional package
        const m = (await import(spec)) as Partial<WebgpuModule> & { default?: Partial<WebgpuModule> };
        const create = m.create ?? m.default?.create;
        const globals = m.globals ?? m.default?.globals;
        if (typeof create !== "function" || !globals) throw new Error("the webgpu package exports no create()/globals");
        return { create, globals };
      } catch (e) {
        moduleError = e instanceof Error ? e.message.split("\n")[0] : String(e);
        return null;
      }
    })();
  }
  return modulePromise;
}

/** Why `loadWebgpuModule()` returned null ("" when it did not). */
export function webgpuLoadError(): string {
  return moduleError;
}

const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|software|microsoft basic render/i;

/**
 * Read an adapter's identity and classify it as software or hardware. Dawn reports llvmpipe
 * behind GLES as a non-fallback adapter, so the device/description names are checked too.
 *
 * @example
 * describeAdapter(adapter, "opengles").software; // true on llvmpipe
 */
export function describeAdapter(adapter: GpuAdapterLike, path: WebgpuPath): WebgpuAdapterInfo {
  const i = adapter.info ?? {};
  const vendor = i.vendor ?? "", architecture = i.architecture ?? "", device = i.device ?? "", description = i.description ?? "";
  const software = Boolean(adapter.isFallbackAdapter || i.isFallbackAdapter || SOFTWARE_NAMES.test(`${vendor} ${architecture} ${device} ${description}`));
  return { path, vendor, architecture, device, description, software };
}

/**
 * One line for logs and manifests, e.g. "software, opengles: llvmpipe-llvm-15-0-6-256-bits- (OpenGL ES 3.2 Mesa 22.3.6)".
 *
 * @example
 * adapterSummary(info); // "hardware, default: nvidia ampere NVIDIA H100 (…)"
 */
export function adapterSummary(a: WebgpuAdapterInfo): string {
  const name = [a.vendor, a.architecture, a.device].filter((s) => s).join(" ") || "unnamed adapter";
  const desc = a.description.replace(/^OpenGL version /, "");
  return `${a.software ? "software" : "hardware"}, ${a.path}: ${name}${desc ? ` (${desc})` : ""}`;
}

/**
 * Let EGL start without a display (`EGL_PLATFORM=surfaceless`) unless the user chose a platform.
 * Must run on the main thread before Dawn starts: a worker's `process.env` is its own copy and
 * never reaches the native `getenv` that Mesa calls.
 *
 * @example
 * prepareEglEnvironment(); // process.env.EGL_PLATFORM === "surfaceless"
 */
export function prepareEglEnvironment(): void {
  process.env.EGL_PLATFORM ??= "surfaceless";
}

/**
 * A `GPU` object for one Dawn path. The GLES path gets `EGL_PLATFORM=surfaceless` (unless the
 * user set one) so EGL initialises without a display, and its `requestAdapter` always asks for
 * the compatibility feature level — tfjs does not pass that option and GLES has no core level.
 *
 * @example
 * const gpu = createGpu(mod, "opengles");
 */
export function createGpu(mod: WebgpuModule, path: WebgpuPath): GpuLike {
  if (path === "default") return mod.create([]);
  prepareEglEnvironment();
  const gpu = mod.create(["backend=opengles"]);
  const request = gpu.requestAdapter.bind(gpu);
  return {
    requestAdapter: (options) => request({ ...options, featureLevel: "compatibility" }),
  };
}

/**
 * Find an adapter: Dawn's default backends first, then OpenGL ES (see the file comment). The
 * caller owns the returned `gpu`/`adapter` and must drop them (or Node will not exit).
 * `only` restricts the search to one path.
 *
 * @example
 * const found = await requestWebgpuAdapter();
 * found?.info.software; // true on a machine without a GPU
 */
export async function requestWebgpuAdapter(only?: WebgpuPath): Promise<{ gpu: GpuLike; adapter: GpuAdapterLike; info: WebgpuAdapterInfo } | null> {
  const mod = await loadWebgpuModule();
  if (!mod) return null;
  // no Vulkan loader: skip Dawn's default backend rather than let it print a warning
  const paths: WebgpuPath[] = only ? [only] : hardwareWebgpuPossible() ? ["default", "opengles"] : ["opengles"];
  for (const path of paths) {
    try {
      const gpu = createGpu(mod, path);
      const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
      if (adapter) return { gpu, adapter, info: describeAdapter(adapter, path) };
    } catch {
      // this path cannot start here (no Vulkan loader, no EGL): try the next
    }
  }
  return null;
}

const probes = new Map<string, Promise<WebgpuProbe>>();

/**
 * Is there a WebGPU adapter, and is it a GPU? `only` restricts the search to one Dawn path
 * (backend.ts's auto choice looks at "default" only: GLES on a headless server is llvmpipe).
 * Cached per process; holds no GPU objects after it resolves (so Node can exit). Creates no
 * device.
 *
 * @example
 * const p = await probeWebgpu();
 * p.available && !p.adapter!.software; // true on a machine with a Vulkan GPU driver
 */
export function probeWebgpu(only?: WebgpuPath): Promise<WebgpuProbe> {
  const key = only ?? "any";
  let p = probes.get(key);
  if (!p) {
    p = (async (): Promise<WebgpuProbe> => {
      const mod = await loadWebgpuModule();
      if (!mod) return { available: false, reason: `optional package "webgpu" not loadable (${webgpuLoadError()})` };
      const found = await requestWebgpuAdapter(only);
      if (!found) {
        const where = only === "default" ? "no adapter from Dawn's default backend (Vulkan)" : "no adapter on Vulkan nor on OpenGL ES/EGL";
        return { available: false, reason: `${where}; see environment.md (GPU: a Vulkan driver + libvulkan1; software: apt install libegl-dev libegl-mesa0 libgl1-mesa-dri — Dawn loads the unversioned libEGL.so)` };
      }
      return { available: true, adapter: found.info, reason: adapterSummary(found.info) };
    })();
    probes.set(key, p);
  }
  return p;
}

const LIB_DIRS = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib", "/lib/x86_64-linux-gnu", "/lib64", "/lib"];

/**
 * Could Dawn's default backend reach a GPU here? On Linux that needs the Vulkan loader
 * (`libvulkan.so.1`, Debian package libvulkan1); without it the probe would only print Dawn's
 * "Couldn't load Vulkan" warning, so the auto choice skips it. Other platforms: true (Metal,
 * D3D12 are part of the OS).
 *
 * @example
 * hardwareWebgpuPossible(); // false on a Linux machine without libvulkan1
 */
export function hardwareWebgpuPossible(): boolean {
  if (process.platform !== "linux") return true;
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? "").split(":").filter((d) => d), ...LIB_DIRS];
  return dirs.some((d) => existsSync(join(d, "libvulkan.so.1")));
}

/**
 * Make `gpu` visible as `navigator.gpu` (what @tensorflow/tfjs-backend-webgpu looks for when it
 * is imported and when its backend initialises). Works whether or not the runtime already has a
 * `navigator` (Node ≥ 21 does). Returns the teardown, which removes the reference so Node exits.
 *
 * @example
 * const undo = installNavigatorGpu(found.gpu);
 * await import("@tensorflow/tfjs-backend-webgpu");
 * // … train …
 * undo();
 */
export function installNavigatorGpu(gpu: GpuLike): () => void {
  const g = globalThis as { navigator?: Record<string, unknown> };
  if (g.navigator && typeof g.navigator === "object") {
    const nav = g.navigator;
    Object.defineProperty(nav, "gpu", { value: gpu, configurable: true, writable: true, enumerable: true });
    return () => {
      delete nav.gpu;
    };
  }
  Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true, enumerable: false });
  return () => {
    delete g.navigator;
  };
}
