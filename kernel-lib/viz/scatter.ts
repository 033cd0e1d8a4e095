import { MixlabError } from "../util/errors.js";
import { axis, extent, numbers, sameLength, type Figure, type ScatterTrace } from "./figure.js";

export interface ScatterFitOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** hover label of each point (e.g. the run id) */
  labels?: readonly string[];
  /**
   * Rank correlation to print in the title as "ρ = 0.912". viz knows no statistics: compute it
   * with `spearman` from kernel-lib/regression/metrics and pass it in.
   */
  rho?: number;
  /** "fit" (least-squares line, default), "identity" (y = x, for predicted-vs-actual), or "none" */
  line?: "fit" | "identity" | "none";
  name?: string;
}

/** Least-squares line y = intercept + slope·x. */
export interface LinearFit {
  slope: number;
  intercept: number;
}

/**
 * Ordinary least-squares fit of y on x (the line drawn by `scatterFit`). Needs ≥ 2 distinct x.
 *
 * @example
 * linearFit([0, 1, 2], [1, 3, 5]); // { slope: 2, intercept: 1 }
 */
export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>): LinearFit {
  sameLength(x.length, y.length, "linearFit x and y");
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) { sxx += (x[i] - mx) ** 2; sxy += (x[i] - mx) * (y[i] - my); }
  if (!(sxx > 0)) throw new MixlabError("VIZ_DEGENERATE", "linearFit needs at least two distinct x values");
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/**
 * Scatter of y against x with a least-squares line (or the y = x diagonal) and the rank
 * correlation in the title — the standard "predicted vs actual" / "proxy vs target" plot.
 * Returns a plain Plotly figure: trace 0 = points, trace 1 = the line (absent with line "none").
 *
 * @example
 * const fig = scatterFit(pred, actual, { xLabel: "predicted loss", yLabel: "actual loss", rho: spearman(pred, actual) });
 * show(fig);
 */
export function scatterFit(x: ArrayLike<number>, y: ArrayLike<number>, opts: ScatterFitOptions = {}): Figure {
  const xs = numbers(x, "x");
  const ys = numbers(y, "y");
  sameLength(xs.length, ys.length, "scatterFit x and y");
  if (opts.labels) sameLength(opts.labels.length, xs.length, "scatterFit labels and points");
  const points: ScatterTrace = {
    type: "scatter",
    mode: "markers",
    name: opts.name ?? "points",
    x: xs,
    y: ys,
    marker: { size: 7, opacity: 0.8 },
    ...(opts.labels ? { text: [...opts.labels], hovertemplate: "%{text}<br>x=%{x:.4g}<br>y=%{y:.4g}<extra></extra>" } : {}),
  };
  const data: ScatterTrace[] = [points];
  const kind = opts.line ?? "fit";
  if (kind !== "none" && xs.length > 0) {
    const [lo, hi] = extent(xs);
    if (kind === "fit") {
      const { slope, intercept } = linearFit(xs, ys);
      data.push({
        type: "scatter", mode: "lines", name: `fit y = ${intercept.toPrecision(3)} ${slope < 0 ? "−" : "+"} ${Math.abs(slope).toPrecision(3)}·x`,
        x: [lo, hi], y: [intercept + slope * lo, intercept + slope * hi], line: { dash: "dash" },
      });
    } else {
      const [ylo, yhi] = extent(ys);
      const a = Math.min(lo, ylo), b = Math.max(hi, yhi);
      data.push({ type: "scatter", mode: "lines", name: "y = x", x: [a, b], y: [a, b], line: { dash: "dot" } });
    }
  }
  const base = opts.title ?? "";
  const rho = opts.rho === undefined ? "" : `ρ = ${opts.rho.toFixed(3)}`;
  const title = base && rho ? `${base} (${rho})` : base || rho;
  return {
    data,
    layout: {
      ...(title ? { title: { text: title } } : {}),
      xaxis: axis(opts.xLabel),
      yaxis: axis(opts.yLabel),
    },
  };
}
