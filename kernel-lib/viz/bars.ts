import { MixlabError } from "../util/errors.js";
import { axis, numbers, type BarTrace, type Figure } from "./figure.js";

/**
 * Weights over domains, as any of: parallel to `domains` (number[] / Float64Array), a
 * `{domain: weight}` record (`mixture.toRecord()`), or anything with `domains` and `weights`
 * (a `Mixture`). viz does not import the data layer; it only reads these fields.
 */
export type WeightsLike =
  | ArrayLike<number>
  | Readonly<Record<string, number>>
  | { readonly domains: readonly string[]; readonly weights: ArrayLike<number> };

/** One mixture to draw: a legend name and its weights. */
export interface WeightSeries {
  name: string;
  weights: WeightsLike;
}

export interface WeightBarsOptions {
  title?: string;
  /** domain order on the x axis; default: the first series' domains (records/mixtures), then any new ones */
  domains?: readonly string[];
  yLabel?: string;
  /** print each weight above its bar (default: true when ≤ 40 bars in all) */
  values?: boolean;
}

/**
 * Grouped bars: several mixtures side by side over the domains (e.g. token prior vs RegMix vs
 * Chameleon). Trace i = series i; `y` follows the x-axis domain order; a domain a mixture does
 * not name gets weight 0.
 *
 * @example
 * show(weightBars([
 *   { name: "token prior", weights: prior },          // a Mixture
 *   { name: "RegMix", weights: { books: 0.3, code_c: 0.7 } },
 * ], { title: "Mixture weights" }));
 */
export function weightBars(series: readonly WeightSeries[], opts: WeightBarsOptions = {}): Figure {
  if (series.length === 0) throw new MixlabError("VIZ_EMPTY", "weightBars: no series given");
  const records = series.map((s) => toRecord(s, opts.domains));
  const domains = opts.domains ? [...opts.domains] : unionKeys(records);
  for (let i = 0; i < records.length; i++) {
    for (const d of Object.keys(records[i])) {
      if (!domains.includes(d)) throw new MixlabError("VIZ_UNKNOWN_DOMAIN", `weightBars: series "${series[i].name}" has domain "${d}", not among ${domains.join(", ")}`);
    }
  }
  const showValues = opts.values ?? domains.length * series.length <= 40;
  const data: BarTrace[] = series.map((s, i) => {
    const y = numbers(domains.map((d) => records[i][d] ?? 0), `weights of "${s.name}"`);
    return {
      type: "bar",
      name: s.name,
      x: domains,
      y,
      ...(showValues ? { text: y.map((v) => v.toFixed(2)), textposition: "outside" as const } : {}),
      hovertemplate: `${s.name}<br>%{x}: %{y:.4f}<extra></extra>`,
    };
  });
  return {
    data,
    layout: {
      ...(opts.title ? { title: { text: opts.title } } : {}),
      barmode: "group",
      xaxis: axis("domain", { tickangle: domains.length > 8 ? -45 : 0, automargin: true }),
      yaxis: axis(opts.yLabel ?? "weight", { rangemode: "tozero" }),
    },
  };
}

function toRecord(s: WeightSeries, domains: readonly string[] | undefined): Record<string, number> {
  const w = s.weights;
  if (isMixtureLike(w)) {
    if (w.domains.length !== w.weights.length) throw new MixlabError("VIZ_SHAPE", `weightBars: "${s.name}" has ${w.domains.length} domains but ${w.weights.length} weights`);
    const r: Record<string, number> = {};
    w.domains.forEach((d, i) => { r[d] = w.weights[i]; });
    return r;
  }
  if (isArrayLike(w)) {
    if (!domains) throw new MixlabError("VIZ_BAD_OPTION", `weightBars: "${s.name}" gives bare weights; pass opts.domains to name them`);
    if (domains.length !== w.length) throw new MixlabError("VIZ_SHAPE", `weightBars: "${s.name}" has ${w.length} weights for ${domains.length} domains`);
    const r: Record<string, number> = {};
    domains.forEach((d, i) => { r[d] = w[i]; });
    return r;
  }
  return { ...w };
}

function isMixtureLike(w: WeightsLike): w is { readonly domains: readonly string[]; readonly weights: ArrayLike<number> } {
  const o = w as { domains?: unknown; weights?: unknown };
  return Array.isArray(o.domains) && typeof o.weights === "object" && o.weights !== null;
}

function isArrayLike(w: WeightsLike): w is ArrayLike<number> {
  return Array.isArray(w) || ArrayBuffer.isView(w);
}

function unionKeys(records: Record<string, number>[]): string[] {
  const out: string[] = [];
  for (const r of records) for (const k of Object.keys(r)) if (!out.includes(k)) out.push(k);
  return out;
}

/**
 * Grouped bars of any per-domain numbers (e.g. per-domain validation loss of several models):
 * `weightBars` with a y-axis label of your choice.
 *
 * @example
 * show(groupedBars([{ name: "uniform", weights: lossRecord }], { yLabel: "nats/token" }));
 * // `errors`: per series, a half-width per domain (e.g. the sd over seeds), drawn as error bars
 */
export function groupedBars(series: readonly WeightSeries[], opts: WeightBarsOptions & { yLabel: string; errors?: readonly Record<string, number>[] }): Figure {
  const fig = weightBars(series, opts);
  const errors = opts.errors;
  if (!errors) return fig;
  if (errors.length !== series.length) throw new MixlabError("VIZ_SHAPE", `groupedBars: ${errors.length} error series for ${series.length} series`);
  fig.data = (fig.data as BarTrace[]).map((t, i) => ({ ...t, error_y: { type: "data", array: t.x.map((d) => errors[i][d] ?? 0), visible: true } }));
  return fig;
}
