/** poetry_zh (research tier): classical Chinese poetry — complete Tang poems and Song ci lyrics. */
import { decodeBytes } from "../clean/text.js";
import { RESEARCH_PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

interface Poem { author?: string; title?: string; rhythmic?: string; paragraphs?: string[] }

/**
 * One poem as "title\nauthor\n\nline…".
 *
 * @example
 * poemToText({ title: "靜夜思", author: "李白", paragraphs: ["床前明月光，疑是地上霜。"] }); // "靜夜思\n李白\n\n床前明月光，疑是地上霜。"
 */
export function poemToText(p: Poem): string {
  return `${p.title ?? p.rhythmic ?? ""}\n${p.author ?? ""}\n\n${(p.paragraphs ?? []).join("\n")}`.trim();
}

export const poetry: DomainSpec = {
  domain: "poetry_zh",
  description: "Classical Chinese poetry (chinese-poetry): Quan Tangshi poems (dist/quantangshi/poet.tang.*.json, 57,607) and Song ci (dist/songci/ci.song.*.json, 21,053), one poem per document",
  licence: "MIT (chinese-poetry); research tier because of its 85 MB tarball and unclear provenance of the digitisation",
  licenceNotice: "Chinese poetry (chinese-poetry@2.0.1): MIT-licensed package of classical (public-domain) poems; an 85 MB tarball (347 MB unpacked).",
  tier: "research",
  packages: [{ pkg: RESEARCH_PACKAGES.chinesePoetry, paths: "dist/quantangshi/poet.tang.*.json, dist/songci/ci.song.*.json" }],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) =>
    ctx
      .files(RESEARCH_PACKAGES.chinesePoetry, (p) => /^dist\/(quantangshi\/poet\.tang|songci\/ci\.song)\.\d+\.json$/.test(p))
      .flatMap((f) =>
        (JSON.parse(decodeBytes(f.data)) as Poem[]).map((p, i) => ({
          key: `${f.path.replace(/(\d+)\.json$/, (_m, n: string) => `${n.padStart(6, "0")}.json`)}#${String(i).padStart(5, "0")}`,
          text: poemToText(p),
        })),
      ),
};
