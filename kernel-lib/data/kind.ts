/**
 * What kind of text a domain holds — prose, code, structured (JSON-like) records, dictionary
 * entries, or question/answer pairs — so that tools that treat domains by kind (the downstream
 * suite's task builders and capabilities) work on any corpus, not only on the default domain
 * names. A manifest may state a domain's kind (`DomainManifest.kind`); otherwise it is read off
 * the domain's held-out text (`splitText`: a token corpus's decoded documents) by a few line and
 * byte statistics:
 *
 *   qa          ≥ 50% of non-empty lines start with "Question:" / "Answer:" / "Q:" / "A:" / …
 *   dictionary  ≥ 50% of non-empty lines are entries "headword (pos): definition"
 *   structured  ≥ 12% of bytes are JSON punctuation { } [ ] " : ,
 *   code        ≥ 35% of lines look like code (indented, ending in ; { }, an assignment or a
 *               call) and ≥ 2% of bytes are { } [ ] ( ) ; = < >
 *   prose       everything else
 *
 * On the default corpus this gives prose: books, speeches, email, encyclopedic, legal,
 * multilingual; code: code_ts_js, code_python, code_c, math_docs (stdlib READMEs: half
 * JavaScript); structured: structured_json; dictionary: dictionary; qa: math.
 */
import { splitText, type TextCorpus } from "./corpus-text.js";
import { DOMAIN_KINDS, type DomainKind } from "./format.js";
import { MixlabError } from "../util/errors.js";

export { DOMAIN_KINDS, type DomainKind };

/** A question/answer line: a label, a colon, a space (the math domain's format). */
export const QA_LINE = /^(Question|Answer|Q|A|Problem|Solution):\s/;
/** A dictionary entry line: a short head, an optional "(pos)", ": ", the definition. */
export const ENTRY_LINE = /^[^:()\n]{1,40}? \([a-z]{1,5}\.?\): \S/;
const CODE_LINE = /(^[ \t]+\S)|([;{}]\s*$)|(\w\s*=\s*\S)|(\w\()/;

/** The statistics `inferDomainKind` decides on (exposed for reports and tests). */
export interface KindStatistics {
  lines: number;
  qaLines: number;
  entryLines: number;
  codeLines: number;
  /** fraction of bytes in { } [ ] " : , */
  jsonPunctuation: number;
  /** fraction of bytes in { } [ ] ( ) ; = < > */
  codeSymbols: number;
}

const countOf = (bytes: Uint8Array, set: string): number => {
  const want = new Uint8Array(256);
  for (const c of set) want[c.charCodeAt(0)] = 1;
  let n = 0;
  for (let i = 0; i < bytes.length; i++) n += want[bytes[i]];
  return n;
};

/**
 * Line and byte statistics of a text (documents separated by byte 0; at most `maxBytes` read,
 * spread over the text so one long document does not decide).
 *
 * @example
 * kindStatistics(corpus.split("math", "test")).qaLines; // ≈ every line
 */
export function kindStatistics(bytes: Uint8Array, maxBytes = 1 << 20): KindStatistics {
  const chunk = 1 << 16;
  const parts: Uint8Array[] = [];
  if (bytes.length <= maxBytes) parts.push(bytes);
  else {
    const n = Math.floor(maxBytes / chunk);
    for (let k = 0; k < n; k++) {
      const s = Math.floor((k * (bytes.length - chunk)) / Math.max(1, n - 1));
      parts.push(bytes.subarray(s, s + chunk));
    }
  }
  let lines = 0, qaLines = 0, entryLines = 0, codeLines = 0, json = 0, code = 0, total = 0;
  for (const p of parts) {
    json += countOf(p, "{}[]\":,");
    code += countOf(p, "{}[]();=<>");
    total += p.length;
    for (const line of Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString("utf8").split(/[\n\0]/)) {
      if (line.trim() === "") continue;
      lines++;
      if (QA_LINE.test(line)) qaLines++;
      if (ENTRY_LINE.test(line)) entryLines++;
      if (CODE_LINE.test(line)) codeLines++;
    }
  }
  return { lines, qaLines, entryLines, codeLines, jsonPunctuation: json / Math.max(1, total), codeSymbols: code / Math.max(1, total) };
}

/**
 * The kind of a text by the rules in this file's header.
 *
 * @example
 * inferDomainKind(corpus.split("code_c", "test")); // "code"
 */
export function inferDomainKind(bytes: Uint8Array): DomainKind {
  const s = kindStatistics(bytes);
  const frac = (n: number): number => n / Math.max(1, s.lines);
  if (frac(s.qaLines) >= 0.5) return "qa";
  if (frac(s.entryLines) >= 0.5) return "dictionary";
  if (s.jsonPunctuation >= 0.12) return "structured";
  if (frac(s.codeLines) >= 0.35 && s.codeSymbols >= 0.02) return "code";
  return "prose";
}

/**
 * Every domain's kind: the manifest's `kind` where it states one, else read off the text of the
 * domain's test split (`inferDomainKind` of `splitText`: for a token corpus its decoded text).
 *
 * @example
 * domainKinds(loadCorpus()); // { books: "prose", …, code_c: "code", structured_json: "structured", dictionary: "dictionary", math: "qa" }
 */
export function domainKinds(corpus: TextCorpus): Record<string, DomainKind> {
  const out: Record<string, DomainKind> = {};
  for (const d of corpus.domains) {
    const stated = corpus.info(d).kind;
    if (stated !== undefined && !(DOMAIN_KINDS as readonly string[]).includes(stated)) {
      throw new MixlabError("CORPUS_BAD_KIND", `domain "${d}": kind "${stated}" is not one of ${DOMAIN_KINDS.join(", ")}`);
    }
    out[d] = stated ?? inferDomainKind(splitText(corpus, d, "test"));
  }
  return out;
}
