/**
 * Config blocks shared by the three Chameleon kinds (`chameleon-pretrain`, `chameleon-transfer`,
 * `chameleon-finetune`) and the figures/report helpers they share. The blocks mirror the plain
 * types of `kernel-lib/chameleon/experiments` (TrainSpec, EmbedSpec, WeightSpec, EvalSpec).
 */
import { join } from "node:path";
import { z } from "zod";
import { PRESETS, type PresetName } from "../../model/config.js";
import type { Figure } from "../../viz/figure.js";
import { savePlot } from "../../viz/save.js";
import { tableToCsv, toMarkdown, type TableLike } from "../../viz/table.js";

const presetNames = Object.keys(PRESETS) as [PresetName, ...PresetName[]];

/** Finetuning: a model's training without the preset (the base model's size is kept). */
export const finetuneSpecSchema = z.strictObject({
  steps: z.number().int().min(1),
  batchSize: z.number().int().min(1),
  /** ≤ the preset's blockSize */
  seqLen: z.number().int().min(1),
  /** peak learning rate */
  lr: z.number().positive(),
  schedule: z.enum(["cosine", "constant", "linear"]).optional(),
  warmupSteps: z.number().int().min(0).optional(),
  minLrRatio: z.number().min(0).max(1).optional(),
});

/** A model's size and training (proxy, final models, base model). */
export const trainSpecSchema = finetuneSpecSchema.extend({
  /** model size (kernel-lib/model/config.ts PRESETS); recorded in the results */
  preset: z.enum(presetNames),
}).superRefine((t, ctx) => {
  const block = PRESETS[t.preset].blockSize;
  if (t.seqLen > block) ctx.addIssue({ code: "custom", path: ["seqLen"], message: `${t.seqLen} exceeds the ${t.preset} preset's blockSize ${block}` });
});

/** Step 2: windows per domain and pooling (official: 2048 windows of 512 tokens, unmasked mean). */
export const embedSpecSchema = z.strictObject({
  windowsPerDomain: z.number().int().min(1),
  seqLen: z.number().int().min(1),
  split: z.enum(["train", "validation", "test"]).default("train"),
  documentBoundaries: z.enum(["pad", "cross"]).default("pad"),
  includePadding: z.boolean().default(false),
  dedupe: z.boolean().default(true),
  layer: z.number().int().min(0).optional(),
});

/** Steps 3–5 constants (official where unset); `ptWeightRatio` fits τ_pt (not official). */
export const weightSpecSchema = z.strictObject({
  lambda: z.number().positive().optional(),
  tauPt: z.number().positive().optional(),
  tauFt: z.number().positive().optional(),
  ptWeightRatio: z.number().gt(1).optional(),
}).default({});

/** Fixed evaluation windows per domain. */
export const evalSpecSchema = z.strictObject({
  windowsPerDomain: z.number().int().min(1).default(16),
  seqLen: z.number().int().min(1),
  split: z.enum(["validation", "test"]).default("validation"),
});

/**
 * Save a figure under `<outDir>/figures/<name>` and return the Markdown line that shows it.
 *
 * @example
 * md.push(reportFigure(fig, ctx.outDir, "affinity", "centred affinity", ctx.png));
 */
export function reportFigure(fig: Figure, outDir: string, name: string, alt: string, png: boolean | "auto"): string {
  const saved = savePlot(fig, join(outDir, "figures", name), { png });
  return saved.png ? `![${alt}](figures/${name}.png)` : `Figure: [${alt}](figures/${name}.html)`;
}

/**
 * A titled Markdown table section (FLOP-sized numbers in exponent form, |x| < 5e-7 as 0) and the
 * same table as CSV (numbers as they are).
 *
 * @example
 * const { md, csv } = tableSection("Perplexity", rows, 2);
 */
export function tableSection(title: string, rows: TableLike, digits: number): { md: string; csv: string } {
  return { md: `### ${title}\n\n${toMarkdown(scientific(zeroTiny(rowsOf(rows))), { digits })}`, csv: tableToCsv(rows) };
}

function rowsOf(t: TableLike): Record<string, unknown>[] {
  if (Array.isArray(t)) return t as Record<string, unknown>[];
  const f = t as { columns: readonly string[]; values: readonly unknown[] };
  return f.values.map((row) => Object.fromEntries(f.columns.map((c, j) => [c, (row as unknown[])[j]])));
}

/**
 * Rows with every number ≥ 1e6 (FLOP counts) written as `1.23e+9` strings, for Markdown.
 *
 * @example
 * scientific([{ flops: 2241855488 }]); // [{ flops: "2.24e+9" }]
 */
export function scientific<R extends Record<string, unknown>>(rows: readonly R[]): Record<string, string | number | null>[] {
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" && Math.abs(v) >= 1e6 ? v.toExponential(2) : (v as string | number | null)])),
  );
}

/**
 * Rows with every number below `eps` in magnitude shown as 0 (e.g. weights of 1e-30 from a
 * collapsed softmax), for Markdown; CSVs keep the exact values.
 *
 * @example
 * zeroTiny([{ w: 1e-30 }]); // [{ w: 0 }]
 */
export function zeroTiny<R extends Record<string, unknown>>(rows: readonly R[], eps = 5e-7): Record<string, string | number | null>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" && Math.abs(v) < eps ? 0 : (v as string | number | null)])));
}
