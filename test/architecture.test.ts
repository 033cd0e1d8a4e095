/**
 * The layer order of ARCHITECTURE.md, enforced: every relative import in kernel-lib/ and
 * datasets/ is resolved to the folder it lands in and checked against the `layers` block of the
 * doc (a folder imports its own files and layers below; peers on one line do not import each
 * other). A failure lists every offending import as file:line.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../kernel-lib/util/paths.js";

const root = projectRoot();

/** The `layers` fenced block: one line per layer, top first; names on a line are peers. */
export function parseLayers(doc: string): string[][] {
  const m = /```layers\n([\s\S]*?)```/.exec(doc);
  if (!m) throw new Error("ARCHITECTURE.md has no ```layers block");
  return m[1].split("\n").map((l) => l.trim()).filter((l) => l.length > 0).map((l) => l.split(/\s+/));
}

/** Relative import specifiers of a TypeScript source with their line numbers (static, re-export, dynamic). */
export function importsOf(src: string): { line: number; spec: string }[] {
  const out: { line: number; spec: string }[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/g;
  src.split("\n").forEach((text, i) => {
    const t = text.trim();
    if (t.startsWith("*") || t.startsWith("//") || t.startsWith("/*")) return;
    for (const m of text.matchAll(re)) out.push({ line: i + 1, spec: m[1] });
  });
  return out;
}

type Where = { area: "kernel-lib"; folder: string } | { area: "datasets" } | { area: "other"; path: string };

function where(repoPath: string): Where {
  const parts = repoPath.split("/");
  if (parts[0] === "kernel-lib") return { area: "kernel-lib", folder: parts.length > 2 ? parts[1] : "(root)" };
  if (parts[0] === "datasets") return { area: "datasets" };
  return { area: "other", path: repoPath };
}

/** Why an import from `from` to `to` breaks the order, or null when it is allowed. */
export function violation(layers: string[][], from: string, to: string): string | null {
  const a = where(from);
  const b = where(to);
  const level = (f: string): number => layers.findIndex((l) => l.includes(f));
  if (a.area === "datasets") {
    if (b.area === "kernel-lib" && b.folder !== "data" && b.folder !== "util") return `datasets/ may import only kernel-lib/data and kernel-lib/util, not kernel-lib/${b.folder}`;
    return null;
  }
  if (a.area !== "kernel-lib") return null;
  if (b.area === "datasets") return a.folder === "cli" ? null : `only kernel-lib/cli may import datasets/ (from kernel-lib/${a.folder})`;
  if (b.area === "other") return `kernel-lib imports outside the library: ${b.path}`;
  if (a.folder === b.folder) return null;
  const la = level(a.folder);
  const lb = level(b.folder);
  if (la < 0) return `kernel-lib/${a.folder} is in no layer of ARCHITECTURE.md`;
  if (lb < 0) return `kernel-lib/${b.folder} is in no layer of ARCHITECTURE.md`;
  if (la === lb) return `peers: ${a.folder} imports ${b.folder} (same layer)`;
  if (lb < la) return `upward: ${a.folder} (layer ${la}) imports ${b.folder} (layer ${lb})`;
  return null;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** Every breaking import under kernel-lib/ and datasets/, as "file:line  spec  (why)". */
export function layerViolations(layers: string[][]): string[] {
  const bad: string[] = [];
  for (const file of [...tsFiles(join(root, "kernel-lib")), ...tsFiles(join(root, "datasets"))]) {
    const from = relative(root, file);
    for (const { line, spec } of importsOf(readFileSync(file, "utf8"))) {
      const to = normalize(join(dirname(from), spec));
      const why = violation(layers, from, to);
      if (why) bad.push(`${from}:${line}  ${spec}  (${why})`);
    }
  }
  return bad;
}

describe("ARCHITECTURE.md layer order", () => {
  const layers = parseLayers(readFileSync(join(root, "ARCHITECTURE.md"), "utf8"));

  it("names every kernel-lib folder exactly once", () => {
    const folders = readdirSync(join(root, "kernel-lib")).filter((n) => statSync(join(root, "kernel-lib", n)).isDirectory()).sort();
    expect(layers.flat().sort()).toEqual(folders);
  });

  it("has no upward or sideways import in kernel-lib/ or datasets/", () => {
    const bad = layerViolations(layers);
    expect(bad, `imports that break ARCHITECTURE.md's order:\n${bad.join("\n")}`).toEqual([]);
  });

  it("catches an upward, a peer and a datasets import (the rule on made-up edges)", () => {
    expect(violation(layers, "kernel-lib/model/engine-fused.ts", "kernel-lib/train/optimizer.js")).toMatch(/^upward/);
    expect(violation(layers, "kernel-lib/doremi/cost.ts", "kernel-lib/mergemix/cost.js")).toMatch(/^peers/);
    expect(violation(layers, "kernel-lib/eval/suite/tasks/math-answer.ts", "datasets/math/problem.js")).toMatch(/only kernel-lib\/cli/);
    expect(violation(layers, "kernel-lib/studies/regmix/claims.ts", "kernel-lib/compare/cost.js")).toBeNull();
    expect(violation(layers, "datasets/build.ts", "kernel-lib/train/recipe.js")).toMatch(/datasets\/ may import only/);
    expect(importsOf('import { a } from "../x.js";\n * from "../comment.js"\nconst m = await import("./y.js");\nexport { b } from "../../z.js";').map((i) => `${i.line}:${i.spec}`))
      .toEqual(["1:../x.js", "3:./y.js", "4:../../z.js"]);
  });
});

describe("MergeMix step numbers", () => {
  it("each file header names the step its README row gives it", () => {
    const readme = readFileSync(join(root, "kernel-lib/mergemix/README.md"), "utf8");
    const rows = [...readme.matchAll(/^\| (\d+) [^|]*\| `([a-z-]+\.ts)`/gm)].map((m) => ({ step: Number(m[1]), file: m[2] }));
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const { step, file } of rows) {
      const path = join(root, "kernel-lib/mergemix", file);
      if (!statSync(path, { throwIfNoEntry: false })) continue; // rows pointing into another folder (model/merge.ts)
      const header = /MergeMix steps? (\d+)(?:–(\d+))?/.exec(readFileSync(path, "utf8").slice(0, 400));
      expect(header, `${file} has no "MergeMix step N" header`).not.toBeNull();
      const lo = Number(header![1]);
      const hi = header![2] ? Number(header![2]) : lo;
      expect(step >= lo && step <= hi, `${file}: README step ${step}, header ${header![0]}`).toBe(true);
    }
  });
});
