/**
 * MergeMix on checkpoints trained and scored outside mixlab. Thin callers of kernel-lib/mergemix
 * (`seedAlphas`, `mergeCheckpoints`, `fitSurrogates`, `searchSimplex`).
 *
 *   mixlab mergemix propose --experts K|a.safetensors,b.safetensors,… --count N --seed S --out w.csv
 *   mixlab mergemix merge --base B.safetensors --experts A.safetensors,… --weights w.csv --out DIR
 *   mixlab mergemix search --weights merges.csv --scores scores.csv --out DIR [--capability C] [--seed S]
 */
import { mkdirSync } from "node:fs";
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
import { createRng } from "../../util/rng.js";

export const USAGE = `usage: mixlab mergemix propose --experts K|a.safetensors,b.safetensors,… --count N --seed S --out w.csv
       mixlab mergemix merge --base B.safetensors --experts A.safetensors,… --weights w.csv --out DIR
       mixlab mergemix search --weights merges.csv --scores scores.csv --out DIR [--capability C] [--seed 42] [--folds 5]
  propose  MergeMix's seed merge weights (simplex grid, then Dirichlet draws); one column per expert
           (its file's stem, or e1…eK), one row per merge
  merge    Θ_base + Σ_k α_k (Θ_k − Θ_base) for each row of w.csv, streamed tensor by tensor (F32/F16/BF16)
           → DIR/merge-0000.safetensors, … in row order
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
    options: { base: { type: "string" }, experts: { type: "string" }, weights: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } },
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
  mkdirSync(values.out!, { recursive: true });
  const outs = alphas.map((_, i) => join(values.out!, `merge-${String(i).padStart(4, "0")}.safetensors`));
  const t0 = Date.now();
  mergeCheckpoints(values.base!, experts, alphas, outs);
  console.log(`wrote ${outs.length} merged checkpoint(s) to ${values.out} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return 0;
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
