/**
 * `mergemix`: MergeMix end to end (kernel-lib/mergemix `runMergeMix`) — base, experts, seed
 * merges on the downstream suite, GBDT surrogates, simplex search, the rank-consistency study
 * and the final comparison. The steps depend on each other (experts need the base, the search
 * needs every seed), so the experiment is one task; its report is the method's tables and
 * figures.
 */
import { join } from "node:path";
import { z } from "zod";
import {
  chosenMixtureBars, consistencyScatter, finalComparisonBars, mergeMixReport, runMergeMix, utilityTernary,
  type MergeMixConfig, type MergeMixResult,
} from "../../mergemix/index.js";
import { PRESETS, type PresetName } from "../../model/config.js";
import { tableToCsv } from "../../viz/table.js";
import { savePlot } from "../../viz/save.js";
import type { Figure } from "../../viz/figure.js";
import type { Json } from "../json.js";
import { defineKind } from "../kind.js";
import { corpusDir, corpusRefSchema, describeCorpus } from "../../data/corpus-ref.js";

const presetNames = Object.keys(PRESETS) as [PresetName, ...PresetName[]];
const posInt = z.number().int().min(1);
const sizes = z.strictObject({
  items: posInt, numChoices: z.number().int().min(2), contextBytes: posInt, minContextBytes: posInt, maxChoiceBytes: posInt, minChoiceBytes: posInt,
});

export const mergeMixSchema = z.strictObject({
  /** "default", "fixture" or a corpus directory relative to the project root */
  corpus: corpusRefSchema,
  model: z.strictObject({
    preset: z.enum(presetNames),
    overrides: z.strictObject({ blockSize: posInt.optional(), nLayer: posInt.optional(), nHead: posInt.optional(), dModel: posInt.optional(), dMlp: posInt.optional() }).optional(),
  }),
  seqLen: posInt,
  batchSize: posInt,
  base: z.strictObject({ mixture: z.enum(["token_prior", "uniform"]), steps: posInt, lr: z.number().positive(), schedule: z.enum(["cosine", "constant", "linear"]), warmupSteps: z.number().int().min(0) }),
  /** experts and every trained comparison model: continued from the base, constant LR */
  experts: z.strictObject({ steps: posInt, lr: z.number().positive(), warmupSteps: z.number().int().min(0) }),
  /** group name → domains (one expert per group) */
  groups: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)),
  suite: z.strictObject({
    seed: z.number().int().min(0),
    sizes,
    taskOverrides: z.record(z.string(), sizes.partial()).optional(),
    capabilities: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).optional(),
    metric: z.enum(["acc", "acc_norm", "prob"]),
  }),
  validationWindows: posInt,
  search: z.strictObject({
    seeds: z.strictObject({ count: posInt, gridSteps: posInt, dirichletConcentration: z.number().positive() }),
    capability: z.string().min(1).optional(),
    gbdt: z.strictObject({ learningRate: z.number().positive().optional(), numRounds: posInt.optional(), numLeaves: z.number().int().min(2).optional(), minDataInLeaf: posInt.optional(), minDataInBin: posInt.optional(), maxDepth: z.number().int().optional(), lambdaL2: z.number().min(0).optional() }).optional(),
    options: z.strictObject({ samples: z.number().int().min(0).optional(), concentrations: z.array(z.number().positive()).min(1).optional(), gridSteps: z.number().int().min(0).optional(), starts: posInt.optional(), initialStep: z.number().positive().optional(), minStep: z.number().positive().optional() }).optional(),
    cvFolds: z.number().int().min(0),
  }),
  consistency: z.strictObject({
    // two group names (an array of length 2: tslab's TypeScript infers zod tuples loosely)
    twoDomain: z.strictObject({ groups: z.array(z.string().min(1)).length(2), alphas: z.array(z.number().min(0).max(1)).min(3) }).nullable(),
    multiDomain: z.strictObject({ mixtures: z.number().int().min(3), concentration: z.number().positive() }).nullable(),
  }),
  final: z.boolean(),
}).superRefine((c, ctx) => {
  const block = c.model.overrides?.blockSize ?? PRESETS[c.model.preset].blockSize;
  if (c.seqLen > block) ctx.addIssue({ code: "custom", path: ["seqLen"], message: `${c.seqLen} exceeds the model's blockSize ${block}` });
  if (c.consistency.twoDomain) for (const g of c.consistency.twoDomain.groups as string[]) if (!(g in c.groups)) ctx.addIssue({ code: "custom", path: ["consistency", "twoDomain", "groups"], message: `unknown group "${g}"` });
});
export type MergeMixKindConfig = z.infer<typeof mergeMixSchema>;

type Params = { seed: number };

function figure(fig: Figure, outDir: string, name: string, alt: string, png: boolean | "auto"): string {
  const saved = savePlot(fig, join(outDir, "figures", name), { png });
  return saved.png ? `![${alt}](figures/${name}.png)` : `Figure: [${alt}](figures/${name}.html)`;
}

export const mergeMix = defineKind<MergeMixKindConfig, Params, Json>({
  name: "mergemix",
  summary: "MergeMix: experts from a shared base, merged at α, downstream suite, GBDT + simplex search for α*, rank-consistency study, cost",
  schema: mergeMixSchema,
  plan(_config, ctx) {
    return [{ seed: ctx.seed }];
  },
  async runTask(config, task, ctx) {
    // the schema checked every field (twoDomain.groups has length 2); the cast only restates
    // that for TypeScript, whose zod inference differs between tsc and tslab
    const cfg: MergeMixConfig = { ...(config as unknown as MergeMixConfig), seed: task.params.seed, corpus: corpusDir(config.corpus) };
    const r = await runMergeMix(cfg, { log: (l) => ctx.log(l) });
    return JSON.parse(JSON.stringify(r)) as Json;
  },
  report(_config, runs, ctx) {
    if (runs.length === 0) return { markdown: "## MergeMix\n\nThe run has not finished yet.\n" };
    const r = runs[0].result as unknown as MergeMixResult;
    const md = [mergeMixReport(r), "", "### Figures", ""];
    md.push(figure(utilityTernary(r), ctx.outDir, "utility-ternary", "surrogate utility over the simplex", ctx.png), "");
    for (const [name, s] of [["two-domain", r.consistency.twoDomain], ["multi-domain", r.consistency.multiDomain]] as const) {
      if (s) md.push(figure(consistencyScatter(s, "utility", `Merged vs trained utility, ${name}`), ctx.outDir, `consistency-${name}`, `merged vs trained, ${name}`, ctx.png), "");
    }
    md.push(figure(chosenMixtureBars(r), ctx.outDir, "mixtures", "α* beside the baselines", ctx.png), "");
    if (r.final.length) md.push(figure(finalComparisonBars(r), ctx.outDir, "final", "final comparison", ctx.png), "");
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
