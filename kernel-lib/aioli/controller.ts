/**
 * Aioli as a mixture controller (kernel-lib/train/mixture-controller.ts) — Algorithm 1 of the
 * paper, in the order of HazyResearch/aioli `trainer/aioli_trainer.py`, `AioliTrainer.train`:
 *
 *   restricted only   train `priorSteps` steps on another method's mixture (`--aioli_prior`, `--prior_steps`)
 *   each round        score the held-out sets (loss_0) → LearnParams: k·lp_rounds segments of
 *                     lp_steps steps on smoothed one-hot mixtures, each followed by a held-out
 *                     score (learn-params.ts) → A → the update (update.ts) → train on the new
 *                     mixture until the next multiple of update_steps
 *
 * Every LearnParams step is a training step of the run (the same model, optimiser and lr
 * schedule): the rounds are charged to the run's token budget, which is why the official code
 * sets `lp_duration = lp_rounds · lp_steps · k` and counts it into the round. A round whose
 * LearnParams would not fit before the last step is not started; the run finishes on the
 * current mixture (the official loop would overshoot `max_steps` there). Before the first
 * update the mixture is uniform (`weights_init = np.ones(k)`).
 */
import type { ValidationSet } from "../data/validation.js";
import type { MixtureController, MixtureObservation, MixtureSegment } from "../train/mixture-controller.js";
import { MixlabError } from "../util/errors.js";
import { createRng } from "../util/rng.js";
import type { AioliSpec } from "./config.js";
import { estimateMixingMatrix, learnParamsMixture, learnParamsOrder } from "./learn-params.js";
import { aioliUpdate, type AioliUpdateState } from "./update.js";

/** What an Aioli run did, for the arm's details and its cost. */
export interface AioliRecord {
  /** one entry per round: the step it started, A (normalised as used) and the mixture it chose */
  rounds: { step: number; matrix: number[][]; mixture: number[] }[];
  /** steps trained in LearnParams (inside the run's budget) */
  learnParamsSteps: number;
  /** held-out scorings (each: every held-out window forward once) */
  heldOutEvaluations: number;
}

export interface AioliControllerOptions {
  /** held-out windows LearnParams scores (the validation split; the run is judged elsewhere) */
  heldOut: ValidationSet[];
  /** seed of the LearnParams visiting orders */
  seed: number;
  /** restricted mode: train on this mixture ([k], over `domains`) for `steps` steps first */
  prior?: { weights: ArrayLike<number>; steps: number };
}

/**
 * Aioli's controller over `domains` and the record it fills as the run goes.
 *
 * @example
 * const { controller, record } = aioliController(corpus.domains, spec, { heldOut, seed });
 * await trainAndScore(corpus, Mixture.uniform(corpus.domains), recipe, seed, { eval, controller });
 * record.rounds.length;
 */
export function aioliController(domains: readonly string[], spec: AioliSpec, o: AioliControllerOptions): { controller: MixtureController; record: AioliRecord } {
  const k = domains.length;
  if (k < 2) throw new MixlabError("AIOLI_BAD_CONFIG", "Aioli mixes at least two domains");
  if (k > 1 && spec.oneHotFactor !== 1 && Math.abs(spec.oneHotFactor - 1 / k) < 1e-12) throw new MixlabError("AIOLI_BAD_CONFIG", `oneHotFactor ${spec.oneHotFactor} = 1/k: the LearnParams mixtures would all be uniform`);
  const lpDuration = spec.lpRounds * spec.lpSteps * k;
  if (lpDuration >= spec.updateSteps) throw new MixlabError("AIOLI_BAD_CONFIG", `LearnParams takes lpRounds·lpSteps·k = ${lpDuration} steps, not fewer than updateSteps ${spec.updateSteps}: no step of a round would train on the learned mixture`);
  if (o.prior && (!Number.isInteger(o.prior.steps) || o.prior.steps < 1)) throw new MixlabError("AIOLI_BAD_CONFIG", `the prior's steps must be an integer ≥ 1, got ${o.prior.steps}`);
  const rng = createRng(o.seed);
  const record: AioliRecord = { rounds: [], learnParamsSteps: 0, heldOutEvaluations: 0 };
  const uniform = new Float64Array(k).fill(1 / k);
  let mixture = uniform;
  let update: AioliUpdateState = { weights: new Float64Array(k).fill(1), emaMatrix: null };
  // the LearnParams in progress: its visiting order, position, loss before the visit, summed drops
  let lp: { order: number[]; at: number; previous: Float64Array; drops: Float64Array[]; start: number } | null = null;
  let started = false;

  const heldOut = (obs: MixtureObservation): Float64Array => {
    if (!obs.heldOut) throw new MixlabError("AIOLI_INTERNAL", `no held-out losses at step ${obs.step}`);
    record.heldOutEvaluations += 1;
    return obs.heldOut;
  };
  const visit = (): MixtureSegment => {
    const j = lp!.order[lp!.at];
    record.learnParamsSteps += spec.lpSteps;
    return { weights: learnParamsMixture(k, j, spec.oneHotFactor), steps: spec.lpSteps, observe: { heldOut: true }, phase: "learn-params" };
  };
  const mix = (step: number, phase: string): MixtureSegment => {
    const end = (Math.floor(step / spec.updateSteps) + 1) * spec.updateSteps; // next multiple of update_steps after `step`
    return { weights: mixture, steps: end - step, observe: { heldOut: true }, phase };
  };

  const controller: MixtureController = {
    domains,
    heldOut: o.heldOut,
    heldOutAtStart: !o.prior,
    next(obs) {
      if (!started && o.prior) {
        started = true;
        return { weights: o.prior.weights, steps: o.prior.steps, observe: { heldOut: true }, phase: "prior" };
      }
      started = true;
      if (lp) {
        // a LearnParams visit ended: credit its domain with every domain's loss drop
        const now = heldOut(obs);
        const j = lp.order[lp.at];
        for (let i = 0; i < k; i++) lp.drops[i][j] += lp.previous[i] - now[i];
        lp.previous = now;
        lp.at += 1;
        if (lp.at < lp.order.length) return visit();
        const A = estimateMixingMatrix(lp.drops, spec.lpRounds, spec.oneHotFactor, spec.diagonal);
        const next = aioliUpdate(update, A, { eta: spec.eta, ema: spec.ema, normalizeA: spec.normalizeA });
        update = next.state;
        mixture = next.mixture;
        record.rounds.push({ step: lp.start, matrix: A.map((r) => [...r]), mixture: [...mixture] });
        lp = null;
        return mix(obs.step, "mix");
      }
      // a round starts: loss_0, then LearnParams if it fits before the end
      const loss0 = heldOut(obs);
      if (obs.step + lpDuration >= obs.totalSteps) return { weights: mixture, steps: obs.totalSteps - obs.step, phase: "mix" };
      lp = { order: learnParamsOrder(k, spec.lpRounds, rng), at: 0, previous: loss0, drops: domains.map(() => new Float64Array(k)), start: obs.step };
      return visit();
    },
  };
  return { controller, record };
}
