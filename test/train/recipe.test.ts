// The recipe schema as the one place a recipe's defaults and its blockSize rule live, and the
// trainer taking a recipe: what it trains with is exactly what the schema completes.
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { initModel } from "../../kernel-lib/model/params.js";
import { trainProxy } from "../../kernel-lib/train/loop.js";
import { recipeSchedule, resolveRecipe, seqLenIssue, trainRecipeSchema } from "../../kernel-lib/train/recipe.js";
import { lrAt } from "../../kernel-lib/train/schedule.js";
import { MixlabError } from "../../kernel-lib/util/errors.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";
import { smallConfig } from "../model/helpers.js";

const corpus = loadCorpus(fixtureCorpusDir());
const tiny = { preset: "tiny" as const, steps: 500, batchSize: 8, seqLen: 64, lr: 1e-3 };
const codeOf = async (f: () => unknown): Promise<string | null> => {
  try { await f(); return null; } catch (e) { return e instanceof MixlabError ? e.code : "not a MixlabError"; }
};

describe("the recipe schema's defaults", () => {
  it("fills schedule, minLrRatio and the warm-up min(100, ⌊steps/10⌋); what a recipe gives wins", () => {
    expect(recipeSchedule(resolveRecipe(tiny))).toEqual({ kind: "cosine", lr: 1e-3, warmupSteps: 50, totalSteps: 500, minLrRatio: 0.1 });
    expect(recipeSchedule(resolveRecipe({ ...tiny, steps: 5000 })).warmupSteps).toBe(100);
    expect(recipeSchedule(resolveRecipe({ ...tiny, steps: 9 })).warmupSteps).toBe(0);
    expect(recipeSchedule(resolveRecipe({ ...tiny, schedule: "linear", warmupSteps: 7, minLrRatio: 0.3 }))).toEqual({ kind: "linear", lr: 1e-3, warmupSteps: 7, totalSteps: 500, minLrRatio: 0.3 });
    // a config's own schedule default (RegMix's proxies, MergeMix's experts) applies only where none is written
    expect(resolveRecipe(tiny, { schedule: "constant" }).schedule).toBe("constant");
    expect(resolveRecipe({ ...tiny, schedule: "cosine" }, { schedule: "constant" }).schedule).toBe("cosine");
    // resolving is idempotent and agrees with the schema a config embeds
    expect(resolveRecipe(resolveRecipe(tiny))).toEqual(trainRecipeSchema().parse(tiny));
  });

  it("states seqLen ≤ blockSize once: the schema, the trainer's check and config checks give the same message", () => {
    expect(seqLenIssue(64, { blockSize: 64 })).toBeNull();
    expect(seqLenIssue(65, { blockSize: 64 }, "the tiny model")).toBe("65 exceeds the tiny model's blockSize 64");
    expect(() => resolveRecipe({ ...tiny, seqLen: 65 })).toThrow("recipe seqLen: 65 exceeds the tiny model's blockSize 64");
    expect(() => resolveRecipe({ ...tiny, overrides: { blockSize: 128 }, seqLen: 128 })).not.toThrow();
    expect(() => resolveRecipe({ ...tiny, steps: 0 }, {}, "SOME_CODE")).toThrow(/recipe steps/);
  });
});

describe("trainProxy takes a recipe", () => {
  it("trains with the schedule the schema completes (every step's lr is lrAt of recipeSchedule)", async () => {
    const recipe = { preset: "tiny" as const, steps: 20, batchSize: 2, seqLen: 16, lr: 2e-3 };
    const r = await trainProxy(corpus, Mixture.uniform(corpus.domains), recipe, 3, { evalWindows: 1, backend: "fused" });
    const schedule = recipeSchedule(resolveRecipe(recipe));
    expect(r.trainer.schedule).toEqual(schedule);
    expect(schedule.warmupSteps).toBe(2);
    expect(r.history.map((h) => h.lr)).toEqual(Array.from({ length: 20 }, (_, s) => lrAt(schedule, s)));
    r.dispose();
  });

  it("rejects a bad recipe, or one whose windows do not fit the continued model, before training (TRAIN_BAD_CONFIG)", async () => {
    const mixture = Mixture.uniform(corpus.domains);
    expect(await codeOf(() => trainProxy(corpus, mixture, { ...tiny, seqLen: 65 }, 1))).toBe("TRAIN_BAD_CONFIG");
    expect(await codeOf(() => trainProxy(corpus, mixture, { ...tiny, lr: -1 }, 1))).toBe("TRAIN_BAD_CONFIG");
    // the recipe names a 64-window model, the continued one has blockSize 16
    const from = initModel(smallConfig({ blockSize: 16 }), 1);
    await expect(trainProxy(corpus, mixture, { ...tiny, steps: 2, seqLen: 32 }, 1, { from })).rejects.toThrow("recipe seqLen: 32 exceeds the model's blockSize 16");
  });
});
