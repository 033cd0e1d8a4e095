/**
 * The study's finished runs, grouped by stage — the plain data every claim is computed from.
 * A partial store (a study run in pieces) gives partial groups; each claim says what it lacks.
 */
import type { ExpertKind, FinalArm, MergeMixStudyTask } from "./config.js";
import type { BaseRun, ExpertRun, FinalRun, MergedRun, SearchRun, TrainedRun } from "./run.js";

export interface MergeMixStudyRuns {
  base: BaseRun | null;
  /** kind → expert name → run */
  experts: Map<ExpertKind, Map<string, ExpertRun>>;
  /** grid mixture index → the model trained on it */
  trained: Map<number, TrainedRun>;
  /** kind → the grid merged from its experts */
  merged: Map<ExpertKind, MergedRun>;
  /** kind → MergeMix's search on its experts */
  searches: Map<ExpertKind, SearchRun>;
  /** arm → seed repeat → final model at the proxy scale */
  finals: Map<FinalArm, Map<number, FinalRun>>;
  /** arm → seed repeat → final model at the larger scale */
  scale: Map<FinalArm, Map<number, FinalRun>>;
  /** finished and planned tasks */
  done: number;
  total: number;
}

/**
 * Group finished runs (task + result) by stage.
 *
 * @example
 * const s = studyRuns(runs.map((r) => ({ task: r.params, result: r.result })), total);
 * s.finals.get("mergemix-domain")?.get(0)?.final.suite.utility;
 */
export function studyRuns(runs: readonly { task: MergeMixStudyTask; result: unknown }[], total: number): MergeMixStudyRuns {
  const s: MergeMixStudyRuns = { base: null, experts: new Map(), trained: new Map(), merged: new Map(), searches: new Map(), finals: new Map(), scale: new Map(), done: runs.length, total };
  const at = <K, J, V>(m: Map<K, Map<J, V>>, k: K) => { let v = m.get(k); if (!v) m.set(k, (v = new Map())); return v; };
  for (const { task: t, result } of runs) {
    switch (t.stage) {
      case "base": s.base = result as BaseRun; break;
      case "expert": at(s.experts, t.kind).set(t.expert, result as ExpertRun); break;
      case "trained": s.trained.set(t.mixture, result as TrainedRun); break;
      case "merged": s.merged.set(t.kind, result as MergedRun); break;
      case "search": s.searches.set(t.kind, result as SearchRun); break;
      case "final": at(s.finals, t.arm).set(t.repeat, result as FinalRun); break;
      case "scale": at(s.scale, t.arm).set(t.repeat, result as FinalRun); break;
    }
  }
  return s;
}
