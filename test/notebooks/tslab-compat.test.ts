import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import { listTs, tslabCompileErrors } from "../../notebooks/kernel/compat.js";

// Notebooks import kernel-lib through tslab, which type-checks every imported file with its own
// TypeScript 5.0 in non-strict mode (no strictNullChecks: `if (!r.ok)` does not narrow a union,
// `=== null` does not narrow `unknown`). A file that fails there breaks every notebook that
// reaches it, while `npm run typecheck` (TS 5.9, strict) passes. The CLI layer is excluded:
// notebooks call the library, not the commands.
describe("kernel-lib compiles under tslab's TypeScript", () => {
  it("has no errors with tslab's compiler and options", () => {
    const root = projectRoot();
    const files = listTs(join(root, "kernel-lib")).filter((f) => !f.startsWith(join(root, "kernel-lib", "cli")));
    expect(tslabCompileErrors(root, files)).toEqual([]);
  }, 120_000);
});
