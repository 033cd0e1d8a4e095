/**
 * The one way a report shows a figure: save it under `<outDir>/figures/<name>` (HTML, and PNG
 * when asked and Chromium is there) and return the Markdown line that shows or links it.
 */
import { join } from "node:path";
import type { Figure } from "../viz/figure.js";
import { savePlot } from "../viz/save.js";

/**
 * @example
 * md.push(figureLink(fig, ctx.outDir, "affinity", "centred affinity", ctx.png));
 */
export function figureLink(fig: Figure, outDir: string, name: string, alt: string, png: boolean | "auto"): string {
  const saved = savePlot(fig, join(outDir, "figures", name), { png });
  return saved.png ? `![${alt}](figures/${name}.png)` : `Figure: [${alt}](figures/${name}.html)`;
}
