/**
 * The report shared by sweeps that train one model per mixture and measure every domain's
 * validation loss (proxy-sweep, bigram-sweep): mixtures, per-domain losses, the best run, the
 * spread per domain, and `validation_loss.csv` (one row per run) for regression fitting.
 */
import { join } from "node:path";
import { toCsv } from "../../util/csv.js";
import { heatmap } from "../../viz/heatmap.js";
import { figureLink } from "../figure-link.js";
import { toMarkdown } from "../../viz/table.js";
import type { Json } from "../json.js";
import type { KindReport, RunRecord } from "../kind.js";

/** Params of one sweep task. */
export type SweepParams = { mixture: Record<string, number> };
/** Result of one sweep run: per-domain validation loss (nats per byte) and their mean. */
export type SweepResult = { validation: Record<string, number>; average: number } & { [key: string]: Json };

/** Markdown tables list at most this many runs; the CSV has them all. */
const MAX_TABLE_ROWS = 40;
/** The heat map shows at most this many runs. */
const MAX_FIGURE_ROWS = 200;

/**
 * CSV with one row per run: task_id, w.<domain>…, loss.<domain>…, average.
 *
 * @example
 * sweepCsv(runs, ["books", "code_c"]); // "task_id,w.books,w.code_c,loss.books,loss.code_c,average\n…"
 */
export function sweepCsv(runs: readonly RunRecord<SweepParams, SweepResult>[], domains: readonly string[]): string {
  const header = ["task_id", ...domains.map((d) => `w.${d}`), ...domains.map((d) => `loss.${d}`), "average"];
  return toCsv(header, runs.map((r) => [r.taskId, ...domains.map((d) => r.params.mixture[d] ?? 0), ...domains.map((d) => r.result.validation[d]), r.result.average]));
}

/**
 * The kind report of a per-domain-loss sweep.
 *
 * @example
 * const part = sweepReport(runs, { title: "Proxy sweep", what: "…", total: 64, outDir: "results/x" });
 */
export function sweepReport(runs: readonly RunRecord<SweepParams, SweepResult>[], opts: { title: string; what: string; total: number; outDir: string; png?: boolean | "auto" }): KindReport {
  if (runs.length === 0) return { markdown: `## ${opts.title}\n\nNo finished runs yet.\n`, tables: {} };
  const domains = Object.keys(runs[0].result.validation);
  const shown = runs.slice(0, MAX_TABLE_ROWS);
  const more = runs.length > shown.length ? `\n(${shown.length} of ${runs.length} runs shown; all are in \`validation_loss.csv\`.)\n` : "";
  const best = runs.reduce((a, b) => (b.result.average < a.result.average ? b : a));
  const spread = domains.map((d) => {
    const xs = runs.map((r) => r.result.validation[d]);
    const bestRun = runs.reduce((a, b) => (b.result.validation[d] < a.result.validation[d] ? b : a));
    return { domain: d, min: Math.min(...xs), max: Math.max(...xs), "best run": bestRun.taskId, [`weight there`]: bestRun.params.mixture[d] ?? 0 };
  });
  const figRuns = runs.slice(0, MAX_FIGURE_ROWS);
  const fig = heatmap(figRuns.map((r) => domains.map((d) => r.result.validation[d])), {
    xLabels: domains, yLabels: figRuns.map((r) => r.taskId), title: `${opts.title}: validation loss (nats/byte)`, colorTitle: "nats/byte",
  });
  const figureLine = figureLink(fig, opts.outDir, "validation_loss", "validation loss per run and domain", opts.png ?? "auto");
  const md = [
    `## ${opts.title}`,
    "",
    opts.what,
    "",
    `Best average validation loss: **${best.result.average.toFixed(4)}** nats/byte (${best.taskId}).`,
    "",
    figureLine,
    "",
    "### Validation loss per domain (nats/byte)",
    "",
    toMarkdown(shown.map((r) => ({ run: r.taskId, ...r.result.validation, average: r.result.average }))),
    more,
    "### Mixtures",
    "",
    toMarkdown(shown.map((r) => ({ run: r.taskId, ...Object.fromEntries(domains.map((d) => [d, r.params.mixture[d] ?? 0])) })), { digits: 3 }),
    more,
    "### Spread over runs",
    "",
    toMarkdown(spread),
  ].join("\n");
  return { markdown: md, tables: { "validation_loss.csv": sweepCsv(runs, domains) } };
}
