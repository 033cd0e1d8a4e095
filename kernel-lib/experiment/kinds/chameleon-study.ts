/**
 * `chameleon-study`: Chameleon's claims tested on mixlab's own runs (kernel-lib/studies/chameleon)
 * — the equal-budget comparison against uniform, token prior, RegMix, DoReMi and DoGE with
 * several paired seeds, the official τ = 5 against proxy size and length, a frozen proxy's
 * weights for held-out domains, and finetuning weights against uniform. The report is the
 * verdict table (`chameleonStudyMarkdown`); every number in it is recomputed from the stored runs.
 */
import { chameleonStudySchema, type ChameleonStudyConfig, type ChameleonStudyTask } from "../../studies/chameleon/config.js";
import { analyseChameleonStudy } from "../../studies/chameleon/claims.js";
import { studyDependencies, studyTasks } from "../../studies/chameleon/plan.js";
import { chameleonStudyMarkdown, chameleonStudyTables } from "../../studies/chameleon/report.js";
import { runStudyTask } from "../../studies/chameleon/run.js";
import { studyRuns } from "../../studies/chameleon/runs.js";
import { describeCorpus, openCorpusRef } from "../../data/corpus-ref.js";
import type { Figure } from "../../viz/figure.js";
import { figureLink } from "../figure-link.js";
import { storedAs, toJson, type Json } from "../json.js";
import { defineKind } from "../kind.js";
import { scaleCsv, scaleMarkdown, scaleRows } from "../../studies/scale.js";
import { studyTrainings } from "../../studies/chameleon/scale.js";

export const chameleonStudy = defineKind<ChameleonStudyConfig, ChameleonStudyTask, Json>({
  name: "chameleon-study",
  summary: "Chameleon's claims on mixlab's own runs: equal-budget finals vs uniform, prior, RegMix, DoReMi, DoGE (paired seeds), the official τ=5 against proxy size, frozen-proxy weights for new domains, finetuning weights vs uniform; verdict table with 95 % intervals",
  schema: chameleonStudySchema,
  plan: (config, ctx) => studyTasks(config, openCorpusRef(config.corpus), ctx.seed),
  dependencies: (_config, params) => studyDependencies(params),
  async runTask(config, task, ctx) {
    const deps = ctx.dependencies.map((r) => ({ task: r.params as ChameleonStudyTask, result: storedAs<unknown>(r.result), seconds: r.meta.seconds }));
    return toJson(await runStudyTask(config, openCorpusRef(config.corpus), task.params, deps, ctx.log));
  },
  report(config, runs, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const domains = [...corpus.domains];
    const study = studyRuns(runs.map((r) => ({ task: r.params as ChameleonStudyTask, result: storedAs<unknown>(r.result), seconds: r.meta.seconds })), ctx.total);
    const analysis = analyseChameleonStudy(config, study, domains);
    const figure = (name: string, fig: Figure, alt: string) => figureLink(fig, ctx.outDir, name, alt, ctx.png);
    const scale = scaleRows(studyTrainings(config, studyTasks(config, corpus, ctx.manifest.resolvedSeed)));
    return { markdown: chameleonStudyMarkdown(config, study, analysis, figure) + scaleMarkdown(scale), tables: { ...chameleonStudyTables(config, study, analysis), "scale.csv": scaleCsv(scale) } };
  },
  describeInputs(config) {
    return { corpus: describeCorpus(config.corpus) };
  },
});
