import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { presetConfig } from "./kernel-lib/model/config.js";
import { initModel } from "./kernel-lib/model/params.js";
import { TfjsEngine } from "./kernel-lib/model/engine-tfjs.js";
import { FusedEngine } from "./kernel-lib/model/engine-fused.js";
async function main() {
  await tf.setBackend("cpu"); await tf.ready();
  for (const [B,T] of [[2,8],[3,13],[2,64]]) {
  const c = presetConfig("tiny");
  const m = initModel(c, 1);
  for (let i=0;i<m.params.length;i++) m.params[i] += 0.05*Math.sin(i*0.37); // break symmetry of LN/biases
  const a = new TfjsEngine(c, "cpu"), f = new FusedEngine(c);
  const tok = new Int32Array(B*(T+1)).map((_, i)=> (i*37+11)%256);
  const ga = new Float32Array(m.params.length), gf = new Float32Array(m.params.length);
  const la = a.lossAndGrad(m.params, tok, B, T, ga), lf = f.lossAndGrad(m.params, tok, B, T, gf);
  let md=0, mg=0; for (let i=0;i<ga.length;i++){ md=Math.max(md, Math.abs(ga[i]-gf[i])); mg=Math.max(mg,Math.abs(ga[i])); }
  const inp = new Int32Array(B*T).map((_, i)=> (i*53+7)%256);
  const lo1 = a.logits(m.params, inp, B, T), lo2 = f.logits(m.params, inp, B, T);
  let ml=0; for (let i=0;i<lo1.length;i++) ml=Math.max(ml, Math.abs(lo1[i]-lo2[i]));
  const h1 = a.hidden(m.params, inp, B, T, 1), h2 = f.hidden(m.params, inp, B, T, 1);
  let mh=0; for (let i=0;i<h1.length;i++) mh=Math.max(mh, Math.abs(h1[i]-h2[i]));
  console.log(B,T,"loss", la, lf, "max grad diff", md, "max grad", mg, "logit diff", ml, "hidden diff", mh);
  }
}
main();
