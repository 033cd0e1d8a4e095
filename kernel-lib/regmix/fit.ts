/**
 * RegMix step 3 — fit mixture → target loss, the one place it is done: the GBDT with RegMix's
 * LightGBM defaults (and a leaf size that follows the fitted rows) and OLS, from a flat design
 * X [n, d] (one mixture per row) and the target losses y [n]. `analyseSweep` (the
 * `regmix-mini` kind, the comparison's arm), the claims study, `regmix fit` and
 * `regmix choose` all fit here.
 *
 * The callers differ in one GBDT option only, and say it by preset:
 *   "all-rounds"  every round (no early stopping) — the default of every caller: analyseSweep,
 *                 the study's fits, `regmix fit` (which never had an eval set) and `regmix choose`
 *   "notebook"    LightGBM's early_stopping(3) on the held-out rows, as the RegMix notebook
 *                 does (the held-out rows leak into fitting) — analyseSweep's `earlyStopping`
 * and in the overrides each passes: the spec's / study config's `gbdt` block, the CLI's
 * `--seed` and `--rounds`.
 */
import { GBDT_DEFAULTS, type GbdtOptions } from "../regression/gbdt/options.js";
import { fitGbdt, type EvalSet, type GbdtModel } from "../regression/gbdt/index.js";
import { fitLinear, type LinearModel } from "../regression/linear.js";
import { MixlabError } from "../util/errors.js";

/** Which regressor: the paper's GBDT or ordinary least squares. */
export type RegmixRegressor = "gbdt" | "linear";

/** How the GBDT stops (see the file comment). */
export type RegmixGbdtPreset = "all-rounds" | "notebook";

/** The option each preset sets over LightGBM's defaults (`GBDT_DEFAULTS`). */
export const REGMIX_GBDT_PRESETS: Readonly<Record<RegmixGbdtPreset, Readonly<Partial<GbdtOptions>>>> = Object.freeze({
  "all-rounds": Object.freeze({ earlyStoppingRounds: 0 }),
  notebook: Object.freeze({ earlyStoppingRounds: GBDT_DEFAULTS.earlyStoppingRounds }),
});

/**
 * The GBDT's minimum rows per leaf for a fit on `rows` proxies: LightGBM's 20 from 200 rows up
 * (RegMix fits 512), below that ⌊rows/10⌉ but at least 2 — with 20, a fit on 48 rows can make
 * at most two leaves. Measured on RegMix's released 1M-proxy runs (Pile-CC target, held-out
 * Spearman×100 on the 256 test runs, mean ± sd over 5 random training subsets;
 * `npm run bench:regmix-leaf`): 48 rows 77.8 ± 6.1 with 20 vs 92.5 ± 1.4 with the rule, 64 rows
 * 88.0 ± 4.3 vs 95.1 ± 1.1, 128 rows 97.1 ± 0.4 vs 97.4 ± 0.5, from 200 rows identical.
 *
 * @example
 * regmixLeafSize(48); // 5
 * regmixLeafSize(512); // 20
 */
export function regmixLeafSize(rows: number): number {
  return Math.max(2, Math.min(20, Math.round(rows / 10)));
}

/**
 * The GBDT options RegMix's step 3 fits with on `rows` proxies: LightGBM's defaults, the leaf
 * size of {@link regmixLeafSize}, the preset's stopping, then `overrides` (undefined entries
 * ignored, so an optional config field keeps the default).
 *
 * @example
 * fitGbdt(X, y, regmixGbdtOptions(256)); // minDataInLeaf 20, all 1000 rounds
 */
export function regmixGbdtOptions(rows: number, overrides: Partial<GbdtOptions> = {}, preset: RegmixGbdtPreset = "all-rounds"): Partial<GbdtOptions> {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<GbdtOptions>;
  return { minDataInLeaf: regmixLeafSize(rows), ...REGMIX_GBDT_PRESETS[preset], ...defined };
}

