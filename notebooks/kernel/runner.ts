import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, delimiter, join, resolve } from "node:path";
import { MixlabError } from "../../kernel-lib/util/errors.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import type { Profile } from "../../kernel-lib/util/profile.js";
import { failureMessage, inspectNotebook, type Notebook, type NotebookReport } from "./inspect.js";
import { crossCellShorthands } from "./lint.js";
import { KERNEL_NAME, writeKernelSpec } from "./spec.js";

/** The Debian packages the runner needs (PyPI is not reachable on the CI machines). */
export const JUPYTER_APT = "apt-get install -y --no-install-recommends jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel";

export interface RunOptions {
  root?: string;
  /** notebook names ("00-tour", "00-tour.ipynb", or a prefix like "01"); default: every notebooks/*.ipynb */
  names?: readonly string[];
  profile?: Profile;
  /** where executed notebooks go (default `<root>/results/notebooks`) */
  outDir?: string;
  /** per-cell timeout in seconds; 0 = none (default 900 for ci, none for full) */
  cellTimeoutS?: number;
  log?: (line: string) => void;
}

/** Outcome of executing one notebook. */
export interface NotebookRun {
  name: string;
  source: string;
  output: string;
  ok: boolean;
  seconds: number;
  /** the Python driver's exit code (0 ok, 1 cell error, 3 timeout, 4 dead kernel, 5 other) */
  exitCode: number;
  report: NotebookReport | null;
  /** failure account (failing cells with their stderr), empty when ok */
  message: string;
}

/**
 * Paths of the notebooks to run, sorted: all `notebooks/*.ipynb`, or those matching `names`.
 *
 * @example
 * listNotebooks(root, ["00"]); // ["<root>/notebooks/00-tour.ipynb"]
 */
export function listNotebooks(root: string, names?: readonly string[]): string[] {
  const dir = join(root, "notebooks");
  const all = readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort();
  if (!names || names.length === 0) return all.map((f) => join(dir, f));
  return names.map((n) => {
    const stem = basename(n).replace(/\.ipynb$/, "");
    if (all.includes(`${stem}.ipynb`)) return join(dir, `${stem}.ipynb`);
    const hits = all.filter((f) => f.startsWith(stem));
    if (hits.length !== 1) {
      throw new MixlabError("NOTEBOOK_NOT_FOUND", `${hits.length === 0 ? "no" : "more than one"} notebook matches "${n}" (have: ${all.join(", ")})`);
    }
    const hit = hits[0];
    return join(dir, hit);
  });
}

/**
 * A Python 3 that can import nbclient (`MIXLAB_PYTHON`, then /usr/bin/python3 — where Debian's
 * packages live, ahead of a pyenv shim — then python3 on PATH).
 *
 * @example
 * findJupyterPython(); // "/usr/bin/python3"
 */
export function findJupyterPython(): string {
  const candidates = [process.env.MIXLAB_PYTHON, "/usr/bin/python3", "python3"].filter((p): p is string => !!p);
  for (const py of candidates) {
    const r = spawnSync(py, ["-c", "import nbclient, nbformat, jupyter_client"], { stdio: "ignore" });
    if (r.status === 0) return py;
  }
  throw new MixlabError("JUPYTER_NOT_FOUND", `no Python with nbclient/jupyter_client found (tried ${candidates.join(", ")}); install Jupyter: ${JUPYTER_APT}`);
}

/**
 * Write the project-local kernel spec under `<root>/.jupyter` and return that directory (to
 * prepend to JUPYTER_PATH).
 *
 * @example
 * const jp = prepareKernel(root); // "<root>/.jupyter"
 */
export function prepareKernel(root: string): string {
  const dataDir = join(root, ".jupyter");
  writeKernelSpec(dataDir, root);
  return dataDir;
}

/**
 * Execute one notebook headless with the mixlab tslab kernel, write it to `outDir`, and check
 * it (`inspectNotebook`). Never throws for a failing notebook: see `ok` and `message`.
 *
 * @example
 * const run = executeNotebook("notebooks/00-tour.ipynb", { profile: "ci" });
 * run.ok; run.seconds;
 */
