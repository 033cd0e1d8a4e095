/**
 * From an extractor's raw documents to the final document list of a domain: stable order
 * (sorted by source key), normalised text (no NUL), bounded size, no empty or duplicate
 * documents. Also the fixture-tier truncation.
 */
import { chunkText, normaliseText, truncateUtf8, utf8Length } from "./clean/text.js";
import type { SplitName } from "../kernel-lib/data/format.js";
import type { RawDocument } from "./sources/types.js";

/** Documents shorter than this many UTF-8 bytes after cleaning are dropped (empty mails etc.). */
export const MIN_DOC_BYTES = 8;

/**
 * Sort raw documents by key (plain code-unit order, locale-independent), normalise, cut to
 * `maxDocBytes`, drop tiny pieces and exact duplicates (first occurrence kept).
 *
 * @example
 * prepareDocuments([{ key: "b", text: "second doc" }, { key: "a", text: "first\r\ndoc" }], 1024);
 * // ["first\ndoc", "second doc"]
 */
export function prepareDocuments(raw: readonly RawDocument[], maxDocBytes: number): string[] {
  const sorted = [...raw].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of sorted) {
    for (const piece of chunkText(normaliseText(r.text), maxDocBytes)) {
      if (utf8Length(piece) < MIN_DOC_BYTES || seen.has(piece)) continue;
      seen.add(piece);
      out.push(piece);
    }
  }
  return out;
}

/** Fixture budgets per split in bytes (documents + separators). */
export const FIXTURE_BUDGET: Record<SplitName, number> = { train: 24 * 1024, validation: 4 * 1024, test: 4 * 1024 };

/**
 * Cut `s` to at most `maxBytes`, at the last line break (or else space) in the second half of
 * the allowed range when there is one.
 *
 * @example
 * truncateAtBoundary("one two three", 10); // "one two"
 */
export function truncateAtBoundary(s: string, maxBytes: number): string {
  const head = truncateUtf8(s, maxBytes);
  if (head.length === s.length) return s;
  const nl = head.lastIndexOf("\n");
  if (nl > head.length / 2) return head.slice(0, nl).trimEnd();
  const sp = head.lastIndexOf(" ");
  if (sp > head.length / 2) return head.slice(0, sp).trimEnd();
  return head;
}

/**
 * The fixture version of one split: the first documents in stable order, each cut to at most a
 * quarter of the split's budget, until the budget (including one EOS byte per document) is used.
 *
 * @example
 * fixtureDocuments(trainDocs, FIXTURE_BUDGET.train).length; // ≥ 4 when the domain has ≥ 4 train documents
 */
export function fixtureDocuments(docs: readonly string[], budget: number): string[] {
  const cap = Math.floor(budget / 4);
  const out: string[] = [];
  let remaining = budget;
  for (const d of docs) {
    if (remaining < 64) break;
    const t = truncateAtBoundary(d, Math.min(cap, remaining - 1));
    if (utf8Length(t) < MIN_DOC_BYTES) continue;
    out.push(t);
    remaining -= utf8Length(t) + 1;
  }
  return out;
}
