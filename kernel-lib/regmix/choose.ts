/**
 * RegMix steps 3–5 over plain data: from a finished proxy sweep (rows of mixture → per-domain
 * loss) to the chosen mixture, and the final comparison table. The experiment kit's
 * `regmix-mini` kind, the comparison's arm and the notebook call these (`analyseSweep`);
 * `regmix choose` calls the same path on its files' rows (`analyseDesign`).
 *
 *   rows ─ split (last `heldOut` proxies held out) ─ fit GBDT + OLS on the rest (target loss;
 *          fit.ts, the one fit of step 3)
 *        ─ score both on the held-out proxies (Spearman, Pearson, MSE, MAE)
 *        ─ simulate with the GBDT (1M Dirichlet(prior) candidates, mean of the 128 best)
 *        ─ chosen mixture
 *
 * The RegMix notebook early-stops its GBDT on the same rows it then scores (its test set). We
 * keep the held-out proxies out of fitting by default (`earlyStopping: false`: all rounds), so
 * the held-out Spearman is an honest estimate; `earlyStopping: true` reproduces the notebook.
 */
import { Mixture } from "../data/mixture.js";
import type { GbdtModel } from "../regression/gbdt/index.js";
import type { GbdtOptions } from "../regression/gbdt/options.js";
import type { LinearModel } from "../regression/linear.js";
import { mae, mse, pearson, spearman } from "../regression/metrics.js";
import { MixlabError } from "../util/errors.js";
import { simulateRegmix, type SimulateOptions, type SimulationResult } from "./simulate.js";
import { sweepDesign, type SweepRow } from "./sweep.js";
import type { RegmixSearchSpec } from "./config.js";
import { checkRegressorRanks, fitRegmix, type RegmixRegressor } from "./fit.js";

// step 3's leaf size lives with the fit (fit.ts); re-exported for the callers that import it here
export { regmixLeafSize } from "./fit.js";

/**
 * The default target: `books`, the broadest prose domain of the default corpus — Project
 * Gutenberg literature from many authors, centuries and genres (novels, drama, scripture,
 * essays). It plays the role of RegMix's Pile-CC target (general web text, "the domain most
 * like the downstream use"): `speeches` is one genre, `encyclopedic` is the CIA Factbook's
 * templated "Section - Field: text" lines, `email` is mostly short and noisy, `dictionary` is
 * glosses. A corpus without `books` falls back to its first domain.
 */
export const DEFAULT_TARGET = "books";

/**
 * The target that is no single domain: the mean of every domain's loss (what an average
 * perplexity judges; `targetLosses`' "mean" on loss tables, `sweepDesign` on a sweep).
 */
export const MEAN_TARGET = "mean";

/**
 * The target: `requested` if given (a domain, or {@link MEAN_TARGET} — the mean over the
 * domains, as `targetLosses` reads it), else {@link DEFAULT_TARGET} when present, else the
 * first domain.
 *
 * @example
 * chooseTarget(["code_c", "books"]);         // "books"
 * chooseTarget(["code_c", "math"], "math");  // "math"
 * chooseTarget(["code_c", "math"], "mean");  // "mean"
 */
export function chooseTarget(domains: readonly string[], requested?: string): string {
  if (requested === MEAN_TARGET && domains.length > 0) return MEAN_TARGET;
  if (requested !== undefined) {
    if (!domains.includes(requested)) throw new MixlabError("REGMIX_UNKNOWN_TARGET", `target "${requested}" is not among the domains (${domains.join(", ")})`);
    return requested;
  }
  if (domains.length === 0) throw new MixlabError("REGMIX_UNKNOWN_TARGET", "no domains to choose a target from");
  return domains.includes(DEFAULT_TARGET) ? DEFAULT_TARGET : domains[0];
}

/** Held-out quality of one regressor. */
export interface RegressorScore {
  model: "gbdt" | "linear";
  spearman: number;
  pearson: number;
  mse: number;
  mae: number;
  /** held-out rows scored */
  n: number;
}

