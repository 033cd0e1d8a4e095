import { copyFileSync, existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { MixlabError } from "../util/errors.js";
import { writeFileAtomic } from "../util/atomic.js";
import { CHROMIUM_APT, findChromium, screenshotHtml } from "./chromium.js";
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, type Figure } from "./figure.js";
import { plotlyBundlePath, standaloneHtml } from "./html.js";

/** File name of the plotly.js copy written once per output directory. */
export const BUNDLE_FILE = "plotly.min.js";

export interface SavePlotOptions {
  /** PNG through headless Chromium: "auto" (default: when Chromium is installed), true (required), false */
  png?: boolean | "auto";
  width?: number;
  height?: number;
  /**
   * "sibling" (default): the page loads `plotly.min.js` from its own directory, written there
   * once — a results directory with 20 figures holds one 4.8 MB bundle, not 20.
   * "inline": a single self-contained file.
   */
  bundle?: "sibling" | "inline";
}

/** What `savePlot` wrote. */
export interface SavedPlot {
  html: string;
  /** the PNG path, or null when no PNG was made */
  png: string | null;
  /** why there is no PNG (e.g. Chromium not installed) */
  pngSkipped?: string;
}

/**
 * Write `fig` as a standalone HTML page (and a PNG when Chromium is present). `path` may end in
 * `.html`, `.png` (forces PNG) or have no extension; the HTML and PNG share the stem.
 *
 * @example
 * savePlot(fig, "results/regmix/fit");
 * // { html: "results/regmix/fit.html", png: "results/regmix/fit.png" }  (+ results/regmix/plotly.min.js)
 */
export function savePlot(fig: Figure, path: string, opts: SavePlotOptions = {}): SavedPlot {
  const ext = extname(path).toLowerCase();
  const stem = ext === ".html" || ext === ".png" ? path.slice(0, -ext.length) : path;
  const htmlPath = `${stem}.html`;
  const pngPath = `${stem}.png`;
  const wantPng = ext === ".png" ? true : (opts.png ?? "auto");
  const width = opts.width ?? (typeof fig.layout.width === "number" ? fig.layout.width : DEFAULT_WIDTH);
  const height = opts.height ?? (typeof fig.layout.height === "number" ? fig.layout.height : DEFAULT_HEIGHT);
  const dir = dirname(htmlPath);
  mkdirSync(dir, { recursive: true });
  if ((opts.bundle ?? "sibling") === "sibling") {
    ensureBundle(dir);
    writeFileAtomic(htmlPath, standaloneHtml(fig, { src: BUNDLE_FILE }, { width, height }));
  } else {
    writeFileAtomic(htmlPath, standaloneHtml(fig, "inline", { width, height }));
  }
  if (wantPng === false) return { html: htmlPath, png: null, pngSkipped: "png: false" };
  const chromium = findChromium();
  if (!chromium) {
    if (wantPng === true) throw new MixlabError("CHROMIUM_NOT_FOUND", `PNG export needs Chromium: ${CHROMIUM_APT} (or set MIXLAB_CHROMIUM)`);
    return { html: htmlPath, png: null, pngSkipped: `Chromium not installed (${CHROMIUM_APT})` };
  }
  screenshotHtml(chromium, htmlPath, pngPath, width, height);
  return { html: htmlPath, png: pngPath };
}

/** Copy plotly.min.js into `dir` unless an identical-size copy is there already. */
function ensureBundle(dir: string): void {
  const src = plotlyBundlePath();
  const dst = join(dir, BUNDLE_FILE);
  if (existsSync(dst) && statSync(dst).size === statSync(src).size) return;
  const tmp = join(dir, `.${basename(dst)}.${process.pid}.tmp`);
  copyFileSync(src, tmp);
  // rename is atomic: a parallel savePlot in the same directory never sees half a bundle
  renameSync(tmp, dst);
}
