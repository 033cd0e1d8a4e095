import { createRequire } from "node:module";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type * as TS from "typescript";

/**
 * Type-check files the way the tslab kernel does before running a notebook cell: tslab's own
 * TypeScript (5.0.4, `@tslab/typescript-for-tslab`), module ESNext + moduleResolution Node10,
 * not strict, `declaration: true`. kernel-lib must pass here as well as under the project's
 * TypeScript, or every notebook importing it fails ("Type X is not assignable…" on stderr).
 * Returns "file line:col - message" strings (empty when clean). Takes ~10 s for all kernel-lib.
 *
 * @example
 * tslabCompileErrors(root); // []
 */
export function tslabCompileErrors(root: string, files: readonly string[] = listTs(join(root, "kernel-lib"))): string[] {
  const req = createRequire(join(root, "node_modules", "tslab", "package.json"));
  const ts = req("@tslab/typescript-for-tslab") as typeof TS;
  const options: TS.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    declaration: true,
    experimentalDecorators: true,
    resolveJsonModule: true,
    jsx: ts.JsxEmit.React,
    skipLibCheck: true,
    rootDir: root,
    outDir: join(root, ".cache", "tslab-compat"),
  };
  const program = ts.createProgram([...files], options);
  const diags = [...ts.getPreEmitDiagnostics(program), ...program.emit(undefined, () => {}, undefined, true).diagnostics];
  return diags.map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file || d.start === undefined) return msg;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(root, d.file.fileName)} ${line + 1}:${character + 1} - ${msg}`;
  });
}

/** Every .ts file under `dir` (no .d.ts). */
export function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...listTs(p));
    else if (e.endsWith(".ts") && !e.endsWith(".d.ts")) out.push(p);
  }
  return out.sort();
}
