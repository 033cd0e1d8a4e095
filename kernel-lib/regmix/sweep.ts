/**
 * The sweep's table — rows of (mixture → per-domain validation loss) from step 2
 * (`proxies.ts`) — as the regression step reads it, in exactly the RegMix repository's CSV schema:
 *       mixtures  `index,train_<domain>,…`            (data/train_mixture_1m.csv)
 *       losses    `index,metric/<domain>_val_loss,…`  (data/train_pile_loss_1m.csv)
 *     `index` counts rows from 1, so the repo's notebook code (and `mixlab regmix fit`) reads
 *     them unchanged.
 */
import { Mixture } from "../data/mixture.js";
import { checkRowsAligned, parseNumericCsv, toCsv, type NumericTable } from "../util/csv.js";
import { MixlabError } from "../util/errors.js";

/** One finished proxy run as plain data: the mixture it trained on and its per-domain losses. */
export interface SweepRow {
  /** domain → weight (absent domains count as 0) */
  mixture: Record<string, number>;
  /** domain → validation loss (nats per byte) */
  losses: Record<string, number>;
}

/**
 * Column name of a domain's weight in RegMix's mixture CSV.
 *
 * @example
 * mixtureColumn("books"); // "train_books"
 */
export function mixtureColumn(domain: string): string {
  return `train_${domain}`;
}

/**
 * Column name of a domain's validation loss in RegMix's loss CSV.
 *
 * @example
 * lossColumn("books"); // "metric/books_val_loss"
 */
export function lossColumn(domain: string): string {
  return `metric/${domain}_val_loss`;
}

/**
 * RegMix's mixture CSV of the sweep rows: `index,train_<domain>…`, index from 1.
 *
 * @example
 * regmixMixturesCsv([{ mixture: { a: 0.25, b: 0.75 }, losses: {} }], ["a", "b"]);
 * // "index,train_a,train_b\n1,0.25,0.75\n"
 */
export function regmixMixturesCsv(rows: readonly SweepRow[], domains: readonly string[]): string {
  return toCsv(["index", ...domains.map(mixtureColumn)], rows.map((r, i) => [i + 1, ...domains.map((d) => r.mixture[d] ?? 0)]));
}

/**
 * RegMix's loss CSV of the sweep rows: `index,metric/<domain>_val_loss…`, index from 1.
 * Every row must have every domain's loss.
 *
 * @example
 * regmixLossesCsv([{ mixture: {}, losses: { a: 1.5, b: 2 } }], ["a", "b"]);
 * // "index,metric/a_val_loss,metric/b_val_loss\n1,1.5,2\n"
 */
export function regmixLossesCsv(rows: readonly SweepRow[], domains: readonly string[]): string {
  return toCsv(["index", ...domains.map(lossColumn)], rows.map((r, i) => [i + 1, ...domains.map((d) => {
    const v = r.losses[d];
    if (!Number.isFinite(v)) throw new MixlabError("REGMIX_MISSING_LOSS", `row ${i + 1}: no finite loss for domain "${d}"`);
    return v;
  })]));
}

/** A RegMix mixture/loss CSV pair read back: the shape the regression step fits. */
export interface RegmixTable {
  /** mixture domains, in column order (prefix stripped) */
  domains: string[];
  /** domains that have a loss column, in column order */
  lossDomains: string[];
  /** the `index` column (1…n in files this module writes) */
  index: Float64Array;
  /** n × domains.length mixture weights, one flat row-major array */
  X: Float64Array;
  /** domain → n losses */
  losses: Record<string, Float64Array>;
}

const LOSS_RE = /^metric\/(.+)_val_loss$/;

/**
 * Read a RegMix mixture CSV and loss CSV (ours or the repo's released ones) into one table.
 * Rows are matched by position and must carry the same `index`, no value twice. `domainPrefix` is stripped from
 * domain names (the released files say `train_the_pile_arxiv` → pass "the_pile_").
 *
 * @example
 * const t = readRegmixTables(readFileSync("train_mixture.csv", "utf8"), readFileSync("train_loss.csv", "utf8"));
 * t.losses.books; // Float64Array, one loss per proxy
 */
