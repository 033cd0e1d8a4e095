/**
 * `chameleon-pretrain`: equal-budget models on Chameleon's pretraining weights vs uniform,
 * token prior (and RegMix when a mixture is given); per-domain perplexity, its average, and each
 * method's FLOPs to get its weights. One task per method (`runPretrainingArm`), so the arms
 * spread over the local pool or a Slurm array.
 */
import { figureLink } from "../figure-link.js";
import { z } from "zod";
import {
  affinityHeatmap,
  leverageBars,
  PRETRAIN_ARMS,
  pretrainArms,
  pretrainingTables,
  runPretrainingArm,
  weightsBesideBaselines,
  type PretrainArm,
  type PretrainArmResult,
} from "../../chameleon/experiments/index.js";
import { PRESETS, type PresetName } from "../../model/config.js";
import { defineKind } from "../kind.js";
import { corpusRefSchema, describeCorpus, openCorpusRef } from "../../data/corpus-ref.js";
import { embedSpecSchema, evalSpecSchema, tableSection, trainSpecSchema, weightSpecSchema } from "./chameleon-common.js";

const presetNames = Object.keys(PRESETS) as [PresetName, ...PresetName[]];

export const chameleonPretrainSchema = z.strictObject({
  /** "default", "fixture" or a corpus directory relative to the project root */
  corpus: corpusRefSchema,
  domains: z.array(z.string().min(1)).min(2).optional(),
  /** methods to train (default: all available) */
  arms: z.array(z.enum(PRETRAIN_ARMS)).min(1).optional(),
  /** step 1: the uniform-mixture proxy */
  proxy: trainSpecSchema,
  /** step 2 */
  embed: embedSpecSchema,
  /** steps 3–5 constants of the "chameleon" arm */
  chameleon: weightSpecSchema,
  /** every arm's final model (equal budget) */
  model: trainSpecSchema,
  eval: evalSpecSchema,
  /** a RegMix mixture and its cost (when the RegMix pipeline has produced one) */
  regmix: z.strictObject({
    mixture: z.record(z.string(), z.number().min(0)),
    flops: z.number().min(0).optional(),
    sweep: z.strictObject({ runs: z.number().int().min(1), preset: z.enum(presetNames), steps: z.number().int().min(1), batchSize: z.number().int().min(1), seqLen: z.number().int().min(1) }).optional(),
    source: z.string().optional(),
  }).optional(),
});
export type ChameleonPretrainConfig = z.infer<typeof chameleonPretrainSchema>;

type ArmParams = { arm: PretrainArm; seed: number };

export const chameleonPretrain = defineKind<ChameleonPretrainConfig, ArmParams, PretrainArmResult>({
  name: "chameleon-pretrain",
  summary: "Chameleon pretraining: equal-budget models on Chameleon PT weights vs uniform / token prior (/ RegMix); per-domain perplexity and weight cost",
  schema: chameleonPretrainSchema,
  plan(config, ctx) {
    // every arm gets the experiment seed: same proxy, same model init, only the mixture differs
    return pretrainArms(config).map((arm) => ({ arm, seed: ctx.seed }));
  },
  runTask(config, task, ctx) {
    ctx.log(`arm ${task.params.arm}`);
    return runPretrainingArm(openCorpusRef(config.corpus), config, task.params.arm, task.params.seed);
  },
  report(config, runs, ctx) {
    if (runs.length === 0) return { markdown: "## Chameleon pretraining\n\nNo finished arms yet.\n" };
    const arms = runs.map((r) => r.result);
    const t = pretrainingTables(arms);
    const m = config.model;
    const md: string[] = [
      "## Chameleon pretraining",
      "",
      `Each method's mixture trains one \`${m.preset}\` model: ${m.steps} steps × ${m.batchSize} windows of ${m.seqLen} bytes, lr ${m.lr}, same seed. ` +
        `Perplexity is per byte on ${config.eval.windowsPerDomain} fixed ${config.eval.split} windows of ${config.eval.seqLen} bytes per domain; "average" is the mean over domains. ${runs.length}/${ctx.total} arms.`,
      "",
    ];
    const tables: Record<string, string> = {};
    for (const [key, title, rows, digits] of [
      ["perplexity", "Per-domain perplexity (lower is better)", t.perplexity, 2],
      ["weights", "Mixtures", t.weights, 3],
      ["cost", "Compute to get the weights (FLOPs)", t.cost, 3],
    ] as const) {
      const s = tableSection(title, rows, digits);
      md.push(s.md, "");
      tables[`${key}.csv`] = s.csv;
    }
    const cham = arms.find((a) => a.arm === "chameleon") ?? arms.find((a) => a.chameleon !== null);
    if (cham?.chameleon) {
      const c = cham.chameleon;
      md.push(
        "### Chameleon's steps",
        "",
        `Proxy: \`${c.proxy.preset}\` on the uniform mix, ${c.proxy.steps} steps × ${c.proxy.batchSize} × ${c.proxy.seqLen} (final train loss ${c.proxy.finalTrainLoss.toFixed(3)} nats/byte). ` +
          `Embeddings: layer ${c.layer}, ${c.embedding.windowsPerDomain} windows of ${c.embedding.seqLen} bytes per domain (${c.embedding.includePadding ? "mean incl. padding" : "masked mean"}); unique windows ${Math.min(...c.uniqueWindows)}–${Math.max(...c.uniqueWindows)}. ` +
          `λ = ${c.lambda}, τ_pt = ${c.tauPt.toPrecision(4)} (${c.tauPtSource === "ratio" ? "fitted to the max/min weight ratio" : "fixed"}), τ_ft = ${c.tauFt}.`,
        "",
        figureLink(affinityHeatmap(c.domains, c.centeredKernel), ctx.outDir, "affinity", "centred domain affinity", ctx.png),
        "",
        figureLink(leverageBars(c.domains, [{ name: "S", weights: c.leverage }]), ctx.outDir, "leverage", "leverage scores", ctx.png),
        "",
      );
    }
    const domains = Object.keys(arms[0].mixture);
    md.push(figureLink(weightsBesideBaselines(domains, [...arms].sort((a, b) => PRETRAIN_ARMS.indexOf(a.arm) - PRETRAIN_ARMS.indexOf(b.arm)).map((a) => ({ name: a.label, weights: a.mixture }))), ctx.outDir, "weights", "weights beside the baselines", ctx.png), "");
    return { markdown: md.join("\n"), tables };
  },
  describeInputs(config) {
    return { corpus: describeCorpus(config.corpus) };
  },
});
