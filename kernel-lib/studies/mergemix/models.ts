/**
 * The weights a study's later tasks start from — the base (continued into experts and the
 * trained grid) and the experts (merged) — kept beside the result store as
 * `<resultsDir>/models/<name>.f32`. They are not part of the verified store (no checkpoints are
 * committed): the run that trained a model records its sha256, a task that needs it loads the
 * file only when it hashes to that, and otherwise retrains it (the same function, the same seed)
 * and accepts the result only when it hashes to the recorded value.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { paramCount, validateConfig, type GptConfig } from "../../model/config.js";
import type { GptModel } from "../../model/params.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { MixlabError } from "../../util/errors.js";

/** A stored model as a run records it (JSON). */
export type ModelRef = { name: string; sha256: string; config: GptConfig };

const bytesOf = (params: Float32Array) => new Uint8Array(params.buffer, params.byteOffset, params.byteLength);

/**
 * The file of a study model.
 *
 * @example
 * modelFile("results/studies/mergemix", "base"); // "results/studies/mergemix/models/base.f32"
 */
export function modelFile(resultsDir: string, name: string): string {
  // the name comes from plan.json (an expert) or a run record: it must name a file in models/
  if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    throw new MixlabError("RESULTS_BAD_PLAN", `${resultsDir}: model name ${JSON.stringify(name)} is not a plain file name (letters, digits, _ . -)`);
  }
  return join(resultsDir, "models", `${name}.f32`);
}

/**
 * sha256 of a model's parameters (little-endian float32 bytes).
 *
 * @example
 * modelSha256(model); // "3f2a…"
 */
export function modelSha256(model: GptModel): string {
  return createHash("sha256").update(bytesOf(model.params)).digest("hex");
}

/**
 * Write a model's parameters atomically; returns what a run records.
 *
 * @example
 * const ref = saveStudyModel(ctx.resultsDir, "base", base.model);
 */
export function saveStudyModel(resultsDir: string, name: string, model: GptModel): ModelRef {
  writeFileAtomic(modelFile(resultsDir, name), bytesOf(model.params));
  return { name, sha256: modelSha256(model), config: { ...model.config } };
}

/**
 * The stored model, or null when its file is missing, of the wrong size or hashes differently.
 *
 * @example
 * loadStudyModel(ctx.resultsDir, baseRun.model) ?? await retrain();
 */
export function loadStudyModel(resultsDir: string, ref: ModelRef): GptModel | null {
  const path = modelFile(resultsDir, ref.name);
  if (!existsSync(path)) return null;
  const config = validateConfig(ref.config);
  const b = readFileSync(path);
  if (b.byteLength !== paramCount(config) * 4) return null;
  const params = new Float32Array(paramCount(config));
  new Uint8Array(params.buffer).set(b);
  const model = { config, params };
  return modelSha256(model) === ref.sha256 ? model : null;
}
