import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunMeta, Task } from "../../kernel-lib/experiment/kind.js";
import { buildManifest } from "../../kernel-lib/experiment/manifest.js";
import { createStore, freshDir, openStore, quarantineRun, readRun, runPath, scanRuns, taskIdFor, writeRun } from "../../kernel-lib/experiment/store.js";
import { deriveSeed } from "../../kernel-lib/util/rng.js";
import { tempDir } from "./helpers.js";

const META: RunMeta = { seconds: 0.5, finishedAt: "2026-01-01T00:00:00.000Z", host: "h", pid: 1, backend: "fused-wasm", executor: "inline" };

async function newStore(n = 3) {
  const dir = join(tempDir("store"), "results", "x");
  const tasks: Task[] = Array.from({ length: n }, (_, index) => {
    const id = taskIdFor(index, n);
    return { id, index, seed: deriveSeed(1, id), params: { k: index }, after: index === 2 ? [0, 1] : [] };
  });
  const manifest = await buildManifest({ name: "x", kind: "bigram-sweep", profile: "base", configFile: "/tmp/x.json", config: { kind: "bigram-sweep" }, resolvedSeed: 1, seedSource: "config", tasks: n, inputs: null });
  return createStore(dir, manifest, tasks);
}

describe("result store", () => {
  it("numbers tasks run-0000… and widens past 10⁴", () => {
    expect(taskIdFor(7, 12)).toBe("run-0007");
    expect(taskIdFor(12345, 20000)).toBe("run-12345");
    expect(taskIdFor(3, 20000)).toBe("run-00003");
  });

  it("writes a run atomically with a checksum and reads it back verified", async () => {
    const store = await newStore();
    const result = { loss: 1.25, per: { a: 0.1 + 0.2 } };
    writeRun(store, store.tasks[1], result, META);
    const s = readRun(store, store.tasks[1]);
    expect(s.status).toBe("done");
    if (s.status === "done") expect(s.record.result).toEqual(result);
    expect(readdirSync(join(store.dir, "runs"))).toEqual(["run-0001.json"]); // no temp files left
    expect(readRun(store, store.tasks[0]).status).toBe("missing");
    // reopening gives the same plan and manifest
    const again = openStore(store.dir);
    expect(again.tasks).toEqual(store.tasks);
    expect(again.manifest.resolvedSeed).toBe(1);
  });

  it("records each task's dependencies in plan.json; a plan written before dependencies reads as none", async () => {
    const store = await newStore();
    const planPath = join(store.dir, "plan.json");
    const plan = JSON.parse(readFileSync(planPath, "utf8"));
    expect(plan.tasks.map((t: Task) => t.after)).toEqual([[], [], [0, 1]]);
    for (const t of plan.tasks) delete t.after; // an older store
    writeFileSync(planPath, JSON.stringify(plan));
    expect(openStore(store.dir).tasks.map((t) => t.after)).toEqual([[], [], []]);
    plan.tasks[1].after = [1]; // waits for itself
    writeFileSync(planPath, JSON.stringify(plan));
    expect(() => openStore(store.dir)).toThrow(expect.objectContaining({ code: "RESULTS_BAD_PLAN" }));
  });

  it("detects any edit of the payload, even one that parses to the same number", async () => {
    const store = await newStore();
    writeRun(store, store.tasks[0], { loss: 1.8192132143569308 }, META);
    const p = runPath(store, store.tasks[0]);
    const text = readFileSync(p, "utf8");
    // 1.8192132143569309 parses to the same double, but the bytes changed
    writeFileSync(p, text.replace("1.8192132143569308", "1.8192132143569309"));
    const s = readRun(store, store.tasks[0]);
    expect(s.status).toBe("corrupt");
    if (s.status === "corrupt") expect(s.reason).toMatch(/checksum mismatch/);
    writeFileSync(p, text.slice(0, 40)); // truncated
    expect(readRun(store, store.tasks[0])).toMatchObject({ status: "corrupt", reason: expect.stringMatching(/no checksum/) });
  });

  it("rejects a valid record that belongs to another task", async () => {
    const store = await newStore();
    writeRun(store, store.tasks[2], { loss: 1 }, META);
    writeFileSync(runPath(store, store.tasks[0]), readFileSync(runPath(store, store.tasks[2])));
    expect(readRun(store, store.tasks[0])).toMatchObject({ status: "corrupt", reason: expect.stringMatching(/different task/) });
  });

  it("scans done / missing / corrupt and sets corrupt files aside without deleting them", async () => {
    const store = await newStore(4);
    for (const t of store.tasks.slice(0, 3)) writeRun(store, t, { i: t.index }, META);
    writeFileSync(runPath(store, store.tasks[1]), "{");
    const scan = scanRuns(store);
    expect(scan.done.map((r) => r.taskId)).toEqual(["run-0000", "run-0002"]);
    expect(scan.missing.map((t) => t.id)).toEqual(["run-0003"]);
    expect(scan.corrupt.map((c) => c.task.id)).toEqual(["run-0001"]);
    const moved = quarantineRun(store, store.tasks[1]);
    expect(readFileSync(moved, "utf8")).toBe("{");
    expect(existsSync(runPath(store, store.tasks[1]))).toBe(false);
    expect(scanRuns(store).missing.map((t) => t.id)).toEqual(["run-0001", "run-0003"]);
  });

  it("--fresh directories never reuse an existing path", async () => {
    const store = await newStore();
    expect(freshDir(store.dir)).toBe(`${store.dir}-2`);
    expect(freshDir(`${store.dir}-9`)).toBe(`${store.dir}-9`);
    await expect(async () => createStore(store.dir, store.manifest, store.tasks)).rejects.toMatchObject({ code: "RESULTS_DIR_NOT_EMPTY" });
  });

  it("the manifest records seed, packages, git, backend and machine", async () => {
    const store = await newStore();
    const m = JSON.parse(readFileSync(join(store.dir, "manifest.json"), "utf8"));
    expect(m.packages.zod).toBe("4.6.7");
    expect(m.packages.mixlab).toBe("0.1.0");
    expect(typeof m.git.commit).toBe("string");
    expect(m.git.commit === "unknown" || /^[0-9a-f]{40}$/.test(m.git.commit)).toBe(true);
    expect(m.backend).toMatch(/^(fused-native|fused-wasm|tfjs-)/);
    expect(m.machine.cpus).toBeGreaterThan(0);
    expect(m.machine.node).toBe(process.version);
    expect(m.packageLockSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
