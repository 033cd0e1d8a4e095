/**
 * `npm run bench:train-gpu` — training throughput of the proxy GPT on a GPU through WebGPU
 * (Dawn, tfjs's webgpu backend), side by side with PyTorch on CUDA (bench/reference/torch_gpt.py
 * --device cuda) on the same shapes and optimiser. For a machine with a GPU and a Vulkan driver;
 * `npx mixlab doctor` first shows whether the adapter is hardware.
 *
 * Per shape it prints: first-step wall ms (buffer set-up + WGSL shader compilation), the median
 * step after it, the part of that spent in the engine (loss + gradient on the GPU, including the
 * parameter upload and gradient read-back) — the rest is clipping and AdamW on the host —
 * tokens/s, PyTorch's tokens/s and the ratio. The last line is one JSON object with every row.
 *
 * Flags: --steps N (timed steps, default 10), --shapes a,b (default tiny,445k,small,100M),
 * --quick (tiny shapes only: proves the script on a software adapter), --engine E (default webgpu;
 * any MIXLAB_BACKEND value), --no-torch, --torch-device cuda|cpu (default cuda), --python PATH
 * (default $MIXLAB_PYTHON or python3).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { chooseEngine, engineFor } from "../kernel-lib/model/backend.js";
import { flopsPerToken, paramCount, presetConfig, type GptConfig } from "../kernel-lib/model/config.js";
import type { GptEngine } from "../kernel-lib/model/engine.js";
import { initModel } from "../kernel-lib/model/params.js";
import { createTrainer } from "../kernel-lib/train/loop.js";
import { projectRoot } from "../kernel-lib/util/paths.js";
import { createRng } from "../kernel-lib/util/rng.js";

const { values: flags } = parseArgs({
  options: {
    steps: { type: "string", default: "10" },
    shapes: { type: "string", default: "tiny,445k,small,100M" },
    quick: { type: "boolean", default: false },
    engine: { type: "string", default: "webgpu" },
    "no-torch": { type: "boolean", default: false },
    "torch-device": { type: "string", default: "cuda" },
    python: { type: "string", default: process.env.MIXLAB_PYTHON ?? "python3" },
  },
});
const STEPS = Number(flags.steps);

interface Shape { label: string; config: GptConfig; B: number; T: number }
/** ≈100M parameters: 14 layers of d = 768 (12·d² each) plus byte embeddings. */
const CONFIG_100M: GptConfig = { vocabSize: 256, blockSize: 512, nLayer: 14, nHead: 12, dModel: 768, dMlp: 3072 };
const SHAPES: Record<string, Shape> = {
  tiny: { label: "tiny", config: presetConfig("tiny"), B: 64, T: 64 },
  "445k": { label: "445k", config: presetConfig("445k"), B: 64, T: 128 },
  small: { label: "small (≈10M)", config: presetConfig("small"), B: 64, T: 256 },
  "100M": { label: "100M", config: CONFIG_100M, B: 16, T: 512 },
};
const QUICK: Shape[] = [
  { label: "tiny (quick)", config: presetConfig("tiny"), B: 4, T: 32 },
  { label: "445k (quick)", config: presetConfig("445k"), B: 2, T: 32 },
];

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2; };

/** PyTorch answering timing requests (JSON lines; see torch_gpt.py). */
class TorchRef {
  private proc = spawn(flags.python!, [join(projectRoot(), "bench", "reference", "torch_gpt.py"), "--device", flags["torch-device"]!], { stdio: ["pipe", "pipe", "inherit"] });
  private lines = createInterface({ input: this.proc.stdout! })[Symbol.asyncIterator]();
  constructor() {
    this.proc.on("error", () => {}); // no python: reported by time()
  }
  async time(c: GptConfig, B: number, T: number, steps: number): Promise<{ wallMs: number[]; torch: string; device: string }> {
    this.proc.stdin!.write(JSON.stringify({ V: c.vocabSize, T, B, d: c.dModel, L: c.nLayer, H: c.nHead, m: c.dMlp, steps }) + "\n");
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`torch reference (${flags.python}) exited`);
    const r = JSON.parse(value as string) as { error?: string; step_wall_ms: number[]; torch: string; device: string };
    if (r.error) throw new Error(`torch reference: ${r.error}`);
    return { wallMs: r.step_wall_ms, torch: r.torch, device: r.device };
  }
  close() { this.proc.stdin!.end(); }
}

