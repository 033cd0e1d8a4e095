/**
 * `regmix-mini`: RegMix's search at this project's scale, as one resumable experiment —
 * kernel-lib/regmix in the paper's order: propose the mixtures (plan), train one proxy per
 * mixture (one task each, `trainRegmixProxy`), then fit, simulate and choose
 * (`chooseRegmixMixture`) in the report, from the stored proxies. The config's `regmix` block
 * is the same schema as the comparison's RegMix arm; models trained on the chosen mixture
 * against the baselines are a `compare` experiment (`experiments/regmix-compare.json`).
 */
import { z } from "zod";
import { corpusRefSchema, describeCorpus, openCorpusRef } from "../../data/corpus-ref.js";
import type { Corpus } from "../../data/corpus.js";
import { tokenPrior } from "../../data/prior.js";
import { chooseRegmixMixture, chooseTarget, type RegmixAnalysis } from "../../regmix/choose.js";
import { regmixSearchSchema, regmixSeeds } from "../../regmix/config.js";
import { proposeRegmixMixtures } from "../../regmix/mixtures.js";
import { trainRegmixProxy, type RegmixProxyRun } from "../../regmix/proxies.js";
import { regmixAnalysisMarkdown, regmixSweepTables } from "../../regmix/report.js";
import type { SweepRow } from "../../regmix/sweep.js";
import { figureLink } from "../figure-link.js";
import { storedAs } from "../json.js";
import { defineKind } from "../kind.js";
import { readResults } from "../results.js";
import { sweepDomains } from "./mixture-sources.js";

export const regmixMiniSchema = z.strictObject({
  corpus: corpusRefSchema,
  /** a subset of the corpus's domains (default: all) */
  domains: z.array(z.string().min(1)).min(1).optional(),
  regmix: regmixSearchSchema,
});
export type RegmixMiniConfig = z.infer<typeof regmixMiniSchema>;

/** A task: one proxy of the sweep. */
export type RegmixMiniParams = { proxy: number; mixture: Record<string, number>; experimentSeed: number };

const domainsOf = (config: RegmixMiniConfig, corpus: Corpus): string[] => sweepDomains(corpus, config.domains);

/** Sweep rows of finished proxies, in plan order. */
const sweepRows = (runs: readonly { index: number; result: RegmixProxyRun }[]): SweepRow[] =>
  [...runs].sort((a, b) => a.index - b.index).map((r) => ({ mixture: r.result.mixture, losses: r.result.losses }));

/**
 * Steps 3–5 on a finished sweep: what the report shows and the notebook re-derives.
 *
 * @example
 * const r = loadRegmixMiniResults("results/regmix-mini");
 * regmixMiniAnalysis(r.config, r.rows, r.seed).chosen.toString();
 */
export function regmixMiniAnalysis(config: RegmixMiniConfig, rows: readonly SweepRow[], seed: number): RegmixAnalysis {
  const corpus = openCorpusRef(config.corpus);
  return chooseRegmixMixture(tokenPrior(corpus, domainsOf(config, corpus)), config.regmix, rows, regmixSeeds(seed).simulate);
}

export const regmixMini = defineKind<RegmixMiniConfig, RegmixMiniParams, RegmixProxyRun>({
  name: "regmix-mini",
  summary: "RegMix's search: propose mixtures → one proxy per mixture → GBDT/linear fit (held-out Spearman) → simulation → top-k mixture",
  schema: regmixMiniSchema,
  plan(config, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const domains = domainsOf(config, corpus);
    chooseTarget(domains, config.regmix.target); // an unknown target fails before any work
    return proposeRegmixMixtures(tokenPrior(corpus, domains), config.regmix.proxies, regmixSeeds(ctx.seed).mixtures)
      .map((m, proxy) => ({ proxy, mixture: m.toRecord(), experimentSeed: ctx.seed }));
  },
  runTask(config, task) {
    const corpus = openCorpusRef(config.corpus);
    const p = task.params;
    return trainRegmixProxy(corpus, config.regmix.proxy, p.mixture, regmixSeeds(p.experimentSeed).proxy(p.proxy), { windowsPerDomain: config.regmix.windowsPerDomain, domains: domainsOf(config, corpus) });
  },
  report(config, runs, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const domains = domainsOf(config, corpus);
    const r = config.regmix, p = r.proxy;
    const rows = sweepRows(runs);
    const md = [
      "## RegMix search",
      "",
      `Target: **${chooseTarget(domains, r.target)}** validation loss. Proxies: ${rows.length}/${ctx.total} \`${p.preset}\` models, ${p.steps} steps × ${p.batchSize} × ${p.seqLen} tokens, lr ${p.lr} (${p.schedule}).`,
      "",
    ];
    if (rows.length < ctx.total) md.push(`The sweep is unfinished (${rows.length}/${ctx.total} proxies); the regression runs once all are in.`, "");
    else {
      const a = regmixMiniAnalysis(config, rows, ctx.manifest.resolvedSeed);
      md.push(regmixAnalysisMarkdown(a, r, tokenPrior(corpus, domains), (name, fig, alt) => figureLink(fig, ctx.outDir, name, alt, ctx.png)));
    }
    return { markdown: md.join("\n"), tables: rows.length ? regmixSweepTables(rows, domains, r.heldOut) : {} };
  },
  describeInputs(config) {
    return { corpus: describeCorpus(config.corpus) };
  },
});

/** A finished (or partial) regmix-mini results directory, as plain data. */
export interface RegmixMiniResults {
  config: RegmixMiniConfig;
  /** the experiment's resolved seed */
  seed: number;
  /** finished proxies in plan order */
  rows: SweepRow[];
  plannedProxies: number;
}

/**
 * Read a regmix-mini results directory (config from its manifest, verified runs only).
 *
 * @example
 * const r = loadRegmixMiniResults("results/regmix-mini");
 * const a = regmixMiniAnalysis(r.config, r.rows, r.seed);
 */
export function loadRegmixMiniResults(dir: string): RegmixMiniResults {
  const r = readResults(dir, "regmix-mini", regmixMiniSchema);
  const runs = r.runs.map((x) => ({ index: x.index, result: storedAs<RegmixProxyRun>(x.result) }));
  return { config: r.config, seed: r.seed, rows: sweepRows(runs), plannedProxies: r.tasks.length };
}
