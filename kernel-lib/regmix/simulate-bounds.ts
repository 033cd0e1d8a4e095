/**
 * The simulation proposer (RegMix step 4, simulate.ts) under the constraints every proposer
 * honours (data/mixture-bounds.ts: token caps, pinned and minimum weights), for any regressor.
 *
 * Through the reduction x = base + r·u (`freeSpace`): candidates u are drawn on the simplex of
 * the free domains from the prior restricted to them (renormalised), each is mapped onto the
 * caps u_j ≤ c_j = (hi_j − lo_j)/r by {@link capProportionally} (`project` of
 * `simulateRegmix`), predicted as the full mixture x, and the chosen mixture is
 * base + r·mean(top-k u). So pinned weights hold exactly, minimum weights always, and caps
 * because every candidate meets them (and so does their mean: the set is convex).
 *
 * Why map instead of reject (Olmix's `SimulationProposer.propose` drops candidates over the
 * token caps): on Olmix's DCLM swarm with target tokens at 2/2.79 of the available tokens and
 * repetition factor 1, every cap is 1.4× its prior weight, and 0 of 200,000 Dirichlet(prior)
 * candidates (1 at strength 50) met all 24 caps. A candidate that already meets the caps is
 * left as it is, so with caps nothing reaches, the result is `simulateRegmix`'s.
 */
import { Mixture } from "../data/mixture.js";
import { expandFree, freeSpace, type MixtureBounds } from "../data/mixture-bounds.js";
import { MixlabError } from "../util/errors.js";
import { predictInto, simulateRegmix, type FlatPredictor, type SimulateOptions, type SimulationResult } from "./simulate.js";

export interface BoundedSimulation {
  /** the chosen mixture over all domains */
  mixture: Mixture;
  /** the simulation over the free domains' u (null when the bounds leave one feasible mixture) */
  simulation: SimulationResult | null;
}

/**
 * Map each row u (on the simplex, flat rows × k) onto { Σ u = 1, u ≤ caps } in place, for
 * Σ caps ≥ 1: coordinates over their cap are set to the cap and the mass left is shared by the
 * others in proportion to their values, repeated until none is over (at most k rounds). A row
 * whose uncapped coordinates are all 0 shares the rest in proportion to their caps. Rows that
 * meet the caps are unchanged.
 *
 * @example
 * const u = Float64Array.of(0.7, 0.2, 0.1);
 * capProportionally(u, 1, Float64Array.of(0.5, 1, 1)); // [0.5, 0.333…, 0.1666…]
 */
export function capProportionally(u: Float64Array, rows: number, caps: Float64Array): Float64Array {
  const k = caps.length;
  const capped = new Uint8Array(k);
  for (let i = 0; i < rows; i++) {
    const o = i * k;
    let over = false;
    for (let m = 0; m < k; m++) if (u[o + m] > caps[m]) { over = true; break; }
    if (!over) continue;
    capped.fill(0);
    let fixedMass = 0;
    for (let round = 0; round <= k; round++) {
      let freeSum = 0, capSum = 0;
      for (let m = 0; m < k; m++) if (!capped[m]) { freeSum += u[o + m]; capSum += caps[m]; }
      const byCaps = !(freeSum > 0);
      const scale = (1 - fixedMass) / (byCaps ? capSum : freeSum);
      let again = false;
      for (let m = 0; m < k; m++) {
        if (capped[m]) continue;
        if ((byCaps ? caps[m] : u[o + m]) * scale > caps[m]) { capped[m] = 1; u[o + m] = caps[m]; fixedMass += caps[m]; again = true; }
      }
      if (!again) {
        for (let m = 0; m < k; m++) if (!capped[m]) u[o + m] = (byCaps ? caps[m] : u[o + m]) * scale;
        break;
      }
    }
  }
  return u;
}

/**
 * Simulate under `bounds` (over `prior.domains`, same order) and choose the top-k mean.
 *
 * @example
 * const bounds = resolveMixtureBounds(prior.domains, { targetTokens: 1e12, availableTokens, repetitionFactor: 4 });
 * const { mixture } = simulateWithBounds(objectivePredictor(models, weights), prior, bounds, { numCandidates: 200_000 });
 * // every mixture.weights[j] ≤ bounds.hi[j]
 */
export function simulateWithBounds(predictor: FlatPredictor, prior: Mixture, bounds: MixtureBounds, options: Partial<SimulateOptions> = {}): BoundedSimulation {
  const domains = prior.domains;
  const d = domains.length;
  if (bounds.domains.length !== d || bounds.domains.some((name, j) => name !== domains[j])) {
    throw new MixlabError("REGMIX_BAD_OPTION", `bounds are over (${bounds.domains.join(", ")}) but the prior over (${domains.join(", ")})`);
  }
  const fs = freeSpace(bounds);
  const k = fs.free.length;
  const finish = (x: Float64Array) => {
    // rounding guard: base + r·u can land an ulp above hi
    for (let j = 0; j < d; j++) x[j] = Math.min(x[j], bounds.hi[j]);
    return Mixture.fromWeights(domains, x);
  };
  if (k === 0 || fs.r <= 1e-15) return { mixture: finish(Float64Array.from(fs.base)), simulation: null };
  if (k === 1) return { mixture: finish(expandFree(fs, Float64Array.of(1), new Float64Array(d), 1)), simulation: null };

  const caps = Float64Array.from(fs.uUpper, (c) => Math.min(c, 1));
  const project = caps.every((c) => c >= 1) ? null : (U: Float64Array, rows: number) => { capProportionally(U, rows, caps); };
  if (k === d && fs.r === 1) {
    // nothing pinned, no minimum: u = x
    const simulation = simulateRegmix(predictor, prior, { ...options, project });
    return { mixture: finish(Float64Array.from(simulation.mixture.weights)), simulation };
  }
  const freePrior = Mixture.normalised(fs.free.map((j) => domains[j]), fs.free.map((j) => prior.weights[j]));
  let full = new Float64Array(0);
  const reduced = (U: Float64Array, out: Float64Array): Float64Array => {
    const rows = out.length;
    if (full.length < rows * d) full = new Float64Array(rows * d);
    const X = full.subarray(0, rows * d);
    expandFree(fs, U, X, rows);
    predictInto(predictor, X, out);
    return out;
  };
  const simulation = simulateRegmix(reduced, freePrior, { ...options, project });
  const x = expandFree(fs, simulation.mixture.weights, new Float64Array(d), 1);
  return { mixture: finish(x), simulation };
}
