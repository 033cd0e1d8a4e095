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
