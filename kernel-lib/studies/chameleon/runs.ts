/**
 * The study's finished runs, grouped by stage — the plain data every claim is computed from.
 * A partial store (a study run in pieces) gives partial groups; each claim says what it lacks.
 */
import type { CompareMethod } from "../../compare/config.js";
import type { FinishedSearch } from "../../compare/plan.js";
import { sortArms, type ComparisonArm } from "../../compare/table.js";
import type { FinetuneResult } from "./experiments/finetune.js";
import type { TransferArmResult } from "./experiments/transfer.js";
import type { ChameleonStudyTask } from "./config.js";
import type { RegimeRun } from "./regime.js";
import type { TransferFinal } from "./run.js";

export interface ChameleonStudyRuns {
  /** regime proxy name → seed repeat → run */
  regime: Map<string, Map<number, RegimeRun>>;
  /** the comparison's finished searches (any method), as its final tasks receive them (seconds: 0 where the record has none) */
  searches: FinishedSearch[];
  /** arm → seed repeat → final model */
  finals: Map<CompareMethod, Map<number, ComparisonArm>>;
  /** the frozen transfer proxy's weights (null until it has run) */
  transferWeights: TransferArmResult | null;
  /** seed repeat → final model on the transferred weights */
  transferFinals: Map<number, TransferFinal>;
  /** finetuning repeat → the experiment's outcome */
  finetune: Map<number, FinetuneResult>;
  /** finished and planned tasks */
  done: number;
  total: number;
}

/**
 * Group finished runs (task + result) by stage.
 *
 * @example
 * const s = studyRuns(runs.map((r) => ({ task: r.params, result: r.result })), total);
 * s.finals.get("chameleon")?.get(0)?.final.average;
 */
export function studyRuns(runs: readonly { task: ChameleonStudyTask; result: unknown; seconds?: number }[], total: number): ChameleonStudyRuns {
  const s: ChameleonStudyRuns = { regime: new Map(), searches: [], finals: new Map(), transferWeights: null, transferFinals: new Map(), finetune: new Map(), done: runs.length, total };
  const at = <K, V>(m: Map<K, Map<number, V>>, k: K) => { let v = m.get(k); if (!v) m.set(k, (v = new Map())); return v; };
  for (const { task: t, result, seconds } of runs) {
    if (t.stage === "regime") at(s.regime, t.proxy).set(t.repeat, result as RegimeRun);
    else if (t.stage === "pretrain") {
      const c = t.compare;
      if (c.stage === "search") s.searches.push({ task: c, result: result as FinishedSearch["result"], seconds: seconds ?? 0 });
      else at(s.finals, c.method).set(c.repeat ?? 0, result as ComparisonArm);
    } else if (t.stage === "transfer-weights") s.transferWeights = result as TransferArmResult;
    else if (t.stage === "transfer-final") s.transferFinals.set(t.repeat, result as TransferFinal);
    else s.finetune.set(t.repeat, result as FinetuneResult);
  }
  return s;
}

/**
 * The comparison's arms of seed repeat `repeat`, in table order — one `compare` experiment's
 * worth (repeat 0 is exactly the `compare` experiment with the study's seed).
 *
 * @example
 * comparisonView(comparisonArmsOf(runs, 0), domains);
 */
export function comparisonArmsOf(s: ChameleonStudyRuns, repeat: number): ComparisonArm[] {
  return sortArms([...s.finals.values()].flatMap((m) => (m.has(repeat) ? [m.get(repeat)!] : [])));
}
