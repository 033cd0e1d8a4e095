/**
 * The models the RegMix study trains, for its scale table (`scale.csv`): one entry per planned
 * task, with the recipe `taskTraining` gives it.
 */
import type { StudyTraining } from "../scale.js";
import type { RegmixStudyConfig, StudyTask } from "./config.js";
import { taskTraining } from "./plan.js";

const STAGE: Record<StudyTask["stage"], string> = { sweep: "sweep", tokens: "4× tokens", scale: "scale", final: "final models" };

/**
 * @example
 * scaleRows(studyTrainings(config, studyTasks(config, domains, prior, seed), seed));
 */
export function studyTrainings(config: RegmixStudyConfig, tasks: readonly StudyTask[], seed: number): StudyTraining[] {
  return tasks.map((t) => ({
    stage: t.stage === "sweep" && t.repeat > 0 ? "seed repeats" : t.stage === "scale" ? `scale ${t.scale}` : STAGE[t.stage],
    recipe: taskTraining(config, t, seed).recipe,
  }));
}
