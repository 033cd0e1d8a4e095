/**
 * RegMix step 1 — sample the mixtures the proxy sweep will train on.
 *
 * Follows `mixture_config/synthesize_mixture.py` of sail-sg/regmix:
 *   bound_j = min(prior_j · maxUsage, 1)          (from the prior *before* temperature)
 *   prior  ← prior^temperature, renormalised       (temperature 0.5 smooths a skewed prior)
 *   repeat numSamples · sampleMultiplier times:
 *     strength ~ uniform over 15 log-spaced values in [minStrength, maxStrength]
 *     w ~ Dirichlet(prior · strength); reject if any w_j > bound_j
 *     w_j ← 0 where w_j < minimum; renormalise; round to multiples of `minimum`
 *   deduplicate (L1 distance ≤ 1e-5 after a lexicographic sort), pick numSamples at random.
 *
 * One deliberate difference: the repo's `np.round(w / minimum) · minimum` leaves sums of
 * 0.996–1.003; we round by largest remainder, so every weight is still a multiple of
 * `minimum` but each mixture sums to exactly 1 and is a valid `Mixture`.
 */
import { Mixture } from "../data/mixture.js";
import { MixlabError } from "../util/errors.js";
import { createRng, type Rng } from "../util/rng.js";

export interface MixtureSamplerOptions {
  /** how many mixtures to return (N) */
  numSamples: number;
  seed: number;
  /** exponent on the prior before sampling (repo: 0.5); 1 disables */
  temperature: number;
  minStrength: number;
  maxStrength: number;
  /** number of log-spaced strengths (repo: 15) */
  numStrengths: number;
  /** draws per requested mixture before deduplication (repo: 100) */
  sampleMultiplier: number;
  /** maximum epochs of a domain: rejects w_j > min(prior_j · maxUsage, 1) (repo: 15); Infinity disables */
  maxUsage: number;
  /** weights below this become 0; weights are rounded to multiples of it (repo: 2e-4) */
  minimum: number;
  /** L1 distance under which two mixtures count as duplicates (repo: 1e-5) */
  dedupThreshold: number;
}

export const REGMIX_SAMPLER_DEFAULTS: Omit<MixtureSamplerOptions, "numSamples" | "seed"> = {
  temperature: 0.5,
  minStrength: 0.1,
  maxStrength: 5.0,
  numStrengths: 15,
  sampleMultiplier: 100,
  maxUsage: 15,
  minimum: 2e-4,
  dedupThreshold: 1e-5,
};

/**
 * `count` values log-spaced from `lo` to `hi` inclusive (numpy's `logspace(log10 lo, log10 hi, n)`).
 *
 * @example
 * logSpaced(0.1, 10, 3); // [0.1, 1, 10]
 */
export function logSpaced(lo: number, hi: number, count: number): number[] {
  if (count === 1) return [lo];
  const a = Math.log10(lo), b = Math.log10(hi);
  return Array.from({ length: count }, (_, i) => 10 ** (a + ((b - a) * i) / (count - 1)));
}

/**
 * Round non-negative weights summing to 1 onto the grid of multiples of `step`, keeping the
 * sum exactly 1 (largest-remainder rounding). Requires 1/step to be (close to) an integer.
 *
 * @example
 * roundToGrid([0.33333, 0.33333, 0.33334], 0.01); // [0.33, 0.33, 0.34] (sums to 1)
 */
export function roundToGrid(w: ArrayLike<number>, step: number): Float64Array {
  const units = Math.round(1 / step);
  if (Math.abs(units * step - 1) > 1e-9) throw new MixlabError("REGMIX_BAD_OPTION", `minimum ${step} does not divide 1`);
  const scaled = Array.from(w, (x) => x * units);
  const floors = scaled.map(Math.floor);
  let left = units - floors.reduce((a, b) => a + b, 0);
  const order = scaled.map((x, i) => [x - floors[i], i] as const).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  for (let r = 0; left > 0 && r < order.length; r++, left--) floors[order[r][1]]++;
  return Float64Array.from(floors, (u) => u / units);
}

/** The fixed parts of RegMix's constrained draw for one prior (see {@link constrainedDraw}). */
export interface ConstrainedDrawSpec {
  /** prior^temperature, normalised (the Dirichlet's shape before the strength) */
  tempered: Float64Array;
  /** upper bound of each weight: min(prior · maxUsage, 1) */
  bound: Float64Array;
  /** the log-spaced strength grid */
  strengths: number[];
  /** weights below this are zeroed; the result is rounded to this grid */
  minimum: number;
}

/**
 * The per-prior constants of the constrained draw.
 *
 * @example
 * const spec = constrainedDrawSpec(tokenPrior(corpus), REGMIX_SAMPLER_DEFAULTS);
 */
export function constrainedDrawSpec(prior: Mixture, o: Omit<MixtureSamplerOptions, "numSamples" | "seed">): ConstrainedDrawSpec {
  const tempered = Float64Array.from(prior.weights, (p) => p ** o.temperature);
  const tsum = tempered.reduce((a, b) => a + b, 0);
  for (let j = 0; j < tempered.length; j++) tempered[j] /= tsum;
  return {
    tempered,
    bound: Float64Array.from(prior.weights, (p) => Math.min(p * o.maxUsage, 1)),
    strengths: logSpaced(o.minStrength, o.maxStrength, o.numStrengths),
    minimum: o.minimum,
  };
}

