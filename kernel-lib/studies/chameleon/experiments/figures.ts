/**
 * The figures of the Chameleon issue, built from plain numbers with `kernel-lib/viz`: the
 * (centred) affinity heat map, the leverage-score bars, and weights beside the baselines.
 * Shared by the experiment reports and notebooks/02-chameleon.ipynb.
 */
import type { Figure } from "../../../viz/figure.js";
import { heatmap } from "../../../viz/heatmap.js";
import { weightBars, type WeightSeries } from "../../../viz/bars.js";

/**
 * Heat map of a domain affinity matrix (k × k), e.g. the centred kernel K_c.
 *
 * @example
 * show(affinityHeatmap(r.domains, r.centeredKernel));
 */
export function affinityHeatmap(domains: readonly string[], K: readonly ArrayLike<number>[], title = "Centred domain affinity K_c = H X Xᵀ H"): Figure {
  let max = 0;
  for (const row of K) for (let j = 0; j < row.length; j++) max = Math.max(max, Math.abs(row[j]));
  // symmetric colour range around 0: positive = more alike than the average pair, negative = less
  return heatmap(K, { xLabels: domains, yLabels: domains, title, colorscale: "RdBu", zmin: -max, zmax: max, colorTitle: "affinity", digits: 2 });
}

/**
 * Bars of the normalised leverage scores S (optionally several series, e.g. before/after).
 *
 * @example
 * show(leverageBars(r.domains, [{ name: "S", weights: r.leverage }]));
 */
export function leverageBars(domains: readonly string[], series: readonly WeightSeries[], title = "Kernel ridge leverage scores S (normalised)"): Figure {
  return weightBars(series, { domains, title, yLabel: "leverage S" });
}

/**
 * Grouped bars of mixtures over the domains: Chameleon's weights beside the baselines.
 *
 * @example
 * show(weightsBesideBaselines(domains, [{ name: "Chameleon", weights: pt }, { name: "uniform", weights: u }]));
 */
export function weightsBesideBaselines(domains: readonly string[], series: readonly WeightSeries[], title = "Domain weights"): Figure {
  return weightBars(series, { domains, title, yLabel: "weight" });
}