/** Options of steps 3–5 on a design whose target is already chosen ({@link analyseDesign}). */
export interface DesignAnalyseOptions {
  /** GBDT options over RegMix's LightGBM defaults (learning rate 0.01, 1000 rounds, 31 leaves, …); minDataInLeaf defaults to `regmixLeafSize` of the fitted rows */
  gbdt?: Partial<GbdtOptions>;
  /** early-stop the GBDT on the held-out rows, as the notebook does (default false) */
  earlyStopping?: boolean;
  /** which fitted regressor the simulation uses (default "gbdt", as the paper) */
  simulateWith?: RegmixRegressor;
  simulate?: Partial<SimulateOptions>;
}

export interface AnalyseOptions extends DesignAnalyseOptions {
  /** domain whose validation loss is minimised (default {@link chooseTarget}) */
  target?: string;
  /** proxies held out for scoring: the last `heldOut` rows (default ⌊n/4⌋; 0 = none) */
  heldOut?: number;
}

export interface RegmixAnalysis {
  /** the target: a domain (analyseSweep) or the caller's name for its loss column(s) */
  target: string;
  domains: readonly string[];
  trainRows: number;
  heldOutRows: number;
  /** held-out scores of both regressors (empty when heldOut = 0) */
  scores: RegressorScore[];
  /** held-out observed and predicted target losses */
  heldOut: { observed: Float64Array; gbdt: Float64Array; linear: Float64Array };
  gbdt: GbdtModel;
  linear: LinearModel;
  simulatedWith: RegmixRegressor;
  simulation: SimulationResult;
  /** the RegMix mixture (= simulation.mixture) */
  chosen: Mixture;
}

/** Mixtures and target losses as the regressors take them: X [n, d] row-major over the prior's domains, y [n]. */
export interface RegmixDesign {
  X: Float64Array;
  y: Float64Array;
}

function score(model: RegmixRegressor, pred: Float64Array, obs: Float64Array): RegressorScore {
  const n = obs.length;
  return {
    model,
    spearman: n >= 2 ? spearman(pred, obs) : NaN,
    pearson: n >= 2 ? pearson(pred, obs) : NaN,
    mse: mse(pred, obs),
    mae: mae(pred, obs),
    n,
  };
}

/**
 * Steps 3–5 on a design: fit both regressors on `train`, score them on `heldOut` (if any),
 * simulate from `prior` with one of them, choose. `target` only names the loss in the result.
 * `regmix choose` calls this with its files' rows; {@link analyseSweep} with a sweep's.
 *
 * @example
 * const a = analyseDesign({ X, y }, null, prior, "mean", { simulateWith: "linear" });
 * a.chosen.toString(); // "books=0.61 speeches=0.20 …"
 */
export function analyseDesign(train: RegmixDesign, heldOut: RegmixDesign | null, prior: Mixture, target: string, opts: DesignAnalyseOptions = {}): RegmixAnalysis {
  const domains = prior.domains;
  const trainRows = train.y.length;
  const heldOutRows = heldOut?.y.length ?? 0;
  const yho = heldOut?.y ?? new Float64Array(0);
  const useEs = (opts.earlyStopping ?? false) && heldOutRows > 0;
  const { gbdt, linear } = fitRegmix(train.X, train.y, { gbdt: opts.gbdt, earlyStopOn: useEs ? heldOut! : undefined });
  const predG = heldOut && heldOutRows > 0 ? gbdt.predict(heldOut.X) : new Float64Array(0);
  const predL = heldOut && heldOutRows > 0 ? linear.predict(heldOut.X) : new Float64Array(0);
  const scores = heldOutRows > 0 ? [score("gbdt", predG, yho), score("linear", predL, yho)] : [];
  const simulatedWith = opts.simulateWith ?? "gbdt";
  const model = simulatedWith === "gbdt" ? gbdt : linear;
  checkRegressorRanks(model, train.X, simulatedWith);
  const simulation = simulateRegmix(model, prior, opts.simulate ?? {});
  return {
    target, domains, trainRows, heldOutRows, scores,
    heldOut: { observed: yho, gbdt: predG, linear: predL },
    gbdt, linear, simulatedWith, simulation, chosen: simulation.mixture,
  };
}

