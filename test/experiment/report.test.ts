import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildReport, flattenJson } from "../../kernel-lib/experiment/report.js";
import { runExperiment } from "../../kernel-lib/experiment/run-experiment.js";
import { parseCsv, parseNumericCsv } from "../../kernel-lib/util/csv.js";
import { bigramConfig, tempDir, writeConfig } from "./helpers.js";

describe("report", () => {
  it("flattens nested results into dotted columns", () => {
    expect(flattenJson({ a: { b: 1, c: [2, 3] }, d: null })).toEqual({ "a.b": 1, "a.c.0": 2, "a.c.1": 3, d: "" });
  });

  it("rebuilds report.md and CSVs from stored runs, listing missing ones", async () => {
    const dir = tempDir("report");
    const config = writeConfig(dir, "sweep", bigramConfig());
    const out = join(dir, "results");
    const r = await runExperiment({ config, out, workers: 0, png: false, log: () => {} });
    expect(r.report?.done).toBe(6);

    const loss = parseNumericCsv(readFileSync(join(out, "validation_loss.csv"), "utf8").replace(/^task_id,/, "").replace(/\nrun-\d+,/g, "\n"));
    expect(loss.columns).toEqual(["w.books", "w.code_c", "w.math", "w.legal", "loss.books", "loss.code_c", "loss.math", "loss.legal", "average"]);
    expect(loss.rows).toHaveLength(6);
    for (const row of loss.rows) {
      expect(row[0] + row[1] + row[2] + row[3]).toBeCloseTo(1, 9); // each mixture on the simplex
      expect(row[8]).toBeCloseTo((row[4] + row[5] + row[6] + row[7]) / 4, 12); // average = mean of domains
    }
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain("| runs | 6 / 6 finished |");
    expect(md).toContain("## Bigram sweep");
    expect(md).toContain("[validation loss per run and domain](figures/validation_loss.html)");
    expect(readFileSync(join(out, "figures", "validation_loss.html"), "utf8")).toContain('"type":"heatmap"');

    rmSync(join(out, "runs", "run-0003.json"));
    const partial = await buildReport(out, { png: false });
    expect(partial.done).toBe(5);
    expect(partial.missing).toEqual(["run-0003"]);
    expect(readFileSync(partial.path, "utf8")).toContain("Missing runs: run-0003");
    expect(parseCsv(readFileSync(join(out, "runs.csv"), "utf8")).rows).toHaveLength(5);
  });
});
