import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Name of mixlab's Jupyter kernel; every notebook's `metadata.kernelspec.name` must equal it. */
export const KERNEL_NAME = "mixlab-ts";
export const KERNEL_DISPLAY_NAME = "TypeScript (mixlab, tslab)";

/** A Jupyter kernel.json. */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  env?: Record<string, string>;
}

/** Quote for /bin/sh single quotes (a ' inside becomes '\''). */
function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The kernel spec: tslab started from the project root. Jupyter starts kernels in the
 * notebook's folder, but tslab takes its working directory as the TypeScript rootDir, so
 * `import "../kernel-lib/..."` from notebooks/ would fail with "not under rootDir"; the
 * `cd` makes every notebook import relative to the project root (`./kernel-lib/...`).
 * `$0` is the connection file Jupyter substitutes for `{connection_file}`.
 *
 * @example
 * kernelSpec("/home/me/mixlab").argv[0]; // "/bin/sh"
 */
export function kernelSpec(root: string): KernelSpec {
  // notebooks/kernel/launch.cjs: tslab's kernel, whose failed-cell replies also name the error (ename/evalue)
  const launcher = join(root, "notebooks", "kernel", "launch.cjs");
  return {
    argv: ["/bin/sh", "-c", `cd ${shQuote(root)} && exec ${shQuote(process.execPath)} ${shQuote(launcher)} kernel --config-path "$0"`, "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
  };
}

/**
 * Write `<dataDir>/kernels/mixlab-ts/kernel.json` (dataDir is a Jupyter data directory, e.g.
 * one entry of JUPYTER_PATH). Returns the kernel directory.
 *
 * @example
 * writeKernelSpec(join(root, ".jupyter"), root); // "<root>/.jupyter/kernels/mixlab-ts"
 */
export function writeKernelSpec(dataDir: string, root: string): string {
  const dir = join(dataDir, "kernels", KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(kernelSpec(root), null, 2) + "\n");
  return dir;
}

/**
 * Notebook metadata that selects this kernel (put it in every new notebook).
 *
 * @example
 * nb.metadata = notebookMetadata();
 */
export function notebookMetadata(): Record<string, unknown> {
  return {
    kernelspec: { name: KERNEL_NAME, display_name: KERNEL_DISPLAY_NAME, language: "typescript" },
    language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
  };
}
