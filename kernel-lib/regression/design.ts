/**
 * The shared input shape of the regressors: a design matrix given either as one `Float64Array`
 * per row (n rows × d features) or as one flat row-major `Float64Array` of n·d numbers (so
 * callers can predict a million candidate mixtures without a million small arrays), and the
 * one builder of such a design from a weight table (mixtures, merge weights) on the simplex.
 */
import type { NumericTable } from "../util/csv.js";
import { MixlabError } from "../util/errors.js";

/** Rows of features: `Float64Array[]` (n × d) or a flat row-major `Float64Array` (n·d). */
export type FeatureMatrix = Float64Array[] | Float64Array;

/**
 * View a design as one array per row. A flat input is split into `n` rows (subarray views, no
 * copy), so its length must be a multiple of `n`.
 *
 * @example
 * rowsOf(Float64Array.of(1, 2, 3, 4), 2); // [Float64Array [1, 2], Float64Array [3, 4]]
 */
export function rowsOf(X: FeatureMatrix, n: number): Float64Array[] {
  if (!(X instanceof Float64Array)) return X;
  if (n <= 0 || X.length % n !== 0) throw new MixlabError("DESIGN_SHAPE", `flat design of length ${X.length} does not split into ${n} rows`);
  const d = X.length / n;
  return Array.from({ length: n }, (_, i) => X.subarray(i * d, (i + 1) * d));
}

/**
 * Check that rows and targets agree: n ≥ 1 rows of equal width, every value finite.
 * Returns the shape.
 *
 * @example
 * checkDesign([Float64Array.of(0.5, 0.5)], [1], "fit"); // { n: 1, d: 2 }
 */
export function checkDesign(rows: Float64Array[], y: ArrayLike<number>, who: string): { n: number; d: number } {
  const n = rows.length;
  if (n === 0) throw new MixlabError("DESIGN_EMPTY", `${who}: no training rows`);
  if (y.length !== n) throw new MixlabError("DESIGN_SHAPE", `${who}: ${n} rows but ${y.length} targets`);
  const d = rows[0].length;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (r.length !== d) throw new MixlabError("DESIGN_SHAPE", `${who}: row ${i} has ${r.length} features, row 0 has ${d}`);
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(r[j])) throw new MixlabError("DESIGN_NOT_FINITE", `${who}: row ${i}, feature ${j} is ${r[j]}`);
    }
    if (!Number.isFinite(y[i])) throw new MixlabError("DESIGN_NOT_FINITE", `${who}: target ${i} is ${y[i]}`);
  }
  return { n, d };
}

/** How close to the probability simplex the rows of a weight table must lie. */
export interface SimplexTolerance {
  /** |Σ w − 1| ≤ `sum` */
  sum: number;
  /** every w ≥ −`negative`; `null`: negative weights are allowed (extrapolated merges) */
  negative: number | null;
  /** what sets the tolerance, named in the error (e.g. "--simplex-tol") */
  setBy?: string;
}

/** A weight table as a design: its columns (in X's order) and the rows. */
export interface TableDesign {
  /** column names in design order (a stripped `prefix` removed) */
  columns: string[];
  /** rows */
  n: number;
  /** n × columns.length weights, row-major */
  X: Float64Array;
}

/**
 * The weight columns of a numeric table — every column but `index` — as a flat design [n, d],
 * each row checked against `simplex`. `prefix` (RegMix's `train_`) is stripped from the names
 * when every column carries it. With `columns` (another table's names), the table must have
 * exactly those, in any order, and X follows `columns`' order. The one reader of mixture and
 * merge-weight tables: `regmix fit`, `regmix choose`, `mergemix search`.
 *
 * @example
 * const t = parseNumericCsv("index,train_a,train_b\n1,0.25,0.75\n");
 * weightTableDesign(t, "A.csv", { prefix: "train_", simplex: { sum: 0.01, negative: 1e-9 } });
 * // { columns: ["a", "b"], n: 1, X: Float64Array [0.25, 0.75] }
 */
export function weightTableDesign(
  t: NumericTable,
  source: string,
  opts: { simplex: SimplexTolerance; prefix?: string; columns?: readonly string[] },
): TableDesign {
  const cols = t.columns.map((c, j) => [c, j] as const).filter(([c]) => c !== "index");
  if (cols.length === 0) throw new MixlabError("CSV_MISSING_COLUMN", `${source}: no mixture columns besides "index"`);
  const prefix = opts.prefix;
  const stripped = prefix !== undefined && cols.every(([c]) => c.startsWith(prefix));
  const names = cols.map(([c]) => (stripped ? c.slice(prefix!.length) : c));
  const order = opts.columns ? [...opts.columns] : names;
  const idx = order.map((name) => {
    const k = names.indexOf(name);
    if (k < 0) throw new MixlabError("CSV_MISSING_COLUMN", `${source}: no mixture column "${name}" (has: ${names.join(", ")})`);
    return cols[k][1];
  });
  const extra = names.filter((name) => !order.includes(name));
  if (extra.length > 0) throw new MixlabError("CSV_EXTRA_COLUMN", `${source}: columns not among the training mixtures' (${order.join(", ")}): ${extra.join(", ")}`);
  const { sum: sumTol, negative, setBy } = opts.simplex;
  const why = setBy ? ` (${setBy})` : "";
  const d = order.length;
  const X = new Float64Array(t.rows.length * d);
  t.rows.forEach((r, i) => {
    let sum = 0;
    for (let k = 0; k < d; k++) {
      const w = r[idx[k]];
      if (negative !== null && w < -negative) throw new MixlabError("MIXTURE_NOT_ON_SIMPLEX", `${source}: row ${i + 1}, "${order[k]}" = ${w} is negative (tolerance ${negative}${why})`);
      X[i * d + k] = w;
      sum += w;
    }
    if (!(Math.abs(sum - 1) <= sumTol)) throw new MixlabError("MIXTURE_NOT_ON_SIMPLEX", `${source}: row ${i + 1} weights sum to ${sum}, expected 1 ± ${sumTol}${why}`);
  });
  return { columns: order, n: t.rows.length, X };
}
