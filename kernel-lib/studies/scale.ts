/**
 * The scale a study trains at, one row per model size × training length (`scale.csv`): what the
 * verdicts' "at this scale" means, next to the paper's scale in the study notebooks.
 *
 * - **parameters** are non-embedding parameters (`nonEmbeddingParamCount`: every weight outside
 *   the token and position embedding tables) — the "N" of scaling-law papers and what RegMix's
 *   "1M" counts. The `1M` preset is named by this count (991,616); `445k` by its total (445,952;
 *   396,800 non-embedding).
 * - **training tokens** are the tokens a model was trained on, steps × batch × T; mixlab's models
 *   read bytes, so a token is a byte. A model continued from another (MergeMix's experts, a
 *   finetune) counts the tokens of the model it started from too: what it has seen in all.
 */
import { nonEmbeddingParamCount } from "../model/config.js";
import { recipeModelConfig, recipeTokens, type TrainRecipe } from "../train/recipe.js";
import { toCsv } from "../util/csv.js";
import { toMarkdown } from "../viz/table.js";

type RecipeSize = Pick<TrainRecipe, "preset" | "overrides" | "steps" | "batchSize" | "seqLen">;

/** One model a study trains: its recipe, the stage it belongs to and the model it continues, if any. */
export interface StudyTraining {
  stage: string;
  recipe: RecipeSize;
  /** the recipe of the model this one is continued from (its tokens count too) */
  continues?: RecipeSize;
}

/** One row of `scale.csv`. */
export interface ScaleRow extends Record<string, string | number> {
  rung: string;
  parameters: number;
  training_tokens: number;
  tokens_per_parameter: number;
  models: number;
}

const shape = (r: RecipeSize) => `${r.steps} × ${r.batchSize} × ${r.seqLen}`;

/**
 * Group a study's trainings by model size × training tokens, in the order each size first
 * appears; the rung names the preset, the recipe and the stages it serves.
 *
 * @example
 * scaleRows([{ stage: "sweep", recipe: { preset: "tiny", steps: 500, batchSize: 16, seqLen: 64 } }]);
 * // [{ rung: "tiny, 500 × 16 × 64 (sweep)", parameters: 99328, training_tokens: 512000, tokens_per_parameter: 5.15…, models: 1 }]
 */
export function scaleRows(trainings: readonly StudyTraining[]): ScaleRow[] {
  const groups = new Map<string, { label: string; parameters: number; tokens: number; stages: string[]; models: number }>();
  for (const t of trainings) {
    const parameters = nonEmbeddingParamCount(recipeModelConfig(t.recipe));
    const tokens = recipeTokens(t.recipe) + (t.continues ? recipeTokens(t.continues) : 0);
    const label = t.continues ? `${t.recipe.preset}, ${shape(t.continues)} then ${shape(t.recipe)} continued` : `${t.recipe.preset}, ${shape(t.recipe)}`;
    const key = `${parameters}|${tokens}|${label}`;
    const g = groups.get(key) ?? { label, parameters, tokens, stages: [], models: 0 };
    if (!g.stages.includes(t.stage)) g.stages.push(t.stage);
    g.models++;
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({
    rung: `${g.label} (${g.stages.join(", ")})`,
    parameters: g.parameters,
    training_tokens: g.tokens,
    tokens_per_parameter: g.tokens / g.parameters,
    models: g.models,
  }));
}

/** The columns of `scale.csv`, in order. */
export const SCALE_COLUMNS = ["rung", "parameters", "training_tokens", "tokens_per_parameter", "models"] as const;

/**
 * `scale.csv`: the rows in full precision.
 *
 * @example
 * scaleCsv(scaleRows(trainings)).split("\n")[0]; // "rung,parameters,training_tokens,tokens_per_parameter,models"
 */
export function scaleCsv(rows: readonly ScaleRow[]): string {
  return toCsv([...SCALE_COLUMNS], rows.map((r) => SCALE_COLUMNS.map((c) => r[c])));
}

/**
 * The report's scale section (markdown).
 *
 * @example
 * scaleMarkdown(scaleRows(trainings)).startsWith("### Scale"); // true
 */
export function scaleMarkdown(rows: readonly ScaleRow[]): string {
  return ["", "### Scale", "", "Every model the study trains, by size × training length (`scale.csv`): non-embedding parameters; training tokens are bytes (steps × batch × T; a continued model counts the tokens of the model it started from).", "", toMarkdown(rows, { digits: 2 }), ""].join("\n");
}
