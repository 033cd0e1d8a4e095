/**
 * Task dependencies: a kind's `dependencies` orders the plan; the local pool (inline and
 * forked) and the Slurm dry run honour them. The workload is `chain-test` (chain-kind.ts):
 * leaves → sum → double, plus one independent task; pure arithmetic, milliseconds per task.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { checkDependencies, dependencyLevels } from "../../kernel-lib/experiment/dependencies.js";
import { runLocalPool } from "../../kernel-lib/experiment/executors/local-pool.js";
import { openTaskRunner, runTaskAt } from "../../kernel-lib/experiment/run-one.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { openStore, scanRuns } from "../../kernel-lib/experiment/store.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import type { ChainResult } from "./chain-kind.js";
import "./chain-kind.js"; // registers chain-test in this process
import { tempDir, writeConfig } from "./helpers.js";

// forked pool workers and `mixlab` child processes import the toy kind too
process.env.MIXLAB_KIND_MODULES = fileURLToPath(new URL("./chain-kind.ts", import.meta.url));
afterEach(() => {
  delete process.env.CHAIN_TEST_FAIL;
  delete process.env.CHAIN_TEST_HOLD;
});

const chain = (extra: Record<string, unknown> = {}) => ({ kind: "chain-test", version: 1, seed: 3, leaves: 4, ...extra });
const quiet = { log: () => {}, png: false } as const;
const results = (dir: string) => Object.fromEntries(scanRuns(openStore(dir)).done.map((r) => [r.taskId, r.result as ChainResult]));

describe("checking and levelling dependencies", () => {
  it("normalises valid lists and names the bad ones", () => {
    expect(checkDependencies([[], [], [1, 0, 1]], 3, "x")).toEqual([[], [], [0, 1]]);
    const bad = (deps: number[][], n: number) => { try { checkDependencies(deps, n, "x"); return null; } catch (e) { return e as { code: string; message: string }; } };
    expect(bad([[], [1]], 2)).toMatchObject({ code: "PLAN_BAD_DEPENDENCY", message: "x: task 1 waits for itself" });
    expect(bad([[1], []], 2)).toMatchObject({ code: "PLAN_BAD_DEPENDENCY", message: expect.stringContaining("task 0 waits for a later task (1)") });
    expect(bad([[], [0.5]], 2)?.code).toBe("PLAN_BAD_DEPENDENCY");
    expect(bad([[]], 2)).toMatchObject({ code: "PLAN_BAD_DEPENDENCY", message: expect.stringContaining("1 entries for a plan of 2 tasks") });
  });

  it("groups pending tasks into levels; finished dependencies do not count", () => {
    const after = [[], [], [0, 1], [2], []];
    expect(dependencyLevels([0, 1, 2, 3, 4], (i) => after[i])).toEqual([[0, 1, 4], [2], [3]]);
    expect(dependencyLevels([2, 3], (i) => after[i])).toEqual([[2], [3]]);
    expect(dependencyLevels([3, 1], (i) => after[i])).toEqual([[1, 3]]);
  });
});

describe("task dependencies (chain-test kind)", () => {
  it("a bad dependency (self, forward, wrong count) stops the run with PLAN_BAD_DEPENDENCY before any work", async () => {
    const dir = tempDir("deps-bad");
    for (const badDependency of ["self", "forward", "count"]) {
      const out = join(dir, badDependency);
      await expect(runExperiment({ config: parseExperimentConfig(chain({ badDependency })), out, workers: 0, ...quiet })).rejects.toMatchObject({ code: "PLAN_BAD_DEPENDENCY" });
      expect(existsSync(out)).toBe(false);
    }
    // the CLI exits 2 like other config errors (and loads the kind from MIXLAB_KIND_MODULES)
    const config = writeConfig(dir, "bad", chain({ badDependency: "self" }));
    const r = spawnSync(process.execPath, ["--import", "tsx", join(projectRoot(), "kernel-lib", "cli", "main.ts"), "run", config, "--out", join(dir, "cli"), "--workers", "0"], { cwd: projectRoot(), encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/error\[PLAN_BAD_DEPENDENCY\]: .*task 4 waits for itself/);
  });

  it("inline: dependents run after their dependencies and receive their runs in ctx.dependencies; plan.json records them", async () => {
    const dir = tempDir("deps-inline");
    const lines: string[] = [];
    const r = await runExperiment({ config: parseExperimentConfig(chain()), out: join(dir, "a"), workers: 0, png: false, log: (l) => lines.push(l) });
    expect(r).toMatchObject({ total: 7, done: 7, ran: 7, failed: [], blocked: [], missing: [] });
    const plan = JSON.parse(readFileSync(join(r.dir, "plan.json"), "utf8")) as { tasks: { after: number[] }[] };
    expect(plan.tasks.map((t) => t.after)).toEqual([[], [], [], [], [0, 1, 2, 3], [4], []]);
    const res = results(r.dir);
    const leaves = ["run-0000", "run-0001", "run-0002", "run-0003"];
    expect(res["run-0004"].inputs).toEqual(leaves);
    expect(res["run-0004"].value).toBe(leaves.reduce((s, id) => s + res[id].value, 0));
    expect(res["run-0005"]).toEqual({ value: 2 * res["run-0004"].value, inputs: ["run-0004"] });
    expect(res["run-0006"]).toEqual({ value: 6, inputs: [] });
    // done lines come in an order that respects the dependencies
    const order = lines.map((l) => /\] (run-\d+)/.exec(l)?.[1]).filter(Boolean);
    expect(order.indexOf("run-0004")).toBeGreaterThan(Math.max(...leaves.map((id) => order.indexOf(id))));
    expect(order.indexOf("run-0005")).toBeGreaterThan(order.indexOf("run-0004"));
  });

  it("a forked pool runs other ready tasks while a dependent waits, and gives the inline results", async () => {
    const dir = tempDir("deps-forked");
    const cfg = chain({ leaves: 2 });
    const inline = await runExperiment({ config: parseExperimentConfig(cfg), out: join(dir, "inline"), workers: 0, ...quiet });
    // run-0001 (a leaf) holds until run-0004 (the independent task, after sum and double in plan
    // order) is stored: only a pool that skips the waiting sum can finish
    process.env.CHAIN_TEST_HOLD = "run-0001>run-0004";
    const forked = await runExperiment({ config: parseExperimentConfig(cfg), out: join(dir, "forked"), workers: 2, ...quiet });
    expect(forked).toMatchObject({ done: 5, ran: 5, failed: [], blocked: [] });
    expect(results(forked.dir)).toEqual(results(inline.dir));
    const runs = scanRuns(openStore(forked.dir)).done;
    const at = (id: string) => Date.parse(runs.find((x) => x.taskId === id)!.meta.finishedAt);
    expect(at("run-0002")).toBeGreaterThanOrEqual(at("run-0001")); // sum after its last leaf
    expect(at("run-0003")).toBeGreaterThanOrEqual(at("run-0002"));
    expect(new Set(runs.map((x) => x.meta.executor))).toEqual(new Set(["local"]));
  });

  it.each([0, 2])("a failing dependency blocks its dependents, not independent tasks (--keep-going, workers %i); a fixed re-run finishes them", async (workers) => {
    const dir = tempDir("deps-fail");
    const config = parseExperimentConfig(chain());
    const out = join(dir, "results");
    process.env.CHAIN_TEST_FAIL = "run-0001";
    const lines: string[] = [];
    const r = await runExperiment({ config, out, workers, keepGoing: true, png: false, log: (l) => lines.push(l) });
    expect(r.failed.map((f) => [f.taskId, f.code])).toEqual([["run-0001", "CHAIN_TEST_FAILED"]]);
    expect(r.blocked).toEqual([
      { taskId: "run-0004", dependency: "run-0001", message: "run-0004 not started: it waits for run-0001, which failed" },
      { taskId: "run-0005", dependency: "run-0001", message: "run-0005 not started: it waits for run-0004, which is blocked because run-0001 failed" },
    ]);
    expect(r.missing).toEqual(["run-0001", "run-0004", "run-0005"]);
    expect(r.done).toBe(4); // leaves 0, 2, 3 and the independent run-0006
    expect(lines).toContain("BLOCKED run-0004 not started: it waits for run-0001, which failed");
    expect(lines.some((l) => /1 failed, 2 blocked by a failed dependency/.test(l))).toBe(true);

    delete process.env.CHAIN_TEST_FAIL; // "fixed": the same config resumes
    const again = await runExperiment({ config, out, workers, ...quiet });
    expect(again).toMatchObject({ ran: 3, done: 7, failed: [], blocked: [], missing: [] });
    const res = results(out);
    expect(res["run-0004"].inputs).toEqual(["run-0000", "run-0001", "run-0002", "run-0003"]);
    expect(res["run-0005"].value).toBe(2 * res["run-0004"].value);
  });

  it("without --keep-going a failure stops the pool: dependents are blocked, the rest not started", async () => {
    const dir = tempDir("deps-stop");
    process.env.CHAIN_TEST_FAIL = "run-0001";
    const r = await runExperiment({ config: parseExperimentConfig(chain()), out: join(dir, "r"), workers: 0, ...quiet });
    expect(r.failed.map((f) => f.taskId)).toEqual(["run-0001"]);
    expect(r.blocked.map((b) => b.taskId)).toEqual(["run-0004", "run-0005"]);
    expect(r.missing).toEqual(["run-0001", "run-0002", "run-0003", "run-0004", "run-0005", "run-0006"]);
  });

  it("run-task refuses a task whose dependencies have no result (TASK_DEPENDENCY_MISSING)", async () => {
    const dir = tempDir("deps-task");
    const r = await runExperiment({ config: parseExperimentConfig(chain()), out: join(dir, "r"), executor: "slurm", slurm: { dryRun: true }, ...quiet });
    const runner = openTaskRunner(r.dir);
    await runTaskAt(runner, 0, { executor: "inline" });
    await expect(runTaskAt(runner, 4, { executor: "inline" })).rejects.toMatchObject({
      code: "TASK_DEPENDENCY_MISSING",
      message: expect.stringContaining("run-0004 waits for run-0001 (no result), run-0002 (no result), run-0003 (no result)"),
    });
  });

  it("Slurm dry run: one script per dependency level, each later level submitted with --dependency=afterok", async () => {
    const dir = tempDir("deps-slurm");
    const out = join(dir, "results");
    const config = parseExperimentConfig(chain());
    const lines: string[] = [];
    const r = await runExperiment({ config, out, executor: "slurm", slurm: { dryRun: true }, png: false, log: (l) => lines.push(l) });
    expect(r.ran).toBe(0);
    expect(r.slurm!.levels.map((l) => [l.script.slice(out.length), l.indices])).toEqual([
      ["/slurm/level-0.sbatch", [0, 1, 2, 3, 6]],
      ["/slurm/level-1.sbatch", [4]],
      ["/slurm/level-2.sbatch", [5]],
    ]);
    expect(r.slurm!.script).toBe(r.slurm!.levels[0].script);
    const text = r.slurm!.levels.map((l) => readFileSync(l.script, "utf8"));
    expect(text[0]).toContain("#SBATCH --array=0-3,6\n");
    expect(text[1]).toContain("#SBATCH --array=4\n");
    expect(text[2]).toContain("#SBATCH --array=5\n");
    expect(text[0]).not.toContain("--dependency=afterok:");
    expect(text[1]).toContain("--dependency=afterok:<job id of level 0> --kill-on-invalid-dep=yes");
    expect(text[2]).toContain("--dependency=afterok:<job id of level 1>");
    for (const t of text) expect(t.trimEnd().split("\n").at(-1)).toMatch(/mixlab run-task .* "\$SLURM_ARRAY_TASK_ID"$/);
    // the sbatch commands, in order, printed and in submit.sh
    const submit = readFileSync(join(out, "slurm", "submit.sh"), "utf8");
    const cmds = submit.split("\n").filter((l) => l.startsWith("job"));
    expect(cmds).toHaveLength(3);
    expect(cmds[0]).toMatch(/^job0=\$\(sbatch --parsable \S*level-0\.sbatch \| cut -d';' -f1\)$/);
    expect(cmds[1]).toMatch(/^job1=\$\(sbatch --parsable --dependency=afterok:\$job0 --kill-on-invalid-dep=yes \S*level-1\.sbatch/);
    expect(cmds[2]).toMatch(/^job2=\$\(sbatch --parsable --dependency=afterok:\$job1 --kill-on-invalid-dep=yes \S*level-2\.sbatch/);
    for (const c of cmds) expect(lines).toContain(`  ${c}`);

    // after level 0 finished locally, the next dry run covers only the sum and the double…
    await runLocalPool(out, [0, 1, 2, 3, 6], { workers: 0 });
    const again = await runExperiment({ config, out, executor: "slurm", slurm: { dryRun: true }, ...quiet });
    expect(again.slurm!.levels.map((l) => l.indices)).toEqual([[4], [5]]);
    // …and with one level left it is the plain single script
    await runLocalPool(out, [4], { workers: 0 });
    const last = await runExperiment({ config, out, executor: "slurm", slurm: { dryRun: true }, ...quiet });
    expect(last.slurm!.levels).toHaveLength(1);
    expect(last.slurm!.script).toBe(join(out, "slurm", "sweep.sbatch"));
    expect(readFileSync(last.slurm!.script, "utf8")).toContain("#SBATCH --array=5\n");
  });
});