/**
 * One draw of RegMix's rule (synthesize_mixture.py): a strength from the grid,
 * w ~ Dirichlet(tempered · strength), rejected (null) when any w_j exceeds its bound or all
 * weights fall below `minimum`; else small weights zeroed, renormalised, rounded to the grid.
 * `alpha` and `w` are scratch buffers of the prior's length. The one rule both the training
 * sampler and the simulation's constrained candidates use.
 *
 * @example
 * const w = constrainedDraw(rng, spec, new Float64Array(d), new Float64Array(d)); // null = rejected
 */
export function constrainedDraw(rng: Rng, spec: ConstrainedDrawSpec, alpha: Float64Array, w: Float64Array): Float64Array | null {
  const k = spec.tempered.length;
  const s = spec.strengths[rng.int(spec.strengths.length)];
  for (let j = 0; j < k; j++) alpha[j] = spec.tempered[j] * s;
  rng.dirichletInto(alpha, w);
  for (let j = 0; j < k; j++) if (w[j] > spec.bound[j]) return null;
  let sum = 0;
  for (let j = 0; j < k; j++) { if (w[j] < spec.minimum) w[j] = 0; sum += w[j]; }
  if (sum === 0) return null;
  for (let j = 0; j < k; j++) w[j] /= sum;
  return roundToGrid(w, spec.minimum);
}

/**
 * Sample RegMix mixtures around a prior (usually the corpus token prior).
 *
 * @example
 * const mixtures = sampleRegmixMixtures(tokenPrior(corpus), { numSamples: 64, seed: 42 });
 * mixtures.length; // 64, each a Mixture over the prior's domains
 */
export function sampleRegmixMixtures(prior: Mixture, options: Partial<MixtureSamplerOptions> & { numSamples: number; seed: number }): Mixture[] {
  const o: MixtureSamplerOptions = { ...REGMIX_SAMPLER_DEFAULTS, ...options };
  for (const key of ["numSamples", "sampleMultiplier", "numStrengths"] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new MixlabError("REGMIX_BAD_OPTION", `${key} must be a positive integer, got ${o[key]}`);
  }
  for (const key of ["temperature", "minStrength", "maxStrength", "minimum", "maxUsage"] as const) {
    if (!(o[key] > 0)) throw new MixlabError("REGMIX_BAD_OPTION", `${key} must be > 0, got ${o[key]}`);
  }
  if (o.maxStrength < o.minStrength) throw new MixlabError("REGMIX_BAD_OPTION", "maxStrength < minStrength");
  const k = prior.domains.length;
  const spec = constrainedDrawSpec(prior, o);
  const rng = createRng(o.seed);
  const accepted: Float64Array[] = [];
  const alpha = new Float64Array(k);
  const w = new Float64Array(k);
  for (let draw = 0; draw < o.numSamples * o.sampleMultiplier; draw++) {
    const x = constrainedDraw(rng, spec, alpha, w);
    if (x) accepted.push(x);
  }
  const unique = deduplicate(accepted, o.dedupThreshold);
  if (unique.length < o.numSamples) {
    throw new MixlabError("REGMIX_TOO_FEW_MIXTURES", `only ${unique.length} distinct mixtures passed the bounds (asked for ${o.numSamples}); raise sampleMultiplier or maxUsage`);
  }
  rng.shuffle(unique);
  return unique.slice(0, o.numSamples).map((w) => Mixture.fromWeights(prior.domains, w));
}

/** Sort lexicographically (last column as primary key, like numpy's lexsort) and drop near-duplicates. */
function deduplicate(xs: Float64Array[], threshold: number): Float64Array[] {
  if (xs.length === 0) return [];
  const k = xs[0].length;
  const sorted = [...xs].sort((a, b) => {
    for (let j = k - 1; j >= 0; j--) if (a[j] !== b[j]) return a[j] - b[j];
    return 0;
  });
  const out = [sorted[0]];
  for (let i = 1; i < sorted.length; i++) {
    const last = out[out.length - 1];
    let d = 0;
    for (let j = 0; j < k; j++) d += Math.abs(sorted[i][j] - last[j]);
    if (d > threshold) out.push(sorted[i]);
  }
  return out;
}

/**
 * Step 1 of a search: `count` distinct draws of RegMix's sampler around `prior`
 * (REGMIX_BAD_OPTION when the sampler cannot find that many distinct mixtures).
 *
 * @example
 * proposeRegmixMixtures(tokenPrior(corpus), 64, regmixSeeds(42).mixtures).length; // 64
 */
export function proposeRegmixMixtures(prior: Mixture, count: number, seed: number): Mixture[] {
  const mixtures = sampleRegmixMixtures(prior, { numSamples: count, seed });
  if (mixtures.length !== count) throw new MixlabError("REGMIX_BAD_OPTION", `RegMix's sampler returned ${mixtures.length} distinct mixtures, ${count} asked for`);
  return mixtures;
}
