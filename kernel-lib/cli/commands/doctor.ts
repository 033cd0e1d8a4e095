/**
 * `mixlab doctor [--all] [--steps N] [--preset P] [--batch B] [--seq T] [--json]` — what this
 * machine can run the proxy GPT on: Node version, the engine the auto choice (or
 * MIXLAB_BACKEND) picks and why, every backend's availability (tfjs-node-gpu, tfjs-node, the
 * WebGPU adapter — hardware or software, opt-in only — fused-native with the reason it cannot
 * build when it cannot, fused-wasm, tfjs-wasm, tfjs-cpu), and a training
 * throughput figure (tokens/s over N steps, default 10, `tiny` preset) for the chosen engine, or
 * with `--all` for every available one.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { join } from "node:path";
import { intFlag, parseCommandArgs } from "../args.js";
import { chooseEngine, initTfjsBackend, probeNativeBackend, type EngineInfo } from "../../model/backend.js";
import { nonEmbeddingParamCount, paramCount, presetConfig } from "../../model/config.js";
import { defaultThreads, fusedEngineAvailable, nativeEngineCheck } from "../../model/engine-fused.js";
import { adapterSummary, probeWebgpu } from "../../model/webgpu.js";
import { measureTrainThroughput, type ThroughputResult } from "../../train/throughput.js";
import { projectRoot } from "../../util/paths.js";

const USAGE = "usage: mixlab doctor [--all] [--steps N] [--preset tiny|445k|1M|small] [--batch B] [--seq T] [--json]";

/** One backend's availability. `info` is how to run it, when available. */
export interface BackendStatus {
  name: "tfjs-node-gpu" | "tfjs-node" | "webgpu" | "fused-native" | "fused-wasm" | "tfjs-wasm" | "tfjs-cpu";
  available: boolean;
  detail: string;
  info?: EngineInfo;
}

/** Everything `doctor` found. */
export interface DoctorReport {
  node: string;
  platform: string;
  cpus: number;
  choice: EngineInfo;
  backends: BackendStatus[];
  preset: string;
  params: number;
  /** parameters without the token and position embeddings (RegMix reports model sizes this way) */
  nonEmbeddingParams: number;
  throughput: ThroughputResult[];
}

/** What node_modules holds under a package name: absent, the real package, or an npm alias. */
function installedAs(pkg: string): "absent" | "package" | string {
  try {
    const req = createRequire(join(projectRoot(), "package.json"));
    const name = (JSON.parse(readFileSync(req.resolve(`${pkg}/package.json`), "utf8")) as { name?: string }).name;
    return name === pkg ? "package" : name ?? "package";
  } catch {
    return "absent";
  }
}

/** tfjs-node-gpu / tfjs-node: which one (if any) registered the native "tensorflow" backend. */
async function nativeStatus(): Promise<BackendStatus[]> {
  const loaded = await probeNativeBackend();
  return (["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const).map((pkg) => {
    const name = pkg === "@tensorflow/tfjs-node-gpu" ? "tfjs-node-gpu" : "tfjs-node";
    if (loaded === pkg) {
      return { name, available: true, detail: `${pkg}: native "tensorflow" backend`, info: { engine: "tfjs-tensorflow", tfjsBackend: "tensorflow", nativePackage: pkg, reason: "doctor" } } as BackendStatus;
    }
    const inst = installedAs(pkg);
    const detail =
      inst === "absent" ? "not installed (optional; see environment.md)"
      : inst !== "package" ? `an npm alias of ${inst} (registers no native backend)`
      : loaded ? `installed, but ${loaded} provides the backend` : "installed, but its native library did not load";
    return { name, available: false, detail } as BackendStatus;
  });
}

/**
 * Look at every backend and time the chosen engine (or, with `all`, each available one).
 *
 * @example
 * const r = await gatherDoctorReport({ steps: 10 });
 * r.choice.engine; // "fused-native" where a C compiler exists, else "fused-wasm"
 */
