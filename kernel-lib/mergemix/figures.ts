/**
 * MergeMix's figures from a result object (plain numbers handed to viz): the surrogate utility
 * over a 2-simplex slice through α* (ternary heat map), merged-vs-trained scatter with ρ, α*'s
 * mixture beside the baselines, and the final comparison's capability scores.
 */
import { groupedBars, scatterFit, ternary, weightBars, type Figure } from "../viz/index.js";
import { spearman } from "../regression/metrics.js";
import { MixlabError } from "../util/errors.js";
import type { ConsistencyStudy, MergeMixResult } from "./run.js";
import { simplexGrid } from "./seeds.js";
import { fitSurrogates } from "./surrogate.js";

/**
 * The points of a 2-simplex slice through α*: the three chosen groups vary over a grid and
 * share the mass 1 − s, the others keep α*'s proportions and share s (s = α*'s mass outside the
 * three). With exactly three groups this is the whole simplex. Returns full α vectors.
 *
 * @example
 * simplexSlice([0.1, 0.2, 0.3, 0.4], [1, 2, 3], 10).length; // 66
 */
export function simplexSlice(alphaStar: readonly number[], three: readonly [number, number, number], steps: number): number[][] {
  const rest = alphaStar.map((a, i) => (three.includes(i) ? 0 : a));
  const s = rest.reduce((x, y) => x + y, 0);
  return simplexGrid(3, steps).map((g) => {
    const a = rest.slice();
    three.forEach((gi, j) => (a[gi] = (1 - s) * g[j]));
    return a;
  });
}

/**
 * Ternary heat map of the surrogate-predicted utility on the slice through α* spanned by the
 * three groups α* weighs most (or `groups`), with α* and the best seed marked. The surrogates
 * are refitted from the result's seeds (the GBDT is deterministic).
 *
 * @example
 * show(utilityTernary(result));
 */
export function utilityTernary(r: MergeMixResult, opts: { groups?: [string, string, string]; steps?: number; capability?: string } = {}): Figure {
  const names = Object.keys(r.groups);
  if (names.length < 3) throw new MixlabError("MERGEMIX_BAD_PLOT", "a ternary plot needs at least three groups");
  const three = (opts.groups ?? (names.map((n, i) => [n, r.search.alphaStar[i]] as const).sort((a, b) => b[1] - a[1]).slice(0, 3).map((x) => x[0]) as [string, string, string]))
    .map((g) => {
      const i = names.indexOf(g);
      if (i < 0) throw new MixlabError("MERGEMIX_BAD_PLOT", `unknown group "${g}"`);
      return i;
    }) as [number, number, number];
  three.sort((a, b) => a - b);
  const caps = r.capabilities;
  const s = fitSurrogates(r.seeds.map((x) => x.alpha), r.seeds.map((x) => Object.fromEntries(caps.map((c) => [c, x.scores[c]]))), r.config.search.gbdt);
  const pts = simplexSlice(r.search.alphaStar, three, opts.steps ?? 20);
  const values = pts.map((a) => s.utility(a, opts.capability));
  const proj = (a: readonly number[]): [number, number, number] => [a[three[0]], a[three[1]], a[three[2]]];
  const rest = 1 - three.reduce((x, i) => x + r.search.alphaStar[i], 0);
  return ternary(pts.map(proj), {
    labels: three.map((i) => names[i]) as [string, string, string],
    values,
    colorTitle: opts.capability ? `predicted ${opts.capability}` : "predicted utility",
    title: `Surrogate utility over the merge simplex${names.length > 3 ? ` (slice through α*: other groups fixed at ${rest.toFixed(2)})` : ""}`,
    markers: [{ name: "α*", point: proj(r.search.alphaStar), symbol: "star" }],
  });
}

/**
 * Merged-model vs trained-model scores over the study's mixtures, with Spearman ρ.
 *
 * @example
 * show(consistencyScatter(result.consistency.multiDomain!, "utility"));
 */
export function consistencyScatter(study: Pick<ConsistencyStudy, "points">, metric = "utility", title?: string): Figure {
  const x = study.points.map((p) => p.merged[metric]);
  const y = study.points.map((p) => p.trained[metric]);
  return scatterFit(x, y, {
    title: title ?? `Merged vs trained: ${metric}`,
    xLabel: `merged model (${metric})`,
    yLabel: `model trained on the mixture (${metric})`,
    labels: study.points.map((p) => p.label),
    rho: spearman(x, y),
    // a least-squares line needs two distinct x (a toy run can merge to identical scores)
    line: new Set(x).size > 1 ? "fit" : "none",
  });
}

/**
 * α*'s data mixture beside the baselines (uniform, token prior).
 *
 * @example
 * show(chosenMixtureBars(result));
 */
export function chosenMixtureBars(r: MergeMixResult): Figure {
  const series = [{ name: "alpha*", weights: r.search.mixture }, { name: "uniform", weights: r.baselines.uniform }, { name: "token prior", weights: r.baselines.prior }];
  return weightBars(series, { title: "MergeMix's mixture (α* over groups → domains) beside the baselines" });
}
