import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BUNDLE_FILE, findChromium, plotlyBundlePath, savePlot, weightBars, figureHtml, describeFigure, show } from "../../kernel-lib/viz/index.js";
import { countColour, decodePng } from "./png.js";

const dir = mkdtempSync(join(tmpdir(), "mixlab-viz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Plotly's first default trace colour (#1f77b4): bars of the first series are painted in it.
const PLOTLY_BLUE: [number, number, number] = [0x1f, 0x77, 0xb4];
const fig = weightBars([{ name: "prior", weights: { books: 0.25, code: 0.75 } }], { title: "weights <&> test" });

describe("savePlot HTML", () => {
  it("writes a page holding the figure data and a reference to one sibling bundle", () => {
    const a = savePlot(fig, join(dir, "html", "a"), { png: false });
    const b = savePlot(fig, join(dir, "html", "b.html"), { png: false });
    expect(a.html).toBe(join(dir, "html", "a.html"));
    expect(b.html).toBe(join(dir, "html", "b.html"));
    const page = readFileSync(a.html, "utf8");
    expect(page).toContain(`<script type="text/javascript" src="${BUNDLE_FILE}"></script>`);
    expect(page).toContain('"y":[0.25,0.75]');
    expect(page).toContain('"x":["books","code"]');
    expect(page).toContain("weights &lt;&amp;&gt; test</title>");
    expect(page).not.toContain("\"weights <&> test\""); // "<" escaped inside the script JSON
    expect(page.length).toBeLessThan(20_000); // the 4.8 MB bundle is not inlined
    // one bundle per directory, identical to the package's
    const files = readdirSync(join(dir, "html")).sort();
    expect(files).toEqual(["a.html", "b.html", BUNDLE_FILE]);
    expect(statSync(join(dir, "html", BUNDLE_FILE)).size).toBe(statSync(plotlyBundlePath()).size);
  });

  it("inlines the bundle on request", () => {
    const s = savePlot(fig, join(dir, "inline", "c.html"), { png: false, bundle: "inline" });
    const page = readFileSync(s.html, "utf8");
    expect(page.length).toBeGreaterThan(4_000_000);
    expect(page).toContain("plotly.js v");
    expect(existsSync(join(dir, "inline", BUNDLE_FILE))).toBe(false);
  });

  it("gives each inline figure its own div and falls back to a summary outside notebooks", () => {
    const h1 = figureHtml(fig), h2 = figureHtml(fig);
    const id = (h: string) => /id="([^"]+)"/.exec(h)?.[1];
    expect(id(h1)).not.toBe(id(h2));
    expect(h1).toContain('class="mixlab-figure"');
    expect(describeFigure(fig)).toBe("[figure] weights <&> test: 1 trace (bar×1)");
    expect(() => show(fig)).not.toThrow(); // not in tslab: prints the summary
  });
});

const chromium = findChromium();
describe.skipIf(!chromium)("savePlot PNG (headless Chromium)", () => {
  it("writes a non-empty PNG of the requested size in which Plotly drew the bars", () => {
    const s = savePlot(fig, join(dir, "png", "w.png"), { width: 640, height: 400 });
    expect(s.png).toBe(join(dir, "png", "w.png"));
    expect(existsSync(join(dir, "png", "w.html"))).toBe(true);
    const img = decodePng(readFileSync(s.png as string));
    expect([img.width, img.height]).toEqual([640, 400]);
    // two bars of a 400 px plot: thousands of blue pixels; a blank or "plotly missing" page has none
    expect(countColour(img, PLOTLY_BLUE)).toBeGreaterThan(2000);
  }, 60_000);
});
if (!chromium) {
  describe("savePlot PNG (headless Chromium)", () => {
    it.skip("skipped: Chromium not installed (apt-get install -y --no-install-recommends chromium)", () => {});
  });
}
