import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fusedEngineAvailable } from "../../kernel-lib/model/engine-fused.js";
import { ENGINE_SOURCE_SHA256 } from "../../kernel-lib/model/fused/engine-wasm.generated.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";

describe("fused engine build", () => {
  it("the committed wasm was built from the current gpt_engine.c (rebuild: npx tsx kernel-lib/model/fused/build.ts)", () => {
    const src = readFileSync(join(projectRoot(), "kernel-lib", "model", "fused", "gpt_engine.c"));
    expect(createHash("sha256").update(src).digest("hex")).toBe(ENGINE_SOURCE_SHA256);
  });
  it("compiles in this runtime (WebAssembly SIMD128)", () => {
    expect(fusedEngineAvailable()).toBe(true);
  });
});
