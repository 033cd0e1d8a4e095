/**
 * The comparison's figures (kernel-lib/viz over plain numbers): the methods' weights side by
 * side (bars and a methods × domains heat map), per-domain validation loss, and the suite's
 * capability scores.
 */
import { groupedBars, weightBars } from "../viz/bars.js";
import type { Figure } from "../viz/figure.js";
import { heatmap } from "../viz/heatmap.js";
import { capabilitiesOf, sortArms, type ComparisonArm } from "./table.js";

/**
 * Every method's mixture as grouped bars over the domains.
 *
 * @example
 * show(weightsFigure(arms, corpus.domains));
 */
export function weightsFigure(arms: readonly ComparisonArm[], domains: readonly string[]): Figure {
  return weightBars(sortArms(arms).map((a) => ({ name: a.label, weights: a.mixture })), { domains, title: "Domain weights by method", values: false });
}

/**
 * The mixtures as a methods × domains heat map (each cell a weight).
 *
 * @example
 * show(weightsHeatmap(arms, corpus.domains));
 */
export function weightsHeatmap(arms: readonly ComparisonArm[], domains: readonly string[]): Figure {
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
