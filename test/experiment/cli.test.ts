/** `mixlab run`, `run-task` and `report` through the CLI dispatcher (exit codes, messages). */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../kernel-lib/cli/main.js";
import { bigramConfig, tempDir, writeConfig } from "./helpers.js";

function capture() {
  const out: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => { out.push(a.join(" ")); });
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => { out.push(a.join(" ")); });
  return out;
}

describe("mixlab run / run-task / report", () => {
  afterEach(() => vi.restoreAllMocks());

  it("a config error exits 2 with the named error and creates nothing", async () => {
    const dir = tempDir("cli-bad");
    const config = writeConfig(dir, "bad", { ...bigramConfig(), windowsPerDomian: 3 });
    const out = capture();
    expect(await main(["run", config, "--out", join(dir, "r"), "--workers", "0"])).toBe(2);
    expect(out.join("\n")).toContain('error[CONFIG_UNKNOWN_KEY]: ');
    expect(out.join("\n")).toContain('unknown key "windowsPerDomian"');
    expect(existsSync(join(dir, "r"))).toBe(false);
    expect(await main(["run", config, "--dry-run"])).toBe(2); // slurm-only flag with the local executor
    expect(out.at(-1)).toContain("error[BAD_FLAG]: --dry-run only applies with --executor slurm");
  });

  it("run-task runs one planned task, then finds it done; report exits 1 until every run is there", async () => {
    const dir = tempDir("cli-task");
    const config = writeConfig(dir, "sweep", bigramConfig({ mixtures: [{ source: "uniform" }, { source: "prior" }] }));
    const res = join(dir, "r");
    const out = capture();
    expect(await main(["run", config, "--out", res, "--executor", "slurm", "--dry-run"])).toBe(0);
    expect(out.join("\n")).toMatch(/wrote .*slurm\/sweep\.sbatch \(dry run: not submitted\)/);
    expect(await main(["run-task", res, "1"])).toBe(0);
    expect(out.at(-1)).toMatch(/^run-0001 ran in /);
    expect(await main(["run-task", res, "1"])).toBe(0);
    expect(out.at(-1)).toBe("run-0001 already done (verified)");
    expect(await main(["run-task", res, "7"])).toBe(2);
    expect(out.at(-1)).toContain("error[TASK_INDEX_OUT_OF_RANGE]");
    expect(await main(["report", res, "--no-png"])).toBe(1);
    expect(out.at(-1)).toBe("missing: run-0000");
    expect(await main(["run", config, "--out", res, "--workers", "0", "--no-png"])).toBe(0);
    expect(out.join("\n")).toContain("2 tasks: 1 done, 1 to run on this process");
    expect(await main(["report", res, "--no-png"])).toBe(0);
    expect(readdirSync(res).sort()).toEqual(["figures", "manifest.json", "plan.json", "report.md", "runs", "runs.csv", "slurm", "validation_loss.csv"]);
  });
});
