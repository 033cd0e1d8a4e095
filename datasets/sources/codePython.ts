/** code_python: the CPython standard library as shipped in pyodide's python_stdlib.zip. */
import { decodeBytes } from "../clean/text.js";
import { readZip } from "../fetch/zip.js";
import { PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

export const codePython: DomainSpec = {
  domain: "code_python",
  description: "Python standard library sources (.py with comments and docstrings) from pyodide's python_stdlib.zip, ≤32 KB documents",
  licence: "PSF-2.0 (CPython standard library); package MPL-2.0",
  tier: "default",
  packages: [{ pkg: PACKAGES.pyodide, paths: "python_stdlib.zip : **/*.py" }],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) => {
    const [zip] = ctx.files(PACKAGES.pyodide, (p) => p === "python_stdlib.zip");
    return readZip(zip.data, (p) => p.endsWith(".py")).map((f) => ({ key: f.path, text: decodeBytes(f.data) }));
  },
};
