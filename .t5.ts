import { presetConfig, flopsPerToken } from "./kernel-lib/model/config.js";
import { initModel } from "./kernel-lib/model/params.js";
import { FusedEngine } from "./kernel-lib/model/engine-fused.js";
const c = presetConfig("445k"); const m = initModel(c, 1); const f = new FusedEngine(c);
const B=16,T=128; const tok = new Int32Array(B*(T+1)).map((_, i)=> (i*37+11)%256); const g = new Float32Array(m.params.length);
for (let r=0;r<6;r++){ const t0=performance.now(); f.lossAndGrad(m.params, tok, B, T, g); const ms=performance.now()-t0; console.log("ms/step", ms.toFixed(1), "tok/s", (B*T/ms*1000).toFixed(0), "GFLOP/s", (flopsPerToken(c,T)*B*T/ms/1e6).toFixed(1)); }
const inp = new Int32Array(B*T).map((_, i)=> (i*53+7)%256);
for (let r=0;r<3;r++){ const t0=performance.now(); f.logits(m.params, inp, B, T); console.log("fwd ms", (performance.now()-t0).toFixed(1)); }
