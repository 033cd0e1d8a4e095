/**
 * `npm run bench:train` — training throughput of the proxy GPT on every available engine, side by
 * side with PyTorch CPU (Debian python3-torch, bench/reference/torch_gpt.py) on the same shapes
 * and optimiser, one thread each.
 *
 * The machine is shared, so the two sides are interleaved in rounds and timed by CPU time
 * (process.cpuUsage / time.process_time): tokens/s per core, robust to being descheduled. Wall
 * figures are printed too. The last line is one JSON object for the 445,952-parameter model and
 * the default engine (what `chooseEngine()` picks here).
 *
 * fused-native (the C engine compiled for this CPU) runs on one thread like every other row; on
 * the 1M preset it also runs on 2 threads, timed by wall clock, and that row's last column is
 * its speed-up over its own 1-thread wall time (target ≥ 1.7×).
 *
 * Flags: --steps N (timed steps per round, default 4), --rounds N (default 2), --all (also run the
 * plain-JS tfjs cpu backend on the larger models: ~30 s/step), --no-torch.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { chooseEngine, engineFor, initTfjsBackend, probeNativeBackend, type EngineInfo } from "../kernel-lib/model/backend.js";
import { flopsPerToken, paramCount, presetConfig, type GptConfig, type PresetName } from "../kernel-lib/model/config.js";
import { fusedEngineAvailable, nativeEngineCheck } from "../kernel-lib/model/engine-fused.js";
import { nativeEngineStatus } from "../kernel-lib/model/fused/native-build.js";
import { initModel } from "../kernel-lib/model/params.js";
import { createTrainer } from "../kernel-lib/train/loop.js";
import { createRng } from "../kernel-lib/util/rng.js";
import { projectRoot } from "../kernel-lib/util/paths.js";

const { values: flags } = parseArgs({
  options: {
    steps: { type: "string", default: "4" },
    rounds: { type: "string", default: "2" },
    all: { type: "boolean", default: false },
    "no-torch": { type: "boolean", default: false },
  },
});
const STEPS = Number(flags.steps), ROUNDS = Number(flags.rounds);

interface Shape { label: string; preset: PresetName; B: number; T: number }
const SHAPES: Shape[] = [
  { label: "tiny", preset: "tiny", B: 16, T: 64 },
  { label: "1M", preset: "1M", B: 8, T: 256 },
  { label: "445k", preset: "445k", B: 16, T: 128 },
];

interface Timing { cpuMs: number[]; wallMs: number[] }
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN; };
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/** A PyTorch server process answering timing requests (see torch_gpt.py). */
class TorchRef {
  // torch.set_num_threads(1) does not reach Debian's OpenBLAS (libopenblas0-pthread), which
  // otherwise runs the matmuls on every core: pin the BLAS pools too, for one thread each side.
  private proc = spawn("/usr/bin/python3", [join(projectRoot(), "bench", "reference", "torch_gpt.py")], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
  });
  private lines = createInterface({ input: this.proc.stdout! })[Symbol.asyncIterator]();
  version = "";
  async time(c: GptConfig, B: number, T: number, steps: number): Promise<Timing & { params: number }> {
    this.proc.stdin!.write(JSON.stringify({ V: c.vocabSize, T, B, d: c.dModel, L: c.nLayer, H: c.nHead, m: c.dMlp, steps }) + "\n");
    const { value, done } = await this.lines.next();
    if (done) throw new Error("torch reference exited");
    const r = JSON.parse(value as string) as { error?: string; params: number; step_cpu_ms: number[]; step_wall_ms: number[]; torch: string };
    if (r.error) throw new Error(`torch reference: ${r.error}`);
    this.version = r.torch;
    return { cpuMs: r.step_cpu_ms, wallMs: r.step_wall_ms, params: r.params };
  }
  close() { this.proc.stdin!.end(); }
}

/** Why the PyTorch side cannot run here, or null when Debian's python3 imports torch. */
function torchUnavailable(): string | null {
  if (!existsSync("/usr/bin/python3")) return "no /usr/bin/python3 (apt-get install python3-torch)";
  const r = spawnSync("/usr/bin/python3", ["-c", "import torch"], { encoding: "utf8" });
  if (r.error) return `could not run /usr/bin/python3: ${r.error.message}`;
  return r.status === 0 ? null : "/usr/bin/python3 cannot import torch (apt-get install python3-torch)";
}

/** Which BLAS Debian's torch loaded (the libblas.so.3 alternative): the reference BLAS makes it ~10× slower. */
function torchBlas(): string {
  const code = "import torch\ntorch.ones(64,64)@torch.ones(64,64)\nm=open('/proc/self/maps').read()\n" +
    "print(next((n for n in ('openblas','mkl','blis','atlas') if n in m), 'reference'))";
  const r = spawnSync("/usr/bin/python3", ["-c", code], { encoding: "utf8", env: { ...process.env, OPENBLAS_NUM_THREADS: "1" } });
  return r.status === 0 ? r.stdout.trim() : "unknown";
}

