import { MixlabError } from "../util/errors.js";
import { axis, numbers, sameLength, type Figure, type ScatterTrace } from "./figure.js";

/** One named curve; `steps` default to 0, 1, 2, … */
export interface Curve {
  name: string;
  values: ArrayLike<number>;
  steps?: ArrayLike<number>;
}

export interface LossCurvesOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** log-scale y axis */
  logY?: boolean;
  /** draw markers on each point (useful when curves have few points) */
  markers?: boolean;
}

/**
 * Line plot of several loss curves (training loss, or per-domain validation loss over steps).
 * Trace i = curve i with `x` = its steps and `y` = its values.
 *
 * @example
 * show(lossCurves([{ name: "train", steps: log.steps, values: log.loss }], { logY: true }));
 */
export function lossCurves(curves: readonly Curve[], opts: LossCurvesOptions = {}): Figure {
  if (curves.length === 0) throw new MixlabError("VIZ_EMPTY", "lossCurves: no curves given");
  const data: ScatterTrace[] = curves.map((c) => {
    const y = numbers(c.values, `curve "${c.name}"`);
    const x = c.steps === undefined ? y.map((_, i) => i) : numbers(c.steps, `steps of "${c.name}"`);
    sameLength(x.length, y.length, `lossCurves "${c.name}" steps and values`);
    return { type: "scatter", mode: opts.markers ? "lines+markers" : "lines", name: c.name, x, y };
  });
  return {
    data,
    layout: {
      ...(opts.title ? { title: { text: opts.title } } : {}),
      xaxis: axis(opts.xLabel ?? "step"),
      yaxis: axis(opts.yLabel ?? "loss", opts.logY ? { type: "log" } : {}),
    },
  };
}
