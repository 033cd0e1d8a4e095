/**
 * RegMix step 4 — simulate and choose. The fitted regressor stands in for training: sample many
 * candidate mixtures, predict the target loss of each, and average the k best (lowest predicted
 * loss) into the chosen mixture. Averaging the top k rather than taking the single best is the
 * paper's guard against the regressor's noise (regression.ipynb: `np.random.dirichlet(prior,
 * N)`, predict, mean of the 128 lowest).
 *
 * Candidates are generated and predicted in chunks of one flat row-major Float64Array
 * (chunkRows × d), so a million candidates never become a million small arrays and memory
 * stays at one chunk plus the predictions. The result carries wall and CPU seconds per phase.
 * Measured on this 2-core machine (one core used): 1M candidates × 17 domains with the 1000-tree
 * pile_cc GBDT of the released runs: 2.7 s sampling + 14.4 s prediction = 17.1 s (load < 1);
 * 50–100 s wall at load 6–9 (≈20 s CPU).
 *
 * The top k is chosen with ties broken by candidate order (what a stable argsort gives), so a
 * piecewise-constant GBDT with many equal predictions still yields a deterministic choice.
 */
import { Mixture } from "../data/mixture.js";
import { predictForest, type FlatForest } from "../regression/gbdt/flat-predictor.js";
import { MixlabError } from "../util/errors.js";
import { createRng, type Rng } from "../util/rng.js";
import { constrainedDraw, constrainedDrawSpec, REGMIX_SAMPLER_DEFAULTS, type MixtureSamplerOptions } from "./mixtures.js";

/**
 * Anything that predicts a flat row-major N×d Float64Array into N numbers: a fitted `GbdtModel`
 * or `LinearModel`, a compiled `FlatForest`, or a plain function.
 */
export type FlatPredictor =
  | { predict(X: Float64Array, out?: Float64Array): Float64Array }
  | FlatForest
  | ((X: Float64Array, out: Float64Array) => Float64Array);

export interface SimulateOptions {
  /** candidate mixtures to sample (default 1,000,000) */
  numCandidates: number;
  /** how many of the lowest predictions to average (default 128) */
  topK: number;
  seed: number;
  /**
   * "dirichlet": Dirichlet(prior · strength), as the notebook does (strength 1);
   * "constrained": the draw rule of RegMix's training-mixture sampler (tempered prior, random
   * strength, epoch bound, minimum, rounding; see {@link sampleConstrainedInto}) — candidates
   * then obey the same bound and grid as the proxies.
   */
  sampler: "dirichlet" | "constrained";
  /** concentration multiplier of the "dirichlet" sampler (default 1) */
  strength: number;
  /** constants of the "constrained" sampler (default: the repo's, REGMIX_SAMPLER_DEFAULTS) */
  constrained: Partial<MixtureSamplerOptions>;
  /** rows sampled and predicted at a time (default 65,536) */
  chunkRows: number;
  /** keep all N predictions in the result (for the histogram; 8 bytes per candidate) */
  keepPredictions: boolean;
  /**
   * maps each chunk of sampled candidates (flat, rows × d) onto a feasible set in place, after
   * sampling and before prediction — how `simulateWithBounds` (simulate-bounds.ts) applies
   * token caps; null (default): candidates as sampled
   */
  project: ((X: Float64Array, rows: number) => void) | null;
}

export const SIMULATE_DEFAULTS: Readonly<SimulateOptions> = Object.freeze({
  numCandidates: 1_000_000,
  topK: 128,
  seed: 42,
  sampler: "dirichlet",
  strength: 1,
  constrained: Object.freeze({}),
  chunkRows: 65_536,
  keepPredictions: true,
  project: null,
});

export interface SimulationResult {
  domains: readonly string[];
  /** the chosen mixture: the mean of the top-k candidates */
  mixture: Mixture;
  /** the top-k candidates, best first: k × d flat weights and their predictions */
  top: { candidates: Float64Array; predictions: Float64Array; indices: Int32Array };
  /** every candidate's prediction (in sampling order), or null when `keepPredictions` is false */
  predictions: Float64Array | null;
  numCandidates: number;
  /** summary of all predictions */
  stats: { min: number; max: number; mean: number; topKMean: number };
  /** wall seconds spent sampling, predicting, selecting, in total; and process CPU seconds in total (steadier on a shared machine) */
  seconds: { sample: number; predict: number; select: number; total: number; cpu: number };
}

/**
 * Fill `rows` rows of `out` (row-major, d = alpha.length) with Dirichlet(alpha) draws, using
 * the generator's Marsaglia–Tsang gamma. A row whose gammas all underflow (tiny alphas) puts its
 * mass on one positive-alpha component chosen uniformly — the α → 0 limit, as `rng.dirichlet`.
 *
 * @example
 * const X = new Float64Array(3 * 1000);
 * sampleDirichletInto(createRng(1), [0.5, 0.3, 0.2], X, 1000); // each row sums to 1
 */
