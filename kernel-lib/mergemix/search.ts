/**
 * MergeMix step 7 — search the simplex for the merge weights that maximise a (predicted)
 * utility: dense Dirichlet sampling (uniform and sparse concentrations, plus the simplex grid)
 * followed by local refinement — pairwise mass transfers α_i −= δ, α_j += δ with a shrinking
 * step, from the best few starting points. Works for any black-box f on the simplex (the
 * GBDT surrogates are piecewise constant, so no gradients).
 */
import { MixlabError } from "../util/errors.js";
import type { Rng } from "../util/rng.js";
import { simplexGrid } from "./seeds.js";

export interface SimplexSearchOptions {
  /** random points evaluated in the sampling phase */
  samples: number;
  /** Dirichlet concentrations the samples cycle through (1 = uniform; < 1 = near faces/vertices) */
  concentrations: number[];
  /** grid resolution also evaluated in the sampling phase (0 = none) */
  gridSteps: number;
  /** best distinct points refined locally */
  starts: number;
  /** first transfer step δ */
  initialStep: number;
  /** stop refining when δ falls below this */
  minStep: number;
}

export const DEFAULT_SEARCH_OPTIONS: Readonly<SimplexSearchOptions> = {
  samples: 20000,
  concentrations: [1, 0.3, 3],
  gridSteps: 10,
  starts: 5,
  initialStep: 0.1,
  minStep: 1e-4,
};

export interface SimplexSearchResult {
  /** the best point found */
  alpha: Float64Array;
  value: number;
  /** objective evaluations spent */
  evaluations: number;
}

/**
 * Maximise f over the probability simplex in k dimensions.
 *
 * @example
 * const { alpha } = searchSimplex((a) => -((a[0] - 0.2) ** 2 + (a[1] - 0.5) ** 2 + (a[2] - 0.3) ** 2), 3, createRng(1));
 * // alpha ≈ [0.2, 0.5, 0.3]
 */
export function searchSimplex(f: (alpha: Float64Array) => number, k: number, rng: Rng, opts: Partial<SimplexSearchOptions> = {}): SimplexSearchResult {
  const o = { ...DEFAULT_SEARCH_OPTIONS, ...opts };
  if (!Number.isInteger(k) || k < 1) throw new MixlabError("MERGEMIX_BAD_CONFIG", `simplex dimension must be a positive integer, got ${k}`);
  if (o.concentrations.length === 0 || o.concentrations.some((c) => !(c > 0))) throw new MixlabError("MERGEMIX_BAD_CONFIG", "search concentrations must be a non-empty list of positive numbers");
  let evaluations = 0;
  const evalAt = (a: Float64Array): number => {
    evaluations++;
    const v = f(a);
    if (Number.isNaN(v)) throw new MixlabError("MERGEMIX_NAN_UTILITY", `utility is NaN at α = [${Array.from(a, (x) => x.toFixed(3)).join(", ")}]`);
    return v;
  };
  if (k === 1) { const a = Float64Array.of(1); return { alpha: a, value: evalAt(a), evaluations }; }

  // 1. dense sampling: grid + Dirichlet draws at several concentrations
  const cands: { a: Float64Array; v: number }[] = [];
  if (o.gridSteps > 0) for (const a of simplexGrid(k, o.gridSteps)) cands.push({ a, v: evalAt(a) });
  for (let s = 0; s < o.samples; s++) {
    const a = rng.dirichlet(new Float64Array(k).fill(o.concentrations[s % o.concentrations.length]));
    cands.push({ a, v: evalAt(a) });
  }
  cands.sort((x, y) => y.v - x.v);
  const starts: { a: Float64Array; v: number }[] = [];
  for (const c of cands) {
    if (starts.length >= o.starts) break;
    if (starts.every((s) => l1(s.a, c.a) > 0.05)) starts.push(c);
  }

  // 2. local refinement: best-improvement pairwise transfers with a shrinking step
  let best = starts[0];
  for (const s0 of starts) {
    let cur = { a: Float64Array.from(s0.a), v: s0.v };
    for (let step = o.initialStep; step >= o.minStep; ) {
      let improved: { a: Float64Array; v: number } | null = null;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          if (i === j || cur.a[i] <= 0) continue;
          const d = Math.min(step, cur.a[i]);
          const a = Float64Array.from(cur.a);
          a[i] -= d;
          a[j] += d;
          const v = evalAt(a);
          if (v > (improved?.v ?? cur.v)) improved = { a, v };
        }
      }
      if (improved) cur = improved; else step /= 2;
    }
    if (cur.v > best.v) best = cur;
  }
  return { alpha: best.a, value: best.v, evaluations };
}

function l1(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s;
}
