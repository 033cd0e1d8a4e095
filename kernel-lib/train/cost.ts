/**
 * The shapes every method's cost accounting shares: one line of a cost table, and a method's
 * search cost as the comparison tabulates it. They live here, below the methods, so DoReMi,
 * DoGE and MergeMix can report their cost without importing `compare/` or each other
 * (compare/cost.ts holds the functions that fill them for each method).
 */

/** One line of a cost table. */
export interface CostRow {
  item: string;
  /** models trained, or evaluations run */
  count: number;
  /** tokens processed (trained on, or scored) */
  tokens: number;
  flops: number;
}

/** One method's search cost. */
export type SearchCost = {
  /** total model FLOPs to obtain the weights */
  flops: number;
  /** tokens trained on (forward + backward) */
  trainTokens: number;
  /** tokens run forward only (scored, embedded) */
  forwardTokens: number;
  /** models trained from scratch or continued (proxies, base, experts) */
  models: number;
  /** itemised, in the method's own words */
  items: CostRow[];
};
