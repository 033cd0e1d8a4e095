/**
 * `chameleon-finetune`: pretrain a base model, embed a few finetuning domains with it, finetune
 * copies with uniform vs Chameleon finetuning weights; per-domain test perplexity. One task
 * (the two finetunes share the base model).
 */
import { figureLink } from "../figure-link.js";
import { z } from "zod";
import { affinityHeatmap, finetuningTables, leverageBars, runFinetuningExperiment, weightsBesideBaselines, type FinetuneResult } from "../../studies/chameleon/experiments/index.js";
import { defineKind } from "../kind.js";
import { corpusRefSchema, describeCorpus, openCorpusRef } from "../../data/corpus-ref.js";
import { embedSpecSchema, evalSpecSchema, finetuneSpecSchema, tableSection, trainSpecSchema, weightSpecSchema } from "./chameleon-common.js";

export const chameleonFinetuneSchema = z.strictObject({
  /** "default", "fixture" or a corpus directory relative to the project root */
  corpus: corpusRefSchema,
  /** the base model's uniform pretraining mix (default: every domain not finetuned on) */
  pretrainDomains: z.array(z.string().min(1)).min(1).optional(),
  finetuneDomains: z.array(z.string().min(1)).min(2),
  base: trainSpecSchema,
  embed: embedSpecSchema,
  chameleon: weightSpecSchema,
  finetune: finetuneSpecSchema,
  eval: evalSpecSchema,
});
export type ChameleonFinetuneConfig = z.infer<typeof chameleonFinetuneSchema>;

type Params = { seed: number };

export const chameleonFinetune = defineKind<ChameleonFinetuneConfig, Params, FinetuneResult>({
  name: "chameleon-finetune",
  summary: "Chameleon finetuning: finetune a pretrained model on a few domains with uniform vs Chameleon FT weights; per-domain test perplexity",
  schema: chameleonFinetuneSchema,
  plan(_config, ctx) {
    return [{ seed: ctx.seed }];
  },
  runTask(config, task, ctx) {
    ctx.log("base → embed → finetune (uniform, Chameleon)");
    return runFinetuningExperiment(openCorpusRef(config.corpus), config, task.params.seed);
  },
  report(config, runs, ctx) {
    if (runs.length === 0) return { markdown: "## Chameleon finetuning\n\nNot finished yet.\n" };
    const r = runs[0].result;
    const t = finetuningTables(r);
    const b = config.base, f = config.finetune;
    const md: string[] = [
      "## Chameleon finetuning",
      "",
      `Base: \`${b.preset}\` pretrained on the uniform mix of ${r.pretrainDomains.length} domains (${b.steps} steps × ${b.batchSize} × ${b.seqLen}). ` +
        `It embeds the finetuning domains (layer ${r.chameleon.layer}); FT weights = softmax(S/${r.chameleon.tauFt}). Each finetune: ${f.steps} steps × ${f.batchSize} × ${f.seqLen}, lr ${f.lr}, same seed. ` +
        `Perplexity per byte on ${config.eval.windowsPerDomain} ${config.eval.split} windows per domain.`,
      "",
    ];
    const tables: Record<string, string> = {};
    for (const [key, title, rows, digits] of [
      ["perplexity", "Per-domain perplexity on the finetuning domains", t.perplexity, 3],
      ["weights", "Finetuning weights", t.weights, 3],
    ] as const) {
      const s = tableSection(title, rows, digits);
      md.push(s.md, "");
      tables[`${key}.csv`] = s.csv;
    }
    const ft = r.finetuneDomains;
    md.push(
      figureLink(affinityHeatmap(ft, r.chameleon.centeredKernel), ctx.outDir, "affinity", "centred affinity of the finetuning domains", ctx.png),
      "",
      figureLink(leverageBars(ft, [{ name: "S", weights: r.chameleon.leverage }]), ctx.outDir, "leverage", "leverage scores", ctx.png),
      "",
      figureLink(weightsBesideBaselines(ft, r.arms.map((a) => ({ name: a.label, weights: a.mixture }))), ctx.outDir, "weights", "finetuning weights", ctx.png),
      "",
    );
    return { markdown: md.join("\n"), tables };
  },
  describeInputs(config) {
    return { corpus: describeCorpus(config.corpus) };
  },
});
