// Opens each executed notebook and checks every code cell ran without error and each figure
// output is present. Uses the notebooks `npm run notebooks` wrote to results/notebooks/ (those
// newer than their source); when there are none, executes 00-tour here under MIXLAB_PROFILE=ci.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import { failureMessage, inspectNotebook, type Notebook } from "../../notebooks/kernel/inspect.js";
import { executeNotebook, listNotebooks } from "../../notebooks/kernel/runner.js";
import { KERNEL_NAME } from "../../notebooks/kernel/spec.js";
import { crossCellShorthands } from "../../notebooks/kernel/lint.js";
import { jupyterMissing } from "./helpers.js";

const root = projectRoot();
const sources = listNotebooks(root);
const read = (p: string) => JSON.parse(readFileSync(p, "utf8")) as Notebook;

describe("notebook sources", () => {
  it.each(sources.map((s) => [s.slice(root.length + 1), s]))("%s selects the mixlab kernel and has no stored errors", (_name, src) => {
    const nb = read(src);
    expect(nb.metadata.kernelspec?.name).toBe(KERNEL_NAME);
    for (const c of nb.cells) for (const o of c.outputs ?? []) expect(o.output_type).not.toBe("error");
    expect(crossCellShorthands(nb)).toEqual([]); // tslab cannot run `{ x }` for an earlier cell's x
  });
});

/** Executed copies in results/notebooks/ that are at least as new as their source. */
function freshExecuted(): { name: string; path: string; source: string }[] {
  const out = join(root, "results", "notebooks");
  if (!existsSync(out)) return [];
  return readdirSync(out).filter((f) => f.endsWith(".ipynb")).flatMap((f) => {
    const source = join(root, "notebooks", f);
    const path = join(out, f);
    if (!existsSync(source) || statSync(path).mtimeMs < statSync(source).mtimeMs) return [];
    return read(path).metadata.mixlab ? [{ name: f.replace(/\.ipynb$/, ""), path, source }] : [];
  });
}

const missing = jupyterMissing();
const tmp = mkdtempSync(join(tmpdir(), "mixlab-nbcheck-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(missing !== null)("executed notebooks", () => {
  let executed = freshExecuted();
  const selfRun = executed.length === 0;

  it("has executed notebooks to check (running 00-tour here when `npm run notebooks` has not)", () => {
    if (selfRun) {
      const run = executeNotebook(join(root, "notebooks", "00-tour.ipynb"), { outDir: tmp, profile: "ci", cellTimeoutS: 300 });
      // the runner's message names the failing cell and its stderr
      expect(run.message).toBe("");
      console.log(`00-tour executed in ${run.seconds.toFixed(1)} s`);
      executed = [{ name: "00-tour", path: run.output, source: join(root, "notebooks", "00-tour.ipynb") }];
    }
    expect(executed.length).toBeGreaterThan(0);
  }, 240_000);

  it("every code cell ran without error and every show()/showTable() produced its output", () => {
    for (const e of executed) {
      const nb = read(e.path);
      const report = inspectNotebook(nb);
      expect(`${e.name}:\n${failureMessage(nb, report)}`).toBe(`${e.name}:\n`);
      expect(report.problems).toEqual([]);
      expect(nb.metadata.mixlab?.status).toBe("ok");
      // no cell was dropped or added on the way
      const codeCells = (n: Notebook) => n.cells.filter((c) => c.cell_type === "code").length;
      expect(codeCells(nb)).toBe(codeCells(read(e.source)));
      // plotly.js is embedded once per notebook, not once per figure
      if (report.figures > 0) expect(report.bundles).toBe(1);
    }
  });

  it("the tour shows its figures and tables", () => {
    const tour = executed.find((e) => e.name === "00-tour");
    if (!tour) return; // a subset run without the tour: the generic checks above apply
    const report = inspectNotebook(read(tour.path));
    expect(report.figures).toBeGreaterThanOrEqual(8);
    expect(report.tables).toBeGreaterThanOrEqual(2);
  });
});
if (missing) describe("executed notebooks", () => it.skip(`skipped: ${missing}`, () => {}));

describe("notebook first cells", () => {
  it.each(sources.map((s) => [s.slice(root.length + 1), s]))("%s links the glossary, which exists", (_name, src) => {
    const first = read(src).cells[0];
    const text = Array.isArray(first.source) ? first.source.join("") : String(first.source);
    expect(text).toContain("](../docs/glossary.md)");
    expect(existsSync(join(root, "docs", "glossary.md"))).toBe(true);
  });
});
