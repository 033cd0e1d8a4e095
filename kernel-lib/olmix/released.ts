/**
 * Olmix's public DCLM swarm (datasets/reference/olmix, Apache-2.0, see its SOURCE.md): 127
 * proxy runs (30M-parameter OLMo models at 5× Chinchilla) over 24 DCLM topic domains with 110
 * BPB-like metrics, the domains' token counts and natural prior, and the task families of
 * Olmix's fit (math 7, code 19, qa 27 metrics).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Mixture } from "../data/mixture.js";
import { readTokenCountsCsv } from "../data/token-counts.js";
import { readSwarmCsv, type Swarm } from "../regression/swarm.js";
import { parseCsv } from "../util/csv.js";
import { MixlabError } from "../util/errors.js";
import { projectRoot } from "../util/paths.js";

export interface OlmixDclmSwarm {
  swarm: Swarm;
  /** family → its metric columns (dclm_families.json) */
  families: Record<string, string[]>;
  /** the natural prior: `relative_sizes` of dclm_baseline.yaml renormalised (Olmix's use_natural_kl) */
  prior: Mixture;
  /** tokens available per domain (`priors.token_counts`) */
  availableTokens: Record<string, number>;
}

/**
 * Directory of the shipped copy.
 *
 * @example
 * olmixReferenceDir(); // "<root>/datasets/reference/olmix"
 */
export function olmixReferenceDir(): string {
  return join(projectRoot(), "datasets", "reference", "olmix");
}

/**
 * Load the DCLM swarm with its prior, token counts and families.
 *
 * @example
 * const { swarm, families, prior } = loadOlmixDclmSwarm();
 * swarm.runs.length; // 127
 * familyTargets(swarm, families).names; // ["math", "code", "qa"]
 */
export function loadOlmixDclmSwarm(dir: string = olmixReferenceDir()): OlmixDclmSwarm {
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  const swarm = readSwarmCsv(read("dclm_ratios.csv"), read("dclm_metrics.csv"), { ratiosSource: "dclm_ratios.csv", metricsSource: "dclm_metrics.csv" });
  const domainsCsv = read("dclm_domains.csv");
  const availableTokens = readTokenCountsCsv(domainsCsv, "dclm_domains.csv");
  const { header, rows } = parseCsv(domainsCsv, "dclm_domains.csv");
  const dj = header.indexOf("domain"), rj = header.indexOf("relative_size");
  const rel = Object.fromEntries(rows.map((r) => [r[dj], Number(r[rj])]));
  const missing = swarm.domains.filter((d) => !(rel[d] > 0));
  if (missing.length > 0) throw new MixlabError("OLMIX_REFERENCE_BAD", `dclm_domains.csv has no relative size for ${missing.join(", ")}`);
  const prior = Mixture.normalised(swarm.domains, swarm.domains.map((d) => rel[d]));
  const families = (JSON.parse(read("dclm_families.json")) as { families: Record<string, string[]> }).families;
  return { swarm, families, prior, availableTokens };
}
