/**
 * MergeMix on checkpoints trained and scored outside mixlab. Thin callers of kernel-lib/mergemix
 * (`seedAlphas`, `mergeCheckpoints`, `fitSurrogates`, `searchSimplex`).
 *
 *   mixlab mergemix propose --experts K|a.safetensors,b.safetensors,… --count N --seed S --out w.csv
 *   mixlab mergemix merge --base B.safetensors --experts A.safetensors,… --weights w.csv --out DIR [--force]
 *   mixlab mergemix search --weights merges.csv --scores scores.csv --out DIR [--capability C] [--seed S]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { intFlag, parseCommandArgs } from "../args.js";
import { formatMixture } from "../../data/export.js";
import { Mixture } from "../../data/mixture.js";
import { expertName, mergeCheckpoints } from "../../mergemix/merge-checkpoints.js";
import { searchSimplex } from "../../mergemix/search.js";
import { seedAlphas } from "../../mergemix/seeds.js";
import { fitSurrogates, surrogateCrossValidation } from "../../mergemix/surrogate.js";
import { rowsOf, weightTableDesign, type SimplexTolerance } from "../../regression/design.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { checkRowsAligned, readNumericCsvFile as readTable, toCsv, type NumericTable } from "../../util/csv.js";
import { MixlabError } from "../../util/errors.js";
import { withLock } from "../../util/lock.js";
import { createRng } from "../../util/rng.js";

export const USAGE = `usage: mixlab mergemix propose --experts K|a.safetensors,b.safetensors,… --count N --seed S --out w.csv
       mixlab mergemix merge --base B.safetensors --experts A.safetensors,… --weights w.csv --out DIR [--force]
       mixlab mergemix search --weights merges.csv --scores scores.csv --out DIR [--capability C] [--seed 42] [--folds 5]
  propose  MergeMix's seed merge weights (simplex grid, then Dirichlet draws); one column per expert
           (its file's stem, or e1…eK), one row per merge
  merge    Θ_base + Σ_k α_k (Θ_k − Θ_base) for each row of w.csv, streamed tensor by tensor (F32/F16/BF16)
           → DIR/merge-0000.safetensors, … in row order, listed in DIR/.mixlab-merges.json; DIR must be new
           or empty; --force replaces the merges an earlier merge listed there (and nothing else)
  search   one GBDT surrogate per score column → simplex search of the mean (or --capability) → α*;
           each merges.csv row must sum to 1 (± 1e-6); DIR gets alpha.csv (a w.csv row for merge),
           mixture.json (for mixture export), surrogates.json`;

/**
 * The merge weights search fits on are points of the simplex the search returns α* on: each
 * row must sum to 1 within 1e-6 (MergeMix propose writes them in full precision). Negative
 * weights (extrapolated merges, which merge allows) are accepted.
 */
const SEARCH_SIMPLEX: SimplexTolerance = { sum: 1e-6, negative: null };

/** The weight columns of w.csv (all but `index`) and its rows. */
function weightColumns(t: NumericTable): { names: string[]; rows: number[][] } {
  const cols = t.columns.map((c, j) => [c, j] as const).filter(([c]) => c !== "index");
  return { names: cols.map(([c]) => c), rows: t.rows.map((r) => cols.map(([, j]) => r[j])) };
}

async function propose(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: { experts: { type: "string" }, count: { type: "string" }, seed: { type: "string" }, out: { type: "string" }, "grid-steps": { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: false,
  }, USAGE);
  if (values.help) { console.log(USAGE); return 0; }
  if (!values.experts || !values.out) throw new MixlabError("BAD_ARGS", `need --experts and --out\n${USAGE}`);
  const names = /^\d+$/.test(values.experts) ? Array.from({ length: Number(values.experts) }, (_, i) => `e${i + 1}`) : values.experts.split(",").map((p) => expertName(p.trim()));
  if (names.length < 1) throw new MixlabError("BAD_ARGS", "--experts: need at least one expert");
  if (new Set(names).size !== names.length) throw new MixlabError("BAD_ARGS", `--experts: names repeat (${names.join(", ")})`);
  const count = intFlag(values.count, "--count", { fallback: 40 });
  const seed = intFlag(values.seed, "--seed", { fallback: 42 });
  const alphas = seedAlphas(names.length, createRng(seed), { count, ...(values["grid-steps"] ? { gridSteps: intFlag(values["grid-steps"], "--grid-steps", { fallback: 0 }) } : {}) });
  writeFileAtomic(values.out, toCsv(["index", ...names], alphas.map((a, i) => [i, ...a])));
  console.log(`wrote ${alphas.length} merge weight rows over ${names.length} experts to ${values.out}`);
  return 0;
}

