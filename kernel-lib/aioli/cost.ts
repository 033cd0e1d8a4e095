/**
 * What Aioli spent to find its mixtures, counted as its paper counts a method's cost: in extra
 * training runs (Aioli: none — LearnParams trains the run itself, inside its token budget). So
 * the LearnParams steps are a row of the table with their tokens but no FLOPs added (they are
 * the final run's own FLOPs), and the only extra compute is the held-out scoring after each
 * LearnParams segment and before each round (forward only, a third of a training token's FLOPs).
 */
import type { CostRow, SearchCost } from "../train/cost.js";
import type { AioliRecord } from "./controller.js";

/**
 * @example
 * aioliSearchCost(record, { batchTokens: 16 * 64, heldOutTokens: 13 * 8 * 64, trainFlopsPerToken: 6e5 });
 */
export function aioliSearchCost(record: AioliRecord, o: { batchTokens: number; heldOutTokens: number; trainFlopsPerToken: number }): SearchCost {
  const lpTokens = record.learnParamsSteps * o.batchTokens;
  const evalTokens = record.heldOutEvaluations * o.heldOutTokens;
  const evalFlops = (evalTokens * o.trainFlopsPerToken) / 3;
  const items: CostRow[] = [
    { item: "LearnParams steps (inside the final run's token budget; no FLOPs added)", count: record.learnParamsSteps, tokens: lpTokens, flops: 0 },
    { item: "held-out scoring (forward)", count: record.heldOutEvaluations, tokens: evalTokens, flops: evalFlops },
    { item: "Aioli total (extra training runs: 0)", count: 1, tokens: evalTokens, flops: evalFlops },
  ];
  return { flops: evalFlops, trainTokens: 0, forwardTokens: evalTokens, models: 0, items };
}
