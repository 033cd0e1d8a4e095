/** dictionary: WordNet 3.1 synsets as "word, word (pos): gloss; examples" lines. */
import { decodeBytes } from "../clean/text.js";
import { wordnetToText } from "../clean/wordnet.js";
import { PACKAGES } from "./table.js";
import type { DomainSpec } from "./types.js";

export const dictionary: DomainSpec = {
  domain: "dictionary",
  description: "WordNet 3.1 (117,791 synsets): one line per synset \"words (pos): gloss; examples\", ≤8 KB documents of consecutive synsets",
  licence: "WordNet 3.1 licence (Princeton, permissive); package MIT",
  tier: "default",
  packages: [{ pkg: PACKAGES.wordnetDb, paths: "dict/data.{noun,verb,adj,adv}" }],
  // a file is one long run of lines: small documents give the hash split thousands of units
  maxDocBytes: 8 * 1024,
  extract: (ctx) =>
    ctx
      .files(PACKAGES.wordnetDb, (p) => /^dict\/data\.(noun|verb|adj|adv)$/.test(p))
      .map((f) => ({ key: f.path, text: wordnetToText(decodeBytes(f.data)) })),
};
