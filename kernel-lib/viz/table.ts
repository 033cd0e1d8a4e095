import { MixlabError } from "../util/errors.js";
import { toCsv } from "../util/csv.js";
import { escapeText } from "./html.js";
import { notebookDisplay } from "./show.js";

/** A table cell: numbers are formatted, strings shown as they are. */
export type Cell = number | string | boolean | null | undefined;

/**
 * Rows as records (`[{ method: "RegMix", loss: 3.41 }]`), or anything with `columns` and
 * `values` — which a danfojs `DataFrame` has, so a frame can be passed as it is.
 */
export type TableLike =
  | readonly Readonly<Record<string, Cell>>[]
  | FrameLike;

/** A data frame's shape: column names and one array of cells per row (danfojs `DataFrame` fits). */
export interface FrameLike {
  readonly columns: readonly string[];
  /** one array per row (typed loosely so a danfojs frame's `values` is accepted; checked at run time) */
  readonly values: readonly unknown[];
}

export interface TableOptions {
  /** column order/subset (default: every key, in first-seen order) */
  columns?: readonly string[];
  /** digits after the point for non-integers: one for all, or per column (default 4) */
  digits?: number | Readonly<Record<string, number>>;
  /** caption above the table (HTML) / a bold line (Markdown) */
  caption?: string;
}

/**
 * Format a number for a table: integers as they are, other numbers with `digits` after the
 * point, very small/large magnitudes in exponent form.
 *
 * @example
 * formatNumber(3.14159, 3); // "3.142"
 * formatNumber(42);         // "42"
 * formatNumber(0.00001234); // "1.234e-5"
 */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return v.toFixed(digits);
  return v.toExponential(Math.max(0, digits - 1));
}

/**
 * Rows with numbers of a million or more (FLOPs, tokens) written in exponent form, for tables
 * shown with a fixed number of decimals.
 *
 * @example
 * exponentForm([{ flops: 3.2e12, ratio: 0.25 }]); // [{ flops: "3.20e+12", ratio: 0.25 }]
 */
export function exponentForm<V>(rows: readonly Readonly<Record<string, V>>[]): Record<string, V | string>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" && Math.abs(v) >= 1e6 ? v.toExponential(2) : v])));
}

/** Normalised table: a header and rows of cells in header order. */
interface Grid {
  columns: string[];
  rows: Cell[][];
}

/**
 * Header and rows of a `TableLike` (validated: every frame row has one cell per column).
 *
 * @example
 * tableGrid([{ a: 1 }, { a: 2, b: "x" }]); // { columns: ["a", "b"], rows: [[1, undefined], [2, "x"]] }
 */
export function tableGrid(table: TableLike, opts: Pick<TableOptions, "columns"> = {}): Grid {
  if (isFrame(table)) {
    const all = [...table.columns];
    const values = table.values.map((r, i) => {
      if (!Array.isArray(r)) throw new MixlabError("VIZ_SHAPE", `table row ${i} is not an array of cells`);
      if (r.length !== all.length) throw new MixlabError("VIZ_SHAPE", `table row ${i} has ${r.length} cells for ${all.length} columns`);
      return r.map(toCell);
    });
    const cols = opts.columns ? [...opts.columns] : all;
    const idx = cols.map((c) => {
      const j = all.indexOf(c);
      if (j < 0) throw new MixlabError("VIZ_UNKNOWN_COLUMN", `table has no column "${c}" (has: ${all.join(", ")})`);
      return j;
    });
    return { columns: cols, rows: values.map((r) => idx.map((j) => r[j])) };
  }
  const cols = opts.columns ? [...opts.columns] : [];
  if (!opts.columns) for (const r of table) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return { columns: cols, rows: table.map((r) => cols.map((c) => r[c])) };
}

function toCell(v: unknown): Cell {
  // explicit returns: tslab's TypeScript 5.0 (non-strict) does not narrow `unknown` by === null
  if (v === null) return null;
  if (v === undefined) return undefined;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  return String(v);
}

function isFrame(t: TableLike): t is FrameLike {
  return !Array.isArray(t) && typeof t === "object" && t !== null && "columns" in t && "values" in t;
}

