/**
 * The models the MergeMix study trains, for its scale table (`scale.csv`): the base, the experts
 * and the trained grid models continued from it, the finals and the larger-scale finals. Merges
 * and the search train nothing.
 */
import { mergeMixRecipes } from "../../mergemix/config.js";
import type { StudyTraining } from "../scale.js";
import type { MergeMixStudyConfig, MergeMixStudyTask } from "./config.js";

/**
 * @example
 * scaleRows(studyTrainings(config, studyTasks(config, corpus, seed)));
 */
export function studyTrainings(config: MergeMixStudyConfig, tasks: readonly MergeMixStudyTask[]): StudyTraining[] {
  const r = mergeMixRecipes(config);
  return tasks.flatMap((t): StudyTraining[] => {
    switch (t.stage) {
      case "base": return [{ stage: "base", recipe: r.base }];
      case "expert": return [{ stage: `${t.kind} experts`, recipe: r.expert, continues: r.base }];
      case "trained": return [{ stage: "trained grid", recipe: r.expert, continues: r.base }];
      case "merged": case "search": return [];
      case "final": return [{ stage: "finals", recipe: config.finals.recipe }];
      case "scale": return [{ stage: "larger-scale finals", recipe: config.scale.recipe }];
    }
  });
}
