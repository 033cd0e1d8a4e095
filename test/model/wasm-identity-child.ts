// Child process of test/model/portable-build.test.ts: prints the sha256 of the WebAssembly
// engine's loss + gradient at step 0 and of its parameters after 8 AdamW steps (the JS AdamW,
// as the trainer uses with this engine), under whatever V8 flags the parent started it with.
import { createHash } from "node:crypto";
import { FusedEngine } from "../../kernel-lib/model/engine-fused.js";
import { adamwStep, createAdamWState, decayMask, DEFAULT_ADAMW } from "../../kernel-lib/train/optimizer.js";
import { perturbedModel, randomTokens, smallConfig } from "./helpers.js";

const cfg = smallConfig({ nLayer: 2 });
const engine = new FusedEngine(cfg);
const params = Float32Array.from(perturbedModel(cfg, 11).params);
const grad = new Float32Array(params.length);
const st = createAdamWState(params.length);
const mask = decayMask(cfg);
const first = createHash("sha256");
for (let s = 0; s < 8; s++) {
  const loss = engine.lossAndGrad(params, randomTokens(4 * 17, 100 + s), 4, 16, grad);
  if (s === 0) first.update(Buffer.from(Float32Array.of(loss).buffer)).update(Buffer.from(grad.buffer));
  adamwStep(params, grad, st, 3e-3, DEFAULT_ADAMW, mask);
}
console.log(`${first.digest("hex")} ${createHash("sha256").update(Buffer.from(params.buffer)).digest("hex")}`);
