/**
 * The study's figures, from a `ChameleonStudyAnalysis` (viz stays method-agnostic): the final
 * models' per-domain perplexity with error bars (sd over seeds), every method's weights side by
 * side, the centred affinity heat map and the leverage bars, the official weight's collapse
 * against proxy size, the search cost, the transfer and the finetuning results.
 */
import { groupedBars } from "../../viz/bars.js";
import { axis, type Figure } from "../../viz/figure.js";
import { affinityHeatmap, leverageBars, weightsBesideBaselines } from "./experiments/figures.js";
import type { ChameleonStudyAnalysis } from "./claims.js";

type Named = { name: string; alt: string; figure: Figure };
type MeanSd = { mean: number; sd: number };

/** Bars over categories that are not domains (proxies, methods): the x axis says so. */
function barsOver(category: string, series: { name: string; values: Record<string, MeanSd | number> }[], keys: readonly string[], title: string, yLabel: string, errors: boolean): Figure {
  const value = (v: MeanSd | number) => (typeof v === "number" ? v : v.mean);
  const fig = groupedBars(series.map((s) => ({ name: s.name, weights: Object.fromEntries(keys.map((k) => [k, value(s.values[k])])) })), {
    domains: keys, yLabel, title, values: false,
    ...(errors ? { errors: series.map((s) => Object.fromEntries(keys.map((k) => { const v = s.values[k]; return [k, typeof v === "number" ? 0 : v.sd]; }))) } : {}),
  });
  fig.layout = { ...fig.layout, xaxis: axis(category, { tickangle: keys.length > 8 ? -45 : 0, automargin: true }) };
  return fig;
}

/** Every figure the analysis supports, by file name (stages not yet run give none). */
export function studyFigures(a: ChameleonStudyAnalysis): Named[] {
  const out: Named[] = [];
  const domains = a.domains;
  const p = a.pretrain;
  if (p) {
    const keys = [...domains, "average"];
    out.push({
      name: "pretrain-perplexity", alt: "final models' per-domain perplexity, mean ± sd over seeds",
      figure: barsOver("domain", p.arms.map((x) => ({ name: x.label, values: { ...x.perDomain, average: x.averagePerplexity } })), keys,
        `Final models, per-domain perplexity (per byte), mean ± sd over ${p.seeds.length} seeds`, "perplexity", true),
    });
    const series = p.arms.map((x) => ({ name: x.label, weights: x.mixture }));
    if (a.transfer) series.push({ name: "Chameleon, transferred (frozen proxy)", weights: a.transfer.arms[0].mixture });
    out.push({ name: "weights", alt: "every method's domain weights side by side", figure: weightsBesideBaselines(domains, series, "Domain weights of every method") });
  }
  if (a.cost.length) {
    out.push({
      name: "search-cost", alt: "search FLOPs as a fraction of one final model's training",
      figure: barsOver("method", [{ name: "search ÷ final", values: Object.fromEntries(a.cost.map((c) => [c.label, c.fraction])) }], a.cost.map((c) => c.label),
        "Search FLOPs ÷ one final model's training FLOPs", "fraction of one final training", false),
    });
  }
  const g = a.regime;
  if (g) {
    const largest = g.proxies.at(-1)!;
    out.push({ name: "affinity", alt: `centred affinity, proxy ${largest.name}`, figure: affinityHeatmap(domains, largest.centeredKernel, `Centred domain affinity K_c, proxy ${largest.name} (first seed)`) });
    const lev = g.proxies.map((x) => ({ name: `proxy ${x.name}`, weights: x.leverage }));
    if (p?.searchLeverage) lev.push({ name: "pretraining search", weights: p.searchLeverage });
    out.push({ name: "leverage", alt: "normalised leverage scores S by proxy", figure: leverageBars(domains, lev, "Leverage scores S (normalised; mean over seeds) by proxy") });
    const names = g.proxies.map((x) => x.name);
    out.push({
      name: "regime", alt: "largest official weight by proxy, mean ± sd over seeds",
      figure: barsOver("proxy", [{ name: "largest weight at τ = 5", values: Object.fromEntries(g.proxies.map((x) => [x.name, { mean: x.maxWeight.value, sd: x.maxWeightSd }])) }], names,
        `Largest official (τ = 5) weight by proxy, mean ± sd; collapse ≥ ${g.collapseAt}, official example ${g.reference.maxOfficialWeight.toFixed(3)}`, "largest weight", true),
    });
  }
  const t = a.transfer;
  if (t) {
    const keys = [...t.heldOut, "new-domain average"];
    const label = { transferred: "transferred (frozen proxy)", retrained: "retrained proxy", uniform: "uniform" } as const;
    out.push({
      name: "transfer", alt: "perplexity on the held-out domains by arm, mean ± sd",
      figure: barsOver("held-out domain", t.arms.map((x) => ({ name: label[x.arm], values: { ...x.perDomain, "new-domain average": x.newPerplexity } })), keys,
        `New domains: perplexity of the final models, mean ± sd over ${t.seeds.length} seeds`, "perplexity", true),
    });
  }
  const f = a.finetune;
  if (f) {
    out.push({
      name: "finetune", alt: "finetuned perplexity per finetuning domain, uniform vs Chameleon FT",
      figure: barsOver("finetuning domain", [
        { name: "uniform", values: Object.fromEntries(f.perDomain.map((d) => [d.domain, d.uniform])) },
        { name: "Chameleon FT", values: Object.fromEntries(f.perDomain.map((d) => [d.domain, d.chameleon])) },
      ], f.domains, `Finetuned models, perplexity per domain, mean ± sd over ${f.repeats} repeats`, "perplexity", true),
    });
  }
  return out;
}
