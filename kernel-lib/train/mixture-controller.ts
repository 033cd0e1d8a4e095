/**
 * A mixture schedule: what the trainer asks, between steps, for the mixture it samples from —
 * the interface online mixing methods (Aioli, ADO) implement, below the methods so none imports
 * another. A controller is a plain object; the trainer (`trainProxy`) calls `next` at step 0 and
 * again each time the segment it returned ends, with what was seen so far:
 *
 *   next(observation at step s) → { weights [k], steps n, observe } → the trainer draws the
 *   next n batches from `weights` (the sampler switches, its random stream goes on), measuring
 *   what `observe` asks for → next(observation at step s + n) → …
 *
 * A static mixture is the controller that returns one segment of every step; the trainer does
 * not even switch the sampler then, so it trains exactly what it trains without a controller.
 * The run's result keeps the trajectory (one entry per segment), the final mixture and the
 * time-averaged one (each step counts once: every step trains B·T tokens).
 */
import { Mixture } from "../data/mixture.js";
import type { Batch, BatchSampler } from "../data/sampler.js";
import type { ValidationSet } from "../data/validation.js";
import { MixlabError } from "../util/errors.js";
import type { Trainer } from "./loop.js";

/** What the trainer measured up to a call of `next`, in `controller.domains` order. */
export interface MixtureObservation {
  /** steps completed (0 at the first call) */
  step: number;
  totalSteps: number;
  /** [k] targets drawn so far per domain */
  tokensPerDomain: Float64Array;
  /** windows per domain drawn in each step of the segment that just ended ([steps][k]); empty at step 0 */
  windowsPerStep: Float64Array[];
  /** mean training loss (nats/token) of each step of the segment that just ended */
  stepLosses: number[];
  /**
   * [steps][k] mean training loss of each domain's windows in each step (NaN where a step drew
   * none), measured before that step's update — when the segment asked `observe.trainLosses`
   */
  trainLosses: Float64Array[] | null;
  /** [k] loss on `controller.heldOut` after the segment, when it asked `observe.heldOut` */
  heldOut: Float64Array | null;
  /** the lr of the segment's last step (0 at step 0) */
  lr: number;
}

/** The mixture of the next `steps` steps, and what to measure over them. */
export interface MixtureSegment {
  /** [k] over `controller.domains`, on the simplex */
  weights: ArrayLike<number>;
  /** ≥ 1; the trainer clips a segment at the run's last step */
  steps: number;
  /** per-domain training losses of every step (an extra forward pass per batch); held-out losses after the segment */
  observe?: { trainLosses?: boolean; heldOut?: boolean };
  /** what the segment is for, kept in the trajectory ("learn-params", "mix", "prior", …) */
  phase?: string;
}

export interface MixtureController {
  /** the domains `weights` are over (the trainer's mixture must have the same, in this order) */
  readonly domains: readonly string[];
  /** the held-out windows `observe.heldOut` scores (required when a segment asks for them) */
  readonly heldOut?: readonly ValidationSet[];
  /** score `heldOut` before the first step too (the first observation's `heldOut`) */
  readonly heldOutAtStart?: boolean;
  next(observation: MixtureObservation): MixtureSegment;
}

/** One segment as the run's result keeps it. */
export interface TrajectoryEntry {
  /** steps completed when the segment started */
  step: number;
  steps: number;
  phase: string;
  weights: Record<string, number>;
}

/** What a run with a controller adds to its result. */
export interface MixtureSchedule {
  trajectory: TrajectoryEntry[];
  /** the mixture of the last segment */
  final: Record<string, number>;
  /** Σ steps·weights / Σ steps over the segments */
  average: Record<string, number>;
}

/**
 * The controller that never changes the mixture: one segment of every step.
 *
 * @example
 * staticController(Mixture.uniform(corpus.domains)); // trains what no controller trains
 */
export function staticController(mixture: Mixture): MixtureController {
  return { domains: mixture.domains, next: (o) => ({ weights: mixture.weights, steps: Math.max(1, o.totalSteps - o.step), phase: "static" }) };
}

/**
 * A segment checked against the controller's domains: weights validated as a `Mixture`
 * (MIXTURE_* errors), steps a positive integer, held-out sets present when asked for.
 *
 * @example
 * checkSegment(controller, controller.next(observation)).weights; // a Mixture
 */
export function checkSegment(c: MixtureController, s: MixtureSegment): { mixture: Mixture; steps: number; trainLosses: boolean; heldOut: boolean; phase: string } {
  if (!Number.isInteger(s.steps) || s.steps < 1) throw new MixlabError("TRAIN_BAD_SCHEDULE", `a mixture segment must last an integer number ≥ 1 of steps, got ${s.steps}`);
  const heldOut = s.observe?.heldOut ?? false;
  if (heldOut && !c.heldOut?.length) throw new MixlabError("TRAIN_BAD_SCHEDULE", "a mixture segment asks for held-out losses but the controller has no held-out sets");
  return { mixture: Mixture.fromWeights(c.domains, s.weights), steps: s.steps, trainLosses: s.observe?.trainLosses ?? false, heldOut, phase: s.phase ?? "mix" };
}

