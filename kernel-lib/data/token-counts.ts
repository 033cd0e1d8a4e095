/**
 * Tokens available per domain — what the token-budget constraint (mixture-bounds.ts) divides
 * by — from a mixlab corpus (its manifest's train split, the count the token prior uses) or a
 * token-counts CSV with columns `domain,tokens` (Olmix keeps them as `priors.token_counts` in
 * its fit config).
 */
import type { Corpus } from "./corpus.js";
import { parseCsv } from "../util/csv.js";
import { MixlabError } from "../util/errors.js";

/**
 * Train-split tokens of each domain of a corpus.
 *
 * @example
 * availableTokensFromCorpus(loadCorpus()).books; // e.g. 10548473 (byte tokens)
 */
export function availableTokensFromCorpus(corpus: Corpus, domains: readonly string[] = corpus.domains): Record<string, number> {
  return Object.fromEntries(domains.map((d) => [d, corpus.tokenCount(d, "train")]));
}

/**
 * Read a token-counts CSV: a header with `domain` and `tokens` columns (others ignored), one
 * row per domain, tokens a finite number ≥ 0 (`1e11` and `100_000_000_000` both read).
 *
 * @example
 * readTokenCountsCsv("domain,tokens\nweb,3e9\ncode,1e9\n"); // { web: 3e9, code: 1e9 }
 */
export function readTokenCountsCsv(text: string, source = "token-counts CSV"): Record<string, number> {
  const { header, rows } = parseCsv(text, source);
  const dj = header.indexOf("domain"), tj = header.indexOf("tokens");
  if (dj < 0 || tj < 0) throw new MixlabError("TOKENS_CSV_MISSING_COLUMN", `${source}: needs columns "domain" and "tokens" (header: ${header.join(", ")})`);
  const out: Record<string, number> = {};
  rows.forEach((r, i) => {
    const name = r[dj].trim();
    if (name === "") throw new MixlabError("TOKENS_CSV_BAD_ROW", `${source}: row ${i + 1} has an empty domain`);
    if (Object.hasOwn(out, name)) throw new MixlabError("TOKENS_CSV_DUPLICATE_DOMAIN", `${source}: domain "${name}" appears twice`);
    const cell = r[tj].trim().replace(/_/g, "");
    const v = cell === "" ? NaN : Number(cell);
    if (!Number.isFinite(v) || v < 0) throw new MixlabError("TOKENS_CSV_BAD_ROW", `${source}: domain "${name}": tokens "${r[tj]}" is not a finite number ≥ 0`);
    out[name] = v;
  });
  if (rows.length === 0) throw new MixlabError("TOKENS_CSV_BAD_ROW", `${source}: no rows`);
  return out;
}
