/**
 * Plain-text (markdown) tables of a MergeMix result: suite, seeds summary, α*, rank
 * consistency (with where it breaks), final comparison and cost. Numbers only — the
 * notebook's plots come from the same result object.
 */
import { splitHalfReliability } from "./consistency.js";
import type { CostRow } from "./cost.js";
import type { ConsistencyStudy, MergeMixResult } from "./run.js";

const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : "NaN");
const sci = (x: number): string => x.toExponential(2);

function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]): string => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/**
 * The rank-consistency table of one study: Spearman per metric with the value spreads.
 *
 * @example
 * console.log(consistencyTable(result.consistency.multiDomain!));
 */
export function consistencyTable(s: ConsistencyStudy): string {
  return table(["metric", "n", "Spearman ρ (merged vs trained)", "trained range", "merged range"],
    s.table.map((r) => [r.metric, r.n, f3(r.spearman), f3(r.trainedRange), f3(r.mergedRange)]));
}

/**
 * A cost table (tokens and FLOPs).
 *
 * @example
 * console.log(costTable(result.cost.mergeMix));
 */
export function costTable(rows: readonly CostRow[]): string {
  return table(["item", "count", "tokens", "FLOPs"], rows.map((r) => [r.item, r.count, sci(r.tokens), sci(r.flops)]));
}

/**
 * Every table of a result as one markdown document.
 *
 * @example
 * console.log(mergeMixReport(await runMergeMix(QUICK_MERGEMIX)));
 */
export function mergeMixReport(r: MergeMixResult): string {
  const caps = r.capabilities;
  const out: string[] = [];
  out.push(`## MergeMix (${r.engine}, corpus ${r.corpusDir})`);
  out.push(`Groups: ${Object.entries(r.groups).map(([g, ds]) => `${g} = {${ds.join(", ")}}`).join("; ")}`);
  out.push("### Downstream suite");
  out.push(table(["task", "kind", "capability", "items", "choices", "chance"], r.suite.map((t) => [t.task, t.kind, t.capability, t.items, t.numChoices, f3(t.chance)])));
  out.push("### Base and experts (chance-normalised capability scores)");
  out.push(table(["model", "val nats", ...caps, "utility"], [
    ["base", f3(r.base.valNats), ...caps.map((c) => f3(r.base.scores[c])), f3(r.base.scores.utility)],
    ...r.experts.map((e) => [`expert ${e.group}`, f3(e.valNats), ...caps.map((c) => f3(e.scores[c])), f3(e.scores.utility)]),
  ]));
  out.push("### Search");
  const groups = Object.keys(r.groups);
  out.push(table(["", ...groups, ...caps, "utility"], [
    ["α* (predicted)", ...r.search.alphaStar.map(f3), ...caps.map((c) => f3(r.search.predicted[c])), f3(r.search.predicted.utility)],
    ["α* (merged, verified)", ...r.search.verified.alpha.map(f3), ...caps.map((c) => f3(r.search.verified.scores[c])), f3(r.search.verified.scores.utility)],
    ["best seed (observed)", ...r.search.bestSeed.alpha.map(f3), ...caps.map((c) => f3(r.search.bestSeed.scores[c])), f3(r.search.bestSeed.scores.utility)],
  ]));
  if (Object.keys(r.surrogateCv).length) out.push(`Surrogate cross-validated Spearman: ${Object.entries(r.surrogateCv).map(([k, v]) => `${k} ${f3(v)}`).join(", ")}`);
  out.push(`α* as a data mixture: ${Object.entries(r.search.mixture).map(([d, w]) => `${d} ${w.toFixed(3)}`).join(", ")}`);
  for (const [name, s] of [["two-domain", r.consistency.twoDomain], ["multi-domain", r.consistency.multiDomain]] as const) {
    if (!s) continue;
    out.push(`### Rank consistency, ${name} (${s.points.length} mixtures)`);
    out.push(consistencyTable(s));
    // recomputed from the points, so a stored result is reported with the current definition
    const rel = { trained: splitHalfReliability(s.points, "trained"), merged: splitHalfReliability(s.points, "merged") };
    out.push(`Split-half reliability of the utility ranking (Spearman–Brown; a negative value is the raw split-half ρ): trained ${f3(rel.trained)}, merged ${f3(rel.merged)} — the suite's own ceiling on ρ.`);
    out.push("Largest rank shifts on the utility (1 = lowest):");
    out.push(table(["mixture", "merged rank", "trained rank", "shift"], s.shifts.slice(0, 5).map((x) => [x.label, x.mergedRank, x.trainedRank, x.shift])));
  }
  out.push("### Cost");
  out.push(costTable(r.cost.mergeMix));
  out.push("");
  out.push(costTable(r.cost.trainedMixtures));
  out.push(`Timings (s): ${Object.entries(r.timings).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ")}`);
  return out.join("\n\n");
}
