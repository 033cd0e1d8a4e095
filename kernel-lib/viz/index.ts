// kernel-lib/viz: figures and tables from plain numbers and labels (no method knowledge).
export { type Figure, type Trace, type PlotLayout, type PlotAxis, type ScatterTrace, type BarTrace, type HistogramTrace, type HeatmapTrace, type ScatterTernaryTrace, DEFAULT_WIDTH, DEFAULT_HEIGHT } from "./figure.js";
export { scatterFit, linearFit, type ScatterFitOptions, type LinearFit } from "./scatter.js";
export { histogram, type HistogramOptions, type HistogramSeries } from "./histogram.js";
export { weightBars, groupedBars, type WeightBarsOptions, type WeightSeries, type WeightsLike } from "./bars.js";
export { heatmap, type HeatmapOptions } from "./heatmap.js";
export { ternary, type TernaryOptions, type TernaryMarker } from "./ternary.js";
export { lossCurves, type Curve, type LossCurvesOptions } from "./curves.js";
export { show, showHtml, showMarkdown, inNotebook, notebookDisplay, resendPlotly, describeFigure, type ShowOptions, type NotebookDisplay } from "./show.js";
export { savePlot, BUNDLE_FILE, type SavePlotOptions, type SavedPlot } from "./save.js";
export { findChromium, screenshotHtml, CHROMIUM_APT } from "./chromium.js";
export { figureHtml, standaloneHtml, plotlyBundlePath, FIGURE_CLASS, BUNDLE_MARKER } from "./html.js";
export { toMarkdown, toHtmlTable, tableToCsv, showTable, formatNumber, exponentForm, tableGrid, type TableLike, type TableOptions, type Cell, type FrameLike } from "./table.js";
export { profile, byProfile, type Profile } from "../util/profile.js";
