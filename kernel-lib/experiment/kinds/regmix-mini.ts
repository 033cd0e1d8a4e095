/**
 * `regmix-mini`: RegMix's search at this project's scale, as one resumable experiment —
 * kernel-lib/regmix in the paper's order: propose the mixtures (plan), train one proxy per
 * mixture (one task each, `trainRegmixProxy`), then fit, simulate and choose
 * (`chooseRegmixMixture`) in the report, from the stored proxies. The config's `regmix` block
 * is the same schema as the comparison's RegMix arm; models trained on the chosen mixture
 * against the baselines are a `compare` experiment (`experiments/regmix-compare.json`).
 */
import { describeCorpus, openCorpusRef } from "../../data/corpus-ref.js";
import { tokenPrior } from "../../data/prior.js";
import { chooseTarget } from "../../regmix/choose.js";
import { regmixExperimentSchema, regmixSeeds, type RegmixExperimentConfig } from "../../regmix/config.js";
import { proposeRegmixMixtures } from "../../regmix/mixtures.js";
import { trainRegmixProxy, type RegmixProxyRun } from "../../regmix/proxies.js";
import { regmixAnalysisMarkdown, regmixSweepTables } from "../../regmix/report.js";
import { figureLink } from "../figure-link.js";
import { defineKind } from "../kind.js";
import { regmixMiniAnalysis, sweepRows } from "../results.js";
import { sweepDomains } from "../../data/corpus-ref.js";

export const regmixMiniSchema = regmixExperimentSchema;
export type RegmixMiniConfig = RegmixExperimentConfig;

/** A task: one proxy of the sweep. */
export type RegmixMiniParams = { proxy: number; mixture: Record<string, number>; experimentSeed: number };

export const regmixMini = defineKind<RegmixMiniConfig, RegmixMiniParams, RegmixProxyRun>({
  name: "regmix-mini",
  summary: "RegMix's search: propose mixtures → one proxy per mixture → GBDT/linear fit (held-out Spearman) → simulation → top-k mixture",
  schema: regmixMiniSchema,
  plan(config, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const domains = sweepDomains(corpus, config.domains);
    chooseTarget(domains, config.regmix.target); // an unknown target fails before any work
    return proposeRegmixMixtures(tokenPrior(corpus, domains), config.regmix.proxies, regmixSeeds(ctx.seed).mixtures)
      .map((m, proxy) => ({ proxy, mixture: m.toRecord(), experimentSeed: ctx.seed }));
  },
  runTask(config, task) {
    const corpus = openCorpusRef(config.corpus);
    const p = task.params;
    return trainRegmixProxy(corpus, config.regmix.proxy, p.mixture, regmixSeeds(p.experimentSeed).proxy(), { windowsPerDomain: config.regmix.windowsPerDomain, domains: sweepDomains(corpus, config.domains) });
  },
  report(config, runs, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const domains = sweepDomains(corpus, config.domains);
    const r = config.regmix, p = r.proxy;
    const rows = sweepRows(runs.map((r) => ({ index: r.index, result: r.result })));
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
