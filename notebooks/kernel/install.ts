// `npm run kernel:install`: register the mixlab TypeScript kernel (tslab, started from the
// project root) for the current user, so Jupyter/JupyterLab/VS Code can open notebooks/*.ipynb.
// With --project, only write the project-local spec under .jupyter/ (what the runner uses).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import { JUPYTER_APT, prepareKernel } from "./runner.js";
import { KERNEL_NAME, writeKernelSpec } from "./spec.js";

const root = projectRoot();
if (!existsSync(join(root, "node_modules", ".bin", "tslab"))) {
  console.error("error[TSLAB_MISSING]: node_modules/.bin/tslab not found; run `npm ci` first");
  process.exit(2);
}
const local = prepareKernel(root);
console.log(`project kernel spec: ${join(local, "kernels", KERNEL_NAME, "kernel.json")}`);
if (process.argv.includes("--project")) process.exit(0);

const jupyter = ["/usr/bin/jupyter", "jupyter"].find((j) => spawnSync(j, ["--version"], { stdio: "ignore" }).status === 0);
if (jupyter) {
  // `jupyter kernelspec install --user` knows the platform's user data dir
  const tmp = mkdtempSync(join(tmpdir(), "mixlab-kernel-"));
  const dir = writeKernelSpec(tmp, root);
  const r = spawnSync(jupyter, ["kernelspec", "install", "--user", "--replace", "--name", KERNEL_NAME, dir], { encoding: "utf8" });
  rmSync(tmp, { recursive: true, force: true });
  if (r.status !== 0) {
    console.error(`error[KERNEL_INSTALL]: jupyter kernelspec install failed:\n${r.stderr}`);
    process.exit(1);
  }
  console.log((r.stderr || r.stdout).trim());
} else {
  const dataDir = process.env.JUPYTER_DATA_DIR ?? join(homedir(), ".local", "share", "jupyter");
  const dir = writeKernelSpec(dataDir, root);
  console.log(`Jupyter is not installed; wrote ${dir}/kernel.json anyway. Install Jupyter with: ${JUPYTER_APT}`);
}
console.log(`kernel "${KERNEL_NAME}" registered: open notebooks/*.ipynb and pick "TypeScript (mixlab, tslab)"`);
