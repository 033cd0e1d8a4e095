/**
 * `chameleon-transfer`: Chameleon's weights when domains are added — embed the new domains with
 * the frozen proxy and recompute (no training) vs retrain the proxy on the new uniform mix;
 * compares the resulting weights and what each costs. Two tasks (`runTransferArm`).
 */
import { figureLink } from "../figure-link.js";
import { z } from "zod";
import { affinityHeatmap, leverageBars, runTransferArm, TRANSFER_ARMS, transferTables, type TransferArm, type TransferArmResult } from "../../studies/chameleon/experiments/index.js";
import { defineKind } from "../kind.js";
import { corpusRefSchema, describeCorpus, openCorpusRef } from "../../data/corpus-ref.js";
import { embedSpecSchema, tableSection, trainSpecSchema, weightSpecSchema } from "./chameleon-common.js";

export const chameleonTransferSchema = z.strictObject({
  /** "default", "fixture" or a corpus directory relative to the project root */
  corpus: corpusRefSchema,
  /** every domain after the addition (default: all of the corpus) */
  domains: z.array(z.string().min(1)).min(3).optional(),
  /** domains added later (the base proxy never sees them) */
  heldOut: z.array(z.string().min(1)).min(1),
  proxy: trainSpecSchema,
  embed: embedSpecSchema,
  chameleon: weightSpecSchema,
});
export type ChameleonTransferConfig = z.infer<typeof chameleonTransferSchema>;

type ArmParams = { arm: TransferArm; seed: number };

export const chameleonTransfer = defineKind<ChameleonTransferConfig, ArmParams, TransferArmResult>({
  name: "chameleon-transfer",
  summary: "Chameleon on new data: add held-out domains with the frozen proxy (no retraining) vs retrain the proxy; weights and cost",
  schema: chameleonTransferSchema,
  plan(config, ctx) {
    return TRANSFER_ARMS.map((arm) => ({ arm, seed: ctx.seed }));
  },
  runTask(config, task, ctx) {
    ctx.log(`arm ${task.params.arm}`);
    return runTransferArm(openCorpusRef(config.corpus), config, task.params.arm, task.params.seed);
  },
  report(config, runs, ctx) {
    const arms = runs.map((r) => r.result);
    if (arms.length < TRANSFER_ARMS.length) return { markdown: `## Chameleon transfer to new data\n\n${arms.length}/${ctx.total} arms finished; the comparison needs both.\n` };
    const t = transferTables(arms);
    const p = config.proxy;
    const md: string[] = [
      "## Chameleon transfer to new data",
      "",
      `Held-out domains: ${config.heldOut.join(", ")}. Both proxies: \`${p.preset}\`, ${p.steps} steps × ${p.batchSize} × ${p.seqLen}, same seed; the same embedding windows per domain.`,
      "",
    ];
    const tables: Record<string, string> = {};
    for (const [key, title, rows, digits] of [
      ["weights", "Leverage S and weights (before = base domains only, frozen proxy)", t.weights, 3],
      ["agreement", "Frozen vs retrained: agreement", t.agreement, 4],
      ["cost", "Cost", t.cost, 3],
    ] as const) {
      const s = tableSection(title, rows, digits);
      md.push(s.md, "");
      tables[`${key}.csv`] = s.csv;
    }
    const frozen = arms.find((a) => a.arm === "frozen")!.after;
    const retrain = arms.find((a) => a.arm === "retrain")!.after;
    const S = (r: typeof frozen) => Object.fromEntries(r.domains.map((d, i) => [d, r.leverage[i]]));
    md.push(
      figureLink(leverageBars(frozen.domains, [{ name: "frozen proxy", weights: S(frozen) }, { name: "retrained proxy", weights: S(retrain) }]), ctx.outDir, "leverage", "leverage, frozen vs retrained", ctx.png),
      "",
      figureLink(affinityHeatmap(frozen.domains, frozen.centeredKernel, "Centred affinity (frozen proxy, all domains)"), ctx.outDir, "affinity", "centred affinity, frozen proxy", ctx.png),
      "",
    );
    return { markdown: md.join("\n"), tables };
  },
  describeInputs(config) {
    return { corpus: describeCorpus(config.corpus) };
  },
});
