/**
 * RegMix steps 3–5 over plain data: from a finished proxy sweep (rows of mixture → per-domain
 * loss) to the chosen mixture, and the final comparison table. The experiment kit's
 * `regmix-mini` kind and the notebook call these; so can any caller holding sweep rows.
 *
 *   rows ─ split (last `heldOut` proxies held out) ─ fit GBDT + OLS on the rest (target loss)
 *        ─ score both on the held-out proxies (Spearman, Pearson, MSE, MAE)
 *        ─ simulate with the GBDT (1M Dirichlet(prior) candidates, mean of the 128 best)
 *        ─ chosen mixture
 *
 * The RegMix notebook early-stops its GBDT on the same rows it then scores (its test set). We
 * keep the held-out proxies out of fitting by default (`earlyStopping: false`: all rounds), so
 * the held-out Spearman is an honest estimate; `earlyStopping: true` reproduces the notebook.
 */
import { Mixture } from "../data/mixture.js";
import { fitGbdt, type GbdtModel } from "../regression/gbdt/index.js";
import type { GbdtOptions } from "../regression/gbdt/options.js";
import { fitLinear, type LinearModel } from "../regression/linear.js";
import { mae, mse, pearson, spearman } from "../regression/metrics.js";
import { MixlabError } from "../util/errors.js";
import { simulateRegmix, type SimulateOptions, type SimulationResult } from "./simulate.js";
import { sweepDesign, type SweepRow } from "./sweep.js";
import type { RegmixSearchSpec } from "./config.js";

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
 * The target domain: `requested` if given (it must exist), else {@link DEFAULT_TARGET} when
 * present, else the first domain.
 *
 * @example
 * chooseTarget(["code_c", "books"]);         // "books"
 * chooseTarget(["code_c", "math"], "math");  // "math"
 */
export function chooseTarget(domains: readonly string[], requested?: string): string {
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
 * size of {@link regmixLeafSize}, all rounds (no early stopping), then `overrides`.
 *
 * @example
 * fitGbdt(X, y, regmixGbdtOptions(256)); // minDataInLeaf 20
 */
export function regmixGbdtOptions(rows: number, overrides: Partial<GbdtOptions> = {}): Partial<GbdtOptions> {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<GbdtOptions>;
  return { minDataInLeaf: regmixLeafSize(rows), earlyStoppingRounds: 0, ...defined };
}

export interface AnalyseOptions {
  /** domain whose validation loss is minimised (default {@link chooseTarget}) */
  target?: string;
  /** proxies held out for scoring: the last `heldOut` rows (default ⌊n/4⌋; 0 = none) */
  heldOut?: number;
  /** GBDT options over RegMix's LightGBM defaults (learning rate 0.01, 1000 rounds, 31 leaves, …); minDataInLeaf defaults to {@link regmixLeafSize} of the fitted rows */
  gbdt?: Partial<GbdtOptions>;
  /** early-stop the GBDT on the held-out rows, as the notebook does (default false) */
  earlyStopping?: boolean;
  /** which fitted regressor the simulation uses (default "gbdt", as the paper) */
  simulateWith?: "gbdt" | "linear";
  simulate?: Partial<SimulateOptions>;
}

export interface RegmixAnalysis {
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
  simulatedWith: "gbdt" | "linear";
  simulation: SimulationResult;
  /** the RegMix mixture (= simulation.mixture) */
  chosen: Mixture;
}

function score(model: "gbdt" | "linear", pred: Float64Array, obs: Float64Array): RegressorScore {
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
  const Xtr = X.subarray(0, trainRows * d);
  const ytr = y.subarray(0, trainRows);
  const Xho = X.subarray(trainRows * d);
  const yho = y.slice(trainRows);
  const useEs = (opts.earlyStopping ?? false) && heldOutRows > 0;
  // early stopping (the notebook's way) keeps LightGBM's default rounds unless overridden
  const gbdtOpts = useEs ? { minDataInLeaf: regmixLeafSize(trainRows), ...(opts.gbdt ?? {}) } : regmixGbdtOptions(trainRows, opts.gbdt);
  const gbdt = fitGbdt(Xtr, ytr, gbdtOpts, useEs ? { X: Xho, y: yho } : undefined);
  const linear = fitLinear(Xtr, ytr);
  const predG = heldOutRows > 0 ? gbdt.predict(Xho) : new Float64Array(0);
  const predL = heldOutRows > 0 ? linear.predict(Xho) : new Float64Array(0);
  const scores = heldOutRows > 0 ? [score("gbdt", predG, yho), score("linear", predL, yho)] : [];
  const simulatedWith = opts.simulateWith ?? "gbdt";
  const simulation = simulateRegmix(simulatedWith === "gbdt" ? gbdt : linear, prior, opts.simulate ?? {});
  return {
    target, domains, trainRows, heldOutRows, scores,
    heldOut: { observed: yho, gbdt: predG, linear: predL },
    gbdt, linear, simulatedWith, simulation, chosen: simulation.mixture,
  };
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
  const gbdt = Object.fromEntries(Object.entries(spec.gbdt).filter(([, v]) => v !== undefined));
  const s = spec.simulate;
  return analyseSweep(rows, prior, {
    target: chooseTarget(prior.domains, spec.target),
    heldOut: spec.heldOut,
    earlyStopping: spec.earlyStopping,
    gbdt,
    simulateWith: s.simulateWith,
    simulate: { numCandidates: s.candidates, topK: s.topK, strength: s.strength, sampler: s.sampler, seed, ...(opts.keepPredictions === false ? { keepPredictions: false } : {}) },
  });
}
