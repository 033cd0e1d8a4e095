/**
 * Stored runs as danfojs `DataFrame`s, for the tables users read in notebooks: load runs →
 * `runsFrame` (one row per run, one column per field) → danfo's groupby/agg or `pivotFrame` →
 * `showTable(frame)` (kernel-lib/viz/table.ts renders a frame as it is).
 *
 * danfojs stores numbers as float32 (environment.md): frames are for display and tabulation
 * only. Compute and check numbers on the plain rows (float64), never on a frame's values.
 * Kept out of `kernel-lib/viz/index.ts` so code that only plots does not load danfojs.
 */
import { DataFrame } from "danfojs-node";

/** One run as a flat record of cells (nested records flattened first, see `flattenRun`). */
export type RunRecordCells = Record<string, string | number | boolean>;

/**
 * Flatten a run's nested records into `prefix.key` columns (`{ losses: { books: 1.9 } }` →
 * `{ "losses.books": 1.9 }`); arrays and non-finite numbers become strings.
 *
 * @example
 * flattenRun({ proxy: 0, losses: { books: 1.9, code_c: 2.2 } }); // { proxy: 0, "losses.books": 1.9, "losses.code_c": 2.2 }
 */
export function flattenRun(run: Record<string, unknown>, prefix = ""): RunRecordCells {
  const out: RunRecordCells = {};
  for (const [k, v] of Object.entries(run)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") out[key] = v;
    else if (v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v)) Object.assign(out, flattenRun(v as Record<string, unknown>, key));
    else if (v !== null && v !== undefined) out[key] = JSON.stringify(v);
  }
  return out;
}

/**
 * A DataFrame of runs: one row per run, one column per (flattened) field, columns in first-seen
 * order. Every run must have the same columns (a missing cell would make danfo guess types).
 *
 * @example
 * const df = runsFrame(rows.map((r, i) => ({ proxy: i, ...r.losses })));
 * showTable(df, { digits: 4 });
 */
export function runsFrame(runs: readonly Record<string, unknown>[]): DataFrame {
  const flat = runs.map((r) => flattenRun(r));
  const columns: string[] = [];
  for (const r of flat) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  for (const [i, r] of flat.entries()) {
    const missing = columns.filter((c) => !(c in r));
    if (missing.length > 0) throw new Error(`run ${i} has no ${missing.join(", ")}`);
  }
  return new DataFrame(flat.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]]))), { columns });
}

/**
 * Long → wide: one row per distinct `index` value, one column per distinct `columns` value,
 * cells from `values` (danfojs 1.2 has no `pivot`; this is the groupby-based equivalent). Row
 * and column order follow first appearance; a missing (index, column) pair is an error.
 *
 * @example
 * // rows of { method, domain, loss } → one row per domain, one column per method
 * pivotFrame(runsFrame(long), { index: "domain", columns: "method", values: "loss" });
 */
export function pivotFrame(df: DataFrame, spec: { index: string; columns: string; values: string }): DataFrame {
  const idx = df.column(spec.index).values as (string | number)[];
  const col = df.column(spec.columns).values as (string | number)[];
  const val = df.column(spec.values).values as (string | number)[];
  const rowKeys = [...new Set(idx)];
  const colKeys = [...new Set(col)];
  const cells = new Map<string, string | number>();
  idx.forEach((r, i) => cells.set(`${r}\u0000${col[i]}`, val[i]));
  const data = rowKeys.map((r) => {
    const row: Record<string, string | number> = { [spec.index]: r };
    for (const c of colKeys) {
      const v = cells.get(`${r}\u0000${c}`);
      if (v === undefined) throw new Error(`no ${spec.values} for ${spec.index}=${r}, ${spec.columns}=${c}`);
      row[String(c)] = v;
    }
    return row;
  });
  return new DataFrame(data, { columns: [spec.index, ...colKeys.map(String)] });
}
