/**
 * `mixlab regmix fit` — fit a regressor from mixture weights to one loss column and predict the
 * loss of other mixtures. A thin caller of `kernel-lib/regression` (`fitGbdt`, `fitLinear`).
 *
 *   mixlab regmix fit --train-mixtures A.csv --train-losses B.csv --target COLUMN
 *                     --model gbdt|linear --predict C.csv --out preds.csv
 *                     [--eval-losses D.csv] [--seed 42] [--rounds 1000] [--simplex-tol 0.01]
 *
 * A and B are joined row by row: same row count and, when both have an `index` column, the same
 * index values. Mixture columns are every column of A except `index`; C must have exactly those
 * (any order, `index` optional). Every mixture row (A and C) must lie on the simplex: weights
 * ≥ −tol and |sum − 1| ≤ tol, tol = `--simplex-tol` (default 0.01, because the released RegMix
 * mixtures are rounded to 3 decimals and their row sums range 0.996–1.003). Writes `preds.csv`
 * (atomically) with one column `prediction`, one row per row of C in order. With
 * `--eval-losses D.csv` (rows aligned with C, holding the target column) it prints Spearman,
 * Pearson and MSE of the predictions. Bad input → `MixlabError` (exit 2).
 */
import { existsSync, readFileSync } from "node:fs";
import { numberFlag, parseCommandArgs } from "../args.js";
import { fitGbdt } from "../../regression/gbdt/index.js";
import { regmixLeafSize } from "../../regmix/choose.js";
import { fitLinear } from "../../regression/linear.js";
import { mse, pearson, spearman } from "../../regression/metrics.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { parseNumericCsv, toCsv, type NumericTable } from "../../util/csv.js";
import { MixlabError } from "../../util/errors.js";

const USAGE = `usage: mixlab regmix fit --train-mixtures A.csv --train-losses B.csv --target COLUMN
         --model gbdt|linear --predict C.csv --out preds.csv
         [--eval-losses D.csv] [--seed 42] [--rounds 1000] [--simplex-tol 0.01]
  A.csv: [index,]<mixture columns>   one training run per row (weights on the simplex)
  B.csv: [index,]<loss columns>      the same runs, same order; COLUMN is the target
  C.csv: [index,]<mixture columns>   mixtures to predict
  D.csv: [index,]<loss columns>      observed losses of C's rows (optional; prints metrics)
  writes preds.csv: prediction
       mixlab regmix propose … | regmix choose …   (--help on each: RegMix on runs trained elsewhere)`;

/** Default tolerance of the simplex check (the released RegMix weights are rounded to 3 decimals). */
export const DEFAULT_SIMPLEX_TOL = 0.01;

function readTable(path: string): NumericTable {
  if (!existsSync(path)) throw new MixlabError("FILE_NOT_FOUND", `${path}: no such file`);
  const table = parseNumericCsv(readFileSync(path, "utf8"), path);
  if (table.rows.length === 0) throw new MixlabError("CSV_EMPTY", `${path}: header but no data rows`);
  return table;
}

function column(table: NumericTable, name: string, source: string): Float64Array {
  const j = table.columns.indexOf(name);
  if (j < 0) throw new MixlabError("CSV_MISSING_COLUMN", `${source}: no column "${name}" (has: ${table.columns.join(", ")})`);
  return Float64Array.from(table.rows, (r) => r[j]);
}

/** Rows must match one to one: same count and, when both files have `index`, same values. */
function checkAligned(a: NumericTable, aName: string, b: NumericTable, bName: string): void {
  if (a.rows.length !== b.rows.length) {
    throw new MixlabError("ROW_COUNT_MISMATCH", `${aName} has ${a.rows.length} rows but ${bName} has ${b.rows.length}`);
  }
  const ia = a.columns.indexOf("index");
  const ib = b.columns.indexOf("index");
  if (ia < 0 || ib < 0) return;
  for (let i = 0; i < a.rows.length; i++) {
    if (a.rows[i][ia] !== b.rows[i][ib]) {
      throw new MixlabError("INDEX_MISMATCH", `row ${i + 1}: ${aName} has index ${a.rows[i][ia]} but ${bName} has ${b.rows[i][ib]}`);
    }
  }
}

/**
 * Mixture rows of `table` in the order of `names`, each checked to lie on the simplex.
 *
 * @example
 * mixtureRows(table, ["a", "b"], "C.csv", 0.01); // Float64Array per row
 */
