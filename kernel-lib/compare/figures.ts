/**
 * The comparison's figures (kernel-lib/viz over plain numbers): the methods' weights side by
 * side (bars and a methods × domains heat map), per-domain validation loss, and the suite's
 * capability scores.
 */
import { groupedBars, weightBars } from "../viz/bars.js";
import type { Figure, ScatterTrace } from "../viz/figure.js";
import { heatmap } from "../viz/heatmap.js";
import { scatterFit } from "../viz/scatter.js";
import { capabilitiesOf, sortArms, type ComparisonArm } from "./table.js";

/** What the weight plots need of an arm (a finished arm, or a search before its final model). */
export type WeightedArm = Pick<ComparisonArm, "method" | "label" | "mixture">;

/**
 * Every method's mixture as grouped bars over the domains.
 *
 * @example
 * show(weightsFigure(arms, corpus.domains));
 */
export function weightsFigure(arms: readonly WeightedArm[], domains: readonly string[]): Figure {
  return weightBars(sortArms(arms).map((a) => ({ name: a.label, weights: a.mixture })), { domains, title: "Domain weights by method", values: false });
}

/**
 * The mixtures as a methods × domains heat map (each cell a weight).
 *
 * @example
 * show(weightsHeatmap(arms, corpus.domains));
 */
export function weightsHeatmap(arms: readonly WeightedArm[], domains: readonly string[]): Figure {
  const sorted = sortArms(arms);
  return heatmap(sorted.map((a) => domains.map((d) => a.mixture[d] ?? 0)), {
    xLabels: domains, yLabels: sorted.map((a) => a.label), title: "Domain weights (rows sum to 1)", zmin: 0, colorTitle: "weight", digits: 2,
  });
}

/**
 * Per-domain validation loss of every method's final model.
 *
 * @example
 * show(lossFigure(arms, corpus.domains));
 */
export function lossFigure(arms: readonly ComparisonArm[], domains: readonly string[]): Figure {
  return groupedBars(sortArms(arms).map((a) => ({ name: a.label, weights: { ...a.final.validation, average: a.final.average } })), {
    domains: [...domains, "average"], yLabel: "validation loss (nats/byte, lower is better)", title: "Final models: per-domain validation loss", values: false,
  });
}

/**
 * Capability scores and utility of every method's final model (0 = chance).
 *
 * @example
 * show(suiteFigure(arms));
 */
export function suiteFigure(arms: readonly ComparisonArm[]): Figure {
  const caps = capabilitiesOf(arms);
  return groupedBars(sortArms(arms).map((a) => ({ name: a.label, weights: { ...a.final.suite.capabilities, utility: a.final.suite.utility } })), {
    domains: [...caps, "utility"], yLabel: "chance-normalised score (higher is better)", title: "Final models: downstream suite", values: false,
  });
}

/**
 * The trade-off in one picture: each method's average validation loss against the FLOPs it
 * spent to find its weights (log x; the free baselines are drawn at `freeAt`).
 *
 * @example
 * show(costFigure(arms));
 */
export function costFigure(arms: readonly ComparisonArm[], freeAt = 1e6): Figure {
  const sorted = sortArms(arms);
  const fig = scatterFit(sorted.map((a) => Math.max(a.cost.flops, freeAt)), sorted.map((a) => a.final.average), {
    labels: sorted.map((a) => a.label), line: "none", name: "methods",
    title: "Average validation loss vs compute spent on the weights",
    xLabel: `search FLOPs (log; free baselines drawn at ${freeAt.toExponential(0)})`, yLabel: "average validation loss (nats/byte)",
  });
  const points = fig.data[0] as ScatterTrace;
  fig.data[0] = { ...points, mode: "markers+text", textposition: "top center" } as ScatterTrace;
  fig.layout.xaxis = { ...fig.layout.xaxis, type: "log" };
  return fig;
}
