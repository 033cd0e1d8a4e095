/**
 * kill -9 during a sweep, then re-run: no lost, corrupt or duplicated runs. The runner is the
 * real CLI (`node --import tsx kernel-lib/cli/main.ts run …`, one process, so SIGKILL hits the
 * runner itself) sweeping real tiny-preset proxies on the fixture corpus with 2 workers.
 */
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runLocalPool } from "../../kernel-lib/experiment/executors/local-pool.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { openStore, scanRuns } from "../../kernel-lib/experiment/store.js";
import { parseCsv } from "../../kernel-lib/util/csv.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import { bigramConfig, proxyConfig, tempDir, writeConfig } from "./helpers.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const runFiles = (out: string) => (existsSync(join(out, "runs")) ? readdirSync(join(out, "runs")).filter((f) => /^run-\d+\.json$/.test(f)) : []);

function cli(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", join(projectRoot(), "kernel-lib", "cli", "main.ts"), ...args], {
    cwd: projectRoot(), stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => { output += d; });
  child.stderr.on("data", (d) => { output += d; });
  const done = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, done, output: () => output };
}

describe("kill -9 mid-sweep", () => {
  it("the runner is killed; re-running the same command completes every run exactly once", async () => {
    const dir = tempDir("kill");
    const cfg = proxyConfig({ mixtures: [{ source: "uniform" }, { source: "dirichlet", count: 7, prior: "uniform", strength: 1 }], train: { steps: 12, batchSize: 4, seqLen: 32, lr: 0.003 } });
    const config = writeConfig(dir, "sweep", cfg);
    const out = join(dir, "results");
    const total = 8;

    const first = cli(["run", config, "--out", out, "--workers", "2", "--no-png"]);
    const t0 = Date.now();
    while (runFiles(out).length < 2) {
      if (Date.now() - t0 > 150_000) throw new Error(`no progress: ${first.output()}`);
      await sleep(20);
    }
    // the runner's children: its 2 pool workers (and tsx's esbuild service, not counted)
    const workers = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(first.child.pid)], { encoding: "utf8" })
      .split("\n").filter((l) => l.includes("worker-entry")).map((l) => Number.parseInt(l, 10));
    first.child.kill("SIGKILL");
    expect(await first.done).toBe(null); // killed by the signal, not a normal exit
    const atKill = runFiles(out).length;
    expect(atKill).toBeLessThan(total); // really mid-sweep
    expect(workers.length).toBe(2);
    // Orphaned workers notice the lost parent and exit (after at most their current task).
    const t1 = Date.now();
    while (workers.some(alive)) {
      if (Date.now() - t1 > 60_000) throw new Error(`workers ${workers.filter(alive)} outlived the runner`);
      await sleep(50);
    }
    const beforeRerun = runFiles(out).length;

    const second = cli(["run", config, "--out", out, "--workers", "2", "--no-png"]);
    expect(await second.done).toBe(0);
    expect(second.output()).toContain(`${total} tasks: ${beforeRerun} done, ${total - beforeRerun} to run`);
    expect(second.output()).toContain(`${total - beforeRerun} ran, 0 failed`);

    // Every planned run present once, verified; no temp or corrupt leftovers.
    const store = openStore(out);
    const scan = scanRuns(store);
    expect(scan.done).toHaveLength(total);
    expect(scan.missing).toHaveLength(0);
    expect(scan.corrupt).toHaveLength(0);
    expect(readdirSync(join(out, "runs")).sort()).toEqual(store.tasks.map((t) => `${t.id}.json`).sort());
    const csv = parseCsv(readFileSync(join(out, "runs.csv"), "utf8"));
    const ids = csv.rows.map((r) => r[csv.header.indexOf("task_id")]);
    expect(new Set(ids).size).toBe(total);
    expect(ids).toHaveLength(total);

    // And the results are those of an uninterrupted sweep.
    const ref = await runExperiment({ config, out: join(dir, "reference"), workers: 0, png: false, log: () => {} });
    const refScan = scanRuns(openStore(ref.dir));
    expect(scan.done.map((r) => r.result)).toEqual(refScan.done.map((r) => r.result));
  });

  it("a worker killed mid-task is replaced and its task redone once", async () => {
    const dir = tempDir("killworker");
    // bigram runs sized to take a few hundred ms, so a worker is busy when it is killed
    const config = writeConfig(dir, "sweep", bigramConfig({ tokens: 1_500_000, mixtures: [{ source: "dirichlet", count: 6, prior: "uniform", strength: 1 }] }));
    const out = join(dir, "results");
    // create the directory without running anything (dry run of the Slurm executor writes only a script)
    await runExperiment({ config, out, executor: "slurm", slurm: { dryRun: true }, png: false, log: () => {} });
    const pids: number[] = [];
    let killed = -1;
    const died: number[] = [];
    const summary = await runLocalPool(out, [0, 1, 2, 3, 4, 5], {
      workers: 2,
      onEvent: (e) => {
        if (e.type === "worker-started") pids.push(e.pid);
        if (e.type === "done" && killed < 0) {
          // the worker that just finished has been handed its next task: kill it mid-task
          killed = pids[0];
          setTimeout(() => process.kill(killed, "SIGKILL"), 50);
        }
        if (e.type === "worker-died") { died.push(e.index); expect(e.requeued).toBe(true); expect(e.signal).toBe("SIGKILL"); }
      },
    });
    expect(died).toHaveLength(1);
    expect(summary.failed).toEqual([]);
    expect(summary.ran).toBe(6);
    expect(summary.workerPids).toHaveLength(3); // two at the start, one replacement
    expect(scanRuns(openStore(out)).done).toHaveLength(6);
  });
});
