/**
 * MergeMix step 5 — the seed merge weights: a coarse grid on the simplex (vertices = the
 * experts themselves, then edge midpoints, …) plus Dirichlet draws until N = 40 points.
 * Each seed is merged and evaluated; the GBDT surrogates are fitted on these.
 */
import { MixlabError } from "../util/errors.js";
import type { Rng } from "../util/rng.js";

/**
 * Every point of the simplex in k dimensions whose coordinates are multiples of 1/steps
 * (C(steps+k-1, k-1) points), vertices first, then by number of non-zero coordinates.
 *
 * @example
 * simplexGrid(3, 2); // [1,0,0] [0,1,0] [0,0,1] [.5,.5,0] [.5,0,.5] [0,.5,.5]
 */
export function simplexGrid(k: number, steps: number): Float64Array[] {
  if (!Number.isInteger(k) || k < 1 || !Number.isInteger(steps) || steps < 1) {
    throw new MixlabError("MERGEMIX_BAD_CONFIG", `simplexGrid needs integers k ≥ 1 and steps ≥ 1, got k=${k}, steps=${steps}`);
  }
  const out: number[][] = [];
  const rec = (prefix: number[], left: number): void => {
    if (prefix.length === k - 1) { out.push([...prefix, left]); return; }
    for (let v = left; v >= 0; v--) rec([...prefix, v], left - v);
  };
  rec([], steps);
  const support = (p: number[]): number => p.filter((v) => v > 0).length;
  // stable sort: fewer non-zeros first (experts, then pairs, …), lexicographic (desc) within
  out.sort((a, b) => support(a) - support(b));
  return out.map((p) => Float64Array.from(p, (v) => v / steps));
}

export interface SeedOptions {
  /** total seeds N (MergeMix: 40) */
  count: number;
  /** grid resolution: coordinates in multiples of 1/gridSteps (default 2: experts + pairwise means) */
  gridSteps: number;
  /** concentration of the Dirichlet draws that fill up to `count` (default 1: uniform on the simplex) */
  dirichletConcentration: number;
}

export const DEFAULT_SEED_OPTIONS: Readonly<SeedOptions> = { count: 40, gridSteps: 2, dirichletConcentration: 1 };

/**
 * The N seed merge weights: the coarse grid (cut to N if it is larger) and then Dirichlet
 * draws. Deterministic given the rng.
 *
 * @example
 * seedAlphas(4, createRng(1)).length; // 40: 10 grid points + 30 Dirichlet draws
 */
export function seedAlphas(k: number, rng: Rng, opts: Partial<SeedOptions> = {}): Float64Array[] {
  const o = { ...DEFAULT_SEED_OPTIONS, ...opts };
  if (!Number.isInteger(o.count) || o.count < 1) throw new MixlabError("MERGEMIX_BAD_CONFIG", `seed count must be a positive integer, got ${o.count}`);
  if (!(o.dirichletConcentration > 0)) throw new MixlabError("MERGEMIX_BAD_CONFIG", `dirichletConcentration must be > 0, got ${o.dirichletConcentration}`);
  const grid = simplexGrid(k, o.gridSteps).slice(0, o.count);
  const conc = new Float64Array(k).fill(o.dirichletConcentration);
  while (grid.length < o.count) grid.push(rng.dirichlet(conc));
  return grid;
}
