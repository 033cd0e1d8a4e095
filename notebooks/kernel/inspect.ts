import { BUNDLE_MARKER, FIGURE_CLASS } from "../../kernel-lib/viz/html.js";

/** The parts of an nbformat-4 notebook the runner and the notebook test read. */
export interface NbOutput {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
export interface NbCell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: { execution?: Record<string, string>; [k: string]: unknown };
  outputs?: NbOutput[];
}
export interface Notebook {
  cells: NbCell[];
  metadata: {
    kernelspec?: { name?: string };
    /** written by notebooks/kernel/execute.py */
    mixlab?: { status: string; seconds: number; profile: string; failed_cell?: number | null; error?: string };
    [k: string]: unknown;
  };
  nbformat: number;
}

/** What is wrong with one executed code cell. */
export interface CellProblem {
  /** 0-based index among all cells */
  cell: number;
  kind: "failed" | "error" | "not-run" | "missing-figure" | "missing-table";
  detail: string;
}

/** Result of checking an executed notebook. */
export interface NotebookReport {
  codeCells: number;
  figures: number;
  tables: number;
  /** outputs carrying the plotly.js bundle (should be 1 when there are interactive figures) */
  bundles: number;
  problems: CellProblem[];
}

const join = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : t ?? "");

/** Source lines minus `//` comment lines, so a commented-out `show(` does not count. */
function liveSource(cell: NbCell): string {
  return join(cell.source).split("\n").filter((l) => !l.trim().startsWith("//")).join("\n");
}

function count(re: RegExp, s: string): number {
  return (s.match(re) ?? []).length;
}

/**
 * Check an executed notebook: the executor recorded success (`metadata.mixlab.status`), every
 * non-empty code cell ran (nbclient recorded a reply) with no error output, and each cell that calls `show(`/`showTable(` produced at least that many
 * figure/table outputs (a figure is an HTML output with class "mixlab-figure", or a PNG).
 *
 * @example
 * inspectNotebook(JSON.parse(readFileSync("results/notebooks/00-tour.ipynb", "utf8"))).problems; // []
 */
export function inspectNotebook(nb: Notebook): NotebookReport {
  const report: NotebookReport = { codeCells: 0, figures: 0, tables: 0, bundles: 0, problems: [] };
  const run = nb.metadata.mixlab;
  if (run && run.status !== "ok") {
    const cell = run.failed_cell ?? -1;
    const detail = cell >= 0 ? stderrOf(nb.cells[cell]).trim() : "";
    report.problems.push({ cell, kind: "failed", detail: `execution ${run.status}${detail ? `: ${detail}` : ""}` });
  }
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code" || join(cell.source).trim() === "") return;
    report.codeCells++;
    const outputs = cell.outputs ?? [];
    let figures = 0, tables = 0;
    for (const o of outputs) {
      if (o.output_type === "error") {
        report.problems.push({ cell: i, kind: "error", detail: `${o.ename ?? "Error"}: ${o.evalue ?? ""}\n${stderrOf(cell)}`.trim() });
      }
      const html = join(o.data?.["text/html"]);
      if (html.includes(`class="${FIGURE_CLASS}"`) || o.data?.["image/png"] !== undefined) figures++;
      if (html.includes(`class="mixlab-table"`)) tables++;
      if (html.includes(BUNDLE_MARKER)) report.bundles++;
    }
    if (!cell.metadata.execution?.["shell.execute_reply"]) {
      report.problems.push({ cell: i, kind: "not-run", detail: "no execute_reply recorded (the run stopped before this cell, or it timed out)" });
    }
    const src = liveSource(cell);
    const wantFigures = count(/(^|[^\w.])show\(/g, src);
    const wantTables = count(/(^|[^\w.])showTable\(/g, src);
    if (figures < wantFigures) report.problems.push({ cell: i, kind: "missing-figure", detail: `calls show() ${wantFigures}× but has ${figures} figure output(s)` });
    if (tables < wantTables) report.problems.push({ cell: i, kind: "missing-table", detail: `calls showTable() ${wantTables}× but has ${tables} table output(s)` });
    report.figures += figures;
    report.tables += tables;
  });
  return report;
}

/** The stderr text a cell printed (where tslab puts the real error message). */
export function stderrOf(cell: NbCell): string {
  return (cell.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === "stderr").map((o) => join(o.text)).join("");
}

/**
 * A human-readable account of a failing cell: its index, first source lines, stderr and error.
 *
 * @example
 * console.error(describeCell(nb, 7));
 */
export function describeCell(nb: Notebook, index: number, maxLines = 12): string {
  const cell = nb.cells[index];
  const lines = join(cell.source).split("\n");
  const src = lines.slice(0, maxLines).map((l) => `    | ${l}`).join("\n") + (lines.length > maxLines ? `\n    | … (${lines.length - maxLines} more lines)` : "");
  const errors = (cell.outputs ?? []).filter((o) => o.output_type === "error").map((o) => `${o.ename ?? ""}: ${o.evalue ?? ""}`.trim());
  // drop stack frames inside tslab/node internals: they are the same for every cell
  const stderr = stderrOf(cell).split("\n").filter((l) => !/^\s+at .*(node_modules\/tslab|node:vm|node:internal|sigintHandlersWrap)/.test(l)).join("\n").trim();
  return [
    `  cell ${index}:`,
    src,
    stderr ? `  stderr:\n${stderr.split("\n").map((l) => `    ${l}`).join("\n")}` : "  stderr: (none)",
    errors.length ? `  error: ${errors.join("; ")}` : "",
  ].filter((s) => s !== "").join("\n");
}

/**
 * A readable account of a report's problems: the failing cell (source + stderr) first, other
 * problems next, and the cells that never ran (consequences of the failure) as one count.
 * Empty when there are no problems.
 *
 * @example
 * const msg = failureMessage(nb, inspectNotebook(nb)); // "" when clean
 */
export function failureMessage(nb: Notebook, report: NotebookReport): string {
  const lines: string[] = [];
  const failed = report.problems.find((p) => p.kind === "failed");
  if (failed && failed.cell >= 0) lines.push(describeCell(nb, failed.cell));
  else if (failed) lines.push(`  ${failed.detail}`);
  const notRun = new Set(report.problems.filter((p) => p.kind === "not-run").map((p) => p.cell));
  for (const p of report.problems) {
    // not-run cells and their missing outputs are consequences of the failure above
    if (p.kind === "failed" || p.kind === "not-run" || notRun.has(p.cell)) continue;
    if (p.kind === "error" && p.cell === failed?.cell) continue;
    lines.push(p.kind === "error" ? describeCell(nb, p.cell) : `  cell ${p.cell}: ${p.kind}: ${p.detail}`);
  }
  if (notRun.size > 0) lines.push(`  ${notRun.size} later code cell(s) did not run`);
  return lines.join("\n");
}
