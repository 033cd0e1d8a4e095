import { MixlabError } from "../util/errors.js";
import type { Corpus, SplitName } from "./corpus.js";

/** Fixed evaluation windows of one domain. */
export interface ValidationSet {
  domain: string;
  windows: number;
  seqLen: number;
  /** [windows, T+1] row-major int32 bytes */
  tokens: Int32Array;
}

export interface ValidationOptions {
  seqLen: number;
  windowsPerDomain: number;
  /** "validation" (default) or "test" */
  split?: Extract<SplitName, "validation" | "test">;
  domains?: readonly string[];
}

/**
 * Fixed per-domain evaluation windows: `windowsPerDomain` windows of T+1 bytes at evenly spaced
 * starts across the domain's validation (or test) split. No randomness: every run of every
 * method evaluates the same bytes, so per-domain losses are comparable across the kit. When a
 * split is shorter than n·(T+1), windows overlap; a split shorter than T+1 is an error.
 *
 * @example
 * const sets = validationSets(corpus, { seqLen: 128, windowsPerDomain: 16 });
 * sets[0].tokens.length; // 16 * 129
 */
export function validationSets(corpus: Corpus, opts: ValidationOptions): ValidationSet[] {
  const { seqLen: T, windowsPerDomain: n } = opts;
  const split = opts.split ?? "validation";
  if (!Number.isInteger(n) || n < 1) throw new MixlabError("VALIDATION_BAD_OPTION", `windowsPerDomain must be a positive integer, got ${n}`);
  if (!Number.isInteger(T) || T < 1) throw new MixlabError("VALIDATION_BAD_OPTION", `seqLen must be a positive integer, got ${T}`);
  return (opts.domains ?? corpus.domains).map((domain) => {
    const length = corpus.tokenCount(domain, split);
    if (length < T + 1) {
      throw new MixlabError("MIXTURE_EMPTY_DOMAIN", `domain "${domain}": ${split} split has ${length} tokens, fewer than seqLen+1 = ${T + 1}`);
    }
    const span = length - (T + 1);
    const tokens = new Int32Array(n * (T + 1));
    for (let w = 0; w < n; w++) {
      const start = n === 1 ? 0 : Math.floor((w * span) / (n - 1));
      corpus.readTokens(domain, split, start, T + 1, tokens, w * (T + 1));
    }
    return { domain, windows: n, seqLen: T, tokens };
  });
}

/**
 * Two disjoint halves of each set — the even-numbered windows (`a`) and the odd-numbered ones
 * (`b`), so both halves span the whole split. Scoring one model on both measures how much of a
 * loss difference between models is the validation sample's noise (RegMix study). Each set
 * must have an even, non-zero number of windows.
 *
 * @example
 * const { a, b } = validationHalves(validationSets(corpus, { seqLen: 64, windowsPerDomain: 8 }));
 * a[0].windows; // 4
 */
export function validationHalves(sets: readonly ValidationSet[]): { a: ValidationSet[]; b: ValidationSet[] } {
  const half = (s: ValidationSet, parity: 0 | 1): ValidationSet => {
    const W = s.seqLen + 1, n = s.windows / 2;
    const tokens = new Int32Array(n * W);
    for (let w = 0; w < n; w++) tokens.set(s.tokens.subarray((2 * w + parity) * W, (2 * w + parity + 1) * W), w * W);
    return { domain: s.domain, windows: n, seqLen: s.seqLen, tokens };
  };
  for (const s of sets) {
    if (s.windows < 2 || s.windows % 2 !== 0) throw new MixlabError("VALIDATION_BAD_OPTION", `${s.domain}: ${s.windows} windows cannot be split into two equal halves (need an even number ≥ 2)`);
  }
  return { a: sets.map((s) => half(s, 0)), b: sets.map((s) => half(s, 1)) };
}
