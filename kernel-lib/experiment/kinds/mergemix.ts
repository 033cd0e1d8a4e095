/**
 * `mergemix`: MergeMix end to end (kernel-lib/mergemix `runMergeMix`) — base, experts, seed
 * merges on the downstream suite, GBDT surrogates, simplex search, the rank-consistency study.
 * (Models trained on α* against the baselines: a `compare` experiment.) The steps depend on each other (experts need the base, the search
 * needs every seed), so the experiment is one task; its report is the method's tables and
 * figures.
 */
import {
  chosenMixtureBars, consistencyScatter, mergeMixReport, runMergeMix, utilityTernary,
  type MergeMixResult,
} from "../../mergemix/index.js";
import { mergeMixSchema, type MergeMixSettings } from "../../mergemix/config.js";
import { tableToCsv } from "../../viz/table.js";
import { figureLink } from "../figure-link.js";
import { storedAs, toJson, type Json } from "../json.js";
import { defineKind } from "../kind.js";
import { describeCorpus } from "../../data/corpus-ref.js";



type Params = { seed: number };

export const mergeMix = defineKind<MergeMixSettings, Params, Json>({
  name: "mergemix",
  summary: "MergeMix: experts from a shared base, merged at α, downstream suite, GBDT + simplex search for α*, rank-consistency study, cost",
  schema: mergeMixSchema,
  plan(_config, ctx) {
    return [{ seed: ctx.seed }];
  },
  async runTask(config, task, ctx) {
    const r = await runMergeMix({ ...config, seed: task.params.seed }, { log: (l) => ctx.log(l) });
    return toJson(r);
  },
  report(_config, runs, ctx) {
    if (runs.length === 0) return { markdown: "## MergeMix\n\nThe run has not finished yet.\n" };
    const r = storedAs<MergeMixResult>(runs[0].result);
    const md = [mergeMixReport(r), "", "### Figures", ""];
    md.push(figureLink(utilityTernary(r), ctx.outDir, "utility-ternary", "surrogate utility over the simplex", ctx.png), "");
    for (const [name, s] of [["two-domain", r.consistency.twoDomain], ["multi-domain", r.consistency.multiDomain]] as const) {
      if (s) md.push(figureLink(consistencyScatter(s, "utility", `Merged vs trained utility, ${name}`), ctx.outDir, `consistency-${name}`, `merged vs trained, ${name}`, ctx.png), "");
    }
    md.push(figureLink(chosenMixtureBars(r), ctx.outDir, "mixtures", "α* beside the baselines", ctx.png), "");
    const tables: Record<string, string> = {
      "seeds.csv": tableToCsv(r.seeds.map((s) => ({ ...Object.fromEntries(Object.keys(r.groups).map((g, i) => [`alpha_${g}`, s.alpha[i]])), ...s.scores, valNats: s.valNats }))),
      "cost.csv": tableToCsv([...r.cost.mergeMix.map((c) => ({ side: "mergemix", ...c })), ...r.cost.trainedMixtures.map((c) => ({ side: "trained", ...c }))]),
    };
    for (const [name, s] of [["two_domain", r.consistency.twoDomain], ["multi_domain", r.consistency.multiDomain]] as const) {
      if (!s) continue;
      tables[`consistency_${name}.csv`] = tableToCsv(s.table.map((x) => ({ ...x })));
      tables[`consistency_${name}_points.csv`] = tableToCsv(s.points.flatMap((p) => [{ label: p.label, side: "merged", ...p.merged }, { label: p.label, side: "trained", ...p.trained }]));
    }
    return { markdown: md.join("\n"), tables };
  },
  describeInputs(config) {
    return { corpus: describeCorpus(config.corpus) };
  },
});
