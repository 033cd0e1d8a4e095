/**
 * Chameleon step 2a — which text of a domain the proxy reads.
 *
 * What the official code does (LIONS-EPFL/Chameleon @ 598a6c5): `slimpajama.py`
 * `get_slimpajama_6b` tokenises every document, appends the end-of-text token and concatenates
 * a domain's documents into one uint16 token stream; `utils.py` `get_random_samples` takes
 * `num_samples` windows `data[idx : idx + sample_length]` at uniform random `idx` in that stream
 * — across document boundaries, end-of-text tokens kept where the stream has them — and decodes
 * them to text; `utils.py` `_get_single_batch_gpt2_embeddings` re-tokenises each batch of
 * `embedding_batch_size` texts with `tokenizer(texts, padding=True, truncation=True)`, i.e. pads
 * every batch to its *longest* sample (pad = EOS, `model_max_length = sample_length`; the
 * decoded `<|endoftext|>` re-encodes to the EOS id). Decoding and re-encoding can change a
 * window's length by a few tokens (truncation caps it at `sample_length`), so a batch may hold
 * short samples, right-padded to the longest one; nothing is padded to a fixed `max_length`.
 *
 * Here a split is already one token stream — bytes, documents ending with the EOS byte 0
 * (`kernel-lib/data/format.ts`), or tokenizer ids with the manifest's EOS id — so there is no
 * decode/re-encode step. A window starts at a seeded uniform position of one split of one domain:
 *  - `windowMode: "stream"` (default, the official windows): T consecutive tokens of the split,
 *    running across documents with their EOS tokens. Every window is full (mask all 1) unless the
 *    split itself is shorter than T; then the window is the whole split and the rest of the row
 *    is padding (EOS, mask 0). The embedding step (`embed.ts`) pads each batch only to its
 *    longest window, as `padding=True` does, so full windows are never padded.
 *  - `windowMode: "document"` (mixlab's variant, not the official code): the window stops after
 *    the first EOS it meets — one window holds (the rest of) one document — and the rest of the
 *    row is padding (EOS, mask 0), again padded in `embed.ts` only to the longest window of
 *    its batch.
 * The old option `documentBoundaries` is accepted: "pad" = "document", "cross" = "stream" (the
 * same windows, bit for bit, whenever the split holds a full window).
 *
 * Each domain draws from its own stream `deriveSeed(seed, "windows/<domain>")`, so a domain's
 * windows do not depend on which other domains are embedded with it (needed by step 6: new
 * domains embedded later get exactly the windows a full recompute would give them).
 */
import type { Corpus, SplitName } from "../data/corpus.js";
import { MixlabError } from "../util/errors.js";
import { createRng, deriveSeed } from "../util/rng.js";

/** How a window is cut from a domain's byte stream (see the module comment). */
export type WindowMode = "stream" | "document";

/** The window modes, default first. */
export const WINDOW_MODES: readonly WindowMode[] = ["stream", "document"];

/** The window mode each value of the old `documentBoundaries` option meant. */
export const LEGACY_WINDOW_MODE: Readonly<Record<"pad" | "cross", WindowMode>> = { pad: "document", cross: "stream" };

/** How windows are cut from a domain's byte stream. */
export interface WindowOptions {
  /** windows per domain (official 2048; scale down for CPU runs) */
  windowsPerDomain: number;
  /** T: tokens (bytes in a byte corpus) per window (official 512 GPT-2 tokens; ≤ the proxy's blockSize) */
  seqLen: number;
  /** which split to read (default "train", as the official code) */
  split?: SplitName;
  /** seed of the window positions */
  seed: number;
  /** "stream" (default, official): T tokens across documents; "document": stop after the first EOS */
  windowMode?: WindowMode;
  /** @deprecated use `windowMode`: "pad" = "document", "cross" = "stream" */
  documentBoundaries?: "pad" | "cross";
}

