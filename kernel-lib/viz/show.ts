import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Figure } from "./figure.js";
import { bundleScript, figureHtml } from "./html.js";
import { savePlot } from "./save.js";

/** The part of tslab's `display` mixlab uses (see `import * as tslab from "tslab"`). */
export interface NotebookDisplay {
  html(s: string): void;
  markdown(s: string): void;
  png(b: Uint8Array): void;
  text(s: string): void;
}

/**
 * tslab's `display` when running inside a tslab kernel, else null. tslab sets
 * `globalThis.__tslab__` with a `require` that resolves "tslab" to the kernel's own instance
 * (the one wired to the current cell); reading it there keeps kernel-lib free of a static
 * import of tslab (which would load a second TypeScript compiler in every CLI run).
 *
 * @example
 * notebookDisplay()?.html("<b>hello</b>");
 */
export function notebookDisplay(): NotebookDisplay | null {
  const g = (globalThis as { __tslab__?: { require?: (id: string) => unknown } }).__tslab__;
  if (!g || typeof g.require !== "function") return null;
  const mod = g.require("tslab") as { display?: NotebookDisplay } | null;
  return mod && mod.display ? mod.display : null;
}

/**
 * True inside a tslab notebook kernel.
 *
 * @example
 * if (!inNotebook()) console.log("run me in Jupyter to see figures");
 */
export function inNotebook(): boolean {
  return notebookDisplay() !== null;
}

// Whether this kernel has already sent plotly.js to the page. Module state lives as long as
// the kernel, so a notebook carries the 4.8 MB bundle in its first figure output only.
let bundleSent = false;

/**
 * Make the next `show` embed plotly.js again (e.g. after clearing all outputs in a live session).
 *
 * @example
 * resendPlotly(); show(fig);
 */
export function resendPlotly(): void {
  bundleSent = false;
}

export interface ShowOptions {
  width?: number;
  height?: number;
  /** display a PNG (headless Chromium) instead of the interactive figure — visible where JS is not run */
  static?: boolean;
}

/**
 * Display a figure inline in a tslab notebook (the first call per kernel also embeds
 * plotly.js; later figures reuse it). Outside a notebook it prints a one-line summary.
 *
 * @example
 * show(lossCurves([{ name: "train", values: losses }]));
 */
export function show(fig: Figure, opts: ShowOptions = {}): void {
  const display = notebookDisplay();
  if (!display) {
    console.log(describeFigure(fig));
    return;
  }
  if (opts.static) {
    const dir = mkdtempSync(join(tmpdir(), "mixlab-show-"));
    try {
      const saved = savePlot(fig, join(dir, "figure"), { png: true, width: opts.width, height: opts.height });
      display.png(readFileSync(saved.png as string));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const html = figureHtml(fig, { width: opts.width, height: opts.height });
  display.html(bundleSent ? html : `${bundleScript()}\n${html}`);
  bundleSent = true;
}

/**
 * One line naming a figure's title and traces (what `show` prints outside a notebook).
 *
 * @example
 * describeFigure(fig); // "[figure] Mixture weights: 3 traces (bar×3)"
 */
export function describeFigure(fig: Figure): string {
  const counts = new Map<string, number>();
  for (const t of fig.data) counts.set(t.type, (counts.get(t.type) ?? 0) + 1);
  const kinds = [...counts].map(([k, n]) => `${k}×${n}`).join(", ");
  const title = fig.layout.title?.text ?? "(untitled)";
  return `[figure] ${title}: ${fig.data.length} trace${fig.data.length === 1 ? "" : "s"} (${kinds})`;
}

/**
 * Display raw HTML in a notebook (outside one, print it).
 *
 * @example
 * showHtml("<p>done</p>");
 */
export function showHtml(html: string): void {
  const display = notebookDisplay();
  if (display) display.html(html);
  else console.log(html);
}

/**
 * Display Markdown in a notebook (outside one, print it) — e.g. a generated result summary.
 *
 * @example
 * showMarkdown(`Best mixture: **${best}**`);
 */
export function showMarkdown(md: string): void {
  const display = notebookDisplay();
  if (display) display.markdown(md);
  else console.log(md);
}
