import { existsSync, fsyncSync, openSync, closeSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { SamplerState } from "../data/sampler.js";
import type { EngineInfo } from "../model/backend.js";
import { paramCount, validateConfig, type GptConfig } from "../model/config.js";
import type { GptModel } from "../model/params.js";
import { MixlabError } from "../util/errors.js";
import type { AdamWConfig, AdamWState } from "./optimizer.js";
import type { LrSchedule } from "./schedule.js";

export const CHECKPOINT_FORMAT = 1;

/** Everything besides the three float arrays, as stored in checkpoint.json. */
export interface CheckpointMeta {
  format: number;
  config: GptConfig;
  /** training steps completed */
  step: number;
  seed: number;
  schedule?: LrSchedule;
  optimizer?: AdamWConfig;
  /** optimiser updates applied (= step unless steps were skipped) */
  adamStep: number;
  sampler?: SamplerState;
  engine?: EngineInfo;
  /** free-form caller data (run id, mixture, …) */
  extra?: Record<string, unknown>;
}

export interface Checkpoint {
  meta: CheckpointMeta;
  model: GptModel;
  optimizer: AdamWState;
}

function f32bytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function writeSynced(path: string, data: string | Uint8Array): void {
  writeFileSync(path, data);
  const fd = openSync(path, "r");
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/**
 * Save weights, optimiser moments and metadata into directory `dir`, atomically: everything is
 * written to a sibling temp directory, fsynced, then swapped in by rename, so `dir` always holds
 * either the previous complete checkpoint or the new one.
 *
 * @example
 * saveCheckpoint("runs/p1/ckpt", { meta, model, optimizer: trainer.optimizerState() });
 */
export function saveCheckpoint(dir: string, ck: Checkpoint): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tag = `${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}`;
  const tmp = join(parent, `.${basename(dir)}.${tag}.tmp`);
  const old = join(parent, `.${basename(dir)}.${tag}.old`);
  mkdirSync(tmp);
  try {
    writeSynced(join(tmp, "params.f32"), f32bytes(ck.model.params));
    writeSynced(join(tmp, "adam_m.f32"), f32bytes(ck.optimizer.m));
    writeSynced(join(tmp, "adam_v.f32"), f32bytes(ck.optimizer.v));
    const meta: CheckpointMeta = { ...ck.meta, format: CHECKPOINT_FORMAT, config: ck.model.config, adamStep: ck.optimizer.step };
    writeSynced(join(tmp, "checkpoint.json"), JSON.stringify(meta, null, 2) + "\n");
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir) && existsSync(old)) renameSync(old, dir);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}

function readF32(path: string, n: number): Float32Array {
  const b = readFileSync(path);
  if (b.byteLength !== n * 4) throw new MixlabError("CHECKPOINT_CORRUPT", `${path}: ${b.byteLength} bytes, expected ${n * 4}`);
  const out = new Float32Array(n);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/**
 * A crash between saveCheckpoint's two renames leaves no `dir` but a complete `.<dir>.*.old`
 * sibling (the previous checkpoint): put it back.
 */
function recoverInterruptedSave(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir), prefix = `.${basename(dir)}.`;
  if (!existsSync(parent)) return;
  const olds = readdirSync(parent).filter((f) => f.startsWith(prefix) && f.endsWith(".old") && existsSync(join(parent, f, "checkpoint.json")));
  if (olds.length) renameSync(join(parent, olds.sort()[olds.length - 1]), dir);
}

/**
 * True when `dir` holds a complete checkpoint.
 *
 * @example
 * if (hasCheckpoint(dir)) trainer = resumeTrainer(...);
 */
export function hasCheckpoint(dir: string): boolean {
  recoverInterruptedSave(dir);
  return existsSync(join(dir, "checkpoint.json"));
}

/**
 * Load a checkpoint written by `saveCheckpoint`.
 *
 * @example
 * const { model, optimizer, meta } = loadCheckpoint("runs/p1/ckpt");
 */
export function loadCheckpoint(dir: string): Checkpoint {
  recoverInterruptedSave(dir);
  const metaPath = join(dir, "checkpoint.json");
  if (!existsSync(metaPath)) throw new MixlabError("CHECKPOINT_MISSING", `no checkpoint in ${dir}`);
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(readFileSync(metaPath, "utf8")) as CheckpointMeta;
  } catch (e) {
    throw new MixlabError("CHECKPOINT_CORRUPT", `${metaPath}: ${(e as Error).message}`);
  }
  if (meta.format !== CHECKPOINT_FORMAT) throw new MixlabError("CHECKPOINT_CORRUPT", `${metaPath}: format ${meta.format}, expected ${CHECKPOINT_FORMAT}`);
  const config = validateConfig(meta.config);
  const n = paramCount(config);
  return {
    meta,
    model: { config, params: readF32(join(dir, "params.f32"), n) },
    optimizer: { step: meta.adamStep, m: readF32(join(dir, "adam_m.f32"), n), v: readF32(join(dir, "adam_v.f32"), n) },
  };
}
