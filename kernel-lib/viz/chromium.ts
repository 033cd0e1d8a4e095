import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { MixlabError } from "../util/errors.js";

/** The Debian package that provides headless PNG export. */
export const CHROMIUM_APT = "apt-get install -y --no-install-recommends chromium";

/**
 * Path of a Chromium/Chrome binary for PNG export, or null. `MIXLAB_CHROMIUM` overrides the
 * search; PNG export is optional, so callers treat null as "skip PNG".
 *
 * @example
 * findChromium(); // "/usr/bin/chromium" or null
 */
export function findChromium(env: Record<string, string | undefined> = process.env): string | null {
  if (env.MIXLAB_CHROMIUM) return existsSync(env.MIXLAB_CHROMIUM) ? env.MIXLAB_CHROMIUM : null;
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"]) {
    if (existsSync(p)) return p;
  }
  return null;
}

/**
 * Screenshot a local HTML file to PNG with headless Chromium (≈2 s). The page must draw
 * itself without network (mixlab pages load plotly.js from a sibling file). Throws
 * PNG_EXPORT_FAILED when Chromium fails or writes an empty file.
 *
 * @example
 * screenshotHtml("/usr/bin/chromium", "out/fig.html", "out/fig.png", 800, 500);
 */
export function screenshotHtml(chromium: string, htmlPath: string, pngPath: string, width: number, height: number): void {
  const profileDir = mkdtempSync(join(tmpdir(), "mixlab-chromium-"));
  const png = resolve(pngPath);
  rmSync(png, { force: true });
  try {
    execFileSync(chromium, [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--hide-scrollbars", `--user-data-dir=${profileDir}`, `--window-size=${width},${height}`,
      // virtual time: Chromium fast-forwards timers until the page is idle, so Plotly has drawn.
      "--virtual-time-budget=5000", `--screenshot=${png}`, pathToFileURL(resolve(htmlPath)).href,
    ], { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    const tail = err.stderr ? err.stderr.toString("utf8").split("\n").slice(-8).join("\n") : "";
    throw new MixlabError("PNG_EXPORT_FAILED", `chromium failed on ${htmlPath}: ${err.message}\n${tail}`);
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
  if (!existsSync(png) || statSync(png).size === 0) {
    throw new MixlabError("PNG_EXPORT_FAILED", `chromium wrote no image for ${htmlPath}`);
  }
}