export function readRegmixTables(mixturesCsv: string, lossesCsv: string, opts: { domainPrefix?: string; source?: string } = {}): RegmixTable {
  const src = opts.source ?? "RegMix CSV";
  const prefix = opts.domainPrefix ?? "";
  const mix = parseNumericCsv(mixturesCsv, `${src} (mixtures)`);
  const loss = parseNumericCsv(lossesCsv, `${src} (losses)`);
  const idxCol = (t: NumericTable, what: string) => {
    const j = t.columns.indexOf("index");
    if (j < 0) throw new MixlabError("CSV_MISSING_COLUMN", `${src} (${what}): no "index" column`);
    return j;
  };
  const mi = idxCol(mix, "mixtures");
  const li = idxCol(loss, "losses");
  checkRowsAligned(mix, `${src} (mixtures)`, loss, `${src} (losses)`);
  const strip = (name: string, col: string) => {
    if (!name.startsWith(prefix)) throw new MixlabError("CSV_BAD_COLUMN", `${src}: column "${col}" lacks the domain prefix "${prefix}"`);
    return name.slice(prefix.length);
  };
  const mixCols: number[] = [];
  const domains: string[] = [];
  mix.columns.forEach((c, j) => {
    if (j === mi) return;
    if (!c.startsWith("train_")) throw new MixlabError("CSV_BAD_COLUMN", `${src} (mixtures): column "${c}" is not "train_<domain>"`);
    mixCols.push(j);
    domains.push(strip(c.slice("train_".length), c));
  });
  const lossCols: number[] = [];
  const lossDomains: string[] = [];
  loss.columns.forEach((c, j) => {
    if (j === li) return;
    const m = LOSS_RE.exec(c);
    if (!m) throw new MixlabError("CSV_BAD_COLUMN", `${src} (losses): column "${c}" is not "metric/<domain>_val_loss"`);
    lossCols.push(j);
    lossDomains.push(strip(m[1], c));
  });
  const n = mix.rows.length;
  const d = domains.length;
  const index = new Float64Array(n);
  const X = new Float64Array(n * d);
  const losses: Record<string, Float64Array> = {};
  for (const ld of lossDomains) losses[ld] = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    index[i] = mix.rows[i][mi];
    for (let j = 0; j < d; j++) X[i * d + j] = mix.rows[i][mixCols[j]];
    lossCols.forEach((j, k) => { losses[lossDomains[k]][i] = loss.rows[i][j]; });
  }
  return { domains, lossDomains, index, X, losses };
}

/**
 * Mixtures as the regressors' flat row-major design [n, d] over `domains` (absent domains 0).
 *
 * @example
 * mixtureDesign([{ a: 0.25, b: 0.75 }], ["a", "b"]); // Float64Array [0.25, 0.75]
 */
export function mixtureDesign(mixtures: readonly Record<string, number>[], domains: readonly string[]): Float64Array {
  const d = domains.length;
  const X = new Float64Array(mixtures.length * d);
  mixtures.forEach((m, i) => { for (let j = 0; j < d; j++) X[i * d + j] = m[domains[j]] ?? 0; });
  return X;
}

/**
 * The sweep's rows as a flat design (n × domains) plus the target's losses: one domain's, or
 * for "mean" (`MEAN_TARGET`, as `targetLosses` reads it) the mean over `domains` of each row's.
 *
 * @example
 * const { X, y } = sweepDesign(rows, ["books", "code_c"], "books"); // X.length === 2 * rows.length
 * sweepDesign(rows, ["books", "code_c"], "mean").y[0]; // (books + code_c loss of row 0) / 2
 */
export function sweepDesign(rows: readonly SweepRow[], domains: readonly string[], target: string): { X: Float64Array; y: Float64Array } {
  const X = mixtureDesign(rows.map((r) => r.mixture), domains);
  const y = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    const v = target === "mean" ? domains.reduce((a, d) => a + r.losses[d], 0) / domains.length : r.losses[target];
    if (!Number.isFinite(v)) throw new MixlabError("REGMIX_MISSING_LOSS", `row ${i + 1}: no finite loss for target "${target}"`);
    y[i] = v;
  });
  return { X, y };
}

/**
 * The target vector of a loss table (a file of RegMix's schema, or any loss CSV): one column
 * (by name, or {@link lossColumn} of a domain d), `mean` of every loss column, or `a+b` (the
 * sum of the named columns). What `regmix fit` and `regmix choose` regress on.
 *
 * @example
 * targetLosses(table, "books+code_c", "B.csv"); // metric/books_val_loss + metric/code_c_val_loss, per row
 */
export function targetLosses(t: NumericTable, target: string, source: string): Float64Array {
  const col = (name: string): number => {
    for (const c of [name, lossColumn(name)]) {
      const j = t.columns.indexOf(c);
      if (j >= 0 && c !== "index") return j;
    }
    throw new MixlabError("CSV_MISSING_COLUMN", `${source}: no loss column "${name}" (has: ${t.columns.filter((c) => c !== "index").join(", ")})`);
  };
  const js = target === "mean" ? t.columns.map((c, j) => [c, j] as const).filter(([c]) => c !== "index").map(([, j]) => j) : target.split("+").map((p) => col(p.trim()));
  if (js.length === 0) throw new MixlabError("CSV_MISSING_COLUMN", `${source}: no loss columns`);
  const scale = target === "mean" ? 1 / js.length : 1;
  return Float64Array.from(t.rows, (r) => js.reduce((s, j) => s + r[j], 0) * scale);
}
