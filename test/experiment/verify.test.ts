// `mixlab verify --retrain`: retrains sampled runs in a scratch copy, compares them with the
// committed records (exact on the same engine build), never writes the store, and catches an
// edited record.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { currentEngineBuild } from "../../kernel-lib/experiment/backend.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { sha256Hex } from "../../kernel-lib/experiment/json.js";
import { compareResults, compareVerdicts, verifyRetrain } from "../../kernel-lib/experiment/verify.js";
import { bigramConfig, tempDir } from "./helpers.js";

/** sha256 over every file of a store (name + bytes), to show it was not written. */
function storeDigest(dir: string): string {
  const h = createHash("sha256");
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, name.name);
      if (name.isDirectory()) walk(p);
      else h.update(p).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest("hex");
}

describe("compareResults", () => {
  it("reports the largest absolute and relative difference per field, and non-numeric differences by path", () => {
    const d = compareResults(
      { losses: { a: 2.5, b: 10 }, name: "x", mixture: [0.5, 0.5], steps: 3 },
      { losses: { a: 2.5005, b: 10.001 }, name: "y", mixture: [0.5, 0.25, 0.25], steps: 3 },
    );
    const by = Object.fromEntries(d.map((f) => [f.field, f]));
    expect(by.losses.numbers).toBe(2);
    expect(by.losses.maxAbs).toBeCloseTo(0.001, 12); // b's
    expect(by.losses.maxRel).toBeCloseTo(0.0005 / 2.5, 12); // a's 2e-4 beats b's 0.001 / 10 = 1e-4
    expect(by.name.mismatches).toEqual(["name"]);
    expect(by.mixture.mismatches).toContain("mixture.length");
    expect(by.mixture.mismatches.some((m) => m.includes("only in the retrained run"))).toBe(true);
    expect(by.steps).toMatchObject({ maxAbs: 0, mismatches: [] });
  });
});

describe("compareVerdicts", () => {
  it("tells a changed verdict from a moved value, and a lost or new row", () => {
    const before = 'claim,measure,value,verdict\n1. a,rho,"0.929 [0.863, 0.958]",inconclusive\n2. b,d,"0.1 [0.0, 0.2]",holds\n3. c,x,1,holds\n';
    const after = 'claim,measure,value,verdict\n1. a,rho,"0.928 [0.861, 0.959]",inconclusive\n2. b,d,"0.1 [-0.1, 0.2]",inconclusive\n4. d,x,1,holds\n';
    const c = compareVerdicts(before, after);
    expect(c.valueChanges).toEqual(["1. a: 0.929 [0.863, 0.958] → 0.928 [0.861, 0.959]"]);
    expect(c.verdictChanges).toEqual(["2. b: holds → inconclusive", "3. c: holds → (row gone)", "4. d: (new row) → holds"]);
    expect(compareVerdicts(before, before)).toEqual({ verdictChanges: [], valueChanges: [] });
  });
});

describe("verifyRetrain", () => {
  it("retrains sampled runs bit for bit on the same build, leaves the store untouched, and flags an edited record", async () => {
    const dir = tempDir("verify");
    const out = join(dir, "store");
    await runExperiment({ config: parseExperimentConfig(bigramConfig()), out, workers: 0, png: false, log: () => {} });
    const build = await currentEngineBuild();
    const record = JSON.parse(readFileSync(join(out, "runs", "run-0002.json"), "utf8")) as { meta: { engineBuild?: { buildId: string } } };
    expect(record.meta.engineBuild?.buildId).toBe(build?.buildId); // every new record names its build

    const before = storeDigest(out);
    const r = await verifyRetrain(out, { count: 2, seed: 3 });
    expect(r.runs).toHaveLength(2);
    expect(r.ok).toBe(true);
    for (const c of r.runs) {
      expect(c.rule).toBe("same build");
      expect(c.fields.every((f) => f.maxAbs === 0 && f.mismatches.length === 0)).toBe(true);
    }
    expect(r.verdictsUnchanged).toBeNull(); // a bigram sweep has no verdict table
    expect(storeDigest(out)).toBe(before);

    // An edit with a recomputed checksum is accepted by the store (checksums catch accidents,
    // not edits) — verify catches it.
    const path = join(out, "runs", "run-0001.json");
    const text = readFileSync(path, "utf8");
    const payload = JSON.parse(text.replace(/,"sha256":"[0-9a-f]{64}"\}\n?$/, "}")) as { result: Record<string, unknown> };
    const losses = payload.result.validation as Record<string, number>;
    const first = Object.keys(losses)[0];
    losses[first] += 0.01;
    const body = JSON.stringify(payload);
    writeFileSync(path, `${body.slice(0, -1)},"sha256":"${sha256Hex(body)}"}\n`);
    const bad = await verifyRetrain(out, { count: 1, ids: ["run-0001"] });
    expect(bad.ok).toBe(false);
    const losses1 = bad.runs[0].fields.find((f) => f.field === "validation");
    expect(losses1?.maxAbs).toBeCloseTo(0.01, 6);
  });

  it("names bad requests", async () => {
    const dir = tempDir("verify-bad");
    const out = join(dir, "store");
    await runExperiment({ config: parseExperimentConfig(bigramConfig()), out, workers: 0, png: false, log: () => {} });
    await expect(verifyRetrain(out, { count: 99 })).rejects.toMatchObject({ code: "VERIFY_BAD_COUNT" });
    await expect(verifyRetrain(out, { count: 1, ids: ["run-9999"] })).rejects.toMatchObject({ code: "VERIFY_UNKNOWN_RUN" });
    await expect(verifyRetrain(out, { count: 1, tolerance: -1 })).rejects.toMatchObject({ code: "VERIFY_BAD_TOLERANCE" });
  });
});