export async function gatherDoctorReport(o: { all?: boolean; steps?: number; preset?: string; batch?: number; seq?: number } = {}): Promise<DoctorReport> {
  const config = presetConfig(o.preset ?? "tiny");
  const steps = o.steps ?? 10, B = o.batch ?? 8, T = o.seq ?? Math.min(64, config.blockSize);
  const choice = await chooseEngine(); // auto, or MIXLAB_BACKEND
  const backends: BackendStatus[] = await nativeStatus();

  const gpu = await probeWebgpu();
  if (gpu.available && gpu.adapter) {
    const a = gpu.adapter;
    backends.push({
      name: "webgpu",
      available: true,
      detail: `${adapterSummary(a)} — opt-in (MIXLAB_BACKEND=webgpu): never auto-selected until \`npm run bench:train-gpu\` on a real GPU shows it beating the default engine`,
      info: { engine: "tfjs-webgpu", tfjsBackend: "webgpu", nativePackage: "webgpu", adapter: adapterSummary(a), reason: "doctor" },
    });
  } else {
    backends.push({ name: "webgpu", available: false, detail: gpu.reason });
  }

  const native = nativeEngineCheck();
  // `=== false` (not a ternary on `native.ok`): tslab compiles kernel-lib non-strict, where that does not narrow
  if (native.ok === false) backends.push({ name: "fused-native", available: false, detail: `${native.reason} → the WebAssembly engine runs instead` });
  else backends.push({ name: "fused-native", available: true, detail: `${native.detail}; MIXLAB_THREADS=${defaultThreads()}`, info: { engine: "fused-native", threads: defaultThreads(), reason: "doctor" } });
  const fused = fusedEngineAvailable();
  backends.push({ name: "fused-wasm", available: fused, detail: fused ? "WebAssembly SIMD128" : "this runtime lacks WebAssembly SIMD", info: fused ? { engine: "fused-wasm", reason: "doctor" } : undefined });
  for (const b of ["wasm", "cpu"] as const) {
    const ok = await initTfjsBackend(b);
    backends.push({
      name: b === "wasm" ? "tfjs-wasm" : "tfjs-cpu",
      available: ok,
      detail: ok ? (b === "wasm" ? "tfjs XNNPACK WebAssembly, one thread" : "plain JavaScript kernels (parity reference)") : "failed to initialise",
      info: ok ? { engine: b === "wasm" ? "tfjs-wasm" : "tfjs-cpu", tfjsBackend: b, reason: "doctor" } : undefined,
    });
  }

  const runs: EngineInfo[] = o.all ? backends.filter((b) => b.available && b.info).map((b) => b.info!) : [choice];
  const throughput = runs.map((info) => measureTrainThroughput(info, config, { B, T, steps }));
  return { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: cpus().length, choice, backends, preset: o.preset ?? "tiny", params: paramCount(config), nonEmbeddingParams: nonEmbeddingParamCount(config), throughput };
}

/**
 * The report as the lines `doctor` prints.
 *
 * @example
 * console.log(formatDoctorReport(await gatherDoctorReport()));
 */
export function formatDoctorReport(r: DoctorReport): string {
  const out: string[] = [];
  out.push(`node        ${r.node} (${r.platform}, ${r.cpus} CPUs)`);
  const how = r.choice.reason === "MIXLAB_BACKEND" ? `MIXLAB_BACKEND=${process.env.MIXLAB_BACKEND}` : r.choice.reason;
  out.push(`engine      ${r.choice.engine}  (${how}${r.choice.adapter ? `; ${r.choice.adapter}` : ""})`);
  out.push("backends");
  for (const b of r.backends) out.push(`  ${b.name.padEnd(14)} ${b.available ? "yes" : "no "}  ${b.detail}`);
  const t0 = r.throughput[0];
  if (t0) {
    out.push(`throughput  ${r.preset} preset (${r.params.toLocaleString("en-US")} params, ${r.nonEmbeddingParams.toLocaleString("en-US")} non-embedding as RegMix counts), B=${t0.B} T=${t0.T}, ${t0.steps} timed steps after one untimed first step`);
    for (const t of r.throughput) {
      out.push(`  ${t.engine.padEnd(16)} ${Math.round(t.tokensPerSecond).toLocaleString("en-US").padStart(9)} tokens/s  ${t.msPerStep.toFixed(1).padStart(8)} ms/step  first step ${t.firstStepMs.toFixed(0)} ms`);
    }
  }
  return out.join("\n");
}

/**
 * `mixlab doctor …`; returns the exit code.
 *
 * @example
 * await run(["--all", "--steps", "3"]); // 0
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      help: { type: "boolean", short: "h" },
      all: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      steps: { type: "string", default: "10" },
      preset: { type: "string", default: "tiny" },
      batch: { type: "string", default: "8" },
      seq: { type: "string" },
    },
  }, USAGE, "BAD_FLAG");
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const r = await gatherDoctorReport({ all: values.all, steps: intFlag(values.steps, "--steps", { min: 1 }), preset: values.preset, batch: intFlag(values.batch, "--batch", { min: 1 }), seq: intFlag(values.seq, "--seq", { min: 1 }) });
  console.log(values.json ? JSON.stringify(r, null, 2) : formatDoctorReport(r));
  return 0;
}