export function sampleDirichletInto(rng: Rng, alpha: ArrayLike<number>, out: Float64Array, rows: number): Float64Array {
  const d = alpha.length;
  if (out.length < rows * d) throw new MixlabError("REGMIX_BAD_OPTION", `buffer holds ${out.length / d} rows, asked for ${rows}`);
  let active = 0;
  for (let j = 0; j < d; j++) {
    const a = alpha[j];
    if (!(a >= 0) || !Number.isFinite(a)) throw new MixlabError("REGMIX_BAD_OPTION", `Dirichlet alpha[${j}] must be finite and ≥ 0, got ${a}`);
    if (a > 0) active++;
  }
  if (active === 0) throw new MixlabError("REGMIX_BAD_OPTION", "Dirichlet needs at least one alpha > 0");
  for (let i = 0; i < rows; i++) rng.dirichletInto(alpha, out, i * d);
  return out;
}

/** Rejections in a row after which the constrained sampler gives up (bounds nothing can meet). */
const MAX_REJECTIONS = 1_000_000;

/**
 * Fill `rows` rows of `out` with candidates drawn by the rule of RegMix's training sampler
 * (`sampleRegmixMixtures`, synthesize_mixture.py): strength from the log-spaced grid,
 * w ~ Dirichlet(prior^temperature · strength), reject when any w_j > min(prior_j · maxUsage, 1),
 * zero weights below `minimum`, renormalise, round to the `minimum` grid. It streams (no
 * oversampling, deduplication or final pick — those shape a small training set; for a million
 * candidates a duplicate only repeats a point), so any number of rows costs the same per row.
 *
 * @example
 * const X = new Float64Array(13 * 1000);
 * sampleConstrainedInto(createRng(1), tokenPrior(corpus), {}, X, 1000); // rows on the 2e-4 grid
 */
export function sampleConstrainedInto(rng: Rng, prior: Mixture, options: Partial<MixtureSamplerOptions>, out: Float64Array, rows: number): Float64Array {
  const o = { ...REGMIX_SAMPLER_DEFAULTS, ...options };
  const d = prior.domains.length;
  if (out.length < rows * d) throw new MixlabError("REGMIX_BAD_OPTION", `buffer holds ${out.length / d} rows, asked for ${rows}`);
  const spec = constrainedDrawSpec(prior, o);
  const alpha = new Float64Array(d);
  const w = new Float64Array(d);
  for (let i = 0; i < rows; i++) {
    for (let tries = 0; ; tries++) {
      if (tries >= MAX_REJECTIONS) throw new MixlabError("REGMIX_TOO_FEW_MIXTURES", `no candidate met the bounds in ${MAX_REJECTIONS} draws; raise maxUsage`);
      const x = constrainedDraw(rng, spec, alpha, w);
      if (x) { out.set(x, i * d); break; }
    }
  }
  return out;
}

/** Predict `X` (flat, `n` rows) into `out[0..n)` with any {@link FlatPredictor}. */
export function predictInto(p: FlatPredictor, X: Float64Array, out: Float64Array): void {
  if (typeof p === "function") {
    const r = p(X, out);
    if (r !== out) out.set(r.subarray(0, out.length));
  } else if ("predict" in p) {
    const r = p.predict(X, out);
    if (r !== out) out.set(r.subarray(0, out.length));
  } else {
    predictForest(p, X, out);
  }
}

/**
 * Bounded max-heap of the k smallest (value, order) pairs seen so far, with their rows.
 * "Larger" means a larger value, or an equal value seen later — so the kept set is exactly the
 * first k of a stable ascending sort.
 */