export interface RegmixFitOptions {
  /** GBDT options over RegMix's LightGBM defaults (the config's `gbdt` block, the CLI's flags) */
  gbdt?: Partial<GbdtOptions>;
  /** early-stop the GBDT on these rows ("notebook" preset); without, all rounds */
  earlyStopOn?: EvalSet;
}

/**
 * A regression on fewer than two runs, or on losses that are all equal, cannot rank mixtures:
 * every regressor comes out constant and any mixture would be "chosen". Named errors instead.
 */
function checkFitInput(X: Float64Array, y: Float64Array): void {
  if (y.length < 2) throw new MixlabError("REGMIX_TOO_FEW_RUNS", `the regression needs at least 2 training runs, got ${y.length}`);
  let lo = Infinity, hi = -Infinity;
  for (const v of y) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (lo === hi) throw new MixlabError("REGMIX_CONSTANT_LOSSES", `every one of the ${y.length} training runs has target loss ${lo}: nothing to regress, no mixture can be preferred`);
}

/**
 * Fit one regressor of step 3 on X [n, d] → y [n].
 *
 * @example
 * const m = fitRegmixRegressor("gbdt", X, y, { gbdt: { numRounds: 200 } });
 * m.predict(candidates); // Float64Array, one predicted loss per candidate row
 */
export function fitRegmixRegressor(model: "gbdt", X: Float64Array, y: Float64Array, opts?: RegmixFitOptions): GbdtModel;
export function fitRegmixRegressor(model: "linear", X: Float64Array, y: Float64Array, opts?: RegmixFitOptions): LinearModel;
export function fitRegmixRegressor(model: RegmixRegressor, X: Float64Array, y: Float64Array, opts?: RegmixFitOptions): GbdtModel | LinearModel;
export function fitRegmixRegressor(model: RegmixRegressor, X: Float64Array, y: Float64Array, opts: RegmixFitOptions = {}): GbdtModel | LinearModel {
  checkFitInput(X, y);
  if (model === "linear") return fitLinear(X, y);
  const preset: RegmixGbdtPreset = opts.earlyStopOn ? "notebook" : "all-rounds";
  return fitGbdt(X, y, regmixGbdtOptions(y.length, opts.gbdt, preset), opts.earlyStopOn);
}

/**
 * Fit both regressors of step 3 (the GBDT first, then OLS) on X [n, d] → y [n].
 *
 * @example
 * const { gbdt, linear } = fitRegmix(X, y, { gbdt: config.gbdt });
 */
export function fitRegmix(X: Float64Array, y: Float64Array, opts: RegmixFitOptions = {}): { gbdt: GbdtModel; linear: LinearModel } {
  return { gbdt: fitRegmixRegressor("gbdt", X, y, opts), linear: fitRegmixRegressor("linear", X, y) };
}

/**
 * The regressor a choice is made with must tell the training mixtures apart: one that predicts
 * the same loss for all of them (a GBDT that found no split — too few rows for two leaves of
 * `minDataInLeaf`) ranks nothing, and the top-k "best" candidates would be arbitrary.
 *
 * @example
 * checkRegressorRanks(gbdt, Xtr, "gbdt"); // throws REGMIX_FIT_CONSTANT on a constant fit
 */
export function checkRegressorRanks(fitted: GbdtModel | LinearModel, X: Float64Array, what: RegmixRegressor): void {
  const p = fitted.predict(X);
  let lo = Infinity, hi = -Infinity;
  for (const v of p) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (lo === hi) {
    const leaf = fitted.kind === "gbdt" ? ` (minDataInLeaf ${fitted.options?.minDataInLeaf}: a split needs twice that many rows)` : "";
    throw new MixlabError("REGMIX_FIT_CONSTANT", `the ${what} fitted on ${p.length} runs predicts the same loss (${lo}) for every one of them${leaf}; it cannot rank mixtures — add runs or use the other regressor`);
  }
}
