import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadExperimentConfig, parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { mergeMixRecipes, parseMergeMixConfig, type MergeMixSettings } from "../../kernel-lib/mergemix/index.js";
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
});
