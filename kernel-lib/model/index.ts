export { PRESETS, presetConfig, validateConfig, paramLayout, paramCount, nonEmbeddingParamCount, flopsPerToken, trainingFlops,
  type GptConfig, type PresetName, type ParamEntry } from "./config.js";
export { initModel, modelFromParams, cloneModel, getParams, setParams, sameArchitecture, type GptModel } from "./params.js";
export { splitWindows, type GptEngine, type EngineName } from "./engine.js";
export { FusedEngine, fusedEngineAvailable, NativeEngine, nativeEngineCheck, defaultThreads } from "./engine-fused.js";
export { TfjsEngine } from "./engine-tfjs.js";
export { WebgpuEngine, type WebgpuEngineOptions } from "./engine-webgpu.js";
export { probeWebgpu, adapterSummary, hardwareWebgpuPossible, type WebgpuAdapterInfo, type WebgpuProbe, type WebgpuPath } from "./webgpu.js";
export { chooseEngine, createEngine, engineFor, initTfjsBackend, probeNativeBackend, type BackendChoice, type EngineInfo } from "./backend.js";
export { mergeModels } from "./merge.js";
export { domainEmbedding, type EmbeddingOptions, type TokenWindows } from "./embed.js";
export { scoreChoices, scoreTokenChoices, type ChoiceScores } from "./score.js";
