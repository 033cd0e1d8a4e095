/**
 * The study's figures, from a `StudyAnalysis` (viz stays method-agnostic): predicted vs true
 * held-out loss, the learning curve, the cross-scale rank scatter, the final models' bars with
 * error bars, the domain × target coefficient heat map.
 */
import { groupedBars } from "../../viz/bars.js";
import { lossCurves } from "../../viz/curves.js";
import type { Figure } from "../../viz/figure.js";
import { heatmap } from "../../viz/heatmap.js";
import { scatterFit } from "../../viz/scatter.js";
import { averageRanks } from "../../regression/metrics.js";
import type { StudyAnalysis } from "./claims.js";

/** Every figure the analysis supports, by file name (claims not yet run give none). */
export function studyFigures(a: StudyAnalysis): { name: string; alt: string; figure: Figure }[] {
  const out: { name: string; alt: string; figure: Figure }[] = [];
  const t = a.target;
  if (a.claim1) {
    const c = a.claim1, last = c.curve.at(-1)!;
    out.push({
      name: "heldout-gbdt", alt: "GBDT predicted vs true held-out loss",
      figure: scatterFit(c.heldOut.gbdt, c.heldOut.observed, {
        title: `GBDT fitted on ${last.n} proxies: predicted vs true ${t} loss, ${c.heldOut.observed.length} held-out proxies`,
        xLabel: "predicted loss (nats/byte)", yLabel: "true loss (nats/byte)", rho: last.gbdt.value, line: "identity",
      }),
    });
    out.push({
      name: "heldout-linear", alt: "linear predicted vs true held-out loss",
      figure: scatterFit(c.heldOut.linear, c.heldOut.observed, {
        title: `Linear fitted on ${last.n} proxies: predicted vs true ${t} loss`,
        xLabel: "predicted loss (nats/byte)", yLabel: "true loss (nats/byte)", rho: last.linear.value, line: "identity",
      }),
    });
    const steps = c.curve.map((p) => p.n);
    out.push({
      name: "learning-curve", alt: "held-out Spearman against the number of fitted proxies",
      figure: lossCurves([
        { name: "GBDT", steps, values: c.curve.map((p) => p.gbdt.value) },
        { name: "GBDT 95 % low", steps, values: c.curve.map((p) => p.gbdt.lo) },
        { name: "linear", steps, values: c.curve.map((p) => p.linear.value) },
        { name: "linear 95 % low", steps, values: c.curve.map((p) => p.linear.lo) },
      ], { title: `Held-out Spearman of the ${t} loss against proxies fitted`, xLabel: "proxies fitted", yLabel: "Spearman ρ", markers: true }),
    });
  }
  if (a.claim3) {
    for (const x of a.claim3.scales) {
      out.push({
        name: `cross-scale-${x.scale}`, alt: `${t} loss rank at the proxy scale vs ${x.scale}`,
        figure: scatterFit(Array.from(averageRanks(x.proxy)), Array.from(averageRanks(x.observed)), {
          title: `${t} loss rank of ${x.mixtures.length} mixtures: proxy vs ${x.scale}`,
          xLabel: "rank at the proxy scale (1 = lowest loss)", yLabel: `rank at ${x.scale}`, rho: x.rank.value, line: "identity",
          labels: x.mixtures.map((j) => `mixture ${j}`),
        }),
      });
    }
  }
  if (a.claim4) {
    const c = a.claim4;
    const cols = [t, "average"];
    out.push({
      name: "finals", alt: "final models' loss, mean ± sd over seeds",
      figure: groupedBars(c.arms.map((x) => ({ name: x.arm, weights: { [t]: x.target.mean, average: x.average.mean } })), {
        domains: cols, yLabel: "validation loss (nats/byte)", values: false,
        title: `${c.scale} models, mean ± sd over ${c.arms[0].seeds} seeds`,
        errors: c.arms.map((x) => ({ [t]: x.target.sd, average: x.average.sd })),
      }),
    });
  }
  if (a.claim5) {
    const c = a.claim5;
    const max = Math.max(...c.coef.flat().map(Math.abs));
    out.push({
      name: "coefficients", alt: "linear coefficients, training domain × target domain",
      figure: heatmap(c.coef, {
        title: "Linear coefficients: effect of a training domain's weight (columns) on a target's loss (rows)",
        xLabels: [...a.domains], yLabels: [...a.domains], xTitle: "training domain", yTitle: "target loss",
        annotate: true, digits: 2, colorscale: "RdBu", zmin: -max, zmax: max, colorTitle: "Δ loss per unit weight",
      }),
    });
  }
  return out;
}
