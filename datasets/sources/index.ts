/** The domain registry, in manifest order: the 13 default-tier domains, then the opt-in research tier. */
import { books } from "./books.js";
import { brown } from "./brown.js";
import { codeC } from "./codeC.js";
import { codePython } from "./codePython.js";
import { codeTsJs } from "./codeTsJs.js";
import { dictionary } from "./dictionary.js";
import { email } from "./email.js";
import { encyclopedic } from "./encyclopedic.js";
import { legal } from "./legal.js";
import { math } from "./math.js";
import { mathDocs } from "./mathDocs.js";
import { multilingual } from "./multilingual.js";
import { news } from "./news.js";
import { poetry } from "./poetry.js";
import { reviews } from "./reviews.js";
import { scripture } from "./scripture.js";
import { speeches } from "./speeches.js";
import { structuredJson } from "./structuredJson.js";
import type { DomainSpec } from "./types.js";

/** Default tier (permissive licences, npm only) + the generated math domain. */
export const DEFAULT_DOMAINS: readonly DomainSpec[] = [
  books, speeches, email, dictionary, encyclopedic, legal, codeTsJs, codePython, codeC, mathDocs, multilingual, structuredJson, math,
];

/** Research-licence tier: only with --research; each licence is printed before fetching. */
export const RESEARCH_DOMAINS: readonly DomainSpec[] = [news, reviews, brown, scripture, poetry];

/**
 * Look a domain up by name in both tiers.
 *
 * @example
 * findDomain("books")?.tier; // "default"
 */
export function findDomain(name: string): DomainSpec | undefined {
  return [...DEFAULT_DOMAINS, ...RESEARCH_DOMAINS].find((d) => d.domain === name);
}
