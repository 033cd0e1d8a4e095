// The notebooks committed executed at the `study` profile (issues 14, 15): re-executing each against
// the committed result store (MIXLAB_PROFILE=study trains nothing) reproduces its verdict table
// exactly, so the outputs a reader sees on GitHub are what the committed runs give.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import type { Notebook } from "../../notebooks/kernel/inspect.js";
import { executeNotebook } from "../../notebooks/kernel/runner.js";
import { jupyterMissing } from "./helpers.js";

const root = projectRoot();
/** notebook → the caption of its verdict table and the store it reads */
const STUDY_NOTEBOOKS = [
  { name: "01-regmix", caption: "RegMix study: verdicts", store: "results/studies/regmix" },
  { name: "02-chameleon", caption: "Chameleon study: verdicts", store: "results/studies/chameleon" },
  { name: "03-mergemix", caption: "MergeMix study: verdicts", store: "results/studies/mergemix" },
  // 04 shows the Chameleon study's comparison stage; its table over the seeds is the one to keep
  { name: "04-compare", caption: "Average validation loss over 5 seed(s); difference from uniform paired by seed (Student's t, 95 %)", store: "results/studies/chameleon" },
];

/** The HTML of the output whose table has this caption, or null. */
function tableWithCaption(nb: Notebook, caption: string): string | null {
  for (const c of nb.cells) for (const o of c.outputs ?? []) {
    const html = o.data?.["text/html"];
    const text = Array.isArray(html) ? html.join("") : typeof html === "string" ? html : "";
    if (text.includes(`>${caption}</caption>`)) return text;
  }
  return null;
}

const tmp = mkdtempSync(join(tmpdir(), "mixlab-study-nb-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(jupyterMissing() !== null)("notebooks committed at the study profile", () => {
  it.each(STUDY_NOTEBOOKS.filter((s) => existsSync(join(root, s.store, "manifest.json"))).map((s) => [s.name, s]))("%s reproduces its committed verdict table", (_name, s) => {
    const src = join(root, "notebooks", `${s.name}.ipynb`);
    const committed = JSON.parse(readFileSync(src, "utf8")) as Notebook;
    expect((committed.metadata as { mixlab?: { profile?: string } }).mixlab?.profile).toBe("study");
    const want = tableWithCaption(committed, s.caption);
    expect(want, "the committed notebook has no verdict table output").not.toBeNull();
    const run = executeNotebook(src, { outDir: tmp, profile: "study", cellTimeoutS: 600 });
    const executed = JSON.parse(readFileSync(run.output, "utf8")) as Notebook;
    const errors = (run.report?.problems ?? []).filter((p) => p.kind === "error" || p.kind === "failed" || p.kind === "not-run");
    expect(errors, run.message).toEqual([]);
    expect(tableWithCaption(executed, s.caption)).toBe(want);
  }, 900_000);
});
