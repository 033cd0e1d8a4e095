/**
 * `mergemix-study`: MergeMix's claims tested on mixlab's own runs (kernel-lib/studies/mergemix) —
 * merged vs trained models over a grid of mixtures (per-domain and per-group experts), α*
 * against uniform, the token prior and the best trained grid mixture with paired seeds, α*
 * at a larger scale, and the search's cost against the grid it replaces. The report is the
 * verdict table (`mergeMixStudyMarkdown`); every number in it is recomputed from the stored runs.
 */
import { describeCorpus, openCorpusRef } from "../../data/corpus-ref.js";
import { analyseMergeMixStudy } from "../../studies/mergemix/claims.js";
import { mergeMixStudySchema, type MergeMixStudyConfig, type MergeMixStudyTask } from "../../studies/mergemix/config.js";
import { studyDependencies, studyTasks } from "../../studies/mergemix/plan.js";
import { mergeMixStudyMarkdown, mergeMixStudyTables } from "../../studies/mergemix/report.js";
import { runStudyTask } from "../../studies/mergemix/run.js";
import { studyRuns } from "../../studies/mergemix/runs.js";
import type { Figure } from "../../viz/figure.js";
import { figureLink } from "../figure-link.js";
import { storedAs, toJson, type Json } from "../json.js";
import { defineKind } from "../kind.js";
import { scaleCsv, scaleMarkdown, scaleRows } from "../../studies/scale.js";
import { studyTrainings } from "../../studies/mergemix/scale.js";

export const mergeMixStudy = defineKind<MergeMixStudyConfig, MergeMixStudyTask, Json>({
  name: "mergemix-study",
  summary: "MergeMix's claims on mixlab's own runs: merged vs trained ranks over a grid of mixtures (per-domain and per-group experts), α* vs uniform, prior and the best trained mixture (paired seeds), α* at a larger scale, search cost vs the grid; verdict table with 95 % intervals",
  schema: mergeMixStudySchema,
  plan: (config, ctx) => studyTasks(config, openCorpusRef(config.corpus), ctx.seed),
  dependencies: (_config, params) => studyDependencies(params),
  async runTask(config, task, ctx) {
    const deps = ctx.dependencies.map((r) => ({ task: r.params as MergeMixStudyTask, result: storedAs<unknown>(r.result), madeBy: r.meta.engineBuild ?? null }));
    return toJson(await runStudyTask(config, openCorpusRef(config.corpus), task.params, deps, ctx.resultsDir, ctx.log));
  },
  report(config, runs, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const domains = [...corpus.domains];
    const study = studyRuns(runs.map((r) => ({ task: r.params as MergeMixStudyTask, result: storedAs<unknown>(r.result) })), ctx.total);
    const analysis = analyseMergeMixStudy(config, study, domains, ctx.manifest.resolvedSeed);
    const figure = (name: string, fig: Figure, alt: string) => figureLink(fig, ctx.outDir, name, alt, ctx.png);
    const scale = scaleRows(studyTrainings(config, studyTasks(config, corpus, ctx.manifest.resolvedSeed)));
    return { markdown: mergeMixStudyMarkdown(config, study, analysis, figure) + scaleMarkdown(scale), tables: { ...mergeMixStudyTables(config, study, analysis), "scale.csv": scaleCsv(scale) } };
  },
  describeInputs(config) {
    return { corpus: describeCorpus(config.corpus) };
  },
});
