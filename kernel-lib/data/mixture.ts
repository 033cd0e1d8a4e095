import { MixlabError } from "../util/errors.js";

/** Tolerance on Σw = 1 for a mixture. */
export const SIMPLEX_TOLERANCE = 1e-6;

/**
 * Validated weights over named domains: finite, ≥ 0, summing to 1 within 1e-6, no duplicate
 * or empty names. Immutable. Every method in mixlab hands mixtures around as this type, so a
 * bad mixture is caught once, where it enters, with an error that names the problem.
 *
 * @example
 * const m = Mixture.fromRecord({ books: 0.25, code_c: 0.75 });
 * m.get("code_c"); // 0.75
 * Mixture.uniform(["a", "b"]).weights; // Float64Array [0.5, 0.5]
 */
export class Mixture {
  readonly domains: readonly string[];
  readonly weights: Float64Array;

  private constructor(domains: readonly string[], weights: Float64Array) {
    this.domains = Object.freeze([...domains]);
    this.weights = weights;
  }

  /**
   * Build from parallel arrays of names and weights (validated).
   *
   * @example
   * Mixture.fromWeights(["a", "b"], [0.3, 0.7]).get("b"); // 0.7
   */
  static fromWeights(domains: readonly string[], weights: ArrayLike<number>): Mixture {
    if (domains.length === 0) throw new MixlabError("MIXTURE_EMPTY", "a mixture needs at least one domain");
    if (domains.length !== weights.length) {
      throw new MixlabError("MIXTURE_SHAPE", `${domains.length} domains but ${weights.length} weights`);
    }
    const seen = new Set<string>();
    for (const d of domains) {
      if (typeof d !== "string" || d.trim() === "") throw new MixlabError("MIXTURE_BAD_DOMAIN_NAME", `domain name ${JSON.stringify(d)} is empty`);
      if (seen.has(d)) throw new MixlabError("MIXTURE_DUPLICATE_DOMAIN", `domain "${d}" appears twice`);
      seen.add(d);
    }
    const w = Float64Array.from(weights);
    let sum = 0;
    for (let i = 0; i < w.length; i++) {
      if (Number.isNaN(w[i])) throw new MixlabError("MIXTURE_NAN", `weight of "${domains[i]}" is NaN`);
      if (!Number.isFinite(w[i])) throw new MixlabError("MIXTURE_NOT_FINITE", `weight of "${domains[i]}" is ${w[i]}`);
      if (w[i] < 0) throw new MixlabError("MIXTURE_NEGATIVE", `weight of "${domains[i]}" is negative (${w[i]})`);
      sum += w[i];
    }
    if (Math.abs(sum - 1) > SIMPLEX_TOLERANCE) {
      throw new MixlabError("MIXTURE_NOT_ON_SIMPLEX", `weights sum to ${sum}, expected 1 ± ${SIMPLEX_TOLERANCE} (use Mixture.normalised to rescale)`);
    }
    return new Mixture(domains, w);
  }

  /**
   * Build from `{domain: weight}`. With `domains`, the record must name exactly those domains
   * (unknown → MIXTURE_UNKNOWN_DOMAIN, absent → MIXTURE_MISSING_DOMAIN) and the result follows
   * their order; without, the record's key order is kept.
   *
   * @example
   * Mixture.fromRecord({ b: 0.5, a: 0.5 }, ["a", "b"]).domains; // ["a", "b"]
   */
  static fromRecord(record: Record<string, number>, domains?: readonly string[]): Mixture {
    if (!domains) return Mixture.fromWeights(Object.keys(record), Object.values(record));
    const known = new Set(domains);
    for (const k of Object.keys(record)) {
      if (!known.has(k)) throw new MixlabError("MIXTURE_UNKNOWN_DOMAIN", `unknown domain "${k}" (known: ${domains.join(", ")})`);
    }
    for (const d of domains) {
      if (!(d in record)) throw new MixlabError("MIXTURE_MISSING_DOMAIN", `no weight given for domain "${d}"`);
    }
    return Mixture.fromWeights(domains, domains.map((d) => record[d]));
  }

  /**
   * Equal weight on every domain.
   *
   * @example
   * Mixture.uniform(["a", "b", "c", "d"]).get("a"); // 0.25
   */
  static uniform(domains: readonly string[]): Mixture {
    return Mixture.fromWeights(domains, domains.map(() => 1 / domains.length));
  }

  /**
   * Rescale non-negative finite raw weights to sum to 1 (error if all are 0).
   *
   * @example
   * Mixture.normalised(["a", "b"], [1, 3]).get("b"); // 0.75
   */
  static normalised(domains: readonly string[], raw: ArrayLike<number>): Mixture {
    let sum = 0;
    for (let i = 0; i < raw.length; i++) {
      if (!Number.isFinite(raw[i])) throw new MixlabError("MIXTURE_NOT_FINITE", `raw weight of "${domains[i]}" is ${raw[i]}`);
      if (raw[i] < 0) throw new MixlabError("MIXTURE_NEGATIVE", `raw weight of "${domains[i]}" is negative (${raw[i]})`);
      sum += raw[i];
    }
    if (!(sum > 0)) throw new MixlabError("MIXTURE_ALL_ZERO", "all raw weights are zero");
    return Mixture.fromWeights(domains, Array.from(raw, (x) => x / sum));
  }

  /**
   * Weight of one domain (error if unknown).
   *
   * @example
   * Mixture.uniform(["a", "b"]).get("a"); // 0.5
   */
  get(domain: string): number {
    const i = this.domains.indexOf(domain);
    if (i < 0) throw new MixlabError("MIXTURE_UNKNOWN_DOMAIN", `unknown domain "${domain}" (known: ${this.domains.join(", ")})`);
    return this.weights[i];
  }

  /**
   * `{domain: weight}` in domain order.
   *
   * @example
   * Mixture.uniform(["a", "b"]).toRecord(); // { a: 0.5, b: 0.5 }
   */
  toRecord(): Record<string, number> {
    const r: Record<string, number> = {};
    this.domains.forEach((d, i) => { r[d] = this.weights[i]; });
    return r;
  }

  /**
   * The same mixture re-expressed over `domains` (a superset in any order); domains absent
   * from this mixture get weight 0.
   *
   * @example
   * Mixture.uniform(["a"]).over(["b", "a"]).weights; // Float64Array [0, 1]
   */
  over(domains: readonly string[]): Mixture {
    const rec = this.toRecord();
    for (const d of this.domains) {
      if (!domains.includes(d)) throw new MixlabError("MIXTURE_UNKNOWN_DOMAIN", `domain "${d}" is not among ${domains.join(", ")}`);
    }
    return Mixture.fromWeights(domains, domains.map((d) => rec[d] ?? 0));
  }

  /** `books=0.250 code_c=0.750` */
  toString(): string {
    return this.domains.map((d, i) => `${d}=${this.weights[i].toFixed(3)}`).join(" ");
  }
}
