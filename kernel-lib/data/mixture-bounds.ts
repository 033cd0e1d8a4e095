/**
 * Constraints on a proposed mixture, resolved to per-domain bounds lo_j ≤ x_j ≤ hi_j on the
 * simplex — what every proposer (Olmix's exact solve, RegMix's simulation) honours alike:
 *
 *   token budget   x_j ≤ cap_j = repetitionFactor · availableTokens_j / targetTokens
 *                  (Olmix: `olmix/fit/utils.py` `LogLinearExactProposer.propose`, `caps`, and
 *                  `SimulationProposer.propose`: weight·target_tokens ≤ available·repetition_factor)
 *   pinned         x_j = p_j  (lo_j = hi_j = p_j)
 *   minimum        x_j ≥ m_j
 *
 * An infeasible set is a named error that says which constraint breaks (codes
 * CONSTRAINTS_*). Bounds are clamped into [0, 1].
 *
 * The reduction every proposer uses (see {@link freeSpace}): with base_j = lo_j and
 * r = 1 − Σ_j lo_j, every feasible mixture is x = base + r·u for u on the simplex of the free
 * (not pinned) domains with u_j ≤ (hi_j − lo_j)/r — so a proposer searches the simplex of u
 * under upper bounds only.
 */
import { z } from "zod";
import { MixlabError } from "../util/errors.js";

/** Slack on sums and comparisons of bounds (rounding in user-given weights). */
export const BOUNDS_TOLERANCE = 1e-12;

/** Olmix's default `repetition_factor` (`run_fit`; its DCLM config sets 5). */
export const DEFAULT_REPETITION_FACTOR = 4;

const weight = z.number().min(0).max(1);

export const mixtureConstraintsSchema = z.strictObject({
  /** tokens the final run trains on (R); sets the token caps with `availableTokens` */
  targetTokens: z.number().positive().optional(),
  /** times a domain's available tokens may be repeated (default 4) */
  repetitionFactor: z.number().positive().optional(),
  /** domain → tokens available (a corpus manifest or a token-counts CSV); every domain, when targetTokens is set */
  availableTokens: z.record(z.string(), z.number().min(0)).optional(),
  /** domain → fixed weight */
  pinned: z.record(z.string(), weight).optional(),
  /** domain → minimum weight */
  minWeights: z.record(z.string(), weight).optional(),
});
export type MixtureConstraints = z.infer<typeof mixtureConstraintsSchema>;

/** Bounds over `domains`, resolved from {@link MixtureConstraints}. */
export interface MixtureBounds {
  domains: readonly string[];
  /** lower bounds (pinned: the pinned weight) */
  lo: Float64Array;
  /** upper bounds, ≤ 1 (pinned: the pinned weight) */
  hi: Float64Array;
  /** 1 where the domain is pinned */
  pinned: Uint8Array;
  /** the token caps before clamping to 1 (null without targetTokens) */
  caps: Float64Array | null;
}

const fmt = (x: number) => Number(x.toPrecision(6)).toString();

/**
 * Resolve constraints over `domains` to bounds, or throw the named error of the first problem.
 *
 * @example
 * const b = resolveMixtureBounds(["a", "b"], { targetTokens: 100, repetitionFactor: 2, availableTokens: { a: 10, b: 1000 } });
 * b.hi; // [0.2, 1]  (a: 2·10/100)
 */
