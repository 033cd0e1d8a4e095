/**
 * `compare`: the all-methods comparison (kernel-lib/compare) as one resumable experiment — the
 * plan of kernel-lib/compare/plan.ts (searches, then one final model per arm after its
 * searches, declared as task dependencies), the comparison table and figures as its report.
 * Run it inline (`workers: 0`, as the notebooks do), on the local pool or as Slurm arrays.
 */
import {
  compareDependencies, compareSchema, compareTasks, comparisonMarkdown, comparisonTable, costItemsTable, orderedMethods, runFinalTask, runSearchTask, weightsTable,
  type CompareConfig, type CompareTask, type FinishedSearch,
} from "../../compare/index.js";
import { describeCorpus, openCorpusRef } from "../../data/corpus-ref.js";
import type { Figure } from "../../viz/figure.js";
import { figureLink } from "../figure-link.js";
import { tableToCsv } from "../../viz/table.js";
import { storedAs, toJson, type Json } from "../json.js";
import { defineKind } from "../kind.js";
import { finishedArms } from "../results.js";

export const compare = defineKind<CompareConfig, CompareTask, Json>({
  name: "compare",
  summary: "all methods side by side: uniform, token prior, RegMix, Chameleon, MergeMix, DoReMi, DoGE weights → equal-budget final models → one table of loss, suite scores and search cost",
  schema: compareSchema,
  plan: (config, ctx) => compareTasks(config, openCorpusRef(config.corpus), ctx.seed),
  dependencies: (config, params) => compareDependencies(params, config),
  async runTask(config, task, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const p = task.params;
    if (p.stage === "search") return toJson(await runSearchTask(config, corpus, p, ctx.log));
    const searches: FinishedSearch[] = ctx.dependencies.map((r) => ({ task: r.params as CompareTask, result: storedAs<FinishedSearch["result"]>(r.result), seconds: r.meta.seconds }));
    const arm = await runFinalTask(config, corpus, p, searches);
    ctx.log(`${p.method}: average loss ${arm.final.average.toFixed(3)}, utility ${arm.final.suite.utility.toFixed(3)}`);
    return toJson(arm);
  },
  report(config, runs, ctx) {
    const corpus = openCorpusRef(config.corpus);
    const domains = [...corpus.domains];
    const arms = finishedArms(runs);
    const planned = orderedMethods(config.methods).length;
    const searches = runs.filter((r) => r.params.stage === "search").length;
    const plannedSearches = ctx.total - planned;
    const figure = (name: string, fig: Figure, alt: string) => figureLink(fig, ctx.outDir, name, alt, ctx.png);
    const md = [
      comparisonMarkdown(config, arms, domains, { figure: arms.length ? figure : undefined, planned, corpus }),
      "",
      `Search tasks finished: ${searches} of ${plannedSearches}. Tables: \`comparison.csv\` (one row per method), \`weights.csv\`, \`search_cost.csv\`.`,
    ];
    const tables: Record<string, string> = {};
    if (arms.length) {
      tables["comparison.csv"] = tableToCsv(comparisonTable(arms, domains));
      tables["weights.csv"] = tableToCsv(weightsTable(arms, domains));
      tables["search_cost.csv"] = tableToCsv(costItemsTable(arms));
    }
    return { markdown: md.join("\n"), tables };
  },
  describeInputs(config) {
    return { corpus: describeCorpus(config.corpus) };
  },
});
