/** code_ts_js: TypeScript's lib.*.d.ts and compiler source (typescript.js), plus @types/node declarations. */
import { decodeBytes } from "../clean/text.js";
import { PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

export const codeTsJs: DomainSpec = {
  domain: "code_ts_js",
  description: "TypeScript/JavaScript: typescript lib/lib.*.d.ts + lib/typescript.js (the compiler) and @types/node *.d.ts, cut at blank lines into ≤32 KB documents",
  licence: "Apache-2.0 (typescript); MIT (@types/node)",
  tier: "default",
  packages: [
    { pkg: PACKAGES.typescript, paths: "lib/lib.*.d.ts, lib/typescript.js" },
    { pkg: PACKAGES.typesNode, paths: "**/*.d.ts" },
  ],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) => [
    ...ctx
      .files(PACKAGES.typescript, (p) => /^lib\/lib\.[^/]+\.d\.ts$/.test(p) || p === "lib/typescript.js")
      .map((f) => ({ key: `typescript/${f.path}`, text: decodeBytes(f.data) })),
    ...ctx
      .files(PACKAGES.typesNode, (p) => p.endsWith(".d.ts"))
      .map((f) => ({ key: `@types/node/${f.path}`, text: decodeBytes(f.data) })),
  ],
};
