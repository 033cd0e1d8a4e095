import { existsSync, readFileSync } from "node:fs";
import { MixlabError } from "./errors.js";

/** A parsed CSV: the header row and the data rows as strings. */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** A numeric CSV: column names and a row-major matrix. */
export interface NumericTable {
  columns: string[];
  /** rows.length × columns.length */
  rows: Float64Array[];
}

/**
 * Parse RFC-4180 CSV (quoted fields, "" escapes, CRLF or LF). Every row must have as many
 * fields as the header; `source` names the file in errors.
 *
 * @example
 * parseCsv("a,b\n1,2\n").rows; // [["1","2"]]
 */
export function parseCsv(text: string, source = "CSV"): CsvTable {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let inQuotes = false;
  let i = 0;
  let line = 1;
  const pushRecord = () => {
    record.push(field);
    field = "";
    if (!(record.length === 1 && record[0] === "")) records.push(record);
    record = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        inQuotes = false; i++; continue;
      }
      if (c === "\n") line++;
      field += c; i++; continue;
    }
    if (c === '"') {
      if (field !== "") throw new MixlabError("CSV_MALFORMED", `${source}: line ${line}: quote inside an unquoted field`);
      inQuotes = true; i++; continue;
    }
    if (c === ",") { record.push(field); field = ""; i++; continue; }
    if (c === "\r" && text[i + 1] === "\n") { i++; continue; }
    if (c === "\n") { pushRecord(); line++; i++; continue; }
    field += c; i++;
  }
  if (inQuotes) throw new MixlabError("CSV_MALFORMED", `${source}: unterminated quoted field`);
  if (field !== "" || record.length > 0) pushRecord();
  if (records.length === 0) throw new MixlabError("CSV_EMPTY", `${source}: no header row`);
  const header = records[0].map((h) => h.trim());
  const rows = records.slice(1);
  rows.forEach((r, k) => {
    if (r.length !== header.length) {
      throw new MixlabError("CSV_MALFORMED", `${source}: row ${k + 1} has ${r.length} fields, header has ${header.length}`);
    }
  });
  return { header, rows };
}

/**
 * Parse a CSV whose cells (except `skipColumns`) are all finite numbers.
 *
 * @example
 * parseNumericCsv("index,x\n1,0.5\n", "m.csv").rows[0][1]; // 0.5
 */
export function parseNumericCsv(text: string, source = "CSV"): NumericTable {
  const { header, rows } = parseCsv(text, source);
  return {
    columns: header,
    rows: rows.map((r, k) => Float64Array.from(r, (cell, j) => {
      const v = cell.trim() === "" ? NaN : Number(cell);
      if (!Number.isFinite(v)) {
        throw new MixlabError("CSV_NOT_NUMERIC", `${source}: row ${k + 1}, column "${header[j]}": "${cell}" is not a finite number`);
      }
      return v;
    })),
  };
}

/**
 * Read a numeric CSV file that must hold at least one data row: a missing file is
 * `FILE_NOT_FOUND`, a header without rows `CSV_EMPTY` (the CLI's input tables).
 *
 * @example
 * readNumericCsvFile("losses.csv").columns; // ["index", "metric/books_val_loss", …]
 */
export function readNumericCsvFile(path: string): NumericTable {
  if (!existsSync(path)) throw new MixlabError("FILE_NOT_FOUND", `${path}: no such file`);
  const table = parseNumericCsv(readFileSync(path, "utf8"), path);
  if (table.rows.length === 0) throw new MixlabError("CSV_EMPTY", `${path}: header but no data rows`);
  return table;
}

/**
 * Check that two tables describe the same runs row by row: the same row count and, when both
 * have an `index` column, the same index values. An `index` column must not repeat a value
 * (two rows claiming to be one run): `INDEX_DUPLICATE`.
 *
 * @example
 * checkRowsAligned(mixtures, "A.csv", losses, "B.csv"); // throws ROW_COUNT_MISMATCH / INDEX_MISMATCH / INDEX_DUPLICATE
 */
export function checkRowsAligned(a: NumericTable, aName: string, b: NumericTable, bName: string): void {
  if (a.rows.length !== b.rows.length) {
    throw new MixlabError("ROW_COUNT_MISMATCH", `${aName} has ${a.rows.length} rows but ${bName} has ${b.rows.length}`);
  }
  const ia = a.columns.indexOf("index");
  const ib = b.columns.indexOf("index");
  if (ia >= 0 && ib >= 0) {
    for (let i = 0; i < a.rows.length; i++) {
      if (a.rows[i][ia] !== b.rows[i][ib]) {
        throw new MixlabError("INDEX_MISMATCH", `row ${i + 1}: ${aName} has index ${a.rows[i][ia]} but ${bName} has ${b.rows[i][ib]}`);
      }
    }
  }
  if (ia >= 0) checkIndexUnique(a, ia, aName);
  if (ib >= 0) checkIndexUnique(b, ib, bName);
}

function checkIndexUnique(t: NumericTable, j: number, name: string): void {
  const seen = new Map<number, number>();
  t.rows.forEach((r, i) => {
    const first = seen.get(r[j]);
    if (first !== undefined) throw new MixlabError("INDEX_DUPLICATE", `${name}: index ${r[j]} appears in rows ${first + 1} and ${i + 1}; each row must be a different run`);
    seen.set(r[j], i);
  });
}

/**
 * Pick named columns out of a numeric table; a missing column is a named error.
 *
 * @example
 * selectColumns(table, ["x"], "m.csv"); // [Float64Array[...]] one row each
 */
export function selectColumns(table: NumericTable, names: string[], source = "CSV"): Float64Array[] {
  const idx = names.map((n) => {
    const j = table.columns.indexOf(n);
    if (j < 0) throw new MixlabError("CSV_MISSING_COLUMN", `${source}: no column "${n}" (has: ${table.columns.join(", ")})`);
    return j;
  });
  return table.rows.map((r) => Float64Array.from(idx, (j) => r[j]));
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * Format rows as CSV text (numbers printed in full precision, strings quoted when needed).
 *
 * @example
 * toCsv(["a", "b"], [[1, "x"]]); // "a,b\n1,x\n"
 */
export function toCsv(header: string[], rows: ArrayLike<string | number>[]): string {
  const lines = [header.map(quote).join(",")];
  for (const r of rows) lines.push(Array.from(r, (c) => quote(String(c))).join(","));
  return lines.join("\n") + "\n";
}