/**
 * Fit both regressors on a sweep, score them on held-out proxies, simulate, choose.
 *
 * @example
 * const a = analyseSweep(rows, tokenPrior(corpus), { target: "books", heldOut: 16 });
 * a.scores;              // [{ model: "gbdt", spearman: 0.9, … }, { model: "linear", … }]
 * a.chosen.toString();   // "books=0.61 speeches=0.20 …"
 */
export function analyseSweep(rows: readonly SweepRow[], prior: Mixture, opts: AnalyseOptions = {}): RegmixAnalysis {
  const domains = prior.domains;
  const target = chooseTarget(domains, opts.target);
  const n = rows.length;
  const heldOutRows = opts.heldOut ?? Math.floor(n / 4);
  if (!Number.isInteger(heldOutRows) || heldOutRows < 0 || heldOutRows > n - 2) {
    throw new MixlabError("REGMIX_BAD_OPTION", `heldOut must be an integer in 0..${Math.max(0, n - 2)} for ${n} proxies, got ${heldOutRows}`);
  }
  const trainRows = n - heldOutRows;
  const { X, y } = sweepDesign(rows, domains, target);
  const d = domains.length;
  const train = { X: X.subarray(0, trainRows * d), y: y.subarray(0, trainRows) };
  const heldOut = heldOutRows > 0 ? { X: X.subarray(trainRows * d), y: y.slice(trainRows) } : null;
  return analyseDesign(train, heldOut, prior, target, opts);
}

/** One trained comparison model: its name and per-domain validation loss. */
export interface FinalRun {
  name: string;
  validation: Record<string, number>;
}

/**
 * The per-domain validation-loss table of the final models (the paper's "RegMix vs human vs
 * uniform"): one row per domain plus an `average` row, one column per model, and `best` naming
 * the lowest loss in each row.
 *
 * @example
 * lossTable([{ name: "regmix", validation: { books: 1.9 } }, { name: "uniform", validation: { books: 2.1 } }], ["books"]);
 * // [{ domain: "books", regmix: 1.9, uniform: 2.1, best: "regmix" }, { domain: "average", …, best: "regmix" }]
 */
export function lossTable(runs: readonly FinalRun[], domains: readonly string[]): Record<string, string | number>[] {
  const row = (label: string, value: (r: FinalRun) => number) => {
    const out: Record<string, string | number> = { domain: label };
    let best = "";
    let bestV = Infinity;
    for (const r of runs) {
      const v = value(r);
      out[r.name] = v;
      if (v < bestV) { bestV = v; best = r.name; }
    }
    out.best = best;
    return out;
  };
  const table = domains.map((d) => row(d, (r) => r.validation[d]));
  table.push(row("average", (r) => domains.reduce((s, d) => s + r.validation[d], 0) / domains.length));
  return table;
}

/**
 * Steps 3–5 with a search config: fit on the sweep rows (in plan order, the last `heldOut`
 * held out), simulate from the token prior, choose — the call both the `regmix-mini`
 * experiment and the comparison's RegMix arm make.
 *
 * @example
 * const a = chooseRegmixMixture(prior, spec, rows, regmixSeeds(42).simulate);
 * a.chosen; a.scores;
 */
export function chooseRegmixMixture(prior: Mixture, spec: RegmixSearchSpec, rows: readonly SweepRow[], seed: number, opts: { keepPredictions?: boolean } = {}): RegmixAnalysis {
  const s = spec.simulate;
  return analyseSweep(rows, prior, {
    target: chooseTarget(prior.domains, spec.target),
    heldOut: spec.heldOut,
    earlyStopping: spec.earlyStopping,
    gbdt: spec.gbdt, // unset fields keep RegMix's defaults (regmixGbdtOptions drops them)
    simulateWith: s.simulateWith,
    simulate: { numCandidates: s.candidates, topK: s.topK, strength: s.strength, sampler: s.sampler, seed, ...(opts.keepPredictions === false ? { keepPredictions: false } : {}) },
  });
}
