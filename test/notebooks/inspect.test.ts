import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeCell, inspectNotebook, type NbCell, type Notebook } from "../../notebooks/kernel/inspect.js";
import { listNotebooks } from "../../notebooks/kernel/runner.js";
import { crossCellShorthands } from "../../notebooks/kernel/lint.js";
import { KERNEL_NAME, kernelSpec } from "../../notebooks/kernel/spec.js";
import { createRequire } from "node:module";

const ran = { execution: { "shell.execute_reply": "2026-01-01T00:00:00Z" } };
const figure = { output_type: "display_data" as const, data: { "text/html": '<div id="f" class="mixlab-figure"></div>' } };
const code = (source: string, outputs: NbCell["outputs"] = [], metadata: NbCell["metadata"] = ran): NbCell => ({ cell_type: "code", source, outputs, metadata });
const nb = (cells: NbCell[], mixlab?: Notebook["metadata"]["mixlab"]): Notebook => ({ nbformat: 4, cells, metadata: { kernelspec: { name: KERNEL_NAME }, mixlab } });

describe("inspectNotebook", () => {
  it("accepts a clean run and counts figures, tables and embedded bundles", () => {
    const r = inspectNotebook(nb([
      { cell_type: "markdown", source: "# t", metadata: {} },
      code('show(a);\n// show(b) is commented out\nshowTable(rows);', [
        { output_type: "display_data", data: { "text/html": ["<script>/** plotly.js v4.1.2 */</script>\n", '<div class="mixlab-figure"></div>'] } },
        { output_type: "display_data", data: { "text/html": '<table class="mixlab-table"></table>' } },
      ]),
      code("", [], {}), // empty cells are not run by nbclient and not required to be
      code("x.show(1); myshow(2);"), // method calls / other names are not figures
    ], { status: "ok", seconds: 1, profile: "ci" }));
    expect(r).toMatchObject({ codeCells: 2, figures: 1, tables: 1, bundles: 1, problems: [] });
  });

  it("flags a failed run at its cell (with the stderr tslab wrote), cells not run, missing figures and error outputs", () => {
    const r = inspectNotebook(nb([
      code("show(fig); show(fig2);", [figure]),
      code("const y: string = 5;", [{ output_type: "stream", name: "stderr", text: "1:7 - Type 'number' is not assignable to type 'string'.\n" }]),
      code("later()", [], {}),
      code("boom()", [{ output_type: "error", ename: "Error", evalue: "boom", traceback: [] }]),
    ], { status: "error", seconds: 2, profile: "ci", failed_cell: 1 }));
    expect(r.problems).toEqual([
      { cell: 1, kind: "failed", detail: "execution error: 1:7 - Type 'number' is not assignable to type 'string'." },
      { cell: 0, kind: "missing-figure", detail: "calls show() 2× but has 1 figure output(s)" },
      { cell: 2, kind: "not-run", detail: expect.stringContaining("no execute_reply") },
      { cell: 3, kind: "error", detail: "Error: boom" },
    ]);
    expect(describeCell(nb([code("a\nb")]), 0)).toBe("  cell 0:\n    | a\n    | b\n  stderr: (none)");
  });
});

describe("kernel spec and notebook selection", () => {
  const root = mkdtempSync(join(tmpdir(), "mixlab it's-root-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("starts the kernel launcher (tslab whose failed replies name the error) from the project root via a quoted cd wrapper", () => {
    const spec = kernelSpec(root);
    expect(spec.argv[0]).toBe("/bin/sh");
    expect(spec.argv[3]).toBe("{connection_file}");
    // the quote in the path survives /bin/sh quoting
    const q = (s: string) => `'${s.replace("'", "'\\''")}'`;
    expect(spec.argv[2]).toBe(`cd ${q(root)} && exec ${q(process.execPath)} ${q(join(root, "notebooks/kernel/launch.cjs"))} kernel --config-path "$0"`);
  });

  it("the launcher turns a failed cell's stderr into ename / evalue / traceback", () => {
    const { errorFields } = createRequire(import.meta.url)("../../notebooks/kernel/launch.cjs") as { errorFields: (s: string) => { ename: string; evalue: string; traceback: string[] } };
    const f = errorFields("some log line\nMixlabError: no corpus at data/corpus; run `npm run data`\n    at loadCorpus (x.ts:1:1)\n");
    expect(f).toEqual({ ename: "MixlabError", evalue: "no corpus at data/corpus; run `npm run data`", traceback: ["some log line", "MixlabError: no corpus at data/corpus; run `npm run data`", "    at loadCorpus (x.ts:1:1)"] });
    expect(errorFields("1:7 - Type 'number' is not assignable to type 'string'.\n").ename).toBe("Error");
    expect(errorFields("").evalue).toMatch(/without a message/);
  });

  it("lists every notebook sorted, or the ones named (with or without .ipynb, or by unique prefix)", () => {
    mkdirSync(join(root, "notebooks"));
    for (const n of ["01-regmix", "00-tour", "02-chameleon", "02-chameleon-extra"]) writeFileSync(join(root, "notebooks", `${n}.ipynb`), "{}");
    const names = (ps: string[]) => ps.map((p) => p.slice(join(root, "notebooks").length + 1));
    expect(names(listNotebooks(root))).toEqual(["00-tour.ipynb", "01-regmix.ipynb", "02-chameleon-extra.ipynb", "02-chameleon.ipynb"]);
    expect(names(listNotebooks(root, ["01", "00-tour.ipynb", "02-chameleon"]))).toEqual(["01-regmix.ipynb", "00-tour.ipynb", "02-chameleon.ipynb"]);
    expect(() => listNotebooks(root, ["03"])).toThrow(/no notebook matches "03"/);
    expect(() => listNotebooks(root, ["0"])).toThrow(/more than one/);
  });
});

describe("crossCellShorthands", () => {
  it("finds `{ x }` naming an earlier cell's variable, not same-cell or local ones", () => {
    const hits = crossCellShorthands(nb([
      code('import { a } from "./m.js";\nconst corpus = 1, { k } = { k: 2 };\nfunction f() {}'),
      code("const o = { corpus, a };\nconst mixture = 3;\nconst p = { mixture, q: corpus, f, k };"),
      code("const corpus = 5;\nconst r = { corpus };"), // redeclared here: fine
    ]));
    expect(hits).toEqual([
      { cell: 1, name: "corpus", line: 1 },
      { cell: 1, name: "a", line: 1 },
      { cell: 1, name: "f", line: 3 },
      { cell: 1, name: "k", line: 3 },
    ]);
  });
});