/** n windows of one domain: inputs [n, T] and their padding mask [n, T] (1 = real byte). */
export interface DomainWindows {
  domain: string;
  windows: number;
  seqLen: number;
  /** [n, T] row-major tokens; padded positions hold the corpus's EOS id (EOS_BYTE = 0 for bytes) */
  tokens: Int32Array;
  /** [n, T] 1 = real token, 0 = padding (right padding: each row's 1s are a prefix) */
  mask: Uint8Array;
}

/**
 * The window mode of `opts`: `windowMode`, else the legacy `documentBoundaries`, else "stream".
 * Errors (`EMBED_BAD_OPTION`): an unknown value, or the two options naming different modes.
 *
 * @example
 * resolveWindowMode({ documentBoundaries: "pad" }); // "document"
 * resolveWindowMode({}); // "stream"
 */
export function resolveWindowMode(opts: Pick<WindowOptions, "windowMode" | "documentBoundaries">): WindowMode {
  const { windowMode, documentBoundaries } = opts;
  if (windowMode !== undefined && !WINDOW_MODES.includes(windowMode)) {
    throw new MixlabError("EMBED_BAD_OPTION", `windowMode must be "stream" or "document", got ${JSON.stringify(windowMode)}`);
  }
  if (documentBoundaries !== undefined && documentBoundaries !== "pad" && documentBoundaries !== "cross") {
    throw new MixlabError("EMBED_BAD_OPTION", `documentBoundaries must be "pad" or "cross", got ${JSON.stringify(documentBoundaries)}`);
  }
  const legacy: WindowMode | undefined = documentBoundaries === undefined ? undefined : LEGACY_WINDOW_MODE[documentBoundaries];
  if (windowMode !== undefined && legacy !== undefined && windowMode !== legacy) {
    throw new MixlabError("EMBED_BAD_OPTION", `windowMode "${windowMode}" contradicts documentBoundaries "${documentBoundaries}" (= "${legacy}"); give windowMode only`);
  }
  return windowMode ?? legacy ?? "stream";
}

/**
 * Cut `windowsPerDomain` windows of `seqLen` tokens from one domain (see the module comment).
 * Deterministic in (corpus, domain, options). Errors: `EMBED_BAD_OPTION` (non-positive sizes,
 * unknown or contradicting window modes), `MIXTURE_EMPTY_DOMAIN` (the split has no token),
 * `CORPUS_UNKNOWN_DOMAIN`.
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
  const mode = resolveWindowMode(opts);
  const split = opts.split ?? "train";
  const count = corpus.tokenCount(domain, split);
  if (count === 0) throw new MixlabError("MIXTURE_EMPTY_DOMAIN", `domain "${domain}": ${split} split is empty, no window to embed`);
  // the end-of-document id: EOS_BYTE (0) in a byte corpus, the tokenizer's EOS id in a token corpus
  const eos = corpus.manifest.eosByte;
  const rng = createRng(deriveSeed(opts.seed, `windows/${domain}`));
  const tokens = new Int32Array(n * T).fill(eos);
  const mask = new Uint8Array(n * T);
  // start ∈ [0, count − T] (every full window equally likely); a split shorter than T has one
  // start, 0, and its window is the whole split (padded in the row, trimmed again in embed.ts)
  const starts = Math.max(1, count - T + 1);
  const len = Math.min(T, count);
  for (let w = 0; w < n; w++) {
    const start = rng.int(starts);
    // row w ← tokens [start, start + len) of the split (positional read: no whole-split copy)
    corpus.readTokens(domain, split, start, len, tokens, w * T);
    let real = len;
    if (mode === "document") {
      // the EOS itself is part of the sample (it ends every document); what follows is padding
      const at = tokens.subarray(w * T, w * T + len).indexOf(eos);
      if (at >= 0) {
        real = at + 1;
        tokens.fill(eos, w * T + real, w * T + len);
      }
    }
    mask.fill(1, w * T, w * T + real);
  }
  return { domain, windows: n, seqLen: T, tokens, mask };
}