export function resolveMixtureBounds(domains: readonly string[], constraints: MixtureConstraints = {}): MixtureBounds {
  const parsed = mixtureConstraintsSchema.safeParse(constraints);
  if (!parsed.success) {
    throw new MixlabError("CONSTRAINTS_BAD_VALUE", parsed.error.issues.map((i) => `${i.path.join(".") || "constraints"}: ${i.message}`).join("; "));
  }
  const c = parsed.data;
  const d = domains.length;
  const index = new Map(domains.map((name, j) => [name, j]));
  const known = (rec: Record<string, number> | undefined, what: string) => {
    for (const name of Object.keys(rec ?? {})) {
      if (!index.has(name)) throw new MixlabError("CONSTRAINTS_UNKNOWN_DOMAIN", `${what} names domain "${name}", which is not among the ${d} domains (${domains.slice(0, 6).join(", ")}${d > 6 ? ", …" : ""})`);
    }
  };
  known(c.pinned, "pinned");
  known(c.minWeights, "minWeights");

  const lo = new Float64Array(d);
  const hi = new Float64Array(d).fill(1);
  const pinned = new Uint8Array(d);
  let caps: Float64Array | null = null;
  const rep = c.repetitionFactor ?? DEFAULT_REPETITION_FACTOR;
  if (c.targetTokens !== undefined) {
    const avail = c.availableTokens ?? {};
    const missing = domains.filter((name) => avail[name] === undefined);
    if (missing.length > 0) throw new MixlabError("CONSTRAINTS_MISSING_TOKENS", `targetTokens is set but ${missing.length} domain(s) have no available token count: ${missing.slice(0, 6).join(", ")}${missing.length > 6 ? ", …" : ""}`);
    caps = Float64Array.from(domains, (name) => (rep * avail[name]) / c.targetTokens!);
    for (let j = 0; j < d; j++) hi[j] = Math.min(1, caps[j]);
  }
  const capSays = (j: number) => `its token cap ${fmt(caps![j])} (= ${rep} × ${c.availableTokens![domains[j]]} available / ${c.targetTokens} target tokens)`;

  for (const [name, m] of Object.entries(c.minWeights ?? {})) {
    const j = index.get(name)!;
    if (m > hi[j] + BOUNDS_TOLERANCE) throw new MixlabError("CONSTRAINTS_MIN_OVER_CAP", `domain "${name}": minimum weight ${m} exceeds ${capSays(j)}`);
    lo[j] = m;
  }
  for (const [name, p] of Object.entries(c.pinned ?? {})) {
    const j = index.get(name)!;
    if (caps && p > caps[j] + BOUNDS_TOLERANCE) throw new MixlabError("CONSTRAINTS_PIN_OVER_CAP", `domain "${name}": pinned weight ${p} exceeds ${capSays(j)}`);
    if (p + BOUNDS_TOLERANCE < lo[j]) throw new MixlabError("CONSTRAINTS_PIN_UNDER_MIN", `domain "${name}": pinned weight ${p} is below its minimum weight ${lo[j]}`);
    lo[j] = p;
    hi[j] = p;
    pinned[j] = 1;
  }

  let pinSum = 0, loFree = 0, hiFree = 0, free = 0;
  for (let j = 0; j < d; j++) {
    if (pinned[j]) pinSum += lo[j];
    else { loFree += lo[j]; hiFree += hi[j]; free++; }
  }
  if (pinSum > 1 + BOUNDS_TOLERANCE) throw new MixlabError("CONSTRAINTS_PINNED_OVER_ONE", `pinned weights sum to ${fmt(pinSum)} > 1`);
  if (free === 0 && Math.abs(pinSum - 1) > BOUNDS_TOLERANCE) throw new MixlabError("CONSTRAINTS_PINNED_NOT_ONE", `every domain is pinned but the pinned weights sum to ${fmt(pinSum)}, not 1`);
  if (pinSum + loFree > 1 + BOUNDS_TOLERANCE) {
    throw new MixlabError("CONSTRAINTS_MINIMA_OVER_ONE", `minimum weights (${fmt(loFree)}) and pinned weights (${fmt(pinSum)}) sum to ${fmt(pinSum + loFree)} > 1`);
  }
  if (pinSum + hiFree < 1 - BOUNDS_TOLERANCE) {
    let hint = "";
    if (caps) {
      // the largest target that fits, when no cap is clamped at 1: R ≤ rep · Σ_free available / (1 − pinned)
      let availFree = 0;
      for (let j = 0; j < d; j++) if (!pinned[j]) availFree += c.availableTokens![domains[j]];
      hint = `: with repetition factor ${rep} the free domains supply at most ${fmt(hiFree)} of the mixture; at most ${fmt((rep * availFree) / Math.max(1e-300, 1 - pinSum))} target tokens fit, or raise the repetition factor`;
    }
    throw new MixlabError("CONSTRAINTS_CAPS_UNDER_ONE", `upper bounds of the free domains (${fmt(hiFree)}) and pinned weights (${fmt(pinSum)}) sum to ${fmt(pinSum + hiFree)} < 1${hint}`);
  }
  return { domains: [...domains], lo, hi, pinned, caps };
}

