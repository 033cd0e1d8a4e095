import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperimentConfig, mergeOverrides, parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import { bigramConfig, proxyConfig, tempDir, writeConfig } from "./helpers.js";

/** The MixlabError code and message thrown by `fn`. */
function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  throw new Error("expected an error");
}

describe("experiment config validation", () => {
  it("names an unknown key at the top level, nested, and inside a profile", () => {
    const top = errorOf(() => parseExperimentConfig({ ...bigramConfig(), tokenz: 5 }, { source: "x.json" }));
    expect(top.code).toBe("CONFIG_UNKNOWN_KEY");
    expect(top.message).toContain('unknown key "tokenz"');
    expect(top.message).toMatch(/^x\.json: /);

    const nested = errorOf(() => parseExperimentConfig({ ...proxyConfig(), train: { steps: 5, lr: 0.01, stepz: 3 } }));
    expect(nested.code).toBe("CONFIG_UNKNOWN_KEY");
    expect(nested.message).toContain('train: unknown key "stepz"');

    const inProfile = errorOf(() => parseExperimentConfig({ ...proxyConfig(), profiles: { full: { train: { lrr: 1 } } } }, { source: "p.json" }));
    expect(inProfile.code).toBe("CONFIG_UNKNOWN_KEY");
    expect(inProfile.message).toContain('(profile "full")');
    expect(inProfile.message).toContain('train: unknown key "lrr"');
  });

  it("names a wrong type with its path and the value found", () => {
    const e = errorOf(() => parseExperimentConfig({ ...proxyConfig(), train: { steps: "100", lr: 0.01 } }));
    expect(e.code).toBe("CONFIG_WRONG_TYPE");
    expect(e.message).toContain('train.steps: expected number, got string "100"');
    const arr = errorOf(() => parseExperimentConfig({ ...bigramConfig(), mixtures: [{ source: "dirichlet", count: 2.5 }] }));
    expect(arr.message).toContain("mixtures[0].count");
  });

  it("names a missing field", () => {
    const { tokens: _drop, ...rest } = bigramConfig();
    const e = errorOf(() => parseExperimentConfig(rest));
    expect(e.code).toBe("CONFIG_MISSING_FIELD");
    expect(e.message).toContain("tokens: required field is missing");
    const noKind = errorOf(() => parseExperimentConfig({ version: 1 }));
    expect(noKind.code).toBe("CONFIG_MISSING_FIELD");
    expect(noKind.message).toContain("kind: required field is missing");
  });

  it("checks a kind's cross-field rules at load time (seqLen vs the preset's context)", () => {
    const e = errorOf(() => parseExperimentConfig({ ...proxyConfig(), train: { steps: 5, lr: 0.01, seqLen: 65 } }));
    expect(e.code).toBe("CONFIG_INVALID");
    expect(e.message).toContain("train.seqLen: 65 exceeds the tiny preset's blockSize 64");
  });

  it("rejects an unknown kind, version, and profile by name", () => {
    expect(errorOf(() => parseExperimentConfig({ ...bigramConfig(), kind: "nope" })).message).toMatch(/no experiment kind "nope" \(known: .*bigram-sweep/);
    expect(errorOf(() => parseExperimentConfig({ ...bigramConfig(), version: 2 })).code).toBe("CONFIG_VERSION");
    const p = errorOf(() => parseExperimentConfig({ ...bigramConfig(), profiles: { ci: {} } }, { profile: "full" }));
    expect(p.code).toBe("CONFIG_UNKNOWN_PROFILE");
    expect(p.message).toContain("defined: ci");
    expect(errorOf(() => parseExperimentConfig({ ...bigramConfig(), profiles: { ci: { kind: "proxy-sweep" } } })).message).toContain('cannot override "kind"');
  });

  it("reports file problems with their own codes", () => {
    const dir = tempDir("cfg");
    expect(errorOf(() => loadExperimentConfig(join(dir, "absent.json"))).code).toBe("CONFIG_NOT_FOUND");
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ not json");
    expect(errorOf(() => loadExperimentConfig(bad)).code).toBe("CONFIG_NOT_JSON");
  });

  it("applies a profile as a deep merge and records the resolved config", () => {
    const exp = parseExperimentConfig({ ...proxyConfig(), profiles: { quick: { seed: 9, train: { steps: 3 } } } }, { profile: "quick" });
    expect(exp.profile).toBe("quick");
    expect(exp.seed).toBe(9);
    expect(exp.resolved.train).toEqual({ steps: 3, batchSize: 4, seqLen: 32, lr: 0.003, schedule: "cosine", minLrRatio: 0.1 });
    expect(mergeOverrides({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] } })).toEqual({ a: { b: 1, c: [3] } });
  });

  it("takes a default results directory from `results` (a profile may set it), inside the project and outside `resolved`", () => {
    const cfg = { ...bigramConfig(), results: "results/studies/x", profiles: { ci: { results: "results/studies/x-ci" }, other: {} } };
    expect(parseExperimentConfig(cfg).results).toBe("results/studies/x");
    expect(parseExperimentConfig(cfg, { profile: "ci" }).results).toBe("results/studies/x-ci");
    expect(parseExperimentConfig(cfg, { profile: "other" }).results).toBe("results/studies/x");
    expect(parseExperimentConfig(cfg).resolved.results).toBeUndefined(); // a store can move without a config mismatch
    expect(errorOf(() => parseExperimentConfig({ ...cfg, results: "../elsewhere" })).message).toMatch(/results/);
    expect(errorOf(() => parseExperimentConfig({ ...cfg, profiles: { ci: { results: "/abs" } } }, { profile: "ci" })).message).toMatch(/results/);
  });

  it("fails before any work starts: no results directory is created", async () => {
    const dir = tempDir("cfg-nowork");
    const path = writeConfig(dir, "typo", { ...bigramConfig(), smoothin: 1 });
    const out = join(dir, "results");
    await expect(runExperiment({ config: path, out, log: () => {} })).rejects.toMatchObject({ code: "CONFIG_UNKNOWN_KEY" });
    expect(existsSync(out)).toBe(false);
  });

  it("every shipped experiments/*.json validates in every profile", async () => {
    const dir = join(projectRoot(), "experiments");
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files).toContain("proxy-sweep-tiny.json");
    for (const f of files) {
      const base = loadExperimentConfig(join(dir, f));
      for (const p of base.profiles) expect(loadExperimentConfig(join(dir, f), p).profile).toBe(p);
    }
    // The CI profile of the tiny sweep is the 4-task array .ci/slurm-test.sh expects.
    const ci = loadExperimentConfig(join(dir, "proxy-sweep-tiny.json"), "ci");
    expect(ci.resolved.corpus).toBe("fixture");
    expect(await ci.kind.plan(ci.fields, { seed: 42, profile: "ci" })).toHaveLength(4);
  });
});
