import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadExperimentConfig, parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { mergeMixRecipes, parseMergeMixConfig, type MergeMixSettings } from "../../kernel-lib/mergemix/index.js";
import { recipeSchedule, trainRecipeSchema } from "../../kernel-lib/train/recipe.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";

const file = join(projectRoot(), "experiments", "mergemix-quick.json");
const base = (): Record<string, unknown> => JSON.parse(JSON.stringify(loadExperimentConfig(file).fields)) as Record<string, unknown>;

describe("experiments/mergemix-quick.json (the one source of MergeMix's profiles)", () => {
  it("every profile is a valid MergeMix config, and the kit and parseMergeMixConfig read it alike", () => {
    for (const p of [undefined, "ci", "full"]) {
      const loaded = loadExperimentConfig(file, p);
      expect(loaded.kind.name).toBe("mergemix");
      expect(parseMergeMixConfig(loaded.fields, 1)).toEqual({ ...(loaded.fields as MergeMixSettings), seed: 1 });
    }
    expect(loadExperimentConfig(file, "full").fields).toMatchObject({ model: { preset: "1M", overrides: { blockSize: 128 } }, seqLen: 128 });
  });

  it("builds the base and expert recipes from it (experts: constant LR)", () => {
    const { base: b, expert } = mergeMixRecipes(loadExperimentConfig(file).fields as MergeMixSettings);
    expect(b).toMatchObject({ preset: "tiny", steps: 1200, batchSize: 16, seqLen: 64, lr: 0.003, schedule: "cosine", warmupSteps: 60 });
    expect(expert).toMatchObject({ preset: "tiny", steps: 240, lr: 0.001, schedule: "constant", warmupSteps: 10 });
  });

  it("rejects an unknown key, an unknown or repeated consistency group and a too-long seqLen by path", () => {
    const bad = (patch: (c: Record<string, unknown>) => void): (() => unknown) => () => {
      const raw = base();
      patch(raw);
      return parseExperimentConfig({ kind: "mergemix", version: 1, ...raw });
    };
    expect(bad((c) => ((c.experts as Record<string, unknown>).stepz = 3))).toThrow(/stepz/);
    expect(bad((c) => ((c.consistency as { twoDomain: { groups: string[] } }).twoDomain.groups = ["code", "nope"]))).toThrow(/nope/);
    expect(bad((c) => ((c.consistency as { twoDomain: { groups: string[] } }).twoDomain.groups = ["code", "code"]))).toThrow(/two different groups/);
    expect(bad((c) => (c.seqLen = 65))).toThrow(/blockSize 64/);
    expect(() => parseMergeMixConfig({ ...base(), batchSize: 0 }, 1)).toThrow(/MERGEMIX_BAD_CONFIG|batchSize/);
  });

  it("joins the shared model and geometry with each stage's block through the recipe schema", () => {
    const c = loadExperimentConfig(file).fields as MergeMixSettings;
    const shared = { ...c.model, batchSize: c.batchSize, seqLen: c.seqLen };
    const { mixture: _m, ...baseStage } = c.base;
    expect(mergeMixRecipes(c)).toEqual({
      base: trainRecipeSchema().parse({ ...shared, ...baseStage }),
      expert: trainRecipeSchema({ schedule: "constant" }).parse({ ...shared, ...c.experts }),
    });
    // a stage may write any recipe field of its own; it reaches that stage's recipe only
    const more = { ...c, base: { mixture: c.base.mixture, steps: 50, lr: 0.002 }, experts: { ...c.experts, schedule: "linear" as const, minLrRatio: 0.25, maxEpochs: 3, onCap: "renormalise" as const } };
    const r = mergeMixRecipes(parseMergeMixConfig(more, 1));
    expect(r.base).toMatchObject({ schedule: "cosine", minLrRatio: 0.1, steps: 50 });
    expect(r.base.maxEpochs).toBeUndefined();
    expect(recipeSchedule(r.base).warmupSteps).toBe(5); // min(100, ⌊50/10⌋)
    expect(r.expert).toMatchObject({ schedule: "linear", minLrRatio: 0.25, maxEpochs: 3, onCap: "renormalise", warmupSteps: 10 });
    // hand-built settings that were never parsed are checked when joined
    expect(() => mergeMixRecipes({ ...c, seqLen: 65 })).toThrow("recipe seqLen: 65 exceeds the tiny model's blockSize 64");
    expect(() => mergeMixRecipes({ ...c, experts: { ...c.experts, lr: 0 } })).toThrow(expect.objectContaining({ code: "MERGEMIX_BAD_CONFIG" }));
  });

  it("keeps the parsed form what the files write: the recipe defaults are not added to a config (stores compare it)", () => {
    for (const name of ["mergemix-quick", "mergemix-study", "mergemix-compare", "compare"]) {
      const path = join(projectRoot(), "experiments", `${name}.json`);
      const raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, Record<string, unknown>>;
      const written = (raw.mergemix ?? raw) as Record<string, Record<string, unknown>>;
      const fields = loadExperimentConfig(path).fields as Record<string, Record<string, unknown>>;
      const parsed = (fields.mergemix ?? fields) as Record<string, Record<string, unknown>>;
      for (const block of ["model", "base", "experts"]) expect(parsed[block], `${name}: ${block}`).toEqual(written[block]);
    }
  });
});
