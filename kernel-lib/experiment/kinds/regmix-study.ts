/**
 * `regmix-study`: RegMix's claims tested on mixlab's own runs (kernel-lib/studies/regmix) — one
 * shared-seed proxy sweep, seed repeats, N/4 × 4T proxies, the same mixtures at larger scales,
 * and final models of RegMix's choice against three baselines. The report is the verdict table
 * (`regmixStudyMarkdown`); every number in it is recomputed from the stored runs.
 */
import { describeCorpus, openCorpusRef, sweepDomains } from "../../data/corpus-ref.js";
import { tokenPrior } from "../../data/prior.js";
import { regmixStudySchema, type RegmixStudyConfig, type StudyTask } from "../../studies/regmix/config.js";
import { runStudyTask, studyDependencies, studyTasks } from "../../studies/regmix/plan.js";
import { studyRuns } from "../../studies/regmix/runs.js";
import { analyseStudy } from "../../studies/regmix/claims.js";
import type { RegmixProxyRun } from "../../regmix/proxies.js";
import type { Figure } from "../../viz/figure.js";
import { regmixStudyMarkdown, regmixStudyTables } from "../../studies/regmix/report.js";
import { figureLink } from "../figure-link.js";
import { storedAs, toJson, type Json } from "../json.js";
import { defineKind } from "../kind.js";
import { sweepRows } from "../results.js";
import { scaleCsv, scaleMarkdown, scaleRows } from "../../studies/scale.js";
import { studyTrainings } from "../../studies/regmix/scale.js";

export const regmixStudy = defineKind<RegmixStudyConfig, StudyTask, Json>({
  name: "regmix-study",
  summary: "RegMix's claims on mixlab's own runs: shared-seed proxy sweep, seed repeats, N/4 × 4T proxies, the same mixtures at larger scales, RegMix vs baselines at the largest; verdict table with 95 % intervals",
  schema: regmixStudySchema,
  plan(config, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const domains = sweepDomains(corpus, config.domains);
    return studyTasks(config, domains, tokenPrior(corpus, domains), ctx.seed);
  },
  dependencies: (config, params) => studyDependencies(config, params),
  async runTask(config, task, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const domains = sweepDomains(corpus, config.domains);
    const fitted = sweepRows(ctx.dependencies.map((r) => ({ index: r.index, result: r.result })));
    const run = await runStudyTask(config, corpus, domains, task.params, fitted);
    return toJson(run);
  },
  report(config, runs, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const domains = sweepDomains(corpus, config.domains);
    const study = studyRuns(config, runs.map((r) => ({ task: r.params as StudyTask, result: storedAs<RegmixProxyRun>(r.result) })), ctx.total);
    const analysis = analyseStudy(config, study, domains, ctx.manifest.resolvedSeed);
    const figure = (name: string, fig: Figure, alt: string) => figureLink(fig, ctx.outDir, name, alt, ctx.png);
    const seed = ctx.manifest.resolvedSeed;
    const scale = scaleRows(studyTrainings(config, studyTasks(config, domains, tokenPrior(corpus, domains), seed), seed));
    return { markdown: regmixStudyMarkdown(config, study, analysis, figure) + scaleMarkdown(scale), tables: { ...regmixStudyTables(config, study, analysis), "scale.csv": scaleCsv(scale) } };
  },
  describeInputs(config) {
    return { corpus: describeCorpus(config.corpus) };
  },
});
