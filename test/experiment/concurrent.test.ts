/**
 * One coordinator per result store (issue 30, case 3), and paths from a store stay inside it
 * (case 11). The workload is `chain-test` (chain-kind.ts): its leaves sleep, so two runs started
 * together really overlap, at no CPU cost.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { openStore, scanRuns } from "../../kernel-lib/experiment/store.js";
import { modelFile } from "../../kernel-lib/studies/mergemix/models.js";
import { acquireLock, lockPathFor } from "../../kernel-lib/util/lock.js";
import { pathInside, projectRoot } from "../../kernel-lib/util/paths.js";
import { runCli, treeSnapshot } from "../cli/helpers.js";
import "./chain-kind.js"; // registers chain-test in this process
import { tempDir, writeConfig } from "./helpers.js";

const KIND_MODULE = fileURLToPath(new URL("./chain-kind.ts", import.meta.url));
process.env.MIXLAB_KIND_MODULES = KIND_MODULE; // `mixlab` children and run-task import the toy kind too
const chain = (extra: Record<string, unknown> = {}) => ({ kind: "chain-test", version: 1, seed: 3, leaves: 8, ...extra });

/** `mixlab ARGS` as a child process: exit code and everything it printed. */
function mixlab(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, ["--import", "tsx", join(projectRoot(), "kernel-lib", "cli", "main.ts"), ...args], { cwd: projectRoot(), stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, MIXLAB_KIND_MODULES: KIND_MODULE } });
    let output = "";
    p.stdout.on("data", (d) => { output += d; });
    p.stderr.on("data", (d) => { output += d; });
    p.on("exit", (code) => done({ code, output }));
  });
}

describe("the store lock", () => {
  it("two `mixlab run` on one store at once compute each run once", async () => {
    const dir = tempDir("two-runs");
    const config = writeConfig(dir, "chain", chain({ sleepMs: 300 }));
    const out = join(dir, "r");
    const args = ["run", config, "--out", out, "--workers", "0", "--no-png"];
    const [a, b] = await Promise.all([mixlab(args), mixlab(args)]);
    const ran = [a, b].flatMap((r) => [...r.output.matchAll(/\] (run-\d+) ran in /g)].map((m) => m[1])).sort();
    expect(ran).toEqual(Array.from({ length: 11 }, (_, i) => `run-${String(i).padStart(4, "0")}`));
    for (const r of [a, b]) {
      // the second either met the lock, or started after the first had finished and found every run done
      if (r.code === 2) expect(r.output).toMatch(/error\[RESULTS_LOCKED\]: .* is in use by pid \d+ on .*mixlab run /);
      else expect(r.code).toBe(0);
    }
    expect(scanRuns(openStore(out)).done).toHaveLength(11);
    expect(existsSync(lockPathFor(out))).toBe(false);
  }, 120_000);

  it("a held store stops runExperiment before anything is created; a dead holder's lock is taken over with a message", async () => {
    const dir = tempDir("held");
    const out = join(dir, "r");
    const lock = acquireLock(out, { code: "TEST", command: "another mixlab run" });
    try {
      await expect(runExperiment({ config: parseExperimentConfig(chain()), out, workers: 0, png: false, log: () => {} })).rejects.toMatchObject({ code: "RESULTS_LOCKED" });
      expect(existsSync(out)).toBe(false);
    } finally {
      lock.release();
    }
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    writeFileSync(lockPathFor(out), JSON.stringify({ pid: dead, host: hostname(), since: "2026-01-01T00:00:00Z", command: "killed run", token: "t" }));
    const lines: string[] = [];
    const r = await runExperiment({ config: parseExperimentConfig(chain()), out, workers: 0, png: false, log: (l) => lines.push(l) });
    expect(r.done).toBe(11);
    expect(lines[0]).toMatch(new RegExp(`took over the stale lock .* of pid ${dead} `));
    expect(existsSync(lockPathFor(out))).toBe(false);
  });

  it("--out naming a file is RESULTS_DIR_NOT_DIR (exit 2), the file untouched", async () => {
    const dir = tempDir("out-file");
    const config = writeConfig(dir, "chain", chain());
    writeFileSync(join(dir, "r"), "mine");
    const before = treeSnapshot(dir);
    const r = await runCli(["run", config, "--out", join(dir, "r"), "--workers", "0"]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/^error\[RESULTS_DIR_NOT_DIR\]/);
    expect(treeSnapshot(dir)).toEqual(before);
  });

  it("Slurm-style array tasks (`mixlab run-task`) run concurrently while the coordinator holds the lock", async () => {
    const dir = tempDir("array");
    const out = join(dir, "r");
    await runExperiment({ config: parseExperimentConfig(chain({ sleepMs: 200 })), out, executor: "slurm", slurm: { dryRun: true }, png: false, log: () => {} });
    const coordinator = acquireLock(out, { code: "RESULTS_LOCKED", command: "mixlab run --executor slurm (waiting)" });
    try {
      const rs = await Promise.all([0, 1, 2, 3].map((i) => mixlab(["run-task", out, String(i)])));
      expect(rs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    } finally {
      coordinator.release();
    }
    expect(scanRuns(openStore(out)).done.map((r) => r.taskId)).toEqual(["run-0000", "run-0001", "run-0002", "run-0003"]);
  }, 120_000);
});

