import type { ValidationSet } from "../data/validation.js";
import type { GptEngine } from "../model/engine.js";
import type { GptModel } from "../model/params.js";
import { MixlabError } from "../util/errors.js";

/** Loss of one domain's validation windows. */
export interface DomainLoss {
  domain: string;
  /** mean next-token cross-entropy, nats per token */
  nats: number;
  /** the same in bits per byte (tokens are bytes: nats / ln 2) */
  bitsPerByte: number;
  windows: number;
  /** targets scored: windows × seqLen */
  tokens: number;
}

/** Per-domain losses keyed by domain, plus the unweighted mean over domains. */
export interface ValidationResult {
  domains: Record<string, DomainLoss>;
  /** mean of the per-domain nats (each domain counts once) */
  meanNats: number;
  meanBitsPerByte: number;
}

/**
 * Per-domain validation loss of `model` on fixed windows (`validationSets` from the data layer),
 * computed in batches of `batchSize` windows (default 16) on `engine`.
 *
 * @example
 * const sets = validationSets(corpus, { seqLen: 64, windowsPerDomain: 8 });
 * const r = validationLoss(engine, model, sets);
 * r.domains.books.bitsPerByte; // e.g. 2.31
 */
export function validationLoss(engine: GptEngine, model: GptModel, sets: readonly ValidationSet[], opts: { batchSize?: number } = {}): ValidationResult {
  const bs = opts.batchSize ?? 16;
  const domains: Record<string, DomainLoss> = {};
  for (const s of sets) {
    const T = s.seqLen, W = T + 1;
    if (s.tokens.length !== s.windows * W) throw new MixlabError("VALIDATION_BAD_SET", `${s.domain}: ${s.tokens.length} tokens for ${s.windows} windows of ${W}`);
    let sum = 0;
    for (let w0 = 0; w0 < s.windows; w0 += bs) {
      const B = Math.min(bs, s.windows - w0);
      const losses = engine.tokenLosses(model.params, s.tokens.subarray(w0 * W, (w0 + B) * W), B, T);
      for (let i = 0; i < losses.length; i++) sum += losses[i];
    }
    const tokens = s.windows * T;
    const nats = sum / tokens;
    if (!Number.isFinite(nats)) throw new MixlabError("TRAIN_NAN", `validation loss of ${s.domain} is not finite`);
    domains[s.domain] = { domain: s.domain, nats, bitsPerByte: nats / Math.LN2, windows: s.windows, tokens };
  }
  const vals = Object.values(domains);
  const meanNats = vals.reduce((a, d) => a + d.nats, 0) / Math.max(1, vals.length);
  return { domains, meanNats, meanBitsPerByte: meanNats / Math.LN2 };
}

/**
 * The validation result of two equal-sized halves scored apart (`validationHalves`): each
 * domain's nats is the mean of the halves' — exactly the loss over all windows, since both
 * halves hold the same number of tokens.
 *
 * @example
 * mergeHalves(validationLoss(e, m, a), validationLoss(e, m, b)).domains.books.windows; // both halves' windows
 */
export function mergeHalves(a: ValidationResult, b: ValidationResult): ValidationResult {
  const domains: Record<string, DomainLoss> = {};
  for (const [d, la] of Object.entries(a.domains)) {
    const lb = b.domains[d];
    if (!lb || lb.tokens !== la.tokens) throw new MixlabError("VALIDATION_BAD_SET", `${d}: the halves differ in size or domain`);
    const nats = (la.nats + lb.nats) / 2;
    domains[d] = { domain: d, nats, bitsPerByte: nats / Math.LN2, windows: la.windows + lb.windows, tokens: la.tokens + lb.tokens };
  }
  const vals = Object.values(domains);
  const meanNats = vals.reduce((s, d) => s + d.nats, 0) / Math.max(1, vals.length);
  return { domains, meanNats, meanBitsPerByte: meanNats / Math.LN2 };
}
