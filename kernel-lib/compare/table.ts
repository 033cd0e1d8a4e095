/**
 * The comparison's tables from finished arms (plain data in, records out — for `toMarkdown`,
 * `showTable`, CSV):
 *   - `comparisonTable`: THE table, one row per method: per-domain validation loss, average,
 *     downstream capability scores and utility, and the compute each method spent on its
 *     weights (FLOPs, tokens, and as a multiple of one final model's training);
 *   - `comparisonView`: the same numbers transposed (one row per measure, one column per method,
 *     plus which method is best) — what fits a terminal;
 *   - `weightsTable`: the mixtures, one row per method.
 */
import { COMPARE_METHODS, type CompareMethod } from "./config.js";
import type { SearchCost } from "./cost.js";
import type { FinalModelResult } from "./final.js";

/** One arm of the comparison: its mixture, what finding it cost, and its final model. */
export type ComparisonArm = {
  method: CompareMethod;
  label: string;
  /** domain → weight (on the simplex) */
  mixture: Record<string, number>;
  cost: SearchCost;
  /** method-specific evidence (RegMix's held-out Spearman, Chameleon's τ and leverage, MergeMix's α*, …) */
  details: Record<string, unknown>;
  /** seconds the search took on this machine (not deterministic; not part of the comparison's identity) */
  searchSeconds: number;
  final: FinalModelResult;
};

export type Row = Record<string, string | number>;

/** Arms in table order (COMPARE_METHODS). */
export function sortArms<A extends { method: CompareMethod }>(arms: readonly A[]): A[] {
  return [...arms].sort((a, b) => COMPARE_METHODS.indexOf(a.method) - COMPARE_METHODS.indexOf(b.method));
}

/** Capability names in first-seen order over the arms. */
export function capabilitiesOf(arms: readonly ComparisonArm[]): string[] {
  const out: string[] = [];
  for (const a of arms) for (const c of Object.keys(a.final.suite.capabilities)) if (!out.includes(c)) out.push(c);
  return out;
}

/**
 * The comparison table: one row per method. Columns: `method`, `loss.<domain>` (nats/byte,
 * lower is better), `loss.average`, `suite.<capability>` and `suite.utility` (chance-normalised,
 * higher is better), `search.flops`, `search.train_tokens`, `search.forward_tokens`,
 * `search.x_final` (search FLOPs ÷ one final model's training FLOPs), `final.tokens`.
 *
 * @example
 * toMarkdown(comparisonTable(arms, corpus.domains), { digits: 3 });
 */
export function comparisonTable(arms: readonly ComparisonArm[], domains: readonly string[]): Row[] {
  const caps = capabilitiesOf(arms);
  return sortArms(arms).map((a) => {
    const row: Row = { method: a.label };
    for (const d of domains) row[`loss.${d}`] = a.final.validation[d];
    row["loss.average"] = a.final.average;
    for (const c of caps) row[`suite.${c}`] = a.final.suite.capabilities[c];
    row["suite.utility"] = a.final.suite.utility;
    row["search.flops"] = a.cost.flops;
    row["search.train_tokens"] = a.cost.trainTokens;
    row["search.forward_tokens"] = a.cost.forwardTokens;
    row["search.x_final"] = a.cost.flops / a.final.trainFlops;
    row["final.tokens"] = a.final.trainTokens;
    return row;
  });
}

const sci = (x: number): string => (x === 0 ? "0" : x.toExponential(2));

/**
 * The table transposed: one row per measure (`measure`), one column per method label, and
 * `best` (the lowest loss / highest score; blank for cost rows). Numbers are formatted for
 * print (losses and scores with 3 decimals, costs in exponent form).
 *
 * @example
 * console.log(toMarkdown(comparisonView(arms, corpus.domains)));
 */
export function comparisonView(arms: readonly ComparisonArm[], domains: readonly string[]): Row[] {
  const sorted = sortArms(arms);
  const caps = capabilitiesOf(sorted);
  const rows: Row[] = [];
  const measure = (label: string, value: (a: ComparisonArm) => number, better: "low" | "high" | null, fmt: (x: number) => string) => {
    const row: Row = { measure: label };
    let best = "";
    let bestV = better === "low" ? Infinity : -Infinity;
    for (const a of sorted) {
      const v = value(a);
      row[a.label] = Number.isFinite(v) ? fmt(v) : "n/a";
      if (better && Number.isFinite(v) && (better === "low" ? v < bestV : v > bestV)) { bestV = v; best = a.label; }
    }
    row.best = best;
    rows.push(row);
  };
  const f3 = (x: number) => x.toFixed(3);
  for (const d of domains) measure(`loss ${d}`, (a) => a.final.validation[d], "low", f3);
  measure("loss AVERAGE", (a) => a.final.average, "low", f3);
  for (const c of caps) measure(`suite ${c}`, (a) => a.final.suite.capabilities[c], "high", f3);
  measure("suite UTILITY", (a) => a.final.suite.utility, "high", f3);
  measure("search FLOPs", (a) => a.cost.flops, null, sci);
  measure("search tokens (trained)", (a) => a.cost.trainTokens, null, sci);
  measure("search tokens (forward)", (a) => a.cost.forwardTokens, null, sci);
  measure("search ÷ final training", (a) => a.cost.flops / a.final.trainFlops, null, (x) => x.toFixed(2));
  measure("final tokens", (a) => a.final.trainTokens, null, (x) => String(x));
  return rows;
}

/**
 * The mixtures, one row per method (`method`, then one column per domain).
 *
 * @example
 * toMarkdown(weightsTable(arms, corpus.domains), { digits: 3 });
 */
export function weightsTable(arms: readonly ComparisonArm[], domains: readonly string[]): Row[] {
  return sortArms(arms).map((a) => ({ method: a.label, ...Object.fromEntries(domains.map((d) => [d, a.mixture[d] ?? 0])) }));
}

/**
 * Each method's itemised search cost (the methods' own rows), one row per item.
 *
 * @example
 * toMarkdown(costItemsTable(arms));
 */
export function costItemsTable(arms: readonly ComparisonArm[]): Row[] {
  return sortArms(arms).flatMap((a) =>
    a.cost.items.length === 0
      ? [{ method: a.label, item: "(none)", count: 0, tokens: "0", flops: "0" }]
      : a.cost.items.map((c) => ({ method: a.label, item: c.item, count: c.count, tokens: sci(c.tokens), flops: sci(c.flops) })),
  );
}
