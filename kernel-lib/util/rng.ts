/**
 * Seeded pseudo-random numbers: xoshiro128** seeded through SplitMix32, so every draw in
 * mixlab (mixtures, batches, init, splits of tasks) is reproducible from one integer seed.
 * Includes the Marsaglia–Tsang Gamma sampler and Dirichlet draws RegMix and MergeMix need —
 * one implementation for the whole kit.
 */

export interface Rng {
  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal N(0, 1) (Box–Muller, cached second value). */
  normal(): number;
  /** Gamma(shape, 1) by Marsaglia–Tsang (shape < 1 via the boost u^(1/shape)). */
  gamma(shape: number): number;
  /** One draw from Dirichlet(alpha); entries with alpha 0 stay 0. */
  dirichlet(alpha: ArrayLike<number>): Float64Array;
  /** The same draw written into `out[offset … offset + alpha.length)` (no allocation: millions of candidates). */
  dirichletInto(alpha: ArrayLike<number>, out: Float64Array, offset?: number): void;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(xs: T[]): T[];
  /** A new independent stream derived from this generator's seed and a label (for per-run
   * seeds); it does not consume draws, so forks do not depend on call order. */
  fork(label: string | number): Rng;
}

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * 32-bit FNV-1a hash of a string; used to turn labels into seeds.
 *
 * @example
 * hashString("train"); // 0x... (stable across runs and platforms)
 */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Create a seeded generator.
 *
 * @example
 * const rng = createRng(42);
 * rng.next(); // same value every run
 * rng.dirichlet([1, 1, 1]); // Float64Array summing to 1
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const sm = splitmix32(Math.floor(seed) >>> 0 ^ Math.floor(seed / 4294967296));
  let s0 = sm(), s1 = sm(), s2 = sm(), s3 = sm();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  let spare: number | null = null;

  const nextU32 = (): number => {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
    return r;
  };
  const rng: Rng = {
    next: () => nextU32() / 4294967296,
    int: (n: number) => {
      if (!(n >= 1)) throw new RangeError(`int(n) needs n >= 1, got ${n}`);
      return Math.floor((nextU32() / 4294967296) * n);
    },
    normal: () => {
      if (spare !== null) { const v = spare; spare = null; return v; }
      let u = 0;
      while (u === 0) u = rng.next();
      const v = rng.next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    gamma: (shape: number) => {
      if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
      if (shape < 1) {
        // Gamma(a) = Gamma(a+1) · U^(1/a)  (Marsaglia & Tsang 2000, §6)
        let u = 0;
        while (u === 0) u = rng.next();
        return rng.gamma(shape + 1) * Math.pow(u, 1 / shape);
      }
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        let x: number, v: number;
        do { x = rng.normal(); v = 1 + c * x; } while (v <= 0);
        v = v * v * v;
        const u = rng.next();
        if (u < 1 - 0.0331 * x * x * x * x) return d * v;
        if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
      }
    },
    dirichletInto: (alpha: ArrayLike<number>, out: Float64Array, offset = 0) => {
      let sum = 0;
      for (let i = 0; i < alpha.length; i++) {
        const a = alpha[i];
        if (!(a >= 0) || !Number.isFinite(a)) throw new RangeError(`dirichlet alpha[${i}] must be finite and >= 0, got ${a}`);
        const g = a > 0 ? rng.gamma(a) : 0;
        out[offset + i] = g;
        sum += g;
      }
      if (sum === 0) {
        // Every active alpha was so small that all gammas underflowed: put the mass on one
        // active component, chosen uniformly (the limit of Dirichlet as alpha → 0).
        const active = [...Array(alpha.length).keys()].filter((i) => alpha[i] > 0);
        if (active.length === 0) throw new RangeError("dirichlet needs at least one alpha > 0");
        out[offset + active[rng.int(active.length)]] = 1;
        return;
      }
      for (let i = 0; i < alpha.length; i++) out[offset + i] /= sum;
    },
    dirichlet: (alpha: ArrayLike<number>) => {
      const out = new Float64Array(alpha.length);
      rng.dirichletInto(alpha, out);
      return out;
    },
    shuffle: <T>(xs: T[]) => {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = xs[i]; xs[i] = xs[j]; xs[j] = t;
      }
      return xs;
    },
    fork: (label: string | number) => createRng(deriveSeed(seed, label)),
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A 32-bit seed derived from a base seed and a label, independent of any draw order.
 *
 * @example
 * deriveSeed(42, "run-7"); // same number on every machine
 */
export function deriveSeed(seed: number, label: string | number): number {
  return hashString(`${seed}\u0000${label}`);
}
