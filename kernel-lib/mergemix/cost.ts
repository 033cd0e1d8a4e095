/**
 * MergeMix step 8 — what the search costs, in tokens and FLOPs, next to what training models
 * on mixtures costs. Training a token costs flopsPerToken(config, T) (6N + attention,
 * forward + backward); scoring a token costs a third of that (forward only). Merging is
 * k·P multiply-adds per candidate — negligible, reported anyway.
 */
import { flopsPerToken, paramCount, type GptConfig } from "../model/config.js";
import type { ChoiceTask } from "../eval/suite/types.js";
import type { CostRow } from "../train/cost.js";

export type { CostRow };

/**
 * Tokens one evaluation of the suite processes: every choice is scored as its own sequence
 * (context + continuation).
 *
 * @example
 * suiteTokens(suite.tasks); // e.g. 160000
 */
export function suiteTokens(tasks: readonly ChoiceTask[]): number {
  let n = 0;
  for (const t of tasks) for (const it of t.items) for (const c of it.choices) n += it.context.length + c.length;
  return n;
}

/** What MergeMix spent. */
export interface MergeMixSpend {
  config: GptConfig;
  seqLen: number;
  baseTokens: number;
  /** tokens per expert */
  expertTokens: number;
  experts: number;
  /** suite evaluations of merged models (seeds + verification) */
  evaluations: number;
  /** tokens one suite evaluation scores */
  tokensPerEvaluation: number;
}

/**
 * The cost table of a MergeMix run: base, experts, merges, evaluations, total.
 *
 * @example
 * mergeMixCost({ config, seqLen: 64, baseTokens: 2e6, expertTokens: 5e5, experts: 4, evaluations: 41, tokensPerEvaluation: 1e5 });
 */
export function mergeMixCost(s: MergeMixSpend): CostRow[] {
  const train = flopsPerToken(s.config, s.seqLen);
  const fwd = train / 3;
  const rows: CostRow[] = [
    { item: "base model (training)", count: 1, tokens: s.baseTokens, flops: s.baseTokens * train },
    { item: "experts (continued training)", count: s.experts, tokens: s.experts * s.expertTokens, flops: s.experts * s.expertTokens * train },
    { item: "merges (Σ αₖθₖ)", count: s.evaluations, tokens: 0, flops: s.evaluations * 2 * s.experts * paramCount(s.config) },
    { item: "suite evaluations (forward)", count: s.evaluations, tokens: s.evaluations * s.tokensPerEvaluation, flops: s.evaluations * s.tokensPerEvaluation * fwd },
  ];
  rows.push(totalRow("MergeMix total", rows));
  return rows;
}

/**
 * The cost of finding a mixture the direct way: train `models` models on mixtures with
 * `tokensPerModel` tokens each (continued from a shared base of `baseTokens`, 0 = none), and
 * evaluate each once on the suite.
 *
 * @example
 * mixtureTrainingCost(config, 64, 40, 2.5e5, 1e5, 1.2e6);
 */
export function mixtureTrainingCost(config: GptConfig, seqLen: number, models: number, tokensPerModel: number, tokensPerEvaluation: number, baseTokens = 0): CostRow[] {
  const train = flopsPerToken(config, seqLen);
  const rows: CostRow[] = [];
  if (baseTokens > 0) rows.push({ item: "base model (training)", count: 1, tokens: baseTokens, flops: baseTokens * train });
  rows.push(
    { item: "mixture models (training)", count: models, tokens: models * tokensPerModel, flops: models * tokensPerModel * train },
    { item: "suite evaluations (forward)", count: models, tokens: models * tokensPerEvaluation, flops: (models * tokensPerEvaluation * train) / 3 },
  );
  rows.push(totalRow(`trained mixtures total (${models} models)`, rows));
  return rows;
}

function totalRow(item: string, rows: CostRow[]): CostRow {
  return { item, count: 1, tokens: rows.reduce((a, r) => a + r.tokens, 0), flops: rows.reduce((a, r) => a + r.flops, 0) };
}
