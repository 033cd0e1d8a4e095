/**
 * The models the Chameleon study trains, for its scale table (`scale.csv`): per planned task the
 * models it trains, as `budget.ts` counts them (a DoReMi search trains a reference and a proxy,
 * a finetuning repeat a base and two finetunes of it).
 */
import type { StudyTraining } from "../scale.js";
import { studyCompareConfig, type ChameleonStudyConfig, type ChameleonStudyTask } from "./config.js";

/**
 * @example
 * scaleRows(studyTrainings(config, studyTasks(config, corpus, seed)));
 */
export function studyTrainings(config: ChameleonStudyConfig, tasks: readonly ChameleonStudyTask[]): StudyTraining[] {
  const cmp = studyCompareConfig(config);
  return tasks.flatMap((t): StudyTraining[] => {
    switch (t.stage) {
      case "pretrain": {
        const c = t.compare;
        if (c.stage === "final") return [{ stage: "comparison finals", recipe: cmp.final }];
        if (c.method === "regmix-proxy") return [{ stage: "RegMix proxies", recipe: cmp.regmix!.proxy }];
        if (c.method === "chameleon") return [{ stage: "Chameleon proxy", recipe: cmp.chameleon!.proxy }];
        if (c.method === "doremi") return [{ stage: "DoReMi reference", recipe: cmp.doremi!.reference }, { stage: "DoReMi proxy", recipe: cmp.doremi!.proxy }];
        if (c.method === "doge") return [{ stage: "DoGE proxy", recipe: cmp.doge!.proxy }];
        return []; // MergeMix is not a study arm
      }
      case "transfer-weights": return [{ stage: "transfer proxy", recipe: cmp.chameleon!.proxy }];
      case "transfer-final": return [{ stage: "transfer finals", recipe: cmp.final }];
      case "regime": return [{ stage: `regime ${t.proxy}`, recipe: config.regime.proxies.find((p) => p.name === t.proxy)!.recipe }];
      case "finetune": {
        const f = config.finetune;
        const ft = { ...f.finetune, preset: f.base.preset, overrides: f.base.overrides };
        return [{ stage: "finetuning base", recipe: f.base }, { stage: "finetunes", recipe: ft, continues: f.base }, { stage: "finetunes", recipe: ft, continues: f.base }];
      }
    }
  });
}