async function merge(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: { base: { type: "string" }, experts: { type: "string" }, weights: { type: "string" }, out: { type: "string" }, force: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: false,
  }, USAGE);
  if (values.help) { console.log(USAGE); return 0; }
  for (const f of ["base", "experts", "weights", "out"] as const) if (!values[f]) throw new MixlabError("BAD_ARGS", `missing --${f}\n${USAGE}`);
  const experts = values.experts!.split(",").map((p) => p.trim()).filter((p) => p !== "");
  const names = experts.map(expertName);
  if (new Set(names).size !== names.length) throw new MixlabError("BAD_ARGS", `--experts: file stems repeat (${names.join(", ")}); w.csv columns are named by them`);
  const w = weightColumns(readTable(values.weights!));
  const missing = names.filter((n) => !w.names.includes(n));
  const extra = w.names.filter((n) => !names.includes(n));
  if (missing.length || extra.length) {
    throw new MixlabError("MERGEMIX_WEIGHTS_COLUMNS", `${values.weights}: columns ${w.names.join(", ")} do not match the experts ${names.join(", ")}${missing.length ? ` (missing: ${missing.join(", ")})` : ""}${extra.length ? ` (no such expert: ${extra.join(", ")})` : ""}`);
  }
  const alphas = w.rows.map((r) => names.map((n) => r[w.names.indexOf(n)]));
  const out = values.out!;
  if (existsSync(out) && !statSync(out).isDirectory()) throw new MixlabError("MERGEMIX_OUT_NOT_DIR", `--out ${out} is a file, not a directory`);
  const t0 = Date.now();
  const written = await withLock(out, { code: "MERGEMIX_OUT_LOCKED", command: `mixlab mergemix merge --out ${out}` }, () =>
    writeMerges(out, values.force ?? false, { base: values.base!, experts, names, weights: values.weights!, alphas }));
  console.log(`wrote ${written} merged checkpoint(s) to ${out} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return 0;
}

/** What `mergemix merge` records in `--out` about the files it wrote (the only files `--force` removes). */
const MERGES_MANIFEST = ".mixlab-merges.json";
const MERGE_FILE = /^merge-\d+\.safetensors$/;

interface MergesManifest {
  format: "mixlab-merges 1";
  base: string;
  experts: string[];
  weights: string;
  files: { file: string; alpha: number[] }[];
}

/** The merge files an earlier `mergemix merge` recorded in `out` ([] when none or unreadable). */
function recordedMerges(out: string): string[] {
  try {
    const m = JSON.parse(readFileSync(join(out, MERGES_MANIFEST), "utf8")) as Partial<MergesManifest>;
    return Array.isArray(m.files) ? m.files.map((f) => f?.file).filter((f): f is string => typeof f === "string" && MERGE_FILE.test(f)) : [];
  } catch {
    return [];
  }
}

/**
 * Write one merge per α row into `out`, holding its lock. `out` must be absent or empty; with
 * `force` it may hold an earlier run's merges (listed in MERGES_MANIFEST), which are replaced —
 * every other file is kept, and a `merge-*.safetensors` the manifest does not list is refused
 * (MERGEMIX_OUT_FOREIGN), so `out` never mixes merges of two runs. The new files are written into
 * a hidden directory inside `out` and moved into place only when all are complete.
 */
function writeMerges(out: string, force: boolean, job: { base: string; experts: string[]; names: string[]; weights: string; alphas: number[][] }): number {
  const partialPrefix = ".merge-partial-";
  const existing = existsSync(out) ? readdirSync(out) : [];
  for (const e of existing.filter((e) => e.startsWith(partialPrefix))) rmSync(join(out, e), { recursive: true, force: true }); // a killed merge's leftover (we hold the lock)
  const present = existing.filter((e) => !e.startsWith(partialPrefix));
  const recorded = new Set(recordedMerges(out));
  if (present.length > 0 && !force) {
    throw new MixlabError("MERGEMIX_OUT_NOT_EMPTY", `--out ${out} is not empty (${present.slice(0, 3).join(", ")}${present.length > 3 ? ", …" : ""}); pass --force to replace the merges an earlier \`mergemix merge\` wrote there (other files are kept), or choose an empty --out`);
  }
  const foreign = present.filter((e) => MERGE_FILE.test(e) && !recorded.has(e));
  if (foreign.length > 0) {
    throw new MixlabError("MERGEMIX_OUT_FOREIGN", `--out ${out} holds ${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", …" : ""}, which no ${MERGES_MANIFEST} there lists as written by mixlab; --force replaces only those it lists: move them away or choose another --out`);
  }
  const files = job.alphas.map((_, i) => `merge-${String(i).padStart(4, "0")}.safetensors`);
  const madeOut = mkdirSync(out, { recursive: true }) !== undefined;
  const partial = join(out, `${partialPrefix}${process.pid}`);
  mkdirSync(partial);
  try {
    mergeCheckpoints(job.base, job.experts, job.alphas, files.map((f) => join(partial, f)));
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    if (madeOut) rmSync(out, { recursive: true, force: true });
    throw e;
  }
  const manifest = (names: string[]): string => `${JSON.stringify({
    format: "mixlab-merges 1", base: job.base, experts: job.names, weights: job.weights,
    files: names.map((file) => ({ file, alpha: job.alphas[files.indexOf(file)] ?? null })),
  }, null, 2)}\n`;
  // publish: first a manifest listing old and new (a crash on the way leaves only listed files),
  // then the new files over the old, then the old ones no longer wanted, then the final manifest
  writeFileAtomic(join(out, MERGES_MANIFEST), manifest([...new Set([...files, ...recorded])]));
  for (const f of files) renameSync(join(partial, f), join(out, f));
  for (const f of recorded) if (!files.includes(f)) rmSync(join(out, f), { force: true });
  writeFileAtomic(join(out, MERGES_MANIFEST), manifest(files));
  rmSync(partial, { recursive: true, force: true });
  return files.length;
}

