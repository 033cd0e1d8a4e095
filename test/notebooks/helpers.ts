import { findJupyterPython } from "../../notebooks/kernel/runner.js";

/** Why notebook tests cannot run here (Jupyter missing), or null when they can. */
export function jupyterMissing(): string | null {
  try {
    findJupyterPython();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