/** The reduced search space of {@link MixtureBounds}: x = base + r·u, u on the simplex of `free`. */
export interface FreeSpace {
  /** indices of the free (not pinned) domains */
  free: number[];
  /** base_j = lo_j (pinned: the pinned weight) over all d domains */
  base: Float64Array;
  /** mass left above the lower bounds, 1 − Σ lo (≥ 0) */
  r: number;
  /** upper bound of each u_k, (hi − lo)/r over `free` (Infinity when r = 0) */
  uUpper: Float64Array;
}

/**
 * The reduction of the file header.
 *
 * @example
 * const fs = freeSpace(resolveMixtureBounds(["a", "b", "c"], { pinned: { a: 0.5 }, minWeights: { b: 0.1 } }));
 * fs.free; // [1, 2]; fs.r = 0.4; x = [0.5, 0.1 + 0.4·u_0, 0.4·u_1]
 */
export function freeSpace(bounds: MixtureBounds): FreeSpace {
  const d = bounds.domains.length;
  let loSum = 0;
  for (let j = 0; j < d; j++) loSum += bounds.lo[j];
  const r = Math.max(0, 1 - loSum);
  const free: number[] = [];
  for (let j = 0; j < d; j++) if (!bounds.pinned[j]) free.push(j);
  const uUpper = Float64Array.from(free, (j) => (r > 0 ? (bounds.hi[j] - bounds.lo[j]) / r : Infinity));
  return { free, base: Float64Array.from(bounds.lo), r, uUpper };
}

/**
 * x = base + r·u, for `rows` rows of u (flat, rows × free.length) into `out` (flat, rows × d).
 *
 * @example
 * expandFree(fs, Float64Array.of(0.25, 0.75), new Float64Array(3), 1); // [0.5, 0.2, 0.3] for the example above
 */
export function expandFree(fs: FreeSpace, u: Float64Array, out: Float64Array, rows: number): Float64Array {
  const k = fs.free.length;
  const d = fs.base.length;
  for (let i = 0; i < rows; i++) {
    out.set(fs.base, i * d);
    for (let m = 0; m < k; m++) out[i * d + fs.free[m]] += fs.r * u[i * k + m];
  }
  return out;
}

/**
 * Every way `weights` breaks `bounds` or the simplex by more than `tol`, as sentences (empty:
 * feasible). The proposers check their answer with it.
 *
 * @example
 * boundsViolations(b, [0.3, 0.7]); // ['domain "a": 0.3 > upper bound 0.2']
 */
export function boundsViolations(bounds: MixtureBounds, weights: ArrayLike<number>, tol = 1e-9): string[] {
  const out: string[] = [];
  let sum = 0;
  for (let j = 0; j < bounds.domains.length; j++) {
    const x = weights[j];
    sum += x;
    if (!(x >= bounds.lo[j] - tol)) out.push(`domain "${bounds.domains[j]}": ${x} < lower bound ${bounds.lo[j]}`);
    if (!(x <= bounds.hi[j] + tol)) out.push(`domain "${bounds.domains[j]}": ${x} > upper bound ${bounds.hi[j]}`);
  }
  if (!(Math.abs(sum - 1) <= tol)) out.push(`weights sum to ${sum}, not 1`);
  return out;
}
