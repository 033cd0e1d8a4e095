import { MixlabError } from "../util/errors.js";
import { axis, numbers, type Figure, type HistogramTrace } from "./figure.js";

/** One named sample for `histogram`. */
export interface HistogramSeries {
  name: string;
  values: ArrayLike<number>;
}

export interface HistogramOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** maximum number of bins (Plotly picks nice edges up to this); default 30 */
  bins?: number;
}

/**
 * Histogram of one sample, or overlaid histograms of several named samples (e.g. the
 * distribution of a domain's weight over sampled mixtures).
 *
 * @example
 * show(histogram(lossesOfAllRuns, { title: "validation loss over proxy runs", xLabel: "loss" }));
 * show(histogram([{ name: "train", values: a }, { name: "test", values: b }]));
 */
export function histogram(values: ArrayLike<number> | readonly HistogramSeries[], opts: HistogramOptions = {}): Figure {
  const series: readonly HistogramSeries[] = isSeriesList(values) ? values : [{ name: "values", values }];
  if (series.length === 0) throw new MixlabError("VIZ_EMPTY", "histogram: no series given");
  const bins = opts.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1) throw new MixlabError("VIZ_BAD_OPTION", `histogram bins must be a positive integer, got ${bins}`);
  const data: HistogramTrace[] = series.map((s) => ({
    type: "histogram",
    name: s.name,
    x: numbers(s.values, `histogram "${s.name}"`),
    nbinsx: bins,
    ...(series.length > 1 ? { opacity: 0.6 } : {}),
  }));
  return {
    data,
    layout: {
      ...(opts.title ? { title: { text: opts.title } } : {}),
      xaxis: axis(opts.xLabel),
      yaxis: axis(opts.yLabel ?? "count"),
      ...(series.length > 1 ? { barmode: "overlay" as const } : { showlegend: false }),
    },
  };
}

function isSeriesList(v: ArrayLike<number> | readonly HistogramSeries[]): v is readonly HistogramSeries[] {
  return Array.isArray(v) && v.length > 0 && typeof v[0] === "object" && v[0] !== null;
}
