/**
 * Config blocks shared by the three Chameleon kinds (`chameleon-pretrain`, `chameleon-transfer`,
 * `chameleon-finetune`) and the figures/report helpers they share. The blocks mirror the plain
 * types of `kernel-lib/studies/chameleon/experiments` (EmbedSpec, WeightSpec, EvalSpec); models are `TrainRecipe`s.
 */
import { continueRecipeSchema, trainRecipeSchema } from "../../train/recipe.js";
export { embedSpecSchema, evalSpecSchema, weightSpecSchema } from "../../chameleon/spec.js";
import { exponentForm, tableToCsv, toMarkdown, type TableLike } from "../../viz/table.js";

/** Finetuning: a recipe without the model size (the base model's size is kept). */
export const finetuneSpecSchema = continueRecipeSchema();

/** A model's size and training (proxy, final models, base model). */
export const trainSpecSchema = trainRecipeSchema();

/**
 * A titled Markdown table section (FLOP-sized numbers in exponent form, |x| < 5e-7 as 0) and the
 * same table as CSV (numbers as they are).
 *
 * @example
 * const { md, csv } = tableSection("Perplexity", rows, 2);
 */
export function tableSection(title: string, rows: TableLike, digits: number): { md: string; csv: string } {
  return { md: `### ${title}\n\n${toMarkdown(exponentForm(zeroTiny(rowsOf(rows))), { digits })}`, csv: tableToCsv(rows) };
}

function rowsOf(t: TableLike): Record<string, unknown>[] {
  if (Array.isArray(t)) return t as Record<string, unknown>[];
  const f = t as { columns: readonly string[]; values: readonly unknown[] };
  return f.values.map((row) => Object.fromEntries(f.columns.map((c, j) => [c, (row as unknown[])[j]])));
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
