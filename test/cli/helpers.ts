import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join, relative } from "node:path";
import { expect } from "vitest";
import { main } from "../../kernel-lib/cli/main.js";

/** Run `mixlab ARGV…` in-process with stdout silenced; the exit code and the lines written to stderr. */
export async function runCli(argv: string[]): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = () => {};
  console.error = (s: string) => { err.push(s); };
  try { return { code: await main(argv), err }; } finally { [console.log, console.error] = [log, error]; }
}

/**
 * Everything under `dir` (hidden files included, symlinks not followed): relative path →
 * "dir", "link → target" or the sha256 of the file's bytes. Two equal snapshots mean nothing
 * under `dir` was written, deleted, renamed or left behind.
 */
export function treeSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const rel = relative(dir, p);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[rel] = `link → ${readlinkSync(p)}`;
      else if (st.isDirectory()) { out[rel] = "dir"; visit(p); }
      else out[rel] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  visit(dir);
  return out;
}

/**
 * `mixlab ARGV…` must refuse: `error[code]` first on stderr, exit 2, and every file under `root`
 * exactly as before (nothing written, deleted or left behind). Returns the error line.
 */
export async function expectRefusal(root: string, argv: string[], code: string): Promise<string> {
  const before = treeSnapshot(root);
  const r = await runCli(argv);
  expect(r.err.join("\n")).toMatch(new RegExp(`^error\\[${code}\\]`));
  expect(r.code).toBe(2);
  expect(treeSnapshot(root)).toEqual(before);
  return r.err[0];
}
