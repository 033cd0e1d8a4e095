import { WebgpuEngine } from "./kernel-lib/model/engine-webgpu.js";
import { chooseEngine } from "./kernel-lib/model/backend.js";
import { presetConfig } from "./kernel-lib/model/config.js";
console.log(await chooseEngine());
console.log(await chooseEngine("webgpu"));
const eng = new WebgpuEngine(presetConfig("tiny"));
console.log("no dispose; should exit");
