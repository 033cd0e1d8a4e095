import { MixlabError } from "../util/errors.js";
import { axis, numbers, type Figure } from "./figure.js";

export interface HeatmapOptions {
  title?: string;
  /** column labels (length = number of columns) */
  xLabels: readonly string[];
  /** row labels (length = number of rows); row 0 is drawn at the top, as in a matrix */
  yLabels: readonly string[];
  xTitle?: string;
  yTitle?: string;
  /** write each value in its cell (default: true up to 400 cells) */
  annotate?: boolean;
  /** digits after the point in the annotations (default 2) */
  digits?: number;
  colorscale?: string;
  zmin?: number;
  zmax?: number;
  colorTitle?: string;
}

/**
 * Heat map of a matrix with labelled rows and columns (e.g. Chameleon's domain affinity, or a
 * proxy-loss matrix runs × domains). `z[i][j]` is the value at row `yLabels[i]`, column
 * `xLabels[j]`.
 *
 * @example
 * show(heatmap(affinity, { xLabels: domains, yLabels: domains, title: "domain affinity" }));
 */
export function heatmap(z: readonly ArrayLike<number>[], opts: HeatmapOptions): Figure {
  if (z.length !== opts.yLabels.length) throw new MixlabError("VIZ_SHAPE", `heatmap: ${z.length} rows but ${opts.yLabels.length} yLabels`);
  const rows = z.map((r, i) => {
    if (r.length !== opts.xLabels.length) throw new MixlabError("VIZ_SHAPE", `heatmap: row ${i} has ${r.length} values but there are ${opts.xLabels.length} xLabels`);
    return numbers(r, `heatmap row ${i}`);
  });
  const annotate = opts.annotate ?? rows.length * opts.xLabels.length <= 400;
  const digits = opts.digits ?? 2;
  return {
    data: [{
      type: "heatmap",
      z: rows,
      x: [...opts.xLabels],
      y: [...opts.yLabels],
      colorscale: opts.colorscale ?? "Viridis",
      ...(opts.zmin !== undefined ? { zmin: opts.zmin } : {}),
      ...(opts.zmax !== undefined ? { zmax: opts.zmax } : {}),
      ...(annotate ? { texttemplate: `%{z:.${digits}f}` } : {}),
      ...(opts.colorTitle ? { colorbar: { title: { text: opts.colorTitle } } } : {}),
      hovertemplate: "%{y} × %{x}: %{z:.4g}<extra></extra>",
    }],
    layout: {
      ...(opts.title ? { title: { text: opts.title } } : {}),
      xaxis: axis(opts.xTitle, { type: "category", automargin: true }),
      // rows top-to-bottom like the matrix, not Plotly's bottom-up default
      yaxis: axis(opts.yTitle, { type: "category", autorange: "reversed", automargin: true }),
    },
  };
}
