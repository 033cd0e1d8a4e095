/**
 * A swarm — small proxy runs, each trained on one mixture and scored on many metrics — read
 * from the two CSVs Olmix takes (allenai/olmix @ 9586977, `olmix/fit/loaders.py`
 * `load_from_csv`; `docs/cli/fit.md` "Input Data Expectations"):
 *
 *   ratios.csv   id column + one weight column per domain (each row sums to 1 ± 0.01)
 *   metrics.csv  id column + one column per metric
 *
 * The id column is `run`, else `run_id` (Olmix's), else `index` (RegMix's released files);
 * `run`, `run_id`, `name`, `index` and unnamed columns (a pandas index: header "" or
 * "Unnamed: …") are metadata, every other column is data. Rows are joined by id, so the files
 * may list runs in different orders.
 *
 * Where we are stricter than Olmix, so a bad file fails where it enters: a run present in only
 * one file is SWARM_UNJOINABLE (Olmix keeps the common runs silently); a NaN or empty metric is
 * SWARM_NAN (Olmix drops such rows with a warning); Olmix's row-sum check (atol 0.01) is kept.
 *
 * Metric families (Olmix's `eval.tasks` with `aggregate_task_families`, `olmix/fit/core.py`
 * `run_fit`): a family's target is the row-wise mean of its listed metrics. Olmix skips listed
 * metrics missing from the CSV; we make an unknown metric FAMILY_UNKNOWN_METRIC, so a typo
 * cannot silently change a target.
 */
import { parseCsv } from "../util/csv.js";
import { MixlabError } from "../util/errors.js";

/** Olmix's tolerance on a ratios row sum (`np.isclose(row_sums, 1.0, atol=0.01)`). */
export const SWARM_SUM_TOLERANCE = 0.01;

/** Join keys, in order of preference. */
export const SWARM_ID_COLUMNS = ["run", "run_id", "index"] as const;

/** A swarm's runs as the fit reads them. */
export interface Swarm {
  /** run ids, in the ratios file's order */
  runs: string[];
  /** domain columns, in the ratios file's order */
  domains: string[];
  /** n × d weights, flat row-major, rows in `runs` order */
  X: Float64Array;
  /** metric columns, in the metrics file's order */
  metrics: string[];
  /** metric → n values, rows in `runs` order */
  values: Record<string, Float64Array>;
}

export interface ReadSwarmOptions {
  /** names of the files in errors (default "ratios.csv", "metrics.csv") */
  ratiosSource?: string;
  metricsSource?: string;
  /** tolerance on each ratios row sum (default {@link SWARM_SUM_TOLERANCE}) */
  sumTolerance?: number;
}

function isMeta(col: string): boolean {
  return col === "" || col.startsWith("Unnamed") || col === "name" || (SWARM_ID_COLUMNS as readonly string[]).includes(col);
}

interface Side { ids: string[]; cols: string[]; colIdx: number[]; rows: string[][]; byId: Map<string, number> }

function readSide(text: string, source: string, what: "domain" | "metric"): Side {
  const { header, rows } = parseCsv(text, source);
  const idCol = SWARM_ID_COLUMNS.find((c) => header.includes(c));
  if (idCol === undefined) throw new MixlabError("SWARM_NO_ID_COLUMN", `${source}: no run id column (one of ${SWARM_ID_COLUMNS.join(", ")}); header: ${header.join(", ")}`);
  const seen = new Set<string>();
  for (const h of header) {
    if (h !== "" && seen.has(h)) throw new MixlabError("SWARM_DUPLICATE_COLUMN", `${source}: column "${h}" appears twice`);
    seen.add(h);
  }
  const colIdx: number[] = [];
  header.forEach((h, j) => { if (!isMeta(h)) colIdx.push(j); });
  if (colIdx.length === 0) throw new MixlabError("SWARM_NO_COLUMNS", `${source}: no ${what} columns besides the metadata (${header.join(", ")})`);
  if (rows.length === 0) throw new MixlabError("SWARM_EMPTY", `${source}: no runs`);
  const idJ = header.indexOf(idCol);
  const ids = rows.map((r) => r[idJ].trim());
  const byId = new Map<string, number>();
  ids.forEach((id, i) => {
    if (id === "") throw new MixlabError("SWARM_EMPTY_ID", `${source}: row ${i + 1} has an empty "${idCol}"`);
    if (byId.has(id)) throw new MixlabError("SWARM_DUPLICATE_ID", `${source}: run "${id}" appears in rows ${byId.get(id)! + 1} and ${i + 1}`);
    byId.set(id, i);
  });
  return { ids, cols: colIdx.map((j) => header[j]), colIdx, rows, byId };
}

function cellNumber(cell: string, source: string, run: string, col: string): number {
  const t = cell.trim();
  if (t === "" || /^[+-]?nan$/i.test(t)) throw new MixlabError("SWARM_NAN", `${source}: run "${run}", column "${col}" is ${t === "" ? "empty" : t} (a run with a missing value cannot be fitted; drop the run or the column)`);
  const v = Number(t);
  if (!Number.isFinite(v)) throw new MixlabError("SWARM_NOT_NUMERIC", `${source}: run "${run}", column "${col}": "${cell}" is not a finite number`);
  return v;
}

