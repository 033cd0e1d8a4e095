import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadExperimentConfig, parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { FULL_MERGEMIX, QUICK_MERGEMIX, checkMergeMixConfig, type MergeMixConfig } from "../../kernel-lib/mergemix/index.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";

const file = join(projectRoot(), "experiments", "mergemix-quick.json");
const strip = (c: MergeMixConfig): Omit<MergeMixConfig, "seed"> => {
  const { seed: _seed, ...rest } = c;
  return JSON.parse(JSON.stringify(rest)) as Omit<MergeMixConfig, "seed">;
};

describe("experiments/mergemix-quick.json", () => {
  it("its base profile is QUICK_MERGEMIX and its full profile FULL_MERGEMIX (the bench and the CLI run the same thing)", () => {
    const base = loadExperimentConfig(file);
    expect(base.kind.name).toBe("mergemix");
    expect(base.fields).toEqual(strip(QUICK_MERGEMIX));
    expect(base.seed).toBe(QUICK_MERGEMIX.seed);
    expect(loadExperimentConfig(file, "full").fields).toEqual(strip(FULL_MERGEMIX));
  });

  it("every profile is a valid MergeMix config", () => {
    for (const p of ["ci", "full"]) {
      const loaded = loadExperimentConfig(file, p);
      expect(() => checkMergeMixConfig({ ...(loaded.fields as Omit<MergeMixConfig, "seed">), seed: 1 })).not.toThrow();
    }
  });

  it("rejects an unknown key and an unknown consistency group by path", () => {
    const bad = (patch: (c: Record<string, unknown>) => void): (() => unknown) => () => {
      const raw = JSON.parse(JSON.stringify(QUICK_MERGEMIX)) as Record<string, unknown>;
      delete raw.seed;
      patch(raw);
      return parseExperimentConfig({ kind: "mergemix", version: 1, ...raw });
    };
    expect(bad((c) => ((c.experts as Record<string, unknown>).stepz = 3))).toThrow(/stepz/);
    expect(bad((c) => ((c.consistency as { twoDomain: { groups: string[] } }).twoDomain.groups = ["code", "nope"]))).toThrow(/nope/);
  });
});
