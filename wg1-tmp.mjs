import { create } from 'webgpu';
const gpu = create(['backend=opengles']);
const a = await gpu.requestAdapter({featureLevel:'compatibility'});
console.log("adapter", a?.info.device);
if (a) { const d = await a.requestDevice(); const m = d.createShaderModule({code: "@compute @workgroup_size(1) fn main() {}"}); d.createComputePipeline({layout:"auto", compute:{module:m, entryPoint:"main"}}); console.log("pipeline ok"); d.destroy(); }