/**
 * The final and time-averaged mixtures of a trajectory.
 *
 * @example
 * summariseTrajectory(traj).average.books;
 */
export function summariseTrajectory(trajectory: TrajectoryEntry[]): MixtureSchedule {
  if (trajectory.length === 0) throw new MixlabError("TRAIN_BAD_SCHEDULE", "an empty mixture trajectory");
  const domains = Object.keys(trajectory[0].weights);
  const total = trajectory.reduce((a, e) => a + e.steps, 0);
  const average = Object.fromEntries(domains.map((d) => [d, trajectory.reduce((a, e) => a + e.steps * e.weights[d], 0) / total]));
  return { trajectory, final: { ...trajectory[trajectory.length - 1].weights }, average };
}

/** The trainer's side of a controller (`trainProxy` calls these around each step). */
export interface ScheduleRunner {
  /** at a segment boundary: observe, ask the controller, switch the sampler */
  beforeStep(step: number): void;
  /** before the update: the batch's per-domain losses, when the segment asks for them */
  observeBatch(batch: Batch): void;
  afterStep(batch: Batch, loss: number, lr: number): void;
  finish(): MixtureSchedule;
}

/**
 * Runs a controller against a trainer and its sampler. The sampler is switched only when a
 * segment's weights differ from those it draws from (so a static controller never switches).
 *
 * @example
 * const runner = createScheduleRunner(controller, mixture, sampler, trainer, recipe.steps);
 */
export function createScheduleRunner(c: MixtureController, mixture: Mixture, sampler: BatchSampler, trainer: Trainer, totalSteps: number): ScheduleRunner {
  const k = c.domains.length;
  if (k !== mixture.domains.length || c.domains.some((d, i) => d !== mixture.domains[i])) {
    throw new MixlabError("TRAIN_BAD_SCHEDULE", `the mixture controller's domains (${c.domains.join(", ")}) are not the run's (${mixture.domains.join(", ")})`);
  }
  const tokens = new Float64Array(k);
  const trajectory: TrajectoryEntry[] = [];
  let current = Float64Array.from(mixture.weights);
  let segEnd = 0;
  let seg: ReturnType<typeof checkSegment> | null = null;
  let windowsPerStep: Float64Array[] = [];
  let stepLosses: number[] = [];
  let trainLosses: Float64Array[] = [];
  let lastLr = 0;

  const heldOutLosses = (): Float64Array => {
    const v = trainer.evaluate(c.heldOut as ValidationSet[]);
    return Float64Array.from(c.domains, (d) => v.domains[d]?.nats ?? Number.NaN);
  };
  return {
    beforeStep(step) {
      if (step !== segEnd) return;
      const wantHeldOut = seg ? seg.heldOut : (c.heldOutAtStart ?? false) && (c.heldOut?.length ?? 0) > 0;
      const observation: MixtureObservation = {
        step, totalSteps, tokensPerDomain: Float64Array.from(tokens), windowsPerStep, stepLosses,
        trainLosses: seg?.trainLosses ? trainLosses : null, heldOut: wantHeldOut ? heldOutLosses() : null, lr: lastLr,
      };
      seg = checkSegment(c, c.next(observation));
      const steps = Math.min(seg.steps, totalSteps - step);
      const w = seg.mixture.weights;
      if (w.some((x, i) => x !== current[i])) {
        sampler.switchWeights(w);
        current = Float64Array.from(w);
      }
      const weights = seg.mixture.toRecord();
      const last = trajectory[trajectory.length - 1];
      if (last && last.phase === seg.phase && c.domains.every((d) => last.weights[d] === weights[d])) last.steps += steps;
      else trajectory.push({ step, steps, phase: seg.phase, weights });
      segEnd = step + steps;
      windowsPerStep = [];
      stepLosses = [];
      trainLosses = [];
    },
    observeBatch(batch) {
      if (!seg?.trainLosses) return;
      const { batchSize: B, seqLen: T } = batch;
      const perToken = trainer.engine.tokenLosses(trainer.model.params, batch.tokens, B, T); // [B, T]
      const sum = new Float64Array(k);
      const n = new Float64Array(k);
      for (let b = 0; b < B; b++) {
        let row = 0;
        for (let t = 0; t < T; t++) row += perToken[b * T + t];
        sum[batch.domainIndex[b]] += row / T;
        n[batch.domainIndex[b]] += 1;
      }
      trainLosses.push(Float64Array.from(sum, (x, d) => (n[d] > 0 ? x / n[d] : Number.NaN)));
    },
    afterStep(batch, loss, lr) {
      const w = new Float64Array(k);
      for (let b = 0; b < batch.batchSize; b++) w[batch.domainIndex[b]] += 1;
      for (let d = 0; d < k; d++) tokens[d] += w[d] * batch.seqLen;
      windowsPerStep.push(w);
      stepLosses.push(loss);
      lastLr = lr;
    },
    finish: () => summariseTrajectory(trajectory),
  };
}