async function search(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: { weights: { type: "string" }, scores: { type: "string" }, out: { type: "string" }, capability: { type: "string" }, seed: { type: "string" }, folds: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: false,
  }, USAGE);
  if (values.help) { console.log(USAGE); return 0; }
  for (const f of ["weights", "scores", "out"] as const) if (!values[f]) throw new MixlabError("BAD_ARGS", `missing --${f}\n${USAGE}`);
  const W = readTable(values.weights!);
  const S = readTable(values.scores!); // NaN or empty cells: CSV_NOT_NUMERIC, naming the cell
  checkRowsAligned(W, values.weights!, S, values.scores!);
  const design = weightTableDesign(W, values.weights!, { simplex: SEARCH_SIMPLEX });
  const w = { names: design.columns, rows: rowsOf(design.X, design.n) };
  const caps = S.columns.filter((c) => c !== "index");
  if (caps.length === 0) throw new MixlabError("CSV_MISSING_COLUMN", `${values.scores}: no score columns`);
  if (values.capability !== undefined && !caps.includes(values.capability)) throw new MixlabError("SUITE_UNKNOWN_CAPABILITY", `${values.scores}: no column "${values.capability}" (has: ${caps.join(", ")})`);
  const scores = S.rows.map((r) => Object.fromEntries(caps.map((c) => [c, r[S.columns.indexOf(c)]])));
  const seed = intFlag(values.seed, "--seed", { fallback: 42 });
  const folds = intFlag(values.folds, "--folds", { fallback: 5 });
  const surrogates = fitSurrogates(w.rows, scores);
  const found = searchSimplex((a) => surrogates.utility(a, values.capability), w.names.length, createRng(seed));
  const cv = w.rows.length >= 2 * folds ? surrogateCrossValidation(w.rows, scores, folds) : undefined;
  const alpha = Mixture.normalised(w.names, found.alpha);
  const out = values.out!;
  writeFileAtomic(join(out, "alpha.csv"), toCsv(["index", ...w.names], [[0, ...alpha.weights]]));
  writeFileAtomic(join(out, "mixture.json"), `${JSON.stringify({
    mixture: alpha.toRecord(),
    method: "mergemix",
    objective: values.capability ?? "mean of the score columns",
    predicted: { ...surrogates.predict(found.alpha), utility: surrogates.utility(found.alpha) },
    evaluations: found.evaluations,
    seed,
  }, null, 2)}\n`);
  writeFileAtomic(join(out, "surrogates.json"), `${JSON.stringify({ capabilities: caps, rows: w.rows.length, crossValidatedSpearman: cv ?? null, folds }, null, 2)}\n`);
  writeFileAtomic(join(out, "mixture.csv"), formatMixture(alpha, "csv"));
  console.log(`mergemix search: ${caps.length} surrogate(s) on ${w.rows.length} merges; α* ${alpha.toString()} (predicted ${values.capability ?? "utility"} ${found.value.toFixed(4)})`);
  if (cv) console.log(`cross-validated Spearman: ${Object.entries(cv).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(", ")}`);
  return 0;
}

/**
 * `mixlab mergemix propose|merge|search …`; returns the exit code.
 *
 * @example
 * await run(["propose", "--experts", "3", "--count", "20", "--seed", "1", "--out", "w.csv"]); // 0
 */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "propose") return propose(rest);
  if (sub === "merge") return merge(rest);
  if (sub === "search") return search(rest);
  if (sub === undefined || sub === "--help" || sub === "-h") { console.log(USAGE); return sub === undefined ? 2 : 0; }
  throw new MixlabError("UNKNOWN_COMMAND", `mergemix: no subcommand "${sub}"\n${USAGE}`);
}
