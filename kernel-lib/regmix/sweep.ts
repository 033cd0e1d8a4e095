/**
 * RegMix step 2 — the proxy sweep: one small proxy LM per sampled mixture, every domain's
 * validation loss recorded. Training and scheduling are the experiment kit's (`proxy-sweep`
 * kind with a `{ "source": "regmix" }` mixture source, or the `regmix-mini` kind); this file
 * holds what is RegMix-specific about the sweep:
 *   - the proxy recipe: RegMix's 1M proxies train with a constant learning rate after a short
 *     warm-up (`learning_rate = min_lr = 4e-4`, 100 warm-up steps of 1000), scaled here to the
 *     trainer's `tiny` preset on a byte-level corpus;
 *   - the table the regression step reads, in exactly the RegMix repository's CSV schema:
 *       mixtures  `index,train_<domain>,…`            (data/train_mixture_1m.csv)
 *       losses    `index,metric/<domain>_val_loss,…`  (data/train_pile_loss_1m.csv)
 *     `index` counts rows from 1, so the repo's notebook code (and `mixlab regmix fit`) reads
 *     them unchanged.
 */
import { Mixture } from "../data/mixture.js";
import { parseCsv, parseNumericCsv, toCsv, type NumericTable } from "../util/csv.js";
import { MixlabError } from "../util/errors.js";

/** One finished proxy run as plain data: the mixture it trained on and its per-domain losses. */
export interface SweepRow {
  /** domain → weight (absent domains count as 0) */
  mixture: Record<string, number>;
  /** domain → validation loss (nats per byte) */
  losses: Record<string, number>;
}

/** Training settings of a proxy (the fields of a `proxy-sweep` config's `train`). */
export interface ProxyTrainSettings {
  steps: number;
  batchSize: number;
  seqLen: number;
  lr: number;
  schedule: "constant" | "cosine" | "linear";
  warmupSteps: number;
}

/**
 * RegMix's proxy recipe at this project's scale: the `tiny` preset (≈0.1M parameters), constant
 * learning rate after 10% warm-up (the repo: constant 4e-4 after 100 of 1000 steps). 500 steps
 * × 16 windows × 64 bytes = 0.5M training bytes per proxy (≈17 s on one shared core).
 */
export const REGMIX_PROXY_DEFAULTS: Readonly<{ preset: "tiny"; train: Readonly<ProxyTrainSettings>; windowsPerDomain: number }> = Object.freeze({
  preset: "tiny",
  train: Object.freeze({ steps: 500, batchSize: 16, seqLen: 64, lr: 3e-3, schedule: "constant", warmupSteps: 50 }),
  windowsPerDomain: 16,
});

/**
 * A `proxy-sweep` experiment config (plain JSON, for `mixlab run` or `runExperiment`) that
 * trains `count` RegMix-sampled proxies with {@link REGMIX_PROXY_DEFAULTS} unless overridden.
 *
 * @example
 * writeFileSync("experiments/my-sweep.json", JSON.stringify(regmixSweepConfig({ count: 64, seed: 1 }), null, 2));
 */
