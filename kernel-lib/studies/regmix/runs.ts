/**
 * The study's finished runs, grouped by stage — the plain data every claim is computed from.
 * A partial store (a study run in pieces) gives partial groups; each claim says what it lacks.
 */
import type { RegmixProxyRun } from "../../regmix/proxies.js";
import type { RegmixStudyConfig, StudyArm, StudyTask } from "./config.js";

export interface StudyRuns {
  /** sweep mixture index → its proxy (shared seed, repeat 0) */
  sweep: Map<number, RegmixProxyRun>;
  /** seed repeat k (≥ 1) → mixture index → proxy */
  seeds: Map<number, Map<number, RegmixProxyRun>>;
  /** mixture index → proxy trained `factor`× longer */
  tokens: Map<number, RegmixProxyRun>;
  /** scale name → mixture index → model */
  scales: Map<string, Map<number, RegmixProxyRun>>;
  /** arm → seed repeat → final model */
  finals: Map<StudyArm, Map<number, RegmixProxyRun>>;
  /** finished and planned tasks */
  done: number;
  total: number;
}

/**
 * Group finished runs (task + result) by stage.
 *
 * @example
 * const s = studyRuns(config, runs.map((r) => ({ task: r.params, result: r.result })), total);
 * s.sweep.get(0)?.losses.books;
 */
export function studyRuns(config: RegmixStudyConfig, runs: readonly { task: StudyTask; result: RegmixProxyRun }[], total: number): StudyRuns {
  const s: StudyRuns = { sweep: new Map(), seeds: new Map(), tokens: new Map(), scales: new Map(), finals: new Map(), done: runs.length, total };
  for (const name of config.crossScale.scales.map((x) => x.name)) s.scales.set(name, new Map());
  const at = <K, V>(m: Map<K, Map<number, V>>, k: K) => { let v = m.get(k); if (!v) m.set(k, (v = new Map())); return v; };
  for (const { task: t, result } of runs) {
    if (t.stage === "sweep") (t.repeat === 0 ? s.sweep : at(s.seeds, t.repeat)).set(t.mixture, result);
    else if (t.stage === "tokens") s.tokens.set(t.mixture, result);
    else if (t.stage === "scale") at(s.scales, t.scale).set(t.mixture, result);
    else at(s.finals, t.arm).set(t.repeat, result);
  }
  return s;
}
