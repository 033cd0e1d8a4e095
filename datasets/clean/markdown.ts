/**
 * stdlib README.md → math documentation text. Equations are kept as `$$LaTeX$$` taken from the
 * `raw="…"` attribute of the `<!-- <equation …> -->` markers (the rendered SVG `<div>` that
 * follows is dropped); `<details>` blocks, the "related" and "links" sections and link
 * reference definitions are dropped; HTML comments (licence header, section markers) go; the
 * remaining layout tags are stripped and Markdown links reduced to their text — all outside
 * fenced code blocks, whose `#include <stdio.h>` lines stay intact.
 */
import { decodeEntities } from "./html.js";

const LAYOUT_TAGS = /<\/?(?:section|div|span|img|br|p|a|sup|sub|summary|details|equation|center|b|i|em|strong|code|table|thead|tbody|tr|td|th|ul|ol|li)\b[^>]*>/gi;

function replaceEquations(md: string): string {
  const withBlocks = md.replace(
    /<!--\s*<equation\b[^>]*?\braw="([^"]*)"[^>]*>\s*-->[\s\S]*?<!--\s*<\/equation>\s*-->/g,
    (_m, raw: string) => `$$${decodeEntities(raw).trim()}$$`,
  );
  // stray markers without their closing comment, and rendered equation images
  return withBlocks
    .replace(/<!--\s*<equation\b[^>]*?\braw="([^"]*)"[^>]*>\s*-->/g, (_m, raw: string) => `$$${decodeEntities(raw).trim()}$$`)
    .replace(/<div class="equation"[\s\S]*?<\/div>/g, "");
}

/**
 * Clean one stdlib README (see module comment).
 *
 * @example
 * cleanStdlibReadme('# erf\n\n<!-- <equation class="equation" raw="\\operatorname{erf}(x)" alt="e"> -->\n<div class="equation"><img src="x.svg"></div>\n<!-- </equation> -->\n\n[erf][erf-fn]\n\n[erf-fn]: https://example.org\n');
 * // "# erf\n\n$$\\operatorname{erf}(x)$$\n\nerf"
 */
export function cleanStdlibReadme(md: string): string {
  let s = md.replace(/\r\n?/g, "\n");
  s = replaceEquations(s);
  s = s
    .replace(/<details\b[\s\S]*?<\/details>/gi, "")
    .replace(/<section class="(?:links|related)"[\s\S]*?<\/section>/g, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$/gm, "");
  const out: string[] = [];
  let inFence = false;
  for (const line of s.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      out.push(line);
      continue;
    }
    if (inFence) { out.push(line); continue; }
    if (/^\s*\* \* \*\s*$/.test(line)) continue;
    out.push(
      line
        .replace(LAYOUT_TAGS, "")
        .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1")
        .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1"),
    );
  }
  return out
    .join("\n")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