export function regmixSweepConfig(opts: {
  count: number;
  seed?: number;
  corpus?: string;
  domains?: string[];
  preset?: string;
  train?: Partial<ProxyTrainSettings>;
  windowsPerDomain?: number;
  /** overrides of the sampler's constants (temperature, maxUsage, minimum, …) */
  sampler?: Record<string, number>;
}): Record<string, unknown> {
  if (!Number.isInteger(opts.count) || opts.count < 1) throw new MixlabError("REGMIX_BAD_OPTION", `count must be a positive integer, got ${opts.count}`);
  const config: Record<string, unknown> = {
    kind: "proxy-sweep",
    version: 1,
    description: `RegMix proxy sweep: ${opts.count} mixtures from RegMix's sampler, constant-LR proxies`,
    corpus: opts.corpus ?? "default",
    mixtures: [{ source: "regmix", count: opts.count, prior: "token", ...(opts.sampler ?? {}) }],
    preset: opts.preset ?? REGMIX_PROXY_DEFAULTS.preset,
    train: { ...REGMIX_PROXY_DEFAULTS.train, ...(opts.train ?? {}) },
    eval: { windowsPerDomain: opts.windowsPerDomain ?? REGMIX_PROXY_DEFAULTS.windowsPerDomain },
  };
  if (opts.seed !== undefined) config.seed = opts.seed;
  if (opts.domains) config.domains = opts.domains;
  return config;
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
 * Rows are matched by position and must carry the same `index`. `domainPrefix` is stripped from
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
  if (mix.rows.length !== loss.rows.length) {
    throw new MixlabError("ROW_COUNT_MISMATCH", `${src}: ${mix.rows.length} mixture rows but ${loss.rows.length} loss rows`);
  }
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
    const a = mix.rows[i][mi];
    const b = loss.rows[i][li];
    if (a !== b) throw new MixlabError("INDEX_MISMATCH", `${src}: row ${i + 1} has index ${a} in the mixtures but ${b} in the losses`);
    index[i] = a;
    for (let j = 0; j < d; j++) X[i * d + j] = mix.rows[i][mixCols[j]];
    lossCols.forEach((j, k) => { losses[lossDomains[k]][i] = loss.rows[i][j]; });
  }
  return { domains, lossDomains, index, X, losses };
}

/**
 * Sweep rows from the experiment kit's `validation_loss.csv` (`task_id, w.<domain>…,
 * loss.<domain>…, average`), the per-run table every sweep report writes — so any finished
 * `proxy-sweep` can be exported in RegMix's schema.
 *
 * @example
 * const rows = sweepRowsFromKitCsv(readFileSync("results/x/validation_loss.csv", "utf8"));
 * writeFileSync("train_mixture.csv", regmixMixturesCsv(rows, Object.keys(rows[0].mixture)));
 */
export function sweepRowsFromKitCsv(text: string, source = "validation_loss.csv"): SweepRow[] {
  const { header, rows } = parseCsv(text, source);
  const w = header.map((h, j) => [h, j] as const).filter(([h]) => h.startsWith("w."));
  const l = header.map((h, j) => [h, j] as const).filter(([h]) => h.startsWith("loss."));
  if (w.length === 0 || l.length === 0) throw new MixlabError("CSV_MISSING_COLUMN", `${source}: expected w.<domain> and loss.<domain> columns`);
  const num = (cell: string, r: number, col: string) => {
    const v = cell.trim() === "" ? NaN : Number(cell);
    if (!Number.isFinite(v)) throw new MixlabError("CSV_NOT_NUMERIC", `${source}: row ${r + 1}, column "${col}": "${cell}" is not a finite number`);
    return v;
  };
  return rows.map((r, i) => ({
    mixture: Object.fromEntries(w.map(([h, j]) => [h.slice(2), num(r[j], i, h)])),
    losses: Object.fromEntries(l.map(([h, j]) => [h.slice(5), num(r[j], i, h)])),
  }));
}

/**
 * The sweep's rows as a flat design (n × domains) plus one domain's losses.
 *
 * @example
 * const { X, y } = sweepDesign(rows, ["books", "code_c"], "books"); // X.length === 2 * rows.length
 */
export function sweepDesign(rows: readonly SweepRow[], domains: readonly string[], target: string): { X: Float64Array; y: Float64Array } {
  const d = domains.length;
  const X = new Float64Array(rows.length * d);
  const y = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    for (let j = 0; j < d; j++) X[i * d + j] = r.mixture[domains[j]] ?? 0;
    const v = r.losses[target];
    if (!Number.isFinite(v)) throw new MixlabError("REGMIX_MISSING_LOSS", `row ${i + 1}: no finite loss for target "${target}"`);
    y[i] = v;
  });
  return { X, y };
}

/**
 * The mixture of a sweep row over `domains` (absent domains 0).
 *
 * @example
 * rowMixture({ mixture: { a: 1 }, losses: {} }, ["a", "b"]).weights; // [1, 0]
 */
export function rowMixture(row: SweepRow, domains: readonly string[]): Mixture {
  return Mixture.fromWeights(domains, domains.map((d) => row.mixture[d] ?? 0));
}