export function mixtureRows(table: NumericTable, names: string[], source: string, tol: number): Float64Array[] {
  const idx = names.map((n) => {
    const j = table.columns.indexOf(n);
    if (j < 0) throw new MixlabError("CSV_MISSING_COLUMN", `${source}: no mixture column "${n}" (has: ${table.columns.join(", ")})`);
    return j;
  });
  const extra = table.columns.filter((c) => c !== "index" && !names.includes(c));
  if (extra.length > 0) {
    throw new MixlabError("CSV_EXTRA_COLUMN", `${source}: columns not among the training mixtures: ${extra.join(", ")}`);
  }
  return table.rows.map((r, i) => {
    const w = Float64Array.from(idx, (j) => r[j]);
    let sum = 0;
    for (let k = 0; k < w.length; k++) {
      if (w[k] < -tol) throw new MixlabError("MIXTURE_NOT_ON_SIMPLEX", `${source}: row ${i + 1}, "${names[k]}" = ${w[k]} is negative`);
      sum += w[k];
    }
    if (!(Math.abs(sum - 1) <= tol)) {
      throw new MixlabError("MIXTURE_NOT_ON_SIMPLEX", `${source}: row ${i + 1} weights sum to ${sum}, expected 1 ± ${tol} (--simplex-tol)`);
    }
    return w;
  });
}

async function fit(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      "train-mixtures": { type: "string" },
      "train-losses": { type: "string" },
      target: { type: "string" },
      model: { type: "string", default: "gbdt" },
      predict: { type: "string" },
      out: { type: "string" },
      "eval-losses": { type: "string" },
      seed: { type: "string" },
      rounds: { type: "string" },
      "simplex-tol": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  for (const flag of ["train-mixtures", "train-losses", "target", "predict", "out"] as const) {
    if (!values[flag]) throw new MixlabError("BAD_ARGS", `missing --${flag}\n${USAGE}`);
  }
  const model = values.model ?? "gbdt";
  if (model !== "gbdt" && model !== "linear") throw new MixlabError("BAD_ARGS", `--model must be gbdt or linear, got "${model}"`);
  const seed = numberFlag(values.seed, "--seed", 42);
  if (!Number.isInteger(seed)) throw new MixlabError("BAD_ARGS", `--seed must be an integer, got ${values.seed}`);
  const rounds = numberFlag(values.rounds, "--rounds", 1000);
  if (!Number.isInteger(rounds) || rounds < 1) throw new MixlabError("BAD_ARGS", `--rounds must be an integer ≥ 1, got ${values.rounds}`);
  const tol = numberFlag(values["simplex-tol"], "--simplex-tol", DEFAULT_SIMPLEX_TOL);
  if (tol < 0) throw new MixlabError("BAD_ARGS", `--simplex-tol must be ≥ 0, got ${tol}`);

  const aPath = values["train-mixtures"]!;
  const bPath = values["train-losses"]!;
  const cPath = values.predict!;
  const target = values.target!;
  const A = readTable(aPath);
  const B = readTable(bPath);
  const C = readTable(cPath);
  const mixtureNames = A.columns.filter((c) => c !== "index");
  if (mixtureNames.length === 0) throw new MixlabError("CSV_MISSING_COLUMN", `${aPath}: no mixture columns besides "index"`);
  checkAligned(A, aPath, B, bPath);
  const X = mixtureRows(A, mixtureNames, aPath, tol);
  const y = column(B, target, bPath);
  const Xc = mixtureRows(C, mixtureNames, cPath, tol);
  let observed: Float64Array | null = null;
  if (values["eval-losses"]) {
    const dPath = values["eval-losses"];
    const D = readTable(dPath);
    checkAligned(C, cPath, D, dPath);
    observed = column(D, target, dPath);
  }

  const fitted = model === "gbdt" ? fitGbdt(X, y, { seed, numRounds: rounds, minDataInLeaf: regmixLeafSize(y.length) }) : fitLinear(X, y);
  const preds = fitted.predict(Xc);
  writeFileAtomic(values.out!, toCsv(["prediction"], Array.from(preds, (p) => [p])));
  const what = fitted.kind === "gbdt" ? `gbdt (${fitted.numTrees} trees)` : "linear";
  console.log(`fitted ${what} on ${X.length} runs × ${mixtureNames.length} mixture columns → "${target}"; wrote ${preds.length} predictions to ${values.out}`);
  if (observed) {
    console.log(`spearman ${spearman(preds, observed).toFixed(6)}  pearson ${pearson(preds, observed).toFixed(6)}  mse ${mse(preds, observed).toExponential(6)}`);
  }
  return 0;
}

/**
 * Entry point: `mixlab regmix fit …` (see the file comment).
 *
 * @example
 * await run(["fit", "--train-mixtures", "A.csv", "--train-losses", "B.csv", "--target", "loss",
 *            "--model", "gbdt", "--predict", "C.csv", "--out", "preds.csv"]); // 0
 */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "fit") {
    return fit(rest);
  }
  if (sub === "propose" || sub === "choose") return (await import("./regmix-outside.js")).run(argv);
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    console.log(USAGE);
    return sub === undefined ? 2 : 0;
  }
  throw new MixlabError("UNKNOWN_COMMAND", `regmix: no subcommand "${sub}"\n${USAGE}`);
}
