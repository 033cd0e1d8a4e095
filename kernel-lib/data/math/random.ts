/**
 * Small sampling helpers over the kit's seeded `Rng` (all randomness goes through it).
 */
import type { Rng } from "../../util/rng.js";

/**
 * Uniform integer in [lo, hi] (inclusive).
 *
 * @example
 * randInt(rng, -5, 5); // e.g. -2
 */
export function randInt(rng: Rng, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}

/**
 * Uniform non-zero integer in [lo, hi].
 *
 * @example
 * nonZero(rng, -9, 9); // never 0
 */
export function nonZero(rng: Rng, lo: number, hi: number): number {
  for (;;) {
    const v = randInt(rng, lo, hi);
    if (v !== 0) return v;
  }
}

/**
 * One element chosen uniformly.
 *
 * @example
 * pick(rng, ["a", "b"]); // "a" or "b"
 */
export function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)];
}

/**
 * Integer whose magnitude is roughly log-uniform in [1, max], so small and large numbers both
 * occur (DeepMind mixes both); sign negative with probability `pNeg`.
 *
 * @example
 * spread(rng, 5000, 0.3); // e.g. -187
 */
export function spread(rng: Rng, max: number, pNeg = 0.3): number {
  const m = Math.max(1, Math.floor(Math.exp(rng.next() * Math.log(max + 1))));
  return rng.next() < pNeg ? -m : m;
}

/** Letters usable as variable names (no e or i, which read as constants in mathjs). */
export const VARIABLE_LETTERS = "abcdfghjklmnopqrstuvwxyz";

/**
 * `k` distinct variable names, sorted alphabetically (so polynomials print in sympy's order).
 *
 * @example
 * variables(rng, 2); // e.g. ["c", "q"]
 */
export function variables(rng: Rng, k: number): string[] {
  const pool = VARIABLE_LETTERS.split("");
  const out: string[] = [];
  for (let i = 0; i < k; i++) out.push(pool.splice(rng.int(pool.length), 1)[0]);
  return out.sort();
}

/**
 * An integer in parentheses when negative, for use inside an expression: "(-3)".
 *
 * @example
 * paren(-3); // "(-3)"
 */
export function paren(n: number): string {
  return n < 0 ? `(${n})` : String(n);
}