/**
 * How many cores this process really gets right now: a fixed busy loop on 1 worker thread, then
 * on 2 at once; returns 2·t₁/t₂ (2.0 on an idle 2-core machine, ~1.0 when other processes hold a
 * core). Puts the 2-thread row in context on a shared machine.
 */
async function parallelHeadroom(): Promise<number> {
  const code = "const { parentPort } = require('node:worker_threads'); let x = 0; for (let i = 0; i < 3e8; i++) x += i % 7; parentPort.postMessage(x);";
  const run = async (n: number) => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: n }, () => new Promise((res, rej) => {
      const w = new Worker(code, { eval: true });
      w.once("message", res);
      w.once("error", rej);
    })));
    return performance.now() - t0;
  };
  const t1 = await run(1), t2 = await run(2);
  return (2 * t1) / t2;
}

/** `reason` of the portable row added beside a CPU-tuned default build */
const PORTABLE_BESIDE = "bench: portable build beside the default";

interface EngineRun { label: string; info: EngineInfo; run: (steps: number) => Timing }

const labelOf = (info: EngineInfo) => {
  const name = info.build?.flavour === "portable" ? `${info.engine} (portable)` : info.engine;
  return info.threads && info.threads > 1 ? `${name} ×${info.threads} threads` : name;
};

function makeRun(info: EngineInfo, cfg: GptConfig, B: number, T: number): EngineRun {
  const engine = engineFor(cfg, info);
  const trainer = createTrainer({ model: initModel(cfg, 0), engine, schedule: { kind: "constant", lr: 1e-3, warmupSteps: 0, totalSteps: 1_000_000 } });
  const rng = createRng(1);
  return {
    label: labelOf(info),
    info,
    run(steps) {
      const t: Timing = { cpuMs: [], wallMs: [] };
      for (let s = 0; s < steps; s++) {
        const tokens = Int32Array.from({ length: B * (T + 1) }, () => rng.int(256));
        const c0 = cpuNow(), w0 = performance.now();
        trainer.trainStep({ tokens, batchSize: B, seqLen: T, domainIndex: new Int32Array(B) });
        t.cpuMs.push(cpuNow() - c0);
        t.wallMs.push(performance.now() - w0);
      }
      return t;
    },
  };
}