/** An engine that also records how long each lossAndGrad took. */
function timed(e: GptEngine, log: number[]): GptEngine {
  return {
    name: e.name, config: e.config,
    lossAndGrad: (p, t, B, T, g) => { const t0 = performance.now(); const l = e.lossAndGrad(p, t, B, T, g); log.push(performance.now() - t0); return l; },
    tokenLosses: (p, t, B, T) => e.tokenLosses(p, t, B, T),
    logits: (p, i, B, T) => e.logits(p, i, B, T),
    hidden: (p, i, B, T, l) => e.hidden(p, i, B, T, l),
    dispose: () => e.dispose(),
  };
}

async function main(): Promise<void> {
  const info = await chooseEngine(flags.engine);
  const shapes = flags.quick ? QUICK : flags.shapes!.split(",").map((s) => {
    const sh = SHAPES[s.trim()];
    if (!sh) throw new Error(`unknown shape "${s}" (have ${Object.keys(SHAPES).join(", ")})`);
    return sh;
  });
  const torch = flags["no-torch"] ? null : new TorchRef();
  console.log(`bench:train-gpu — engine ${info.engine}${info.adapter ? ` on ${info.adapter}` : ""}; ${STEPS} timed steps after the first; wall time`);
  const rows: Record<string, string | number>[] = [];
  for (const sh of shapes) {
    const { config: cfg, B, T } = sh;
    const engineMs: number[] = [];
    const engine = timed(engineFor(cfg, info), engineMs);
    const trainer = createTrainer({ model: initModel(cfg, 0), engine, schedule: { kind: "constant", lr: 1e-3, warmupSteps: 0, totalSteps: 1_000_000 } });
    const rng = createRng(1);
    const stepMs: number[] = [];
    for (let s = 0; s <= STEPS; s++) {
      const tokens = Int32Array.from({ length: B * (T + 1) }, () => rng.int(256));
      const t0 = performance.now();
      trainer.trainStep({ tokens, batchSize: B, seqLen: T, domainIndex: new Int32Array(B) });
      stepMs.push(performance.now() - t0);
    }
    engine.dispose();
    const first = stepMs.shift()!;
    engineMs.shift();
    const ms = median(stepMs), tps = (B * T * STEPS * 1000) / stepMs.reduce((a, b) => a + b, 0);
    const row: Record<string, string | number> = {
      model: sh.label, params: paramCount(cfg), "B×T": `${B}×${T}`, engine: info.engine,
      "first ms": Math.round(first), "≈compile ms": Math.round(first - ms), "ms/step": Number(ms.toFixed(1)),
      "engine ms": Number(median(engineMs).toFixed(1)), "tokens/s": Math.round(tps),
      "GFLOP/s": Number(((tps * flopsPerToken(cfg, T)) / 1e9).toFixed(1)),
    };
    if (torch) {
      try {
        await torch.time(cfg, B, T, 1); // its own warm-up (cuBLAS handles, allocator)
        const r = await torch.time(cfg, B, T, STEPS);
        const ttps = (B * T * STEPS * 1000) / r.wallMs.reduce((a, b) => a + b, 0);
        Object.assign(row, { "torch tokens/s": Math.round(ttps), "÷ torch": Number((tps / ttps).toFixed(3)), torch: `${r.torch} ${r.device}` });
      } catch (e) {
        Object.assign(row, { "torch tokens/s": "-", "÷ torch": "-", torch: (e as Error).message.slice(0, 80) });
      }
    }
    rows.push(row);
    console.log(Object.entries(row).map(([k, v]) => `${k} ${v}`).join(" | "));
  }
  torch?.close();
  console.log("ms/step is the whole trainer step; engine ms is loss+gradient incl. parameter upload and gradient read-back; the rest is host-side clipping + AdamW.");
  console.log(JSON.stringify({ engine: info.engine, adapter: info.adapter ?? null, steps: STEPS, rows }));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
