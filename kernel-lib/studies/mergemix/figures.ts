/**
 * The study's figures, from a `MergeMixStudyAnalysis` (viz stays method-agnostic): merged vs
 * trained scatters per expert kind (utility and validation loss, with ρ), the search's surrogate
 * over the simplex around α* (ternary), every arm's mixture
 * side by side, the finals at both scales with error bars (sd over seeds), and the judge
 * suite's split-half reliability per capability.
 */
import { groupedBars, weightBars } from "../../viz/bars.js";
import { axis, type Figure } from "../../viz/figure.js";
import { consistencyScatter, searchSurface, surfaceTernary } from "../../mergemix/figures.js";
import type { FinalsSummary, MergeMixStudyAnalysis } from "./claims.js";
import { ARM_LABELS, EXPERT_KIND_LABELS } from "./config.js";

type Named = { name: string; alt: string; figure: Figure };

/** One bar per arm (mean ± sd over seeds) of a finals block. */
function armBars(x: FinalsSummary, metric: "utility" | "loss", title: string, yLabel: string): Figure {
  const keys = x.arms.map((a) => a.label);
  const fig = groupedBars([{ name: yLabel, weights: Object.fromEntries(x.arms.map((a) => [a.label, a[metric].mean])) }], {
    domains: keys, yLabel, title, values: false, errors: [Object.fromEntries(x.arms.map((a) => [a.label, a[metric].sd]))],
  });
  fig.layout = { ...fig.layout, xaxis: axis("arm", { tickangle: -20, automargin: true }) };
  return fig;
}

/** Every figure the analysis supports, by file name (stages not yet run give none). */
export function studyFigures(a: MergeMixStudyAnalysis): Named[] {
  const out: Named[] = [];
  for (const c of a.consistency) {
    const who = EXPERT_KIND_LABELS[c.kind];
    out.push({ name: `consistency-${c.kind}-utility`, alt: `merged vs trained judge utility, ${who}`, figure: consistencyScatter(c, "utility", `Merged vs trained: judge utility over ${c.points.length} mixtures (${who})`) });
    out.push({ name: `consistency-${c.kind}-loss`, alt: `merged vs trained validation loss, ${who}`, figure: consistencyScatter(c, "valNats", `Merged vs trained: validation nats/byte over ${c.points.length} mixtures (${who})`) });
  }
  for (const x of a.search) {
    if (!x.surrogate) continue;
    const surface = searchSurface(x.surrogate.view, x.surrogate.capability ? { capability: x.surrogate.capability } : {});
    out.push({ name: `search-${x.kind}`, alt: `surrogate utility over the merge simplex around α*, ${EXPERT_KIND_LABELS[x.kind]}`, figure: surfaceTernary(surface, EXPERT_KIND_LABELS[x.kind]) });
  }
  const series = a.finals
    ? a.finals.arms.map((x) => ({ name: x.label, weights: x.mixture }))
    : a.search.map((x) => ({ name: ARM_LABELS[`mergemix-${x.kind}`], weights: x.mixture }));
  if (series.length) out.push({ name: "weights", alt: "α* and the baselines' mixtures over domains", figure: weightBars(series, { domains: a.domains, title: "α* (per expert kind) beside the baselines' mixtures", values: false }) });
  for (const [scale, x] of [["finals", a.finals], ["scale", a.scale]] as const) {
    if (!x) continue;
    const where = scale === "finals" ? "proxy scale" : "larger scale";
    out.push({ name: `${scale}-utility`, alt: `judge utility of the final models, ${where}, mean ± sd`, figure: armBars(x, "utility", `Final models (${x.recipe}): judge utility, mean ± sd over ${x.seeds.length} seeds`, "judge utility") });
    out.push({ name: `${scale}-loss`, alt: `validation loss of the final models, ${where}, mean ± sd`, figure: armBars(x, "loss", `Final models (${x.recipe}): validation nats/byte, mean ± sd over ${x.seeds.length} seeds`, "nats/byte") });
  }
  const halves = a.suite.filter((r) => Number.isFinite(r.reliability));
  if (halves.length) {
    const populations = [...new Set(halves.map((r) => r.population))];
    const metrics = [...new Set(halves.map((r) => r.metric))];
    const fig = groupedBars(populations.map((p) => ({ name: p, weights: Object.fromEntries(halves.filter((r) => r.population === p).map((r) => [r.metric, r.reliability])) })), {
      domains: metrics, yLabel: "split-half reliability", title: "Judge suite: split-half reliability per capability (Spearman–Brown)", values: false,
    });
    fig.layout = { ...fig.layout, xaxis: axis("capability", { automargin: true }) };
    out.push({ name: "suite-reliability", alt: "split-half reliability of the judge suite per capability", figure: fig });
  }
  if (a.suite.length) {
    const populations = [...new Set(a.suite.map((r) => r.population))];
    const metrics = [...new Set(a.suite.map((r) => r.metric))];
    const fig = groupedBars(populations.map((p) => ({ name: p, weights: Object.fromEntries(a.suite.filter((r) => r.population === p).map((r) => [r.metric, r.spread])) })), {
      domains: metrics, yLabel: "max − min over the models (points)", title: "Judge suite: spread of the chance-normalised score across the study's models", values: false,
    });
    fig.layout = { ...fig.layout, xaxis: axis("capability", { automargin: true }) };
    out.push({ name: "suite-spread", alt: "spread of the judge suite's scores across the study's models per capability", figure: fig });
  }
  return out;
}
