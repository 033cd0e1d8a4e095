/**
 * The clang flags of the WebAssembly build (fused/build.ts), in a module of their own so the
 * engine can record them (engine-fused.ts `wasmBuild`) without importing the build script.
 * -disable-lsr keeps pointer+constant addressing in the matmul kernel as load offsets (≈3–5% faster).
 */
export const CLANG_FLAGS = ["--target=wasm32", "-O3", "-msimd128", "-mbulk-memory", "-ffast-math", "-nostdlib",
  "-mllvm", "-disable-lsr", "-Wl,--no-entry", "-Wl,--strip-all"];
