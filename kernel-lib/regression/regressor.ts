/**
 * One interface over the regressors a swarm can be fitted with — mixture weights (n × d) → one
 * metric — so a caller (a future `mixlab fit --regression log-linear|gbdt|linear`, the
 * benchmark, the proposers) picks a kind by name and gets something that predicts flat
 * candidate matrices:
 *   "log-linear"  Olmix's mixing law exp(c) + exp(t·x), Huber fit from seeded starts (log-linear.ts)
 *   "gbdt"        histogram GBDT with LightGBM's defaults, RegMix's regressor (gbdt/)
 *   "linear"      OLS with intercept (linear.ts)
 */
import { MixlabError } from "../util/errors.js";
import type { FeatureMatrix } from "./design.js";
import { fitGbdt, GbdtModel, type GbdtModelJson, type GbdtOptions } from "./gbdt/index.js";
import { fitLinear, linearFromJSON, type LinearModel, type LinearModelJson, type LinearOptions } from "./linear.js";
import { fitLogLinear, logLinearFromJSON, type LogLinearModel, type LogLinearModelJson, type LogLinearOptions } from "./log-linear.js";

export const REGRESSION_KINDS = ["log-linear", "gbdt", "linear"] as const;
export type RegressionKind = (typeof REGRESSION_KINDS)[number];

/** A fitted regressor of any kind; `kind` tells which. Each predicts `Float64Array[]` rows or a flat n × d array. */
export type Regressor = LogLinearModel | GbdtModel | LinearModel;
export type RegressorJson = LogLinearModelJson | GbdtModelJson | LinearModelJson;

/** Per-kind options; only the chosen kind's are read. */
export interface RegressorOptions {
  logLinear?: Partial<LogLinearOptions>;
  gbdt?: Partial<GbdtOptions>;
  linear?: LinearOptions;
}

/**
 * A regression kind from its name (a CLI flag's value); anything else is REGRESSION_UNKNOWN_KIND.
 *
 * @example
 * parseRegressionKind("log-linear"); // "log-linear"
 */
export function parseRegressionKind(name: string): RegressionKind {
  const k = REGRESSION_KINDS.find((x) => x === name);
  if (!k) throw new MixlabError("REGRESSION_UNKNOWN_KIND", `regression "${name}" is not one of ${REGRESSION_KINDS.join(", ")}`);
  return k;
}

/**
 * Fit one regressor of `kind` to targets `y` over the mixtures `X`.
 *
 * @example
 * const m = fitRegressor("log-linear", X, y);     // 300 starts, Huber δ = 0.02
 * const g = fitRegressor("gbdt", X, y, { gbdt: { numRounds: 500 } });
 * m.predict(candidatesFlat);                      // one prediction per row
 */
export function fitRegressor(kind: RegressionKind, X: FeatureMatrix, y: ArrayLike<number>, options: RegressorOptions = {}): Regressor {
  switch (kind) {
    case "log-linear": return fitLogLinear(X, y, options.logLinear);
    case "gbdt": return fitGbdt(X, y, options.gbdt ?? {});
    case "linear": return fitLinear(X, y, options.linear);
    default: throw new MixlabError("REGRESSION_UNKNOWN_KIND", `regression "${String(kind)}" is not one of ${REGRESSION_KINDS.join(", ")}`);
  }
}

/**
 * Rebuild any regressor from its `toJSON()` output (the `format` field picks the kind).
 *
 * @example
 * const back = regressorFromJSON(JSON.parse(JSON.stringify(m.toJSON())));
 */
export function regressorFromJSON(json: RegressorJson): Regressor {
  switch (json?.format) {
    case "mixlab-log-linear": return logLinearFromJSON(json);
    case "mixlab-gbdt": return GbdtModel.fromJSON(json);
    case "mixlab-linear": return linearFromJSON(json);
    default: throw new MixlabError("MODEL_BAD_JSON", `unknown model format ${JSON.stringify((json as { format?: unknown } | null)?.format)}`);
  }
}
