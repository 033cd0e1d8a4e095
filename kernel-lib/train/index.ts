export { DEFAULT_ADAMW, createAdamWState, decayMask, clipGradNorm, gradSumSquares, adamwStep, type AdamWConfig, type AdamWState } from "./optimizer.js";
export { makeSchedule, lrAt, type LrSchedule, type ScheduleKind } from "./schedule.js";
export { createProgress, type ProgressReporter, type ProgressUpdate } from "./progress.js";
export { saveCheckpoint, loadCheckpoint, hasCheckpoint, CHECKPOINT_FORMAT, type Checkpoint, type CheckpointMeta } from "./checkpoint.js";
export { createTrainer, trainProxy, type Trainer, type TrainerOptions, type StepStats, type HistoryEntry,
  type TrainProxyOptions, type TrainProxyResult } from "./loop.js";
export { trainRecipeSchema, continueRecipeSchema, recipePartsSchema, type ContinueRecipe, presetNameSchema, scheduleSchema, resolveRecipe, recipeSchedule, recipeModelConfig, recipeTokens,
  seqLenIssue, defaultWarmupSteps, DEFAULT_SCHEDULE, DEFAULT_MIN_LR_RATIO, type RecipeDefaults, type TrainRecipe, type TrainRecipeInput } from "./recipe.js";
export { trainAndScore, type TrainAndScoreOptions, type TrainedModel, type ScoreSpec } from "./train-and-score.js";
export { staticController, checkSegment, summariseTrajectory, createScheduleRunner, type MixtureController, type MixtureObservation, type MixtureSegment,
  type MixtureSchedule, type TrajectoryEntry, type ScheduleRunner } from "./mixture-controller.js";
