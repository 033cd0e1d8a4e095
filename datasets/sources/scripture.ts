/** scripture (research tier): the Qur'an, Uthmani Arabic text and 10 translations, one document per chapter and language. */
import { decodeBytes } from "../clean/text.js";
import { RESEARCH_PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

interface Chapter {
  id: number;
  name: string;
  transliteration: string;
  translation?: string;
  verses: { id: number; text: string; translation?: string }[];
}

/**
 * One chapter as text: a title line, then "n. verse" lines (Arabic, or the translation when
 * `translated`).
 *
 * @example
 * chapterToText({ id: 1, name: "الفاتحة", transliteration: "Al-Fatihah", translation: "The Opener", verses: [{ id: 1, text: "…", translation: "In the name of Allah" }] }, true);
 * // "1. Al-Fatihah (The Opener)\n\n1. In the name of Allah"
 */
export function chapterToText(ch: Chapter, translated: boolean): string {
  const title = translated ? `${ch.id}. ${ch.transliteration} (${ch.translation ?? ""})` : `${ch.id}. ${ch.name}`;
  const verses = ch.verses.map((v) => `${v.id}. ${translated ? v.translation ?? "" : v.text}`);
  return `${title}\n\n${verses.join("\n")}`;
}

export const scripture: DomainSpec = {
  domain: "scripture",
  description: "The Qur'an: Uthmani Arabic text and translations in 10 languages (bn, en, es, fr, id, ru, sv, tr, ur, zh), one document per chapter and language",
  licence: "CONFLICTING: package.json says CC-BY-4.0, LICENSE.txt/README say CC-BY-SA-4.0 (translations from tanzil.net / quranenc.com)",
  licenceNotice:
    "Qur'an (quran-json@3.1.2): package.json declares CC-BY-4.0 but LICENSE.txt is CC-BY-SA-4.0; the translations come from " +
    "tanzil.net and quranenc.com under their own terms. Assume CC-BY-SA-4.0 (share-alike) and research use until clarified.",
  tier: "research",
  packages: [{ pkg: RESEARCH_PACKAGES.quran, paths: "dist/chapters/<n>.json, dist/chapters/<lang>/<n>.json" }],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) =>
    ctx
      .files(RESEARCH_PACKAGES.quran, (p) => /^dist\/chapters\/([a-z]{2}\/)?\d+\.json$/.test(p))
      .map((f) => {
        const translated = /^dist\/chapters\/[a-z]{2}\//.test(f.path);
        const ch = JSON.parse(decodeBytes(f.data)) as Chapter;
        // zero-pad the chapter number so the key order is language, then chapter 1…114
        return { key: f.path.replace(/(\d+)\.json$/, (_m, n: string) => `${n.padStart(3, "0")}.json`), text: chapterToText(ch, translated) };
      }),
};