export function executeNotebook(source: string, opts: RunOptions = {}): NotebookRun {
  const root = opts.root ?? projectRoot();
  const profile = opts.profile ?? "ci";
  const outDir = resolve(opts.outDir ?? join(root, "results", "notebooks"));
  const name = basename(source, ".ipynb");
  const output = join(outDir, `${name}.ipynb`);
  mkdirSync(outDir, { recursive: true });
  const fail = (message: string, seconds = 0, exitCode = 5, report: NotebookReport | null = null): NotebookRun =>
    ({ name, source, output, ok: false, seconds, exitCode, report, message });

  const nb = JSON.parse(readFileSync(source, "utf8")) as Notebook;
  const kname = nb.metadata.kernelspec?.name;
  if (kname !== KERNEL_NAME) return fail(`metadata.kernelspec.name is ${JSON.stringify(kname)}; set it to "${KERNEL_NAME}" (see notebooks/kernel/spec.ts notebookMetadata)`);

  // A known tslab bug would kill the run with a bare ReferenceError; name it before starting.
  const shorthands = crossCellShorthands(nb);
  if (shorthands.length > 0) {
    return fail(shorthands.map((h) => `  cell ${h.cell}, line ${h.line}: \`{ ${h.name} }\` names a variable from an earlier cell; tslab cannot resolve that shorthand — write \`${h.name}: ${h.name}\``).join("\n"));
  }
  const python = findJupyterPython();
  const jupyterPath = prepareKernel(root);
  const timeout = opts.cellTimeoutS ?? (profile === "full" ? 0 : 900);
  const t0 = Date.now();
  const r = spawnSync(python, [join(root, "notebooks", "kernel", "execute.py"), source, output, String(timeout), KERNEL_NAME], {
    cwd: root,
    env: {
      ...process.env,
      MIXLAB_PROFILE: profile,
      JUPYTER_PATH: [jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(delimiter),
    },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (Date.now() - t0) / 1000;
  const exitCode = r.status ?? 5;
  const driverErr = (r.stderr ?? "").trim();
  if (!existsSync(output)) return fail(`the executor wrote no notebook (exit ${exitCode}):\n${driverErr || r.error?.message || ""}`, seconds, exitCode);

  const executed = JSON.parse(readFileSync(output, "utf8")) as Notebook;
  const report = inspectNotebook(executed);
  if (exitCode === 0 && report.problems.length === 0) return { name, source, output, ok: true, seconds, exitCode, report, message: "" };

  // the named error first (execute.py records the kernel's ename: evalue), then the failing cell's account
  const named = (executed.metadata as { mixlab?: { error?: string } }).mixlab?.error;
  const lines = named ? [named] : [];
  if (report.problems.length > 0) lines.push(failureMessage(executed, report));
  if (driverErr) lines.push(`  executor (exit ${exitCode}):\n${driverErr.split("\n").slice(-15).map((l) => `    ${l}`).join("\n")}`);
  return fail(lines.join("\n"), seconds, exitCode === 0 ? 1 : exitCode, report);
}

/** Summary of a run, also written to `<outDir>/summary.json`. */
export interface RunSummary {
  profile: Profile;
  ok: boolean;
  runs: NotebookRun[];
  totalSeconds: number;
}

/**
 * Execute the selected notebooks one after another (all of them even when one fails), print
 * progress and failures, and write `<outDir>/summary.json`.
 *
 * @example
 * const s = runNotebooks({ names: ["00-tour"] }); // s.ok
 */
export function runNotebooks(opts: RunOptions = {}): RunSummary {
  const root = opts.root ?? projectRoot();
  const log = opts.log ?? ((l: string) => console.log(l));
  const profile = opts.profile ?? "ci";
  const outDir = resolve(opts.outDir ?? join(root, "results", "notebooks"));
  const sources = listNotebooks(root, opts.names);
  log(`notebooks: ${sources.length} to run, MIXLAB_PROFILE=${profile}, output in ${outDir}`);
  const runs: NotebookRun[] = [];
  for (const src of sources) {
    log(`▶ ${basename(src)} …`);
    const run = executeNotebook(src, { ...opts, root, profile, outDir });
    runs.push(run);
    if (run.ok) {
      log(`✓ ${run.name}: ${run.seconds.toFixed(1)} s, ${run.report?.codeCells} code cells, ${run.report?.figures} figures, ${run.report?.tables} tables`);
    } else {
      log(`✗ ${run.name}: FAILED after ${run.seconds.toFixed(1)} s (executed copy: ${run.output})\n${run.message}`);
    }
  }
  const totalSeconds = runs.reduce((a, r) => a + r.seconds, 0);
  const summary: RunSummary = { profile, ok: runs.every((r) => r.ok), runs, totalSeconds };
  writeFileSync(join(outDir, "summary.json"), JSON.stringify({
    profile, ok: summary.ok, totalSeconds,
    notebooks: runs.map((r) => ({ name: r.name, ok: r.ok, seconds: r.seconds, output: r.output, figures: r.report?.figures ?? 0, tables: r.report?.tables ?? 0 })),
  }, null, 2) + "\n");
  log(`notebooks: ${runs.filter((r) => r.ok).length}/${runs.length} passed in ${totalSeconds.toFixed(1)} s`);
  return summary;
}
