/**
 * Chameleon steps 3–6 in one call: embeddings (or a given affinity matrix) → centred kernel →
 * ridge leverage scores → pretraining and finetuning weights; and step 6, adding new domains
 * by recomputing on the union of embeddings — the proxy is never retrained, which is why
 * Chameleon's weights transfer to new data at the cost of embedding the new domains only.
 *
 * Defaults are the official code's (LIONS-EPFL/Chameleon@598a6c5, see
 * `datasets/reference/chameleon/chameleon_code_defaults.json`); every constant is an option.
 */
import { MixlabError } from "../util/errors.js";
import { assertFiniteMatrix, centerKernel, linearKernel, type MatrixRows } from "./affinity.js";
import { normalizeLeverage, ridgeLeverageScores } from "./leverage.js";
import { finetuningWeights, pretrainingWeights } from "./weights.js";

/** Every constant of steps 3–5. */
export interface ChameleonOptions {
  /** Ridge strength λ; the ridge is λ·k (official 10). */
  lambda?: number;
  /** Pretraining temperature τ_pt (official 5). */
  tauPt?: number;
  /** Finetuning temperature τ_ft (official 0.2). */
  tauFt?: number;
  /** ε in the pretraining logits 1/(S + ε) (official 1e-12). */
  epsilon?: number;
  /** Ridge added when K_c + λkI is singular (1e-9). */
  singularRidge?: number;
  /** Relative tolerance of the kernel symmetry check (1e-9). */
  symmetryTol?: number;
  /** Raw leverage below −negativeTol is `KERNEL_NOT_PSD` (1e-10). */
  negativeTol?: number;
}

/**
 * The official code's constants (LIONS-EPFL/Chameleon compute_chameleon_weights.py / utils.py).
 *
 * @example
 * CHAMELEON_DEFAULTS.lambda; // 10
 */
export const CHAMELEON_DEFAULTS: Readonly<Required<ChameleonOptions>> = Object.freeze({
  lambda: 10,
  tauPt: 5,
  tauFt: 0.2,
  epsilon: 1e-12,
  singularRidge: 1e-9,
  symmetryTol: 1e-9,
  negativeTol: 1e-10,
});

/** Input of `chameleonWeights`: domain names plus exactly one of embeddings or kernel. */
export interface ChameleonInput {
  /** k unique, non-empty names; row i of embeddings / kernel belongs to domains[i]. */
  domains: readonly string[];
  /** X: k × d domain embeddings; K = X Xᵀ is built from them. */
  embeddings?: MatrixRows;
  /** K: k × k symmetric affinity matrix, used as K (it is centred like X Xᵀ would be). */
  kernel?: MatrixRows;
}

/** Everything steps 3–5 produce, in the order of `domains`. */
export interface ChameleonResult {
  domains: string[];
  /** Copy of the input embeddings (k × d) when given; `addDomains` builds on it. */
  embeddings?: Float64Array[];
  /** K (k × k): X Xᵀ or the given kernel. */
  kernel: Float64Array[];
  /** K_c = H K H (k × k). */
  centeredKernel: Float64Array[];
  /** S_i = [K_c (K_c + λkI)⁻¹]_ii before normalisation (length k). */
  leverageRaw: Float64Array;
  /** S / ΣS (length k, sums to 1). */
  leverage: Float64Array;
  /** softmax((1/(S+ε))/τ_pt) — on the simplex. */
  ptWeights: Float64Array;
  /** softmax(S/τ_ft) — on the simplex. */
  ftWeights: Float64Array;
  /** The constants used (defaults filled in). */
  options: Required<ChameleonOptions>;
}

/** A set of domains with their embeddings (k × d). */
export interface DomainEmbeddings {
  domains: readonly string[];
  embeddings: MatrixRows;
}

function resolveOptions(opts: ChameleonOptions): Required<ChameleonOptions> {
  const o = { ...CHAMELEON_DEFAULTS };
  for (const [key, value] of Object.entries(opts) as [keyof ChameleonOptions, number | undefined][]) {
    if (value !== undefined) o[key] = value;
  }
  return o;
}

function assertDomains(domains: readonly string[], rows: number, what: string): void {
  if (!Array.isArray(domains)) throw new MixlabError("BAD_DOMAINS", "domains must be an array of names");
  if (domains.length < 2) throw new MixlabError("TOO_FEW_DOMAINS", `Chameleon needs at least 2 domains, got ${domains.length}`);
  const seen = new Set<string>();
  for (const name of domains) {
    if (typeof name !== "string" || name.trim() === "") throw new MixlabError("BAD_DOMAIN_NAME", `domain name ${JSON.stringify(name)} is empty or not a string`);
    if (seen.has(name)) throw new MixlabError("DUPLICATE_DOMAIN", `domain "${name}" appears more than once`);
    seen.add(name);
  }
  if (rows !== domains.length) {
    throw new MixlabError("DOMAIN_COUNT_MISMATCH", `${domains.length} domain names but ${rows} ${what} rows`);
  }
}

