/**
 * MergeMix step 2 — one expert per domain group, each continued from the shared base model
 * (step 1, trained in `run.ts` on a general mixture, default the token prior) for a short
 * horizon with a constant learning rate (`mergeMixRecipes`). Every model is one `trainAndScore` call;
 * models "trained for comparison" (the rank-consistency study, the final comparison) are the
 * same call from the base with the expert recipe.
 */
import type { Corpus } from "../data/corpus.js";
import type { ValidationSet } from "../data/validation.js";
import type { GptEngine } from "../model/engine.js";
import type { GptModel } from "../model/params.js";
import type { TrainRecipe } from "../train/recipe.js";
import { trainAndScore, type TrainedModel } from "../train/train-and-score.js";
import { deriveSeed } from "../util/rng.js";
import { groupMixture } from "./groups.js";

/** An expert: its group, the group's domains and the continued model. */
export type Expert = TrainedModel & { group: string; domains: string[] };

/**
 * One expert per group, each continued from the base on its group's data (token-prior
 * proportions inside the group). Expert seeds are derived from `seed` and the group name.
 *
 * @example
 * const experts = await trainExperts(corpus, base.model, groups, recipes.expert, 1, engine, sets);
 */
export async function trainExperts(
  corpus: Corpus, base: GptModel, groups: Readonly<Record<string, readonly string[]>>, recipe: TrainRecipe, seed: number, engine: GptEngine, sets: ValidationSet[],
): Promise<Expert[]> {
  const out: Expert[] = [];
  for (const [group, domains] of Object.entries(groups)) {
    const t = await trainAndScore(corpus, groupMixture(corpus, domains), recipe, deriveSeed(seed, `expert:${group}`), { from: base, engine, eval: { sets } });
    out.push({ ...t, group, domains: [...domains] });
  }
  return out;
}
