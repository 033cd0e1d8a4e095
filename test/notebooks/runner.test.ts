import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { executeNotebook } from "../../notebooks/kernel/runner.js";
import { notebookMetadata } from "../../notebooks/kernel/spec.js";
import type { Notebook } from "../../notebooks/kernel/inspect.js";
import { jupyterMissing } from "./helpers.js";

const missing = jupyterMissing();
const dir = mkdtempSync(join(tmpdir(), "mixlab-nbrun-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeNotebook(name: string, sources: string[]): string {
  const path = join(dir, `${name}.ipynb`);
  writeFileSync(path, JSON.stringify({
    nbformat: 4, nbformat_minor: 5, metadata: notebookMetadata(),
    cells: sources.map((s, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source: s })),
  }));
  return path;
}

describe.skipIf(missing !== null)("notebook runner (real Jupyter + tslab)", () => {
  it("reports a type error — which tslab prints only on stderr — with the cell's source, and stops there", () => {
    const src = writeNotebook("compile-error", [
      'import { Mixture } from "./kernel-lib/data/index.js";\nMixture.uniform(["a", "b"]).get("a")',
      "const label: string = 42;",
      'console.log("never")',
    ]);
    const run = executeNotebook(src, { outDir: join(dir, "out"), cellTimeoutS: 120 });
    expect(run.ok).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(run.message).toContain("cell 1:");
    expect(run.message).toContain("| const label: string = 42;");
    expect(run.message).toMatch(/1:7 - Type 'number' is not assignable to type 'string'/);
    expect(run.message).toContain("1 later code cell(s) did not run");
    // the partially executed notebook is kept, with the outcome recorded
    const executed = JSON.parse(readFileSync(run.output, "utf8")) as Notebook;
    expect(executed.metadata.mixlab).toMatchObject({ status: "error", failed_cell: 1, profile: "ci" });
    // cell 0 ran: the kernel resolved ./kernel-lib imports from the project root
    expect(JSON.stringify(executed.cells[0].outputs)).toContain("0.5");
  }, 90_000);

  it("prints a MixlabError's message — which names its fix — as the first line", () => {
    const run = executeNotebook(writeNotebook("named", ['import { MixlabError } from "./kernel-lib/util/errors.js";\nthrow new MixlabError("CORPUS_NOT_FOUND", "no corpus at data/corpus; run `npm run data` first");']), { outDir: join(dir, "out"), cellTimeoutS: 120 });
    expect(run.ok).toBe(false);
    expect(run.message.split("\n")[0]).toBe("MixlabError: no corpus at data/corpus; run `npm run data` first");
    const executed = JSON.parse(readFileSync(run.output, "utf8")) as Notebook;
    expect(executed.metadata.mixlab?.error).toBe("MixlabError: no corpus at data/corpus; run `npm run data` first");
  }, 90_000);

  it("clears a committed notebook's outputs first, so the failure names the cell that failed, not a stale one", () => {
    const path = writeNotebook("stale", ['console.log("first")', 'throw new Error("fails-here")', 'console.log("after")', 'console.log("last")']);
    // as a committed executed notebook looks: every cell with outputs and an execute_reply of an earlier run
    const nb = JSON.parse(readFileSync(path, "utf8")) as Notebook;
    nb.cells.forEach((c, i) => {
      c.outputs = [{ output_type: "stream", name: "stdout", text: [`stale output ${i}\n`] }];
      (c.metadata as Record<string, unknown>).execution = { "shell.execute_reply": "2026-01-01T00:00:00Z", "iopub.status.busy": "2026-01-01T00:00:00Z" };
    });
    writeFileSync(path, JSON.stringify(nb));
    const run = executeNotebook(path, { outDir: join(dir, "out"), cellTimeoutS: 120 });
    expect(run.ok).toBe(false);
    const executed = JSON.parse(readFileSync(run.output, "utf8")) as Notebook;
    expect(executed.metadata.mixlab?.failed_cell).toBe(1);
    expect(run.message).toContain("cell 1:");
    expect(run.message).toContain("fails-here");
    expect(JSON.stringify(executed.cells[3].outputs)).not.toContain("stale output"); // nothing of the old run survives
  }, 90_000);

  it("reports a runtime exception with its message, and passes a clean notebook", () => {
    const bad = executeNotebook(writeNotebook("throws", ['throw new Error("boom-" + (6 * 7));']), { outDir: join(dir, "out"), cellTimeoutS: 120 });
    expect(bad.ok).toBe(false);
    // the mixlab kernel names the error in its reply (nbclient/nbconvert print it instead of a bare "<Error>:"), and the runner prints it first
    expect(bad.message.split("\n")[0]).toBe("Error: boom-42");
    expect(bad.message).toContain("Error: boom-42");
    expect(bad.message).not.toContain("node_modules/tslab"); // kernel-internal frames are dropped
    const good = executeNotebook(writeNotebook("clean", ['import { profile } from "./kernel-lib/util/profile.js";\nprofile()']), { outDir: join(dir, "out"), profile: "full" });
    expect(good.ok).toBe(true);
    expect(good.message).toBe("");
    expect(existsSync(good.output)).toBe(true);
    const executed = JSON.parse(readFileSync(good.output, "utf8")) as Notebook;
    expect(JSON.stringify(executed.cells[0].outputs)).toContain("full"); // MIXLAB_PROFILE reached the kernel
  }, 90_000);
});
if (missing) describe("notebook runner", () => it.skip(`skipped: ${missing}`, () => {}));