/**
 * Read and join a swarm's ratios and metrics CSVs (see the file header for the rules).
 *
 * @example
 * const swarm = readSwarmCsv(readFileSync("ratios.csv", "utf8"), readFileSync("metrics.csv", "utf8"));
 * swarm.domains;                  // ["adult_content", …]
 * swarm.values["lambada"];        // one value per run, in swarm.runs order
 */
export function readSwarmCsv(ratiosText: string, metricsText: string, options: ReadSwarmOptions = {}): Swarm {
  const rs = options.ratiosSource ?? "ratios.csv";
  const ms = options.metricsSource ?? "metrics.csv";
  const tol = options.sumTolerance ?? SWARM_SUM_TOLERANCE;
  const R = readSide(ratiosText, rs, "domain");
  const M = readSide(metricsText, ms, "metric");
  const onlyR = R.ids.filter((id) => !M.byId.has(id));
  const onlyM = M.ids.filter((id) => !R.byId.has(id));
  if (onlyR.length > 0 || onlyM.length > 0) {
    const say = (ids: string[], a: string, b: string) => (ids.length === 0 ? "" : `${ids.length} run(s) of ${a} have no row in ${b} (${ids.slice(0, 3).map((s) => `"${s}"`).join(", ")}${ids.length > 3 ? ", …" : ""})`);
    throw new MixlabError("SWARM_UNJOINABLE", [say(onlyR, rs, ms), say(onlyM, ms, rs)].filter((s) => s !== "").join("; "));
  }
  const n = R.ids.length, d = R.cols.length;
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const run = R.ids[i];
    let sum = 0;
    for (let j = 0; j < d; j++) {
      const v = cellNumber(R.rows[i][R.colIdx[j]], rs, run, R.cols[j]);
      if (v < 0) throw new MixlabError("SWARM_NEGATIVE_WEIGHT", `${rs}: run "${run}", domain "${R.cols[j]}" has weight ${v} < 0`);
      X[i * d + j] = v;
      sum += v;
    }
    if (!(Math.abs(sum - 1) <= tol)) throw new MixlabError("SWARM_NOT_ON_SIMPLEX", `${rs}: run "${run}": weights sum to ${sum}, expected 1 ± ${tol}`);
  }
  const values: Record<string, Float64Array> = {};
  M.cols.forEach((col, k) => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const run = R.ids[i];
      v[i] = cellNumber(M.rows[M.byId.get(run)!][M.colIdx[k]], ms, run, col);
    }
    values[col] = v;
  });
  return { runs: R.ids, domains: R.cols, X, metrics: M.cols, values };
}

/** Targets to fit: names and one n-vector each. */
export interface SwarmTargets {
  names: string[];
  values: Record<string, Float64Array>;
}

/**
 * The swarm's metrics as fit targets: `names` (default all), each of which must be a metric.
 *
 * @example
 * metricTargets(swarm, ["lambada"]).values.lambada; // swarm.values.lambada
 */
export function metricTargets(swarm: Swarm, names: readonly string[] = swarm.metrics): SwarmTargets {
  const values: Record<string, Float64Array> = {};
  for (const name of names) {
    const v = swarm.values[name];
    if (!v) throw new MixlabError("SWARM_UNKNOWN_METRIC", `metric "${name}" is not a column of the metrics CSV (it has ${swarm.metrics.length}: ${swarm.metrics.slice(0, 5).join(", ")}${swarm.metrics.length > 5 ? ", …" : ""})`);
    values[name] = v;
  }
  return { names: [...names], values };
}

/**
 * One target per family: the row-wise mean of the family's listed metrics, every one of which
 * must be a metric of the swarm (FAMILY_UNKNOWN_METRIC names the family and the missing ones).
 *
 * @example
 * familyTargets(swarm, { math: ["minerva_math_algebra::olmes", "minerva_math_geometry::olmes"] }).values.math;
 * // mean of the two columns, per run
 */
export function familyTargets(swarm: Swarm, families: Readonly<Record<string, readonly string[]>>): SwarmTargets {
  const names = Object.keys(families);
  if (names.length === 0) throw new MixlabError("FAMILY_EMPTY", "no metric families given");
  const n = swarm.runs.length;
  const values: Record<string, Float64Array> = {};
  for (const fam of names) {
    const members = families[fam];
    if (!Array.isArray(members) || members.length === 0) throw new MixlabError("FAMILY_EMPTY", `family "${fam}" lists no metrics`);
    const missing = members.filter((m) => !swarm.values[m]);
    if (missing.length > 0) {
      throw new MixlabError("FAMILY_UNKNOWN_METRIC", `family "${fam}": ${missing.length} of its ${members.length} metrics are not columns of the metrics CSV: ${missing.slice(0, 5).map((m) => `"${m}"`).join(", ")}${missing.length > 5 ? ", …" : ""}`);
    }
    const dup = members.find((m, i) => members.indexOf(m) !== i);
    if (dup !== undefined) throw new MixlabError("FAMILY_DUPLICATE_METRIC", `family "${fam}" lists "${dup}" twice`);
    const v = new Float64Array(n);
    for (const m of members) {
      const col = swarm.values[m];
      for (let i = 0; i < n; i++) v[i] += col[i];
    }
    for (let i = 0; i < n; i++) v[i] /= members.length;
    values[fam] = v;
  }
  return { names, values };
}
