/**
 * The Slurm executor's script and dry run. The real cluster test (a one-node slurmctld +
 * slurmd running a 4-task array) is `.ci/slurm-test.sh`, run by `.ci/run` as root.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { arraySpec, sbatchScript } from "../../kernel-lib/experiment/executors/slurm.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import { bigramConfig, tempDir, writeConfig } from "./helpers.js";

describe("slurm executor", () => {
  it("compresses pending indices into Slurm array syntax", () => {
    expect(arraySpec([0, 1, 2, 3])).toBe("0-3");
    expect(arraySpec([9, 0, 1, 2, 3, 7, 10])).toBe("0-3,7,9-10");
    expect(arraySpec([5])).toBe("5");
  });

  it("writes one array task per pending run calling `mixlab run-task DIR $SLURM_ARRAY_TASK_ID`", () => {
    const root = "/p";
    const s = sbatchScript({ dir: "/p/results/x", root, name: "x", indices: [0, 1, 2, 5], options: { partition: "gpu", time: "00:10:00", maxParallel: 2, extra: ["--account=a1"] } });
    expect(s.startsWith("#!/bin/bash\n")).toBe(true);
    expect(s).toContain("#SBATCH --array=0-2,5%2\n");
    expect(s).toContain("#SBATCH --chdir=/p\n");
    expect(s).toContain("#SBATCH --output=/p/results/x/slurm/logs/%A_%a.out\n");
    expect(s).toContain("#SBATCH --partition=gpu\n");
    expect(s).toContain("#SBATCH --time=00:10:00\n");
    expect(s).toContain("#SBATCH --account=a1\n");
    expect(s.trimEnd().split("\n").at(-1)).toBe('exec npx --no-install mixlab run-task results/x "$SLURM_ARRAY_TASK_ID"');
    // #SBATCH lines must precede the first command, or sbatch ignores them
    const lines = s.split("\n");
    const lastDirective = lines.map((l) => l.startsWith("#SBATCH")).lastIndexOf(true);
    expect(lastDirective).toBeLessThan(lines.findIndex((l) => l !== "" && !l.startsWith("#")));
  });

  it("--dry-run creates the results directory and the script, runs nothing, and later covers only missing runs", async () => {
    const dir = tempDir("slurm");
    const config = writeConfig(dir, "sweep", bigramConfig());
    const out = join(dir, "results");
    const r = await runExperiment({ config, out, executor: "slurm", slurm: { dryRun: true }, png: false, log: () => {} });
    expect(r.ran).toBe(0);
    expect(r.missing).toHaveLength(6);
    const script = readFileSync(r.slurm!.script, "utf8");
    expect(script).toContain("#SBATCH --array=0-5\n");
    expect(script).toContain(`#SBATCH --chdir=${projectRoot()}\n`);
    expect(existsSync(join(out, "slurm", "logs"))).toBe(true); // Slurm does not create it
    expect(statSync(join(out, "plan.json")).isFile()).toBe(true);
    // finish three runs locally; the next script covers only the other three
    await import("../../kernel-lib/experiment/executors/local-pool.js").then((m) => m.runLocalPool(out, [0, 2, 4], { workers: 0 }));
    const again = await runExperiment({ config, out, executor: "slurm", slurm: { dryRun: true }, png: false, log: () => {} });
    expect(readFileSync(again.slurm!.script, "utf8")).toContain("#SBATCH --array=1,3,5\n");
  });
});
