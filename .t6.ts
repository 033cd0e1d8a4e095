import { presetConfig } from "./kernel-lib/model/config.js";
import { initModel } from "./kernel-lib/model/params.js";
import { FusedEngine } from "./kernel-lib/model/engine-fused.js";
import { createTrainer } from "./kernel-lib/train/loop.js";
const c = presetConfig("tiny"); const m = initModel(c, 3); const e = new FusedEngine(c);
const B=4,T=32; const tok = new Int32Array(B*(T+1)).map((_, i)=> (i*2654435761 >>> 24) & 255);
const tr = createTrainer({model: m, engine: e, schedule: {kind:"constant", lr: 1e-2, warmupSteps: 5, totalSteps: 150}, optimizer: {weightDecay: 0}});
const t0=performance.now();
for (let s=0;s<150;s++){ const st = tr.trainStep({tokens: tok, batchSize: B, seqLen: T, domainIndex: new Int32Array(B)}); if (s%10==0||s==149) console.log(s, st.loss.toFixed(4)); }
console.log("ms", performance.now()-t0);
