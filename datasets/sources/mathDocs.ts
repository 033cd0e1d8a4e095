/** math_docs: stdlib README.md documentation with LaTeX equations. */
import { cleanStdlibReadme } from "../clean/markdown.js";
import { decodeBytes } from "../clean/text.js";
import { PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

export const mathDocs: DomainSpec = {
  domain: "math_docs",
  description: "Mathematical documentation: @stdlib/math and @stdlib/stats **/README.md (definitions, usage, examples); equations as $$LaTeX$$, <details>/related/link sections dropped",
  licence: "Apache-2.0 (stdlib)",
  tier: "default",
  packages: [
    { pkg: PACKAGES.stdlibMath, paths: "**/README.md" },
    { pkg: PACKAGES.stdlibStats, paths: "**/README.md" },
  ],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) =>
    [PACKAGES.stdlibMath, PACKAGES.stdlibStats].flatMap((pkg) =>
      ctx
        .files(pkg, (p) => p === "README.md" || p.endsWith("/README.md"))
        .map((f) => ({ key: `${pkg.name}/${f.path}`, text: cleanStdlibReadme(decodeBytes(f.data)) })),
    ),
};
