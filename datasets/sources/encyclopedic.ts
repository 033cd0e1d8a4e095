/** encyclopedic: CIA World Factbook country profiles as "Section - Field: text" lines. */
import { factbookToText } from "../clean/factbook.js";
import { decodeBytes } from "../clean/text.js";
import { PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

export const encyclopedic: DomainSpec = {
  domain: "encyclopedic",
  description: "CIA World Factbook (261 countries and areas): country name, then one \"Section - Field: text\" line per .text leaf",
  licence: "Public domain (CIA World Factbook)",
  tier: "default",
  packages: [{ pkg: PACKAGES.factbook, paths: "<region>/<code>.json (meta/ excluded)" }],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) =>
    ctx
      .files(PACKAGES.factbook, (p) => /^[a-z-]+\/[a-z]{2}\.json$/.test(p) && !p.startsWith("meta/"))
      .map((f) => ({ key: f.path, text: factbookToText(JSON.parse(decodeBytes(f.data)), f.path.replace(/^.*\/|\.json$/g, "")) })),
};
