import { MixlabError } from "../util/errors.js";
import { DEFAULT_MIN_LR_RATIO, scheduleSchema, type ScheduleKind } from "./recipe.js";

/**
 * Learning-rate schedules: linear warmup, then
 *  - "cosine": half-cosine decay to minLrRatio·lr at totalSteps (nanoGPT, the MergeMix base);
 *  - "constant": stay at lr (RegMix's proxies and MergeMix's experts use warmup then constant);
 *  - "linear": linear decay to minLrRatio·lr.
 * A recipe's defaults (schedule, warm-up, minLrRatio) are the recipe schema's (train/recipe.ts,
 * `recipeSchedule`); a schedule built by hand may leave out minLrRatio (the same default).
 */
export type { ScheduleKind };

export interface LrSchedule {
  kind: ScheduleKind;
  /** peak learning rate */
  lr: number;
  warmupSteps: number;
  totalSteps: number;
  /** final lr as a fraction of the peak (cosine, linear); default DEFAULT_MIN_LR_RATIO (0.1) */
  minLrRatio?: number;
}

/**
 * A validated schedule with defaults filled in.
 *
 * @example
 * makeSchedule({ kind: "cosine", lr: 1e-3, warmupSteps: 10, totalSteps: 100 });
 */
export function makeSchedule(s: LrSchedule): Required<LrSchedule> {
  const out = { ...s, minLrRatio: s.minLrRatio ?? DEFAULT_MIN_LR_RATIO };
  if (!scheduleSchema.options.includes(out.kind)) throw new MixlabError("TRAIN_BAD_CONFIG", `unknown schedule "${out.kind}"`);
  if (!(out.lr > 0) || !Number.isFinite(out.lr)) throw new MixlabError("TRAIN_BAD_CONFIG", `lr must be a positive number, got ${out.lr}`);
  if (!Number.isInteger(out.totalSteps) || out.totalSteps < 1) throw new MixlabError("TRAIN_BAD_CONFIG", `totalSteps must be a positive integer, got ${out.totalSteps}`);
  if (!Number.isInteger(out.warmupSteps) || out.warmupSteps < 0) throw new MixlabError("TRAIN_BAD_CONFIG", `warmupSteps must be an integer ≥ 0, got ${out.warmupSteps}`);
  if (!(out.minLrRatio >= 0 && out.minLrRatio <= 1)) throw new MixlabError("TRAIN_BAD_CONFIG", `minLrRatio must be in [0, 1], got ${out.minLrRatio}`);
  return out;
}

/**
 * Learning rate for 0-based `step`.
 *
 * @example
 * lrAt({ kind: "constant", lr: 1e-3, warmupSteps: 10, totalSteps: 100 }, 4); // 5e-4
 */
export function lrAt(s: LrSchedule, step: number): number {
  const { kind, lr, warmupSteps: w, totalSteps: n } = s;
  const minLr = lr * (s.minLrRatio ?? DEFAULT_MIN_LR_RATIO);
  if (step < w) return (lr * (step + 1)) / w;
  if (kind === "constant") return lr;
  const p = n > w ? Math.min(1, (step - w) / (n - w)) : 1;
  if (kind === "linear") return lr + (minLr - lr) * p;
  return minLr + 0.5 * (1 + Math.cos(Math.PI * p)) * (lr - minLr);
}
