import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { bigramConfig, tempDir, writeConfig } from "./helpers.js";

const quiet = { log: () => {}, png: false } as const;

describe("resumable runs (bigram-sweep on the fixture corpus, inline)", () => {
  it("a re-run skips finished runs; a corrupt run is reported, set aside and redone identically", async () => {
    const dir = tempDir("resume");
    const config = writeConfig(dir, "sweep", bigramConfig());
    const out = join(dir, "results");
    const first = await runExperiment({ config, out, workers: 0, ...quiet });
    expect(first).toMatchObject({ total: 6, done: 6, ran: 6, failed: [], missing: [] });
    const runs = join(out, "runs");
    const original = Object.fromEntries(readdirSync(runs).map((f) => [f, readFileSync(join(runs, f), "utf8")]));
    const mtimes = Object.fromEntries(readdirSync(runs).map((f) => [f, statSync(join(runs, f)).mtimeMs]));

    // Corrupt one run (a changed digit: valid JSON, wrong checksum) and lose another.
    const victim = join(runs, "run-0002.json");
    writeFileSync(victim, original["run-0002.json"].replace(/"average":(\d)\.(\d)/, (_m, a, b) => `"average":${a}.${(Number(b) + 1) % 10}`));
    rmSync(join(runs, "run-0004.json"));

    const lines: string[] = [];
    const second = await runExperiment({ config, out, workers: 0, log: (l) => lines.push(l) });
    expect(second.ran).toBe(2); // only the corrupt and the missing run
    expect(second.done).toBe(6);
    expect(second.corrupt.map((c) => c.taskId)).toEqual(["run-0002"]);
    expect(second.corrupt[0].reason).toMatch(/checksum mismatch/);
    expect(lines.some((l) => /corrupt: run-0002: checksum mismatch/.test(l))).toBe(true);
    // the bad file is kept aside, not deleted
    expect(readdirSync(runs).filter((f) => f.startsWith("run-0002.json.corrupt-"))).toHaveLength(1);
    // untouched runs were skipped (same bytes, same mtime); redone runs equal the originals' results
    for (const f of ["run-0000.json", "run-0001.json", "run-0003.json", "run-0005.json"]) {
      expect(statSync(join(runs, f)).mtimeMs).toBe(mtimes[f]);
    }
    for (const f of ["run-0002.json", "run-0004.json"]) {
      expect(JSON.parse(readFileSync(join(runs, f), "utf8")).result).toEqual(JSON.parse(original[f]).result);
    }

    // A third run has nothing to do.
    const third = await runExperiment({ config, out, workers: 0, ...quiet });
    expect(third).toMatchObject({ ran: 0, done: 6, corrupt: [] });
  });

  it("--fresh starts over in a new directory and keeps the old one; a changed config is refused", async () => {
    const dir = tempDir("fresh");
    const config = writeConfig(dir, "sweep", bigramConfig({ mixtures: [{ source: "uniform" }] }));
    const out = join(dir, "results");
    await runExperiment({ config, out, workers: 0, ...quiet });
    const before = readFileSync(join(out, "runs", "run-0000.json"), "utf8");
    const fresh = await runExperiment({ config, out, fresh: true, workers: 0, ...quiet });
    expect(fresh.dir).toBe(`${out}-2`);
    expect(fresh.ran).toBe(1);
    expect(readFileSync(join(out, "runs", "run-0000.json"), "utf8")).toBe(before);

    const changed = writeConfig(dir, "sweep", bigramConfig({ mixtures: [{ source: "uniform" }], tokens: 999 }));
    await expect(runExperiment({ config: changed, out, workers: 0, ...quiet })).rejects.toMatchObject({
      code: "RESULTS_CONFIG_MISMATCH",
      message: expect.stringContaining("differs in: tokens"),
    });
    expect(existsSync(`${out}-3`)).toBe(false);
  });
});
