/**
 * Chameleon step 2a — which text of a domain the proxy reads.
 *
 * The official code samples 2048 windows of 512 GPT-2 tokens per domain from the training data,
 * tokenising each with `padding="max_length"` (pad = EOS) so a short sample is right-padded. Here
 * tokens are bytes and documents end with the EOS byte 0 (`kernel-lib/data/format.ts`). A window is T
 * consecutive bytes starting at a seeded uniform position in one split of one domain. With
 * `documentBoundaries: "pad"` (default) the window stops after the first EOS it meets — one
 * window holds one document's text, like one tokenised sample — and the rest is padding
 * (EOS bytes, mask 0). With `"cross"` the window runs on across documents and has no padding.
 *
 * Each domain draws from its own stream `deriveSeed(seed, "windows/<domain>")`, so a domain's
 * windows do not depend on which other domains are embedded with it (needed by step 6: new
 * domains embedded later get exactly the windows a full recompute would give them).
 */
import { EOS_BYTE } from "../data/format.js";
import type { Corpus, SplitName } from "../data/corpus.js";
import { MixlabError } from "../util/errors.js";
import { createRng, deriveSeed } from "../util/rng.js";

/** How windows are cut from a domain's byte stream. */
export interface WindowOptions {
  /** windows per domain (official 2048; scale down for CPU runs) */
  windowsPerDomain: number;
  /** T: bytes per window (official 512 tokens; ≤ the proxy's blockSize) */
  seqLen: number;
  /** which split to read (default "train", as the official code) */
  split?: SplitName;
  /** seed of the window positions */
  seed: number;
  /** "pad" (default): stop after a document's EOS and pad; "cross": run across documents */
  documentBoundaries?: "pad" | "cross";
}

/** n windows of one domain: inputs [n, T] and their padding mask [n, T] (1 = real byte). */
export interface DomainWindows {
  domain: string;
  windows: number;
  seqLen: number;
  /** [n, T] row-major byte tokens; padded positions hold EOS_BYTE */
  tokens: Int32Array;
  /** [n, T] 1 = real token, 0 = padding */
  mask: Uint8Array;
}

/**
 * Cut `windowsPerDomain` windows of `seqLen` bytes from one domain (see the module comment).
 * Deterministic in (corpus, domain, options). Errors: `EMBED_BAD_OPTION` (non-positive sizes),
 * `MIXTURE_EMPTY_DOMAIN` (the split is shorter than one window), `CORPUS_UNKNOWN_DOMAIN`.
 *
 * @example
 * const w = sampleDomainWindows(corpus, "books", { windowsPerDomain: 64, seqLen: 64, seed: 1 });
 * w.tokens.length; // 64 * 64
 */
export function sampleDomainWindows(corpus: Corpus, domain: string, opts: WindowOptions): DomainWindows {
  const n = opts.windowsPerDomain;
  const T = opts.seqLen;
  if (!Number.isInteger(n) || n < 1) throw new MixlabError("EMBED_BAD_OPTION", `windowsPerDomain must be a positive integer, got ${n}`);
  if (!Number.isInteger(T) || T < 1) throw new MixlabError("EMBED_BAD_OPTION", `seqLen must be a positive integer, got ${T}`);
  const boundaries = opts.documentBoundaries ?? "pad";
  if (boundaries !== "pad" && boundaries !== "cross") {
    throw new MixlabError("EMBED_BAD_OPTION", `documentBoundaries must be "pad" or "cross", got ${JSON.stringify(boundaries)}`);
  }
  const split = opts.split ?? "train";
  const bytes = corpus.split(domain, split);
  if (bytes.length < T) {
    throw new MixlabError("MIXTURE_EMPTY_DOMAIN", `domain "${domain}": ${split} split has ${bytes.length} bytes, fewer than one window of ${T}`);
  }
  const rng = createRng(deriveSeed(opts.seed, `windows/${domain}`));
  const tokens = new Int32Array(n * T).fill(EOS_BYTE);
  const mask = new Uint8Array(n * T);
  for (let w = 0; w < n; w++) {
    const start = rng.int(bytes.length - T + 1);
    for (let t = 0; t < T; t++) {
      const b = bytes[start + t];
      tokens[w * T + t] = b;
      mask[w * T + t] = 1;
      // the EOS itself is part of the sample (GPT-2 appends it to every document); then pad
      if (boundaries === "pad" && b === EOS_BYTE) break;
    }
  }
  return { domain, windows: n, seqLen: T, tokens, mask };
}
