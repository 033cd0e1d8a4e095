/**
 * Exact small rationals over JS numbers: the generator keeps every operand small, so
 * numerators and denominators stay far below 2^53 and plain integer arithmetic is exact and
 * much faster than bigint or mathjs Fractions in the generation hot path.
 */

/** A reduced fraction n/d with d > 0 (zero is 0/1). */
export interface Q {
  readonly n: number;
  readonly d: number;
}

/**
 * Greatest common divisor of two integers (always >= 0; gcd(0, 0) = 0).
 *
 * @example
 * gcd(12, -18); // 6
 */
export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * Least common multiple of two positive integers.
 *
 * @example
 * lcm(4, 6); // 12
 */
export function lcm(a: number, b: number): number {
  return Math.abs((a / gcd(a, b)) * b);
}

/**
 * Make the reduced rational n/d; throws on d = 0 or when a part is not a safe integer (which
 * would mean an operand range was chosen too large — a bug, not a user error).
 *
 * @example
 * rat(6, -4); // { n: -3, d: 2 }
 */
export function rat(n: number, d = 1): Q {
  if (d === 0) throw new RangeError("rational with zero denominator");
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d)) throw new RangeError(`rational ${n}/${d} is not exact`);
  if (n === 0) return ZERO;
  const g = gcd(n, d);
  const s = d < 0 ? -1 : 1;
  return { n: (s * n) / g, d: (s * d) / g };
}

export const ZERO: Q = { n: 0, d: 1 };
export const ONE: Q = { n: 1, d: 1 };

/** @example add(rat(1, 2), rat(1, 3)); // 5/6 */
export function add(a: Q, b: Q): Q {
  return rat(a.n * b.d + b.n * a.d, a.d * b.d);
}
/** @example sub(rat(1, 2), rat(1, 3)); // 1/6 */
export function sub(a: Q, b: Q): Q {
  return rat(a.n * b.d - b.n * a.d, a.d * b.d);
}
/** @example mul(rat(2, 3), rat(3, 4)); // 1/2 */
export function mul(a: Q, b: Q): Q {
  return rat(a.n * b.n, a.d * b.d);
}
/** @example div(rat(2, 3), rat(4, 9)); // 3/2 */
export function div(a: Q, b: Q): Q {
  if (b.n === 0) throw new RangeError("division by zero");
  return rat(a.n * b.d, a.d * b.n);
}
/** @example neg(rat(2, 3)); // -2/3 */
export function neg(a: Q): Q {
  return a.n === 0 ? ZERO : { n: -a.n, d: a.d };
}
/** @example eq(rat(2, 4), rat(1, 2)); // true */
export function eq(a: Q, b: Q): boolean {
  return a.n === b.n && a.d === b.d;
}
/** Sign of a - b (-1, 0, 1). @example cmp(rat(1, 3), rat(1, 2)); // -1 */
export function cmp(a: Q, b: Q): number {
  const x = a.n * b.d - b.n * a.d;
  return x < 0 ? -1 : x > 0 ? 1 : 0;
}
/** @example isInt(rat(4, 2)); // true */
export function isInt(a: Q): boolean {
  return a.d === 1;
}

/**
 * DeepMind-style text: "5", "-11/12".
 *
 * @example
 * formatQ(rat(-22, 24)); // "-11/12"
 */
export function formatQ(a: Q): string {
  return a.d === 1 ? String(a.n) : `${a.n}/${a.d}`;
}
