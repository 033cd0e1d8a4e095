/**
 * `report.md` and CSVs of a results directory, rebuilt from the stored runs alone (so
 * `mixlab report` works after a Slurm sweep, on another machine, or on a partial sweep).
 */
import { join } from "node:path";
import { toCsv } from "../util/csv.js";
import { writeFileAtomic } from "../util/atomic.js";
import { MixlabError } from "../util/errors.js";
import { isPlainObject } from "./json.js";
import type { RunRecord } from "./kind.js";
import type { Manifest } from "./manifest.js";
import { formatDuration } from "./progress.js";
import { openTaskRunner } from "./run-one.js";
import { scanRuns } from "./store.js";

/** What `buildReport` wrote and found. */
export interface ReportSummary {
  /** absolute path of report.md */
  path: string;
  total: number;
  done: number;
  /** ids of planned runs without a verified result */
  missing: string[];
  /** ids whose run file failed verification (rerun them with `mixlab run`) */
  corrupt: { taskId: string; reason: string }[];
  /** files written besides report.md */
  files: string[];
}

/**
 * Flatten nested JSON into dotted columns (`result.validation.books`).
 *
 * @example
 * flattenJson({ a: { b: 1, c: [2, 3] } }); // { "a.b": 1, "a.c.0": 2, "a.c.1": 3 }
 */
export function flattenJson(value: unknown, prefix = "", out: Record<string, string | number> = {}): Record<string, string | number> {
  if (Array.isArray(value)) value.forEach((v, i) => flattenJson(v, prefix ? `${prefix}.${i}` : String(i), out));
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) flattenJson(v, prefix ? `${prefix}.${k}` : k, out);
  else out[prefix] = value === null || value === undefined ? "" : typeof value === "number" ? value : String(value);
  return out;
}

/**
 * One row per finished run: id, index, seed, params.*, result.*, seconds.
 *
 * @example
 * runsCsv(runs); // "task_id,index,seed,params.mixture.books,…\nrun-0000,0,…\n"
 */
export function runsCsv(runs: readonly RunRecord[]): string {
  const rows = runs.map((r) => ({ task_id: r.taskId, index: r.index, seed: r.seed, ...flattenJson(r.params, "params"), ...flattenJson(r.result, "result"), seconds: r.meta.seconds }));
  const header: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row)) if (!seen.has(k)) { seen.add(k); header.push(k); }
  if (header.length === 0) header.push("task_id", "index", "seed", "seconds");
  return toCsv(header, rows.map((row) => header.map((h) => (row as Record<string, string | number>)[h] ?? "")));
}

function headerMarkdown(m: Manifest, done: number, total: number, missing: string[], corrupt: ReportSummary["corrupt"], runs: readonly RunRecord[]): string {
  const compute = runs.reduce((s, r) => s + r.meta.seconds, 0);
  const backends = [...new Set(runs.map((r) => r.meta.backend))].join(", ") || m.backend;
  const hosts = [...new Set(runs.map((r) => r.meta.host))];
  const lines = [
    `# ${m.name}`,
    "",
    `| | |`,
    `|---|---|`,
    `| kind | \`${m.kind}\` |`,
    `| config | \`${m.configFile}\` (profile \`${m.profile}\`) |`,
    `| seed | ${m.resolvedSeed} (${m.seedSource === "config" ? "from the config" : "drawn at creation"}) |`,
    `| runs | ${done} / ${total} finished${missing.length ? ` — **${missing.length} missing**` : ""}${corrupt.length ? ` — **${corrupt.length} corrupt**` : ""} |`,
    `| compute | ${formatDuration(compute)} summed over runs (${hosts.length} host${hosts.length === 1 ? "" : "s"}) |`,
    `| backend | ${backends} |`,
    `| git | ${m.git.commit}${m.git.dirty ? " (uncommitted changes)" : ""} |`,
    `| machine | ${m.machine.os} ${m.machine.arch}, ${m.machine.cpus} × ${m.machine.cpuModel}, ${(m.machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, node ${m.machine.node} |`,
    `| created | ${m.createdAt} |`,
    "",
  ];
  if (missing.length) lines.push(`Missing runs: ${missing.join(", ")} — \`mixlab run\` with the same config resumes them.`, "");
  if (corrupt.length) {
    lines.push("Corrupt run files (checksum or content check failed; the next `mixlab run` moves them aside and reruns them):", "");
    for (const c of corrupt) lines.push(`- ${c.taskId}: ${c.reason}`);
    lines.push("");
  }
  return lines.join("\n");
}

/**
 * Rebuild `report.md`, `runs.csv` and the kind's tables in `dir` from the stored runs.
 *
 * @example
 * const r = await buildReport("results/proxy-sweep-tiny-ci");
 * r.done === r.total; // true when the sweep is complete
 */
export async function buildReport(dir: string, opts: { png?: boolean | "auto" } = {}): Promise<ReportSummary> {
  const { store, kind, fields } = openTaskRunner(dir);
  const scan = scanRuns(store);
  const runs = [...scan.done].sort((a, b) => a.index - b.index);
  const ids = new Set(runs.map((r) => r.taskId));
  if (ids.size !== runs.length) throw new MixlabError("RESULTS_DUPLICATE_RUN", `${dir}: a task id appears twice among finished runs`);
  const missing = scan.missing.map((t) => t.id);
  const corrupt = scan.corrupt.map((c) => ({ taskId: c.task.id, reason: c.reason }));
  const part = await kind.report(fields, runs, { outDir: store.dir, manifest: store.manifest, total: store.tasks.length, png: opts.png ?? "auto" });
  const files: string[] = [];
  writeFileAtomic(join(store.dir, "runs.csv"), runsCsv(runs));
  files.push("runs.csv");
  for (const [name, text] of Object.entries(part.tables ?? {})) {
    if (!/^[A-Za-z0-9._-]+\.csv$/.test(name)) throw new MixlabError("REPORT_BAD_TABLE_NAME", `kind "${kind.name}" returned table "${name}"; names must be plain *.csv file names`);
    writeFileAtomic(join(store.dir, name), text);
    files.push(name);
  }
  const md = `${headerMarkdown(store.manifest, runs.length, store.tasks.length, missing, corrupt, runs)}\n${part.markdown.trim()}\n`;
  const path = join(store.dir, "report.md");
  writeFileAtomic(path, md);
  return { path, total: store.tasks.length, done: runs.length, missing, corrupt, files };
}
