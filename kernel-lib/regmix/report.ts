/**
 * The report of a RegMix search: the regression's held-out scores and scatter plots, the
 * simulation, the chosen mixture beside the token prior, and the sweep in RegMix's own CSV
 * schema (`train_mixture.csv`, `train_loss.csv`, `test_*`: what the RegMix repository's
 * regression notebook reads). Plain markdown and CSV text; figures go through a sink.
 */
import { Mixture } from "../data/mixture.js";
import type { Figure } from "../viz/figure.js";
import { toMarkdown } from "../viz/table.js";
import type { RegmixAnalysis } from "./choose.js";
import type { RegmixSearchSpec } from "./config.js";
import { chosenWeightsBars, heldOutScatter, simulatedLossHistogram } from "./figures.js";
import { regmixLossesCsv, regmixMixturesCsv, type SweepRow } from "./sweep.js";

const fmt = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(digits));

/**
 * The sweep in RegMix's CSV schema: fitted rows as `train_*`, held-out rows as `test_*`.
 *
 * @example
 * const tables = regmixSweepTables(rows, domains, 16); // { "train_mixture.csv": "…", … }
 */
export function regmixSweepTables(rows: readonly SweepRow[], domains: readonly string[], heldOut: number): Record<string, string> {
  const h = Math.min(heldOut, rows.length);
  const fit = rows.slice(0, rows.length - h);
  const ho = rows.slice(rows.length - h);
  const tables: Record<string, string> = { "train_mixture.csv": regmixMixturesCsv(fit, domains), "train_loss.csv": regmixLossesCsv(fit, domains) };
  if (ho.length > 0) {
    tables["test_mixture.csv"] = regmixMixturesCsv(ho, domains);
    tables["test_loss.csv"] = regmixLossesCsv(ho, domains);
  }
  return tables;
}

/**
 * Markdown of a finished search's analysis.
 *
 * @example
 * const md = regmixAnalysisMarkdown(a, spec, prior, (name, fig, alt) => figureLink(fig, dir, name, alt, "auto"));
 */
export function regmixAnalysisMarkdown(a: RegmixAnalysis, spec: RegmixSearchSpec, prior: Mixture, figure: (name: string, fig: Figure, alt: string) => string): string {
  const s = spec.simulate;
  return [
    `### Regression on held-out proxies (${a.trainRows} fitted, ${a.heldOutRows} held out)`,
    "",
    toMarkdown(a.scores.map((r) => ({ model: r.model, "Spearman×100": fmt(100 * r.spearman, 2), Pearson: fmt(r.pearson), MSE: r.mse, MAE: r.mae })), { digits: 5 }),
    "",
    figure("heldout_gbdt", heldOutScatter(a, "gbdt"), "GBDT predicted vs true loss"),
    "",
    figure("heldout_linear", heldOutScatter(a, "linear"), "Linear predicted vs true loss"),
    "",
    "### Simulation",
    "",
    `${a.simulation.numCandidates.toLocaleString("en-US")} candidates from ${s.sampler === "dirichlet" ? `Dirichlet(token prior × ${s.strength})` : "RegMix's constrained sampler"}, predicted with the ${a.simulatedWith}; ` +
      `mean of the ${s.topK} lowest. Predicted ${a.target} loss: best ${fmt(a.simulation.stats.min)}, top-k mean ${fmt(a.simulation.stats.topKMean)}, all-candidate mean ${fmt(a.simulation.stats.mean)}.`,
    "",
    figure("simulated_loss", simulatedLossHistogram(a.simulation, a.target), "distribution of simulated losses"),
    "",
    figure("weights", chosenWeightsBars(a.chosen, prior, [{ name: "uniform", weights: Mixture.uniform(prior.domains) }]), "RegMix weights vs token prior"),
    "",
    toMarkdown([{ mixture: "RegMix", ...a.chosen.toRecord() }, { mixture: "token prior", ...prior.toRecord() }], { digits: 3 }),
    "",
  ].join("\n");
}
