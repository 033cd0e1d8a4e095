import { MixlabError } from "../util/errors.js";
import { numbers, type Figure, type ScatterTernaryTrace } from "./figure.js";

/** A point to highlight on the simplex (e.g. the predicted optimum). */
export interface TernaryMarker {
  name: string;
  /** weights of the three corners (normalised by Plotly) */
  point: readonly [number, number, number] | ArrayLike<number>;
  symbol?: string;
}

export interface TernaryOptions {
  /** the three corner names, in the order of each point's coordinates */
  labels: readonly [string, string, string];
  /** a value per point, drawn as colour (e.g. validation loss) */
  values?: ArrayLike<number>;
  title?: string;
  colorTitle?: string;
  colorscale?: string;
  markers?: readonly TernaryMarker[];
  /** hover label per point */
  text?: readonly string[];
  markerSize?: number;
}

/**
 * Ternary (3-domain simplex) scatter: each point is a mixture of three domains, coloured by a
 * value — e.g. sampled mixtures coloured by proxy loss, with the chosen mixture highlighted.
 * Trace 0 holds the points (`a`, `b`, `c` = the three coordinates); one more trace per marker.
 *
 * @example
 * show(ternary(mixtures3, { labels: ["books", "code_c", "math"], values: losses, colorTitle: "loss",
 *   markers: [{ name: "best", point: best }] }));
 */
export function ternary(points: readonly ArrayLike<number>[], opts: TernaryOptions): Figure {
  const abc = (p: ArrayLike<number>, what: string): [number, number, number] => {
    if (p.length !== 3) throw new MixlabError("VIZ_SHAPE", `ternary: ${what} has ${p.length} coordinates, expected 3`);
    const v = numbers(p, what);
    if (v.some((x) => x < 0)) throw new MixlabError("VIZ_BAD_VALUE", `ternary: ${what} has a negative coordinate (${v.join(", ")})`);
    if (!(v[0] + v[1] + v[2] > 0)) throw new MixlabError("VIZ_BAD_VALUE", `ternary: ${what} is all zero`);
    return [v[0], v[1], v[2]];
  };
  const pts = points.map((p, i) => abc(p, `point ${i}`));
  const values = opts.values === undefined ? undefined : numbers(opts.values, "ternary values");
  if (values && values.length !== pts.length) throw new MixlabError("VIZ_SHAPE", `ternary: ${pts.length} points but ${values.length} values`);
  if (opts.text && opts.text.length !== pts.length) throw new MixlabError("VIZ_SHAPE", `ternary: ${pts.length} points but ${opts.text.length} labels`);
  const main: ScatterTernaryTrace = {
    type: "scatterternary",
    mode: "markers",
    name: "mixtures",
    a: pts.map((p) => p[0]),
    b: pts.map((p) => p[1]),
    c: pts.map((p) => p[2]),
    ...(opts.text ? { text: [...opts.text] } : {}),
    marker: values
      ? { color: values, colorscale: opts.colorscale ?? "Viridis", showscale: true, size: opts.markerSize ?? 8, ...(opts.colorTitle ? { colorbar: { title: { text: opts.colorTitle } } } : {}) }
      : { size: opts.markerSize ?? 8 },
  };
  const extra: ScatterTernaryTrace[] = (opts.markers ?? []).map((m) => {
    const p = abc(m.point, `marker "${m.name}"`);
    return {
      type: "scatterternary", mode: "markers+text", name: m.name, a: [p[0]], b: [p[1]], c: [p[2]], text: [m.name], textposition: "top center",
      marker: { size: 14, symbol: m.symbol ?? "star", color: "red", line: { width: 1, color: "black" } },
    };
  });
  const [la, lb, lc] = opts.labels;
  return {
    data: [main, ...extra],
    layout: {
      ...(opts.title ? { title: { text: opts.title } } : {}),
      ternary: {
        sum: 1,
        aaxis: { title: { text: la }, min: 0 },
        baxis: { title: { text: lb }, min: 0 },
        caxis: { title: { text: lc }, min: 0 },
      },
      showlegend: extra.length > 0,
      // legend below the triangle, clear of the colour bar on the right
      ...(extra.length > 0 ? { legend: { orientation: "h", x: 0.5, xanchor: "center", y: -0.08 } } : {}),
    },
  };
}
