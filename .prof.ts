import { readFileSync } from "node:fs";
import { presetConfig, flopsPerToken } from "/work/main/kernel-lib/model/config.js";
import { initModel } from "/work/main/kernel-lib/model/params.js";
const wasmPath = process.argv[2] ?? "/tmp/mx/prof.wasm";
const preset = process.argv[3] ?? "445k";
const W = (globalThis as any).WebAssembly;
const mod = new W.Module(readFileSync(wasmPath));
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const inst = new W.Instance(mod, { env: { now: cpuNow } });
const ex = inst.exports as any;
const c = presetConfig(preset); const m = initModel(c, 1);
const B = 16, T = Math.min(128, c.blockSize), N = B * T;
if (ex.mx_init(c.vocabSize, c.blockSize, c.nLayer, c.nHead, c.dModel, c.dMlp, N, c.blockSize) !== 0) throw new Error("init");
new Float32Array(ex.memory.buffer, ex.mx_params(), m.params.length).set(m.params);
const inp = new Int32Array(ex.memory.buffer, ex.mx_inputs(), N), tgt = new Int32Array(ex.memory.buffer, ex.mx_targets(), N);
for (let i = 0; i < N; i++) { inp[i] = (i * 37 + 11) % 256; tgt[i] = (i * 53 + 7) % 256; }
const names: Record<number,string> = {1:"ln fwd",2:"qkv gemm",3:"S=qk gemm",4:"softmax",5:"PV gemm",6:"wo gemm",7:"w1 gemm",8:"gelu fwd",9:"w2 gemm",10:"logits gemm",11:"CE fwd",12:"dlogits",13:"logits bwd gemm",14:"ln bwd",15:"mlp bwd gemm",16:"gelu bwd",17:"colsum",18:"wo bwd gemm",19:"attn bwd gemm",20:"dS",21:"qkv bwd gemm",22:"embed"};
const reps = Number(process.argv[4] ?? 8);
ex.mx_forward(B, T, c.nLayer, 1); ex.mx_backward(B, T);
const prof = () => new Float64Array(ex.memory.buffer, ex.mx_prof(), 32);
const best = new Float64Array(32).fill(Infinity); let ms = Infinity;
for (let r = 0; r < reps; r++) { prof().fill(0); const t0 = cpuNow(); ex.mx_forward(B, T, c.nLayer, 1); ex.mx_backward(B, T); ms = Math.min(ms, cpuNow() - t0); const p = prof(); for (let i = 0; i < 32; i++) best[i] = Math.min(best[i], p[i]); }
const p = best; let acc = 0;
for (let i = 0; i < 32; i++) if (p[i] > 0) { acc += p[i]; if (!process.argv[5]) console.log((names[i] ?? String(i)).padEnd(18), (p[i]).toFixed(2).padStart(8), "ms"); }
console.log("accounted", acc.toFixed(1), "of", ms.toFixed(1), "ms/step;", (N / ms * 1000).toFixed(0), "tok/s;", (flopsPerToken(c, T) * N / ms / 1e6).toFixed(1), "GFLOP/s");
