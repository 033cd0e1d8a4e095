/**
 * `mixlab regmix fit` — fit a regressor from mixture weights to one loss column and predict the
 * loss of other mixtures. A thin caller of RegMix's step 3 (`fitRegmixRegressor`, the fit every
 * RegMix caller shares: RegMix's LightGBM defaults, the leaf size of `regmixLeafSize`, all rounds).
 *
 *   mixlab regmix fit --train-mixtures A.csv --train-losses B.csv --target COLUMN
 *                     --model gbdt|linear --predict C.csv --out preds.csv
 *                     [--eval-losses D.csv] [--seed 42] [--rounds 1000] [--simplex-tol 0.01]
 *
 * A and B are joined row by row: same row count and, when both have an `index` column, the same
 * index values (no value twice). Mixture columns are every column of A except `index` (a
 * `train_` prefix on every column is dropped); C must have exactly those (any order, `index`
 * optional). COLUMN is a loss column of B (or a domain d for `metric/d_val_loss`), `mean` of every
 * loss column, or `a+b`, as in `regmix choose`. At least 2 training runs with losses that are not
 * all equal. Every mixture row (A and C) must lie on the simplex: weights
 * ≥ −tol and |sum − 1| ≤ tol, tol = `--simplex-tol` (default 0.01, because the released RegMix
 * mixtures are rounded to 3 decimals and their row sums range 0.996–1.003). Writes `preds.csv`
 * (atomically) with one column `prediction`, one row per row of C in order. With
 * `--eval-losses D.csv` (rows aligned with C, holding the target column) it prints Spearman,
 * Pearson and MSE of the predictions. Bad input → `MixlabError` (exit 2).
 */
import { numberFlag, parseCommandArgs } from "../args.js";
import { weightTableDesign, type SimplexTolerance } from "../../regression/design.js";
import { mse, pearson, spearman } from "../../regression/metrics.js";
import { fitRegmixRegressor } from "../../regmix/fit.js";
import { targetLosses } from "../../regmix/sweep.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { checkRowsAligned, readNumericCsvFile, toCsv } from "../../util/csv.js";
import { MixlabError } from "../../util/errors.js";

const USAGE = `usage: mixlab regmix fit --train-mixtures A.csv --train-losses B.csv --target COLUMN
         --model gbdt|linear --predict C.csv --out preds.csv
         [--eval-losses D.csv] [--seed 42] [--rounds 1000] [--simplex-tol 0.01]
  A.csv: [index,]<mixture columns>   one training run per row (weights on the simplex)
  B.csv: [index,]<loss columns>      the same runs, same order; COLUMN (a column, a domain, mean or a+b) is the target
  C.csv: [index,]<mixture columns>   mixtures to predict
  D.csv: [index,]<loss columns>      observed losses of C's rows (optional; prints metrics)
  writes preds.csv: prediction
       mixlab regmix propose … | regmix choose …   (--help on each: RegMix on runs trained elsewhere)`;

/** Default tolerance of the simplex check (the released RegMix weights are rounded to 3 decimals). */
export const DEFAULT_SIMPLEX_TOL = 0.01;

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
  const A = readNumericCsvFile(aPath);
  const B = readNumericCsvFile(bPath);
  const C = readNumericCsvFile(cPath);
  checkRowsAligned(A, aPath, B, bPath);
  // weights ≥ −tol and |sum − 1| ≤ tol, tol = --simplex-tol
  const simplex: SimplexTolerance = { sum: tol, negative: tol, setBy: "--simplex-tol" };
  const train = weightTableDesign(A, aPath, { prefix: "train_", simplex });
  const y = targetLosses(B, target, bPath);
  const Xc = weightTableDesign(C, cPath, { prefix: "train_", simplex, columns: train.columns }).X;
  let observed: Float64Array | null = null;
  if (values["eval-losses"]) {
    const dPath = values["eval-losses"];
    const D = readNumericCsvFile(dPath);
    checkRowsAligned(C, cPath, D, dPath);
    observed = targetLosses(D, target, dPath);
  }

  const fitted = fitRegmixRegressor(model, train.X, y, { gbdt: { seed, numRounds: rounds } });
  const preds = fitted.predict(Xc);
  writeFileAtomic(values.out!, toCsv(["prediction"], Array.from(preds, (p) => [p])));
  const what = fitted.kind === "gbdt" ? `gbdt (${fitted.numTrees} trees)` : "linear";
  console.log(`fitted ${what} on ${train.n} runs × ${train.columns.length} mixture columns → "${target}"; wrote ${preds.length} predictions to ${values.out}`);
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
