/**
 * The RegMix sweep survives `kill -9` of the runner: a real `regmix-mini` experiment (RegMix
 * sampler → tiny-preset constant-LR proxies on the fixture corpus → fit → simulate in the report) is started with the CLI and 2 workers, the runner is SIGKILLed mid-sweep, and the same
 * command is run again. Every planned run must then be present exactly once, the RegMix CSVs
 * must hold every proxy once (index 1…n), and the results must equal an uninterrupted run's.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { openStore, scanRuns } from "../../kernel-lib/experiment/store.js";
import { readRegmixTables } from "../../kernel-lib/regmix/sweep.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const runFiles = (out: string) => (existsSync(join(out, "runs")) ? readdirSync(join(out, "runs")).filter((f) => /^run-\d+\.json$/.test(f)) : []);

const dir = mkdtempSync(join(tmpdir(), "mixlab-regmix-kill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROXIES = 8;
const CONFIG = {
  kind: "regmix-mini",
  version: 1,
  seed: 17,
  corpus: "fixture",
  domains: ["books", "code_c", "math", "legal"],
  regmix: {
    proxies: PROXIES,
    proxy: { preset: "tiny", steps: 24, batchSize: 4, seqLen: 32, lr: 0.003, schedule: "constant", warmupSteps: 2 },
    windowsPerDomain: 2,
    heldOut: 2,
    gbdt: { numRounds: 50, minDataInLeaf: 2 },
    simulate: { candidates: 2000, topK: 16 },
  },
};

function cli(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", join(projectRoot(), "kernel-lib", "cli", "main.ts"), ...args], { cwd: projectRoot(), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => { output += d; });
  child.stderr.on("data", (d) => { output += d; });
  const done = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, done, output: () => output };
}

describe("regmix-mini under kill -9", () => {
  it("the killed sweep resumes to the same results, each run once", async () => {
    const config = join(dir, "regmix-kill.json");
    writeFileSync(config, JSON.stringify(CONFIG, null, 2));
    const out = join(dir, "results");
    const total = PROXIES;

    const first = cli(["run", config, "--out", out, "--workers", "2", "--no-png"]);
    const t0 = Date.now();
    while (runFiles(out).length < 2) {
      if (Date.now() - t0 > 150_000) throw new Error(`no progress: ${first.output()}`);
      await sleep(20);
    }
    const workers = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(first.child.pid)], { encoding: "utf8" })
      .split("\n").filter((l) => l.includes("worker-entry")).map((l) => Number.parseInt(l, 10));
    first.child.kill("SIGKILL");
    expect(await first.done).toBe(null);
    expect(runFiles(out).length).toBeLessThan(total);
    const t1 = Date.now();
    while (workers.some(alive)) {
      if (Date.now() - t1 > 60_000) throw new Error(`workers ${workers.filter(alive)} outlived the runner`);
      await sleep(50);
    }
    const before = runFiles(out).length;

    const second = cli(["run", config, "--out", out, "--workers", "2", "--no-png"]);
    expect(await second.done).toBe(0);
    expect(second.output()).toContain(`${total} tasks: ${before} done, ${total - before} to run`);
    expect(second.output()).toContain(`${total - before} ran, 0 failed`);

    const scan = scanRuns(openStore(out));
    expect(scan.done).toHaveLength(total);
    expect(scan.missing).toHaveLength(0);
    expect(scan.corrupt).toHaveLength(0);
    expect(readdirSync(join(out, "runs")).sort()).toEqual(openStore(out).tasks.map((t) => `${t.id}.json`).sort());

    // RegMix's CSVs: 6 fitted + 2 held-out proxies, each once, index from 1
    const train = readRegmixTables(readFileSync(join(out, "train_mixture.csv"), "utf8"), readFileSync(join(out, "train_loss.csv"), "utf8"));
    const test = readRegmixTables(readFileSync(join(out, "test_mixture.csv"), "utf8"), readFileSync(join(out, "test_loss.csv"), "utf8"));
    expect(Array.from(train.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(test.index)).toEqual([1, 2]);
    expect(train.domains).toEqual(CONFIG.domains);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("Regression on held-out proxies (6 fitted, 2 held out)");

    // identical to a sweep that was never interrupted (inline, one process)
    const ref = await runExperiment({ config, out: join(dir, "reference"), workers: 0, png: false, log: () => {} });
    const refScan = scanRuns(openStore(ref.dir));
    expect(scan.done.map((r) => r.result)).toEqual(refScan.done.map((r) => r.result));
  });
});