/**
 * Chameleon domain weights for k domains, from embeddings X (k × d; K = X Xᵀ) or from an
 * affinity matrix K (k × k) given directly — either way K is centred, then leverage and
 * weights follow (steps 3–5).
 *
 * Errors (all `MixlabError`): `INPUT_CONFLICT` (both or neither of embeddings/kernel),
 * `TOO_FEW_DOMAINS`, `DUPLICATE_DOMAIN`, `BAD_DOMAIN_NAME`, `DOMAIN_COUNT_MISMATCH`,
 * `NON_FINITE`, `RAGGED_ROWS`, `EMPTY_MATRIX`, `KERNEL_NOT_SQUARE`, `KERNEL_NOT_SYMMETRIC`,
 * `KERNEL_NOT_PSD`, `DEGENERATE_KERNEL`, `BAD_LAMBDA`, `BAD_TEMPERATURE`, `BAD_EPSILON`.
 *
 * @example
 * const r = chameleonWeights({ domains: ["a", "b", "c"], embeddings: [[1, 0], [0, 1], [1, 1]] });
 * r.ptWeights; // Float64Array(3), sums to 1; r.leverage sums to 1
 */
export function chameleonWeights(input: ChameleonInput, opts: ChameleonOptions = {}): ChameleonResult {
  const o = resolveOptions(opts);
  // Check scalar options before any matrix work, so a bad flag is reported as such.
  if (!Number.isFinite(o.lambda) || o.lambda <= 0) throw new MixlabError("BAD_LAMBDA", `lambda must be a finite number > 0, got ${o.lambda}`);
  for (const [name, tau] of [["tauPt", o.tauPt], ["tauFt", o.tauFt]] as const) {
    if (!Number.isFinite(tau) || tau <= 0) throw new MixlabError("BAD_TEMPERATURE", `${name} must be a finite number > 0, got ${tau}`);
  }
  const hasX = input.embeddings !== undefined;
  const hasK = input.kernel !== undefined;
  if (hasX === hasK) throw new MixlabError("INPUT_CONFLICT", "give exactly one of embeddings or kernel");

  let embeddings: Float64Array[] | undefined;
  let kernel: Float64Array[];
  if (input.embeddings !== undefined) {
    assertFiniteMatrix(input.embeddings, "embeddings");
    assertDomains(input.domains, input.embeddings.length, "embedding");
    embeddings = input.embeddings.map((r) => Float64Array.from(r));
    kernel = linearKernel(embeddings);
  } else {
    const K = input.kernel as MatrixRows;
    assertFiniteMatrix(K, "kernel");
    assertDomains(input.domains, K.length, "kernel");
    kernel = K.map((r) => Float64Array.from(r));
  }
  const centeredKernel = centerKernel(kernel, { symmetryTol: o.symmetryTol });
  const leverageRaw = ridgeLeverageScores(centeredKernel, {
    lambda: o.lambda,
    normalize: false,
    singularRidge: o.singularRidge,
    symmetryTol: o.symmetryTol,
    negativeTol: o.negativeTol,
  });
  const leverage = normalizeLeverage(leverageRaw);
  return {
    domains: [...input.domains],
    ...(embeddings ? { embeddings } : {}),
    kernel,
    centeredKernel,
    leverageRaw,
    leverage,
    ptWeights: pretrainingWeights(leverage, { tau: o.tauPt, epsilon: o.epsilon }),
    ftWeights: finetuningWeights(leverage, { tau: o.tauFt }),
    options: o,
  };
}

/**
 * Step 6 — new data without retraining: append `added` domains (embedded with the same frozen
 * proxy as `existing`) and recompute K, S and both weight vectors over the union. Domains keep
 * their order: existing first, then added. `existing` may be a previous `ChameleonResult` built
 * from embeddings.
 *
 * Errors: `NO_EMBEDDINGS` (existing has none, e.g. a kernel-only result),
 * `EMBEDDING_DIM_MISMATCH` (different d), plus every error of `chameleonWeights` (a name in
 * both sets is `DUPLICATE_DOMAIN`).
 *
 * @example
 * const base = chameleonWeights({ domains: ["a", "b"], embeddings: [[1, 0], [0, 1]] });
 * addDomains(base, { domains: ["c"], embeddings: [[1, 1]] }).domains; // ["a", "b", "c"]
 */
export function addDomains(
  existing: { domains: readonly string[]; embeddings?: MatrixRows },
  added: DomainEmbeddings,
  opts: ChameleonOptions = {},
): ChameleonResult {
  if (existing.embeddings === undefined) {
    throw new MixlabError("NO_EMBEDDINGS", "addDomains needs the existing domains' embeddings (a kernel alone cannot be extended)");
  }
  const dOld = assertFiniteMatrix(existing.embeddings, "existing embeddings");
  if (added.embeddings.length > 0) {
    const dNew = assertFiniteMatrix(added.embeddings, "added embeddings");
    if (dNew !== dOld) {
      throw new MixlabError("EMBEDDING_DIM_MISMATCH", `added embeddings have width ${dNew}, existing ones ${dOld} (same proxy, same layer?)`);
    }
  }
  if (added.domains.length !== added.embeddings.length) {
    throw new MixlabError("DOMAIN_COUNT_MISMATCH", `${added.domains.length} added domain names but ${added.embeddings.length} embedding rows`);
  }
  return chameleonWeights(
    {
      domains: [...existing.domains, ...added.domains],
      embeddings: [...existing.embeddings, ...added.embeddings],
    },
    opts,
  );
}
