import { MixlabError } from "../util/errors.js";

/**
 * The Plotly figure types mixlab builds. Deliberately small (the official plotly.js typings are
 * 1.2 MB of generated declarations, too slow for tslab to check in every notebook): each trace
 * type lists the attributes the builders set, and `extra` attributes pass through untyped.
 * Arrays are plain `number[]` (typed arrays serialise to objects in JSON).
 */

/** Axis title/range settings (subset of Plotly's `layout.xaxis`). */
export interface PlotAxis {
  title?: { text: string };
  type?: "linear" | "log" | "category";
  range?: [number, number];
  autorange?: boolean | "reversed";
  tickangle?: number;
  zeroline?: boolean;
  [key: string]: unknown;
}

/** Plotly `layout` (subset; other keys pass through). */
export interface PlotLayout {
  title?: { text: string };
  xaxis?: PlotAxis;
  yaxis?: PlotAxis;
  width?: number;
  height?: number;
  barmode?: "group" | "stack" | "overlay";
  showlegend?: boolean;
  ternary?: Record<string, unknown>;
  margin?: { l?: number; r?: number; t?: number; b?: number };
  [key: string]: unknown;
}

/** Marker style of scatter-like traces. */
export interface Marker {
  color?: string | number[];
  size?: number;
  symbol?: string;
  colorscale?: string;
  showscale?: boolean;
  colorbar?: { title?: { text: string } };
  opacity?: number;
  line?: { width?: number; color?: string };
}

export interface ScatterTrace {
  type: "scatter";
  name?: string;
  mode: "markers" | "lines" | "lines+markers" | "markers+text";
  x: number[];
  y: number[];
  text?: string[];
  marker?: Marker;
  line?: { color?: string; dash?: "solid" | "dash" | "dot"; width?: number };
  hovertemplate?: string;
  showlegend?: boolean;
}

export interface HistogramTrace {
  type: "histogram";
  name?: string;
  x: number[];
  nbinsx?: number;
  opacity?: number;
}

export interface BarTrace {
  type: "bar";
  name?: string;
  x: string[];
  y: number[];
  text?: string[];
  textposition?: "auto" | "outside" | "inside" | "none";
  hovertemplate?: string;
  /** symmetric error bars, one half-width per bar */
  error_y?: { type: "data"; array: number[]; visible: boolean };
}

export interface HeatmapTrace {
  type: "heatmap";
  name?: string;
  /** [rows][columns]; row i is labelled y[i], column j x[j] */
  z: number[][];
  x: string[];
  y: string[];
  colorscale?: string;
  zmin?: number;
  zmax?: number;
  texttemplate?: string;
  colorbar?: { title?: { text: string } };
  hovertemplate?: string;
}

export interface ScatterTernaryTrace {
  type: "scatterternary";
  name?: string;
  mode: "markers" | "markers+text";
  /** corner weights, one entry per point (Plotly normalises a+b+c per point) */
  a: number[];
  b: number[];
  c: number[];
  text?: string[];
  textposition?: "top center" | "bottom center" | "middle right";
  marker?: Marker;
  hovertemplate?: string;
}

export type Trace = ScatterTrace | HistogramTrace | BarTrace | HeatmapTrace | ScatterTernaryTrace;

/** A plain Plotly figure: what `Plotly.newPlot(div, data, layout)` takes. JSON-serialisable. */
export interface Figure {
  data: Trace[];
  layout: PlotLayout;
}

/** Default size of figures in pixels (used for PNG export and the inline div). */
export const DEFAULT_WIDTH = 800;
export const DEFAULT_HEIGHT = 500;

/**
 * Copy numbers out of any array-like (Float64Array, number[]) into a plain array, refusing
 * NaN/±Infinity with a MixlabError that names `what` — a NaN in a plot is almost always a bug
 * upstream, and Plotly would silently drop the point.
 *
 * @example
 * numbers(new Float64Array([1, 2]), "x"); // [1, 2]
 */
export function numbers(values: ArrayLike<number>, what: string): number[] {
  const out = Array.from(values, Number);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new MixlabError("VIZ_NOT_FINITE", `${what}[${i}] is ${out[i]}`);
  }
  return out;
}

/**
 * An axis with a title.
 *
 * @example
 * axis("step"); // { title: { text: "step" } }
 */
export function axis(title: string | undefined, extra: PlotAxis = {}): PlotAxis {
  return title === undefined ? { ...extra } : { title: { text: title }, ...extra };
}

/**
 * Throw VIZ_SHAPE unless two lengths agree.
 *
 * @example
 * sameLength(3, 3, "x and y"); // ok
 */
export function sameLength(a: number, b: number, what: string): void {
  if (a !== b) throw new MixlabError("VIZ_SHAPE", `${what}: lengths differ (${a} vs ${b})`);
}

/**
 * [min, max] of a non-empty array (a loop: `Math.min(...xs)` overflows the stack on large arrays).
 *
 * @example
 * extent([3, 1, 2]); // [1, 3]
 */
export function extent(values: readonly number[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return [lo, hi];
}
