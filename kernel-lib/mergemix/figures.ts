/**
 * MergeMix's figures from a result object (plain numbers handed to viz): the surrogate utility
 * over a 2-simplex slice through α* (ternary heat map), merged-vs-trained scatter with ρ, α*'s
 * mixture beside the baselines, and the final comparison's capability scores.
 */
import { groupedBars, scatterFit, ternary, weightBars, type Figure } from "../viz/index.js";
import { spearman } from "../regression/metrics.js";
import { MixlabError } from "../util/errors.js";
import type { GbdtOptions } from "../regression/index.js";
import type { ConsistencyStudy, EvaluatedAlpha, MergeMixResult } from "./run.js";
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

/** What a search leaves behind that its ternary needs: the evaluated seed merges and α*. */
export interface SearchView {
  /** the experts' names, in α's order */
  groups: readonly string[];
  alphaStar: readonly number[];
  /** the seed merges the surrogates were fitted on */
  seeds: readonly EvaluatedAlpha[];
  capabilities: readonly string[];
  gbdt?: Partial<GbdtOptions>;
}

/**
 * The surrogate's prediction on the 2-simplex slice through α*, as plain numbers: `points` are the three varying coordinates
 * ([steps+1 choose 2] × 3), `values` the predicted utility (or `capability`'s score) at each.
 */
export interface SearchSurface {
  labels: [string, string, string];
  points: [number, number, number][];
  values: number[];
  alphaStar: [number, number, number];
  /** α*'s mass outside the three (0 with exactly three experts) */
  rest: number;
  capability: string | null;
}

/**
 * The surrogate surface over the slice through α* spanned by the three experts α* weighs most
 * (or `groups`). The surrogates are refitted from the seeds (the GBDT is deterministic).
 *
 * @example
 * searchSurface({ groups: ["a", "b", "c"], alphaStar, seeds, capabilities: ["utility"] }).values.length; // 231
 */
export function searchSurface(v: SearchView, opts: { groups?: [string, string, string]; steps?: number; capability?: string } = {}): SearchSurface {
  const names = [...v.groups];
  if (names.length < 3) throw new MixlabError("MERGEMIX_BAD_PLOT", "a ternary plot needs at least three groups");
  const three = (opts.groups ?? (names.map((n, i) => [n, v.alphaStar[i]] as const).sort((a, b) => b[1] - a[1]).slice(0, 3).map((x) => x[0]) as [string, string, string]))
    .map((g) => {
      const i = names.indexOf(g);
      if (i < 0) throw new MixlabError("MERGEMIX_BAD_PLOT", `unknown group "${g}"`);
      return i;
    }) as [number, number, number];
  three.sort((a, b) => a - b);
  const s = fitSurrogates(v.seeds.map((x) => x.alpha), v.seeds.map((x) => Object.fromEntries(v.capabilities.map((c) => [c, x.scores[c]]))), v.gbdt ?? {});
  const pts = simplexSlice(v.alphaStar, three, opts.steps ?? 20);
  const proj = (a: readonly number[]): [number, number, number] => [a[three[0]], a[three[1]], a[three[2]]];
  return {
    labels: three.map((i) => names[i]) as [string, string, string],
    points: pts.map(proj),
    values: pts.map((a) => s.utility(a, opts.capability)),
    alphaStar: proj(v.alphaStar),
    rest: 1 - three.reduce((x, i) => x + v.alphaStar[i], 0),
    capability: opts.capability ?? null,
  };
}

/**
 * Ternary heat map of a search surface, α* marked.
 *
 * @example
 * show(surfaceTernary(searchSurface(view), "per-group experts"));
 */
export function surfaceTernary(x: SearchSurface, who?: string): Figure {
  const fig = ternary(x.points, {
    labels: x.labels,
    values: x.values,
    colorTitle: x.capability ? `predicted ${x.capability}` : "predicted utility",
    // the slice goes on a second line: one line overflows the 800-pixel PNG
    title: `Surrogate utility over the merge simplex${who ? ` (${who})` : ""}${x.rest > 1e-9 ? `<br><sub>slice through α*: the other experts keep α*'s weights, ${x.rest.toFixed(2)} in all</sub>` : ""}`,
    markers: [{ name: "α*", point: x.alphaStar, symbol: "star" }],
  });
  // room above the triangle for the two-line title and the top axis label
  if (x.rest > 1e-9) fig.layout = { ...fig.layout, margin: { t: 120 } };
  return fig;
}

/**
 * Ternary heat map of the surrogate-predicted utility on the slice through α* spanned by the
 * three groups α* weighs most (or `groups`), with α* marked.
 *
 * @example
 * show(utilityTernary(result));
 */
export function utilityTernary(r: MergeMixResult, opts: { groups?: [string, string, string]; steps?: number; capability?: string } = {}): Figure {
  return surfaceTernary(searchSurface({ groups: Object.keys(r.groups), alphaStar: r.search.alphaStar, seeds: r.seeds, capabilities: r.capabilities, gbdt: r.config.search.gbdt }, opts));
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
