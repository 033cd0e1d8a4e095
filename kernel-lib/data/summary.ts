import type { Corpus } from "./corpus.js";
import { tokenPrior } from "./prior.js";

/** One row of the per-domain corpus summary. */
export interface DomainSummaryRow {
  domain: string;
  documents: number;
  trainBytes: number;
  validationBytes: number;
  testBytes: number;
  /** share of training tokens (the token prior) */
  prior: number;
  licence: string;
  source: string;
}

/**
 * Per-domain summary of a corpus: document count, bytes per split, token-prior weight,
 * licence and source package — what the demo and the tour notebook print first.
 *
 * @example
 * corpusSummary(loadCorpus())[0]; // { domain: "books", documents: 378, trainBytes: 10550000, ... }
 */
export function corpusSummary(corpus: Corpus): DomainSummaryRow[] {
  const prior = tokenPrior(corpus);
  return corpus.manifest.domains.map((d) => ({
    domain: d.domain,
    documents: d.documents.train + d.documents.validation + d.documents.test,
    trainBytes: d.bytes.train,
    validationBytes: d.bytes.validation,
    testBytes: d.bytes.test,
    prior: prior.get(d.domain),
    licence: d.licence,
    source: d.sources.map((s) => (s.package.startsWith("generator:") ? s.package : `${s.package}@${s.version}`)).join(" + "),
  }));
}

/**
 * The summary as a fixed-width text table (for terminals and logs).
 *
 * @example
 * console.log(formatCorpusSummary(corpusSummary(corpus)));
 */
export function formatCorpusSummary(rows: DomainSummaryRow[]): string {
  const mb = (b: number) => (b / 1e6).toFixed(2);
  const head = `${"domain".padEnd(16)} ${"docs".padStart(6)} ${"train MB".padStart(9)} ${"val MB".padStart(7)} ${"test MB".padStart(8)} ${"prior".padStart(6)}  source`;
  const lines = rows.map((r) =>
    `${r.domain.padEnd(16)} ${String(r.documents).padStart(6)} ${mb(r.trainBytes).padStart(9)} ${mb(r.validationBytes).padStart(7)} ${mb(r.testBytes).padStart(8)} ${r.prior.toFixed(3).padStart(6)}  ${r.source}`);
  const tot = rows.reduce((a, r) => a + r.trainBytes + r.validationBytes + r.testBytes, 0);
  const docs = rows.reduce((a, r) => a + r.documents, 0);
  return [head, ...lines, `${"total".padEnd(16)} ${String(docs).padStart(6)} ${"".padStart(9)} ${"".padStart(7)} ${"".padStart(8)} ${"".padStart(6)}  ${mb(tot)} MB in ${rows.length} domains`].join("\n");
}
