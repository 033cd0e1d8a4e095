/**
 * The figures the RegMix paper shows, built from an analysis (viz stays method-agnostic: this
 * file turns RegMix results into numbers and labels for it).
 */
import type { Mixture } from "../data/mixture.js";
import type { Figure } from "../viz/figure.js";
import { histogram } from "../viz/histogram.js";
import { weightBars } from "../viz/bars.js";
import { scatterFit } from "../viz/scatter.js";
import type { RegmixAnalysis } from "./choose.js";
import type { SimulationResult } from "./simulate.js";

/**
 * Predicted vs observed target loss on the held-out proxies, with Spearman ρ and the y = x
 * line: points near the diagonal and ρ near 1 mean the regressor ranks mixtures correctly
 * (ranking is all the simulation needs).
 *
 * @example
 * show(heldOutScatter(analysis, "gbdt"));
 */
export function heldOutScatter(a: RegmixAnalysis, model: "gbdt" | "linear"): Figure {
  const pred = a.heldOut[model];
  const s = a.scores.find((x) => x.model === model);
  return scatterFit(pred, a.heldOut.observed, {
    title: `${model === "gbdt" ? "GBDT" : "Linear"}: predicted vs true ${a.target} loss (${a.heldOutRows} held-out proxies)`,
    xLabel: "predicted validation loss (nats/byte)",
    yLabel: "true validation loss (nats/byte)",
    rho: s && Number.isFinite(s.spearman) ? s.spearman : undefined,
    line: "identity",
  });
}

/** At most this many simulated predictions go into a histogram (an iid stride sample). */
const MAX_HISTOGRAM_POINTS = 20_000;

/**
 * Distribution of the predicted target loss over the simulated candidates (a stride sample of
 * at most 20,000 when there are more), beside the top k that were averaged: the chosen mixture
 * comes from the far left tail.
 *
 * @example
 * show(simulatedLossHistogram(analysis.simulation, "books"));
 */
export function simulatedLossHistogram(sim: SimulationResult, target: string): Figure {
  const all = sim.predictions ?? sim.top.predictions;
  const stride = Math.max(1, Math.ceil(all.length / MAX_HISTOGRAM_POINTS));
  const sample = new Float64Array(Math.ceil(all.length / stride));
  for (let i = 0, j = 0; i < all.length; i += stride, j++) sample[j] = all[i];
  const shown = stride > 1 ? ` (every ${stride}th shown)` : "";
  return histogram([
    { name: `all ${sim.numCandidates.toLocaleString("en-US")} candidates${shown}`, values: sample },
    { name: `top ${sim.top.predictions.length}`, values: sim.top.predictions },
  ], { title: `Predicted ${target} loss of simulated mixtures`, xLabel: "predicted validation loss (nats/byte)", yLabel: "candidates", bins: 60 });
}

/**
 * The chosen mixture beside the token prior (the "human" mixture of this corpus) and any other
 * mixtures given.
 *
 * @example
 * show(chosenWeightsBars(analysis.chosen, prior, [{ name: "uniform", weights: Mixture.uniform(prior.domains) }]));
 */
export function chosenWeightsBars(chosen: Mixture, prior: Mixture, others: { name: string; weights: Mixture }[] = []): Figure {
  return weightBars([
    { name: "token prior", weights: prior },
    ...others,
    { name: "RegMix (top-k mean)", weights: chosen },
  ], { title: "RegMix mixture vs token prior", domains: prior.domains, yLabel: "weight" });
}
