/**
 * ADO as a mixture controller (kernel-lib/train/mixture-controller.ts), one segment per step as
 * the official loader (`AdaptiveLoader.update`, `AdoSelector.update`, `curr_dist`) does: after
 * each step t it records the step's sample counts and per-domain training losses (a domain the
 * batch lacked keeps its previous loss, or the batch mean at first), updates the sampling
 * history h ← 0.9·h + 0.1·counts/Σcounts, refits every domain's law at each multiple of
 * `refitEvery` from `startStep` on (Savitzky–Golay-smoothed losses, every `subsample`-th point
 * after `ignoreSteps`, against the cumulative samples), and from `startStep` on draws the next
 * step from `adoStep`'s p. Before: the token prior.
 *
 * On purpose, unlike the official code: a refit with fewer than 3 points is skipped (the laws
 * keep their last fit, or none); the smoothing window shrinks to the largest odd length that the
 * losses recorded so far allow (scipy would refuse a window longer than the series).
 */
import type { MixtureController } from "../train/mixture-controller.js";
import { MixlabError } from "../util/errors.js";
import type { AdoSpec } from "./config.js";
import { savgolFilter } from "./savgol.js";
import { fitScalingLaw, type ScalingLaw } from "./scaling-law.js";
import { adoStep } from "./update.js";

/** What an ADO run did. */
export interface AdoRecord {
  /** one entry per refit: the step and each domain's law (null where the fit was skipped) */
  fits: { step: number; points: number; laws: ScalingLaw[] | null }[];
}

/**
 * @example
 * const { controller, record } = adoController(corpus.domains, tokenPrior(corpus).weights, spec);
 */
export function adoController(domains: readonly string[], prior: ArrayLike<number>, spec: AdoSpec): { controller: MixtureController; record: AdoRecord } {
  const k = domains.length;
  if (prior.length !== k) throw new MixlabError("ADO_BAD_CONFIG", `${prior.length} prior weights for ${k} domains`);
  const rho = Float64Array.from(prior);
  const record: AdoRecord = { fits: [] };
  const counts: Float64Array[] = []; // [t][k] samples counted per step (Σ of the step for every domain)
  const losses: Float64Array[] = []; // [t][k]
  let history = Float64Array.from(rho);
  let pAvg = Float64Array.from(rho);
  let laws: ScalingLaw[] | null = null;

  const refit = (t: number) => {
    const T = losses.length;
    const cum = new Float64Array(T);
    counts.forEach((c, i) => { cum[i] = (i ? cum[i - 1] : 0) + c[0]; });
    const idx: number[] = [];
    for (let i = spec.ignoreSteps; i < T; i += spec.subsample) idx.push(i);
    if (idx.length < 3) { record.fits.push({ step: t, points: idx.length, laws: null }); return; }
    const maxOdd = T % 2 === 1 ? T : T - 1;
    const window = Math.min(spec.savgolWindow, maxOdd);
    const fitted: ScalingLaw[] = [];
    for (let d = 0; d < k; d++) {
      const series = Float64Array.from(losses, (row) => row[d]);
      const smooth = window > spec.savgolOrder ? savgolFilter(series, window, spec.savgolOrder) : series;
      const law = fitScalingLaw(idx.map((i) => cum[i]), idx.map((i) => smooth[i]));
      if (!law) { record.fits.push({ step: t, points: idx.length, laws: null }); return; }
      fitted.push(law);
    }
    laws = fitted;
    record.fits.push({ step: t, points: idx.length, laws: fitted });
  };

  const controller: MixtureController = {
    domains,
    next(obs) {
      if (obs.step === 0) return { weights: rho, steps: 1, observe: { trainLosses: true }, phase: "prior" };
      const t = obs.step - 1; // the step just trained (0-based `itr`)
      const w = obs.windowsPerStep[0];
      const total = w.reduce((a, x) => a + x, 0);
      counts.push(new Float64Array(k).fill(total));
      history = history.map((h, d) => spec.historyDecay * h + (1 - spec.historyDecay) * (w[d] / total));
      const tl = obs.trainLosses![0];
      const prev = losses[losses.length - 1];
      losses.push(Float64Array.from(tl, (l, d) => (Number.isNaN(l) ? (prev ? prev[d] : obs.stepLosses[0]) : l)));
      if (t >= spec.startStep && t % spec.refitEvery === 0) refit(t);
      if (t < spec.startStep || laws === null) return { weights: rho, steps: 1, observe: { trainLosses: true }, phase: "prior" };
      const n = counts.reduce((a, c) => a + c[0], 0);
      const step = adoStep(laws, n, rho, history, pAvg, t, spec);
      pAvg = step.pAvg;
      return { weights: step.p, steps: 1, observe: { trainLosses: true }, phase: "ado" };
    },
  };
  return { controller, record };
}
