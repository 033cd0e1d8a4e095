import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { projectRoot } from "../util/paths.js";
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, type Figure } from "./figure.js";

/** CSS class on every figure div mixlab writes; the notebook check counts outputs carrying it. */
export const FIGURE_CLASS = "mixlab-figure";
/** First line of the plotly.js bundle; tests look for it to count embedded bundles. */
export const BUNDLE_MARKER = "plotly.js v";

/**
 * Absolute path of the bundled plotly.js (`plotly.js-dist-min`, no CDN: the machine may be offline).
 *
 * @example
 * plotlyBundlePath(); // "<root>/node_modules/plotly.js-dist-min/plotly.min.js"
 */
export function plotlyBundlePath(): string {
  // createRequire from the project root works under ESM (tsx) and CommonJS (tslab) alike.
  return createRequire(join(projectRoot(), "package.json")).resolve("plotly.js-dist-min");
}

let bundleText: string | null = null;

/**
 * The plotly.js bundle source (4.8 MB), read once per process.
 *
 * @example
 * plotlyBundle().startsWith("/**"); // true
 */
export function plotlyBundle(): string {
  if (bundleText === null) {
    // An HTML parser ends a <script> at the first "</script"; the bundle has none today, but
    // guard so an upgrade cannot silently truncate every notebook.
    bundleText = readFileSync(plotlyBundlePath(), "utf8").replace(/<\/script/gi, "<\\/script");
  }
  return bundleText;
}

/**
 * `<script>` element carrying the whole plotly.js bundle (defines `window.Plotly`).
 *
 * @example
 * display.html(bundleScript()); // once per page
 */
export function bundleScript(): string {
  return `<script type="text/javascript">${plotlyBundle()}</script>`;
}

/** JSON that is safe inside a <script> element ("<" never appears literally). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

let counter = 0;

/**
 * A `<div>` plus the `<script>` that draws `fig` into it with the page's `window.Plotly`
 * (which must be loaded before, e.g. by `bundleScript()`). When Plotly is missing (outputs
 * cleared, notebook opened mid-way), the div says how to fix it instead of staying blank.
 *
 * @example
 * const html = figureHtml(scatterFit([1, 2, 3], [2, 4, 7]));
 */
export function figureHtml(fig: Figure, opts: { width?: number; height?: number; id?: string; modeBar?: boolean } = {}): string {
  const id = opts.id ?? `mixlab-fig-${process.pid.toString(36)}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  const width = opts.width ?? (typeof fig.layout.width === "number" ? fig.layout.width : undefined);
  const height = opts.height ?? (typeof fig.layout.height === "number" ? fig.layout.height : DEFAULT_HEIGHT);
  const style = width === undefined ? `width:100%;max-width:${DEFAULT_WIDTH + 200}px;height:${height}px;` : `width:${width}px;height:${height}px;`;
  return [
    `<div id="${id}" class="${FIGURE_CLASS}" style="${style}"></div>`,
    `<script type="text/javascript">(function () {`,
    `  var el = document.getElementById(${scriptJson(id)});`,
    `  var fig = ${scriptJson(fig)};`,
    `  if (window.Plotly) { window.Plotly.newPlot(el, fig.data, fig.layout, ${scriptJson({ responsive: true, displaylogo: false, displayModeBar: opts.modeBar === false ? false : "hover" })}); }`,
    `  else { el.textContent = "plotly.js is not loaded on this page: re-run the notebook from the top (the first figure embeds it)."; }`,
    `})();</script>`,
  ].join("\n");
}

/**
 * A complete HTML page showing `fig`; `bundle` is either a script URL relative to the page
 * (`{ src: "plotly.min.js" }`) or `"inline"` (self-contained, +4.8 MB).
 *
 * @example
 * writeFileSync("fig.html", standaloneHtml(fig, { src: "plotly.min.js" }));
 */
export function standaloneHtml(fig: Figure, bundle: { src: string } | "inline", size: { width?: number; height?: number } = {}): string {
  const width = size.width ?? (typeof fig.layout.width === "number" ? fig.layout.width : DEFAULT_WIDTH);
  const height = size.height ?? (typeof fig.layout.height === "number" ? fig.layout.height : DEFAULT_HEIGHT);
  // Fixed pixel size so a screenshot of a width×height window captures exactly the figure.
  const sized: Figure = { data: fig.data, layout: { ...fig.layout, width, height } };
  const title = typeof fig.layout.title?.text === "string" ? fig.layout.title.text : "mixlab figure";
  const script = bundle === "inline" ? bundleScript() : `<script type="text/javascript" src="${escapeAttr(bundle.src)}"></script>`;
  return [
    "<!DOCTYPE html>",
    `<html><head><meta charset="utf-8"><title>${escapeText(title)}</title>`,
    `<style>html,body{margin:0;padding:0;background:#fff;overflow:hidden}</style>`,
    script,
    "</head><body>",
    // no mode bar: these pages are also screenshotted to PNG (zoom by dragging still works)
    figureHtml(sized, { width, height, id: "figure", modeBar: false }),
    "</body></html>",
    "",
  ].join("\n");
}

/**
 * Escape text for HTML element content.
 *
 * @example
 * escapeText("a<b"); // "a&lt;b"
 */
export function escapeText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, "&quot;");
}