class TopK {
  readonly vals: Float64Array;
  readonly ord: Int32Array;
  readonly rows: Float64Array;
  size = 0;
  constructor(readonly k: number, readonly d: number) {
    this.vals = new Float64Array(k);
    this.ord = new Int32Array(k);
    this.rows = new Float64Array(k * d);
  }
  private larger(a: number, b: number): boolean {
    return this.vals[a] > this.vals[b] || (this.vals[a] === this.vals[b] && this.ord[a] > this.ord[b]);
  }
  private swap(a: number, b: number): void {
    const v = this.vals[a]; this.vals[a] = this.vals[b]; this.vals[b] = v;
    const o = this.ord[a]; this.ord[a] = this.ord[b]; this.ord[b] = o;
    const d = this.d;
    for (let j = 0; j < d; j++) {
      const t = this.rows[a * d + j]; this.rows[a * d + j] = this.rows[b * d + j]; this.rows[b * d + j] = t;
    }
  }
  /** Offer candidate `order` (increasing over calls) with value `v` and row `src[off..off+d)`. */
  offer(v: number, order: number, src: Float64Array, off: number): void {
    const d = this.d;
    if (this.size < this.k) {
      let i = this.size++;
      this.vals[i] = v; this.ord[i] = order;
      for (let j = 0; j < d; j++) this.rows[i * d + j] = src[off + j];
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.larger(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    if (!(v < this.vals[0])) return; // equal value seen later loses the tie
    this.vals[0] = v; this.ord[0] = order;
    for (let j = 0; j < d; j++) this.rows[j] = src[off + j];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < this.size && this.larger(l, m)) m = l;
      if (r < this.size && this.larger(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }
  /** Positions of the kept entries, best (smallest, earliest) first. */
  sorted(): number[] {
    return [...Array(this.size).keys()].sort((a, b) => this.vals[a] - this.vals[b] || this.ord[a] - this.ord[b]);
  }
}

function resolve(opts: Partial<SimulateOptions>): SimulateOptions {
  const o: SimulateOptions = { ...SIMULATE_DEFAULTS, ...opts, constrained: { ...SIMULATE_DEFAULTS.constrained, ...(opts.constrained ?? {}) } };
  for (const key of ["numCandidates", "topK", "chunkRows"] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new MixlabError("REGMIX_BAD_OPTION", `${key} must be a positive integer, got ${o[key]}`);
  }
  if (o.topK > o.numCandidates) throw new MixlabError("REGMIX_BAD_OPTION", `topK ${o.topK} exceeds numCandidates ${o.numCandidates}`);
  if (!(o.strength > 0) || !Number.isFinite(o.strength)) throw new MixlabError("REGMIX_BAD_OPTION", `strength must be > 0, got ${o.strength}`);
  if (o.sampler !== "dirichlet" && o.sampler !== "constrained") throw new MixlabError("REGMIX_BAD_OPTION", `sampler must be "dirichlet" or "constrained", got "${String(o.sampler)}"`);
  return o;
}

/**
 * Sample candidates around `prior`, predict each with `predictor`, and average the `topK`
 * lowest predictions' mixtures. Deterministic in `seed` (and independent of `chunkRows`).
 *
 * @example
 * const model = fitGbdt(trainX, trainLoss);             // mixture → target loss
 * const sim = simulateRegmix(model, tokenPrior(corpus)); // 1M candidates, top 128
 * sim.mixture.toString();                                // the RegMix mixture
 * sim.seconds.predict;                                   // wall time of the 1M predictions
 */
export function simulateRegmix(predictor: FlatPredictor, prior: Mixture, options: Partial<SimulateOptions> = {}): SimulationResult {
  const o = resolve(options);
  const domains = prior.domains;
  const d = domains.length;
  const n = o.numCandidates;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let tSample = 0, tPredict = 0, tSelect = 0;

  const chunk = Math.min(o.chunkRows, n);
  const buf = new Float64Array(chunk * d);
  const all = o.keepPredictions ? new Float64Array(n) : null;
  const scratch = all ? null : new Float64Array(chunk);
  const top = new TopK(o.topK, d);
  let min = Infinity, max = -Infinity, sum = 0;

  // Both samplers draw chunk by chunk from one stream, so chunking never changes the candidates.
  const rng = createRng(o.seed);
  const alpha = Float64Array.from(prior.weights, (p) => p * o.strength);

  for (let start = 0; start < n; start += chunk) {
    const rows = Math.min(chunk, n - start);
    const X = rows === chunk ? buf : buf.subarray(0, rows * d);
    let t = performance.now();
    if (o.sampler === "dirichlet") sampleDirichletInto(rng, alpha, X, rows);
    else sampleConstrainedInto(rng, prior, o.constrained, X, rows);
    if (o.project !== null) o.project(X, rows);
    tSample += (performance.now() - t) / 1000;

    t = performance.now();
    const pred = all ? all.subarray(start, start + rows) : scratch!.subarray(0, rows);
    predictInto(predictor, X, pred);
    tPredict += (performance.now() - t) / 1000;

    t = performance.now();
    for (let i = 0; i < rows; i++) {
      const v = pred[i];
      if (!Number.isFinite(v)) throw new MixlabError("REGMIX_BAD_PREDICTION", `candidate ${start + i}: the predictor returned ${v}`);
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      top.offer(v, start + i, X, i * d);
    }
    tSelect += (performance.now() - t) / 1000;
  }

  const order = top.sorted();
  const k = order.length;
  const topRows = new Float64Array(k * d);
  const topPred = new Float64Array(k);
  const topIdx = new Int32Array(k);
  const mean = new Float64Array(d);
  order.forEach((p, r) => {
    topPred[r] = top.vals[p];
    topIdx[r] = top.ord[p];
    for (let j = 0; j < d; j++) {
      topRows[r * d + j] = top.rows[p * d + j];
      mean[j] += top.rows[p * d + j] / k;
    }
  });
  const cpu = process.cpuUsage(c0);
  let topKMean = 0;
  for (let r = 0; r < k; r++) topKMean += topPred[r] / k;
  return {
    domains,
    mixture: Mixture.normalised(domains, mean),
    top: { candidates: topRows, predictions: topPred, indices: topIdx },
    predictions: all,
    numCandidates: n,
    stats: { min, max, mean: sum / n, topKMean },
    seconds: { sample: tSample, predict: tPredict, select: tSelect, total: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 },
  };
}