async function main(): Promise<void> {
  const engines: EngineInfo[] = [];
  const native = nativeEngineCheck();
  if (native.ok) engines.push({ engine: "fused-native", threads: 1, build: native.build, reason: "bench" });
  else console.log(`fused-native: ${native.reason}`);
  // the portable build (MIXLAB_NATIVE_BUILD=portable: bit-exact on every AVX2 CPU) beside the CPU-tuned one, for its speed cost
  const portable = nativeEngineStatus("portable");
  if (portable.ok && native.ok && native.build.flavour !== "portable") engines.push({ engine: "fused-native", threads: 1, build: portable.build, reason: PORTABLE_BESIDE });
  else if (portable.ok === false) console.log(`fused-native (portable): ${portable.reason}`);
  if (fusedEngineAvailable()) engines.push({ engine: "fused-wasm", reason: "bench" });
  const defaultEngine = (await chooseEngine()).engine;
  const tfNative = await probeNativeBackend();
  if (tfNative && (await initTfjsBackend("tensorflow"))) engines.push({ engine: "tfjs-tensorflow", tfjsBackend: "tensorflow", nativePackage: tfNative, reason: "bench" });
  if (await initTfjsBackend("wasm")) engines.push({ engine: "tfjs-wasm", tfjsBackend: "wasm", reason: "bench" });
  if (await initTfjsBackend("cpu")) engines.push({ engine: "tfjs-cpu", tfjsBackend: "cpu", reason: "bench" });
  const torchMissing = flags["no-torch"] ? "skipped (--no-torch)" : torchUnavailable();
  if (torchMissing) console.log(`PyTorch reference side: ${torchMissing}; ratios are not computed`);
  const torch = torchMissing ? null : new TorchRef();
  const blas = torch ? torchBlas() : "";
  if (blas === "reference") console.log("WARNING: PyTorch runs on the reference BLAS (libblas3); apt-get install libopenblas0-pthread for a fair comparison");

  console.log(`bench:train — one thread each, timed by CPU time (per core); ${ROUNDS} rounds × ${STEPS} steps, interleaved with PyTorch`);
  console.log(`CPU: ${cpus()[0]?.model ?? "unknown"} (${cpus().length} logical CPUs); default engine here: ${defaultEngine}${native.ok ? ` (${native.detail})` : ""}`);
  const header = ["model", "params", "B×T", "engine", "ms/step", "wall ms", "tokens/s", "GFLOP/s", "÷ PyTorch"];
  const rows: string[][] = [];
  let last: Record<string, unknown> = {};
  const threadRows: Record<string, unknown>[] = [];
  for (const sh of SHAPES) {
    const cfg = presetConfig(sh.preset);
    const tokens = sh.B * sh.T, flops = flopsPerToken(cfg, sh.T);
    const infos = engines.filter((e) => e.engine !== "tfjs-cpu" || sh.preset === "tiny" || flags.all);
    if (native.ok && sh.preset === "1M") infos.splice(1, 0, { engine: "fused-native", threads: 2, build: native.build, reason: "bench" });
    const runs: EngineRun[] = infos.map((e) => makeRun(e, cfg, sh.B, sh.T));
    const headroom = infos.some((e) => (e.threads ?? 1) > 1) ? await parallelHeadroom() : NaN;
    const per = new Map<string, Timing>(runs.map((r) => [r.label, { cpuMs: [], wallMs: [] }]));
    const ref: Timing = { cpuMs: [], wallMs: [] };
    for (const r of runs) r.run(1); // warm-up (JIT, buffers)
    if (torch) await torch.time(cfg, sh.B, sh.T, 1);
    for (let round = 0; round < ROUNDS; round++) {
      for (const r of runs) {
        const slow = r.info.engine === "tfjs-cpu" || (r.info.engine === "tfjs-wasm" && sh.preset !== "tiny");
        if (slow && round > 0) continue; // one short round is enough for the slow engines
        const t = r.run(slow ? 1 : STEPS);
        per.get(r.label)!.cpuMs.push(...t.cpuMs);
        per.get(r.label)!.wallMs.push(...t.wallMs);
      }
      if (torch) {
        const t = await torch.time(cfg, sh.B, sh.T, STEPS);
        ref.cpuMs.push(...t.cpuMs);
        ref.wallMs.push(...t.wallMs);
      }
    }
    const refTps = ref.cpuMs.length ? (tokens / median(ref.cpuMs)) * 1000 : NaN;
    const fmt = (label: string, t: Timing, ratio: string) => {
      const ms = median(t.cpuMs), tps = (tokens / ms) * 1000;
      rows.push([sh.label, String(paramCount(cfg)), `${sh.B}×${sh.T}`, label, ms.toFixed(1), median(t.wallMs).toFixed(1),
        tps.toFixed(0), ((tps * flops) / 1e9).toFixed(1), ratio]);
      return tps;
    };
    for (const r of runs) {
      const t = per.get(r.label)!;
      if (r.info.threads && r.info.threads > 1) {
        // several threads: wall clock, compared with the same engine's 1-thread wall clock
        const one = per.get(labelOf({ ...r.info, threads: 1 }));
        const speedup = one ? median(one.wallMs) / median(t.wallMs) : NaN;
        fmt(r.label, { cpuMs: t.wallMs, wallMs: t.wallMs }, `${speedup.toFixed(2)}× own 1-thread (wall)`);
        threadRows.push({ preset: sh.label, engine: r.info.engine, threads: r.info.threads, speedup_vs_1_thread_wall: Number(speedup.toFixed(2)), machine_headroom: Number(headroom.toFixed(2)) });
        continue;
      }
      const tps = (tokens / median(t.cpuMs)) * 1000;
      fmt(r.label, t, Number.isFinite(refTps) ? (tps / refTps).toFixed(3) : "-");
      // the default engine's row (the extra portable row is only beside it)
      if (sh.preset === "445k" && r.info.engine === defaultEngine && r.info.reason !== PORTABLE_BESIDE) {
        last = {
          params: paramCount(cfg), backend: r.info.engine, mixlab_tokens_per_s: Math.round(tps), pytorch_tokens_per_s: Math.round(refTps),
          ratio: Number((tps / refTps).toFixed(3)), basis: "CPU time, one thread each",
          mixlab_wall_tokens_per_s: Math.round((tokens / median(t.wallMs)) * 1000),
          pytorch_wall_tokens_per_s: Math.round((tokens / median(ref.wallMs)) * 1000),
        };
      }
    }
    if (torch) fmt(`pytorch-cpu ${torch.version} (${blas})`, ref, "1.000");
  }
  torch?.close();
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => (j < 4 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ");
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  console.log("tfjs-cpu runs on tiny only unless --all (≈30 s/step on 445k). GFLOP/s counts flopsPerToken (6N + 12·L·T·d).");
  for (const t of threadRows) {
    console.log(`Rows with ×N threads are timed by wall clock (ms/step = wall); all other rows by CPU time. While the ${t.preset} ` +
      `rows ran, two busy threads got ${(t.machine_headroom as number).toFixed(2)}× one thread's throughput on this machine (2.00 = two free cores).`);
  }
  console.log(JSON.stringify({ ...last, threads: threadRows }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