describe("paths taken from a store (case 11)", () => {
  it("a task id edited to ../../esc is RESULTS_BAD_PLAN for run-task and run; nothing is written outside (or inside) the store", async () => {
    const dir = tempDir("escape");
    const config = writeConfig(dir, "chain", chain());
    const out = join(dir, "deep", "r");
    await runExperiment({ config: parseExperimentConfig(chain()), out, executor: "slurm", slurm: { dryRun: true }, png: false, log: () => {} });
    const planPath = join(out, "plan.json");
    const plan = JSON.parse(readFileSync(planPath, "utf8"));
    plan.tasks[0].id = "../../esc";
    writeFileSync(planPath, JSON.stringify(plan));
    const before = treeSnapshot(dir);
    for (const argv of [["run-task", out, "0"], ["run", config, "--out", out, "--workers", "0", "--no-png"]]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.err.join("\n")).toMatch(/^error\[RESULTS_BAD_PLAN\]: .*task 0 has id "\.\.\/\.\.\/esc", expected "run-0000"/);
    }
    expect(treeSnapshot(dir)).toEqual(before);
    plan.tasks[0].id = "run-0000";
    plan.tasks[1].index = 7;
    writeFileSync(planPath, JSON.stringify(plan));
    expect((await runCli(["run-task", out, "1"])).err[0]).toMatch(/^error\[RESULTS_BAD_PLAN\]: .*run-0001 has index 7, expected 1/);
  });

  it("model names from a plan or a run record, and corpus files from a manifest, must stay inside their directory", () => {
    expect(modelFile("/s", "expert-merge-code")).toBe("/s/models/expert-merge-code.f32");
    for (const bad of ["../../x", "a/b", ".hidden", ""]) expect(() => modelFile("/s", bad)).toThrow(expect.objectContaining({ code: "RESULTS_BAD_PLAN" }));
    expect(pathInside("/c", "web/train.bin", "file")).toBe("/c/web/train.bin");
    for (const bad of ["../web/train.bin", "/etc/passwd", "web/../../x", ".", ""]) expect(() => pathInside("/c", bad, "file")).toThrow(expect.objectContaining({ code: "PATH_ESCAPES" }));
    const dir = tempDir("corpus-escape");
    mkdirSync(join(dir, "c"));
    writeFileSync(join(dir, "secret.bin"), "abc\0");
    const file = "../secret.bin";
    writeFileSync(join(dir, "c", "manifest.json"), JSON.stringify({ format: 1, builderVersion: "x", domains: [{ domain: "web", files: { train: file, validation: file, test: file }, bytes: { train: 4, validation: 4, test: 4 } }] }));
    expect(() => loadCorpus(join(dir, "c"))).toThrow(expect.objectContaining({ code: "CORPUS_BAD_MANIFEST" }));
  });
});
