/**
 * MergeMix step 2 (its groups) — the domain groups, one expert each (default: code / math / prose /
 * reference), and the map between merge weights α over groups and data mixtures over domains:
 * group g's data is its domains at their token-prior proportions, so α ↦ Σ_g α_g · prior|_g.
 */
import type { Corpus } from "../data/corpus.js";
import { Mixture } from "../data/mixture.js";
import { MixlabError } from "../util/errors.js";

/** group name → its domains (each domain in at most one group). */
export type ExpertGroups = Readonly<Record<string, readonly string[]>>;

/** The default four groups (the suite's capabilities are by domain kind instead: kernel-lib/eval/suite/capabilities.ts). */
export const DEFAULT_EXPERT_GROUPS: ExpertGroups = {
  code: ["code_ts_js", "code_python", "code_c", "structured_json"],
  math: ["math", "math_docs"],
  prose: ["books", "speeches", "email", "multilingual"],
  reference: ["dictionary", "encyclopedic", "legal"],
};

/**
 * The groups restricted to the corpus's domains: domains the corpus lacks are dropped, a
 * group left empty is an error, as are a domain in two groups and an unknown domain in an
 * explicitly given group list when `strict`.
 *
 * @example
 * resolveGroups(corpus.domains, DEFAULT_EXPERT_GROUPS); // { code: [...], math: [...], ... }
 */
export function resolveGroups(domains: readonly string[], groups: ExpertGroups = DEFAULT_EXPERT_GROUPS, strict = false): Record<string, string[]> {
  const have = new Set(domains);
  const seen = new Map<string, string>();
  const out: Record<string, string[]> = {};
  for (const [g, ds] of Object.entries(groups)) {
    for (const d of ds) {
      if (seen.has(d)) throw new MixlabError("MERGEMIX_BAD_GROUPS", `domain "${d}" is in groups "${seen.get(d)}" and "${g}"`);
      seen.set(d, g);
      if (strict && !have.has(d)) throw new MixlabError("MERGEMIX_BAD_GROUPS", `group "${g}": unknown domain "${d}"`);
    }
    const kept = ds.filter((d) => have.has(d));
    if (kept.length === 0) throw new MixlabError("MERGEMIX_BAD_GROUPS", `group "${g}" has none of the corpus's domains (${ds.join(", ")})`);
    out[g] = kept;
  }
  if (Object.keys(out).length === 0) throw new MixlabError("MERGEMIX_BAD_GROUPS", "no expert groups given");
  return out;
}

/**
 * The data mixture over all corpus domains that a group's expert trains on: the group's
 * domains at their token-prior proportions, zero elsewhere.
 *
 * @example
 * groupMixture(corpus, ["math", "math_docs"]).get("books"); // 0
 */
export function groupMixture(corpus: Corpus, groupDomains: readonly string[]): Mixture {
  return Mixture.normalised(corpus.domains, corpus.domains.map((d) => (groupDomains.includes(d) ? corpus.info(d).bytes.train : 0)));
}

/**
 * The data mixture that merge weights α stand for: Σ_g α_g · groupMixture(g) (the mixture a
 * model is trained on to check the merge's prediction).
 *
 * @example
 * alphaToMixture(corpus, groups, [0.1, 0.2, 0.3, 0.4]).weights;
 */
export function alphaToMixture(corpus: Corpus, groups: Readonly<Record<string, readonly string[]>>, alpha: ArrayLike<number>): Mixture {
  const names = Object.keys(groups);
  if (alpha.length !== names.length) throw new MixlabError("MERGEMIX_BAD_ALPHA", `${alpha.length} weights for ${names.length} groups`);
  const w = new Float64Array(corpus.domains.length);
  names.forEach((g, k) => {
    const m = groupMixture(corpus, groups[g]);
    for (let i = 0; i < w.length; i++) w[i] += alpha[k] * m.weights[i];
  });
  return Mixture.normalised(corpus.domains, w);
}