function cellText(v: Cell, column: string, digits: TableOptions["digits"], fractional: boolean): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    const d = typeof digits === "number" ? digits : (digits?.[column] ?? 4);
    // in a column of fractions, a whole number keeps the decimals so the column lines up (24 → 24.0)
    if (fractional && Number.isInteger(v) && Math.abs(v) < 1e6) return v.toFixed(d);
    return formatNumber(v, d);
  }
  return String(v);
}

/** Columns holding at least one non-integer number. */
function fractionalColumns(grid: Grid): boolean[] {
  return grid.columns.map((_, j) => grid.rows.some((r) => typeof r[j] === "number" && !Number.isInteger(r[j])));
}

/** A column is numeric (right-aligned) when every non-empty cell is a number. */
function numericColumns(grid: Grid): boolean[] {
  return grid.columns.map((_, j) => grid.rows.some((r) => typeof r[j] === "number") && grid.rows.every((r) => r[j] === null || r[j] === undefined || typeof r[j] === "number"));
}

/**
 * GitHub-flavoured Markdown table (numbers right-aligned and formatted), for experiment
 * reports and READMEs.
 *
 * @example
 * toMarkdown([{ method: "RegMix", loss: 3.41234 }]);
 * // "| method | loss |\n| --- | ---: |\n| RegMix | 3.4123 |\n"
 */
export function toMarkdown(table: TableLike, opts: TableOptions = {}): string {
  const grid = tableGrid(table, opts);
  const numeric = numericColumns(grid);
  const frac = fractionalColumns(grid);
  const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const lines = [
    `| ${grid.columns.map(esc).join(" | ")} |`,
    `| ${numeric.map((n) => (n ? "---:" : "---")).join(" | ")} |`,
    ...grid.rows.map((r) => `| ${r.map((v, j) => esc(cellText(v, grid.columns[j], opts.digits, frac[j]))).join(" | ")} |`),
  ];
  return (opts.caption ? `**${esc(opts.caption)}**\n\n` : "") + lines.join("\n") + "\n";
}

/**
 * HTML `<table class="mixlab-table">` (numbers right-aligned and formatted).
 *
 * @example
 * toHtmlTable([{ a: 1.5 }]); // "<table class=\"mixlab-table\">…<td style=\"text-align:right\">1.5000</td>…"
 */
export function toHtmlTable(table: TableLike, opts: TableOptions = {}): string {
  const grid = tableGrid(table, opts);
  const numeric = numericColumns(grid);
  const frac = fractionalColumns(grid);
  const align = (j: number) => (numeric[j] ? ` style="text-align:right"` : ` style="text-align:left"`);
  const head = grid.columns.map((c, j) => `<th${align(j)}>${escapeText(c)}</th>`).join("");
  const body = grid.rows.map((r) => `<tr>${r.map((v, j) => `<td${align(j)}>${escapeText(cellText(v, grid.columns[j], opts.digits, frac[j]))}</td>`).join("")}</tr>`).join("\n");
  const caption = opts.caption ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeText(opts.caption)}</caption>` : "";
  return `<table class="mixlab-table">${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

/**
 * CSV of a table with full-precision numbers (for result files; see util/csv `toCsv`).
 *
 * @example
 * tableToCsv([{ method: "RegMix", loss: 3.41234 }]); // "method,loss\nRegMix,3.41234\n"
 */
export function tableToCsv(table: TableLike, opts: Pick<TableOptions, "columns"> = {}): string {
  const grid = tableGrid(table, opts);
  return toCsv(grid.columns, grid.rows.map((r) => r.map((v) => (v === null || v === undefined ? "" : typeof v === "number" ? v : String(v)))));
}

/**
 * Display a table as HTML in a tslab notebook; outside a notebook print it as Markdown.
 *
 * @example
 * showTable(results, { caption: "Validation loss by method", digits: 3 });
 */
export function showTable(table: TableLike, opts: TableOptions = {}): void {
  const display = notebookDisplay();
  if (display) display.html(toHtmlTable(table, opts));
  else console.log(toMarkdown(table, opts));
}
