/**
 * `mixlab mergemix merge --out`: a directory of earlier merges is never mixed with new ones
 * (issue 30, case 5), and a checkpoint whose tensors share bytes is refused (case 8).
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSafetensorsWriter, openSafetensors } from "../../kernel-lib/model/safetensors.js";
import { expectRefusal, runCli } from "./helpers.js";

const root = mkdtempSync(join(tmpdir(), "mixlab-merge-out-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A one-tensor F32 checkpoint holding `values`. */
function checkpoint(name: string, values: number[]): string {
  const p = join(root, `${name}.safetensors`);
  const w = createSafetensorsWriter(p, [{ name: "w", dtype: "F32", shape: [values.length] }]);
  w.write(values);
  w.finish();
  return p;
}
const base = checkpoint("base", [0, 0, 0, 0]);
const a = checkpoint("a", [1, 1, 1, 1]);
const b = checkpoint("b", [2, 2, 2, 2]);
function weights(name: string, rows: number[][]): string {
  const p = join(root, name);
  writeFileSync(p, `a,b\n${rows.map((r) => r.join(",")).join("\n")}\n`);
  return p;
}
const four = weights("w4.csv", [[1, 0], [0, 1], [0.5, 0.5], [0.25, 0.75]]);
const two = weights("w2.csv", [[0.1, 0.9], [0.9, 0.1]]);
const valueOf = (p: string) => { const f = openSafetensors(p); try { return f.read(f.tensors[0], 0, 1)[0]; } finally { f.close(); } };

const refuses = (argv: string[], code: string) => expectRefusal(root, argv, code);
const mergeArgs = (w: string, out: string, ...more: string[]) => ["mergemix", "merge", "--base", base, "--experts", `${a},${b}`, "--weights", w, "--out", out, ...more];

describe("mergemix merge --out", () => {
  const out = join(root, "merges");

  it("refuses a non-empty --out without --force", async () => {
    expect((await runCli(mergeArgs(four, out))).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([".mixlab-merges.json", "merge-0000.safetensors", "merge-0001.safetensors", "merge-0002.safetensors", "merge-0003.safetensors"]);
    writeFileSync(join(out, "scores.csv"), "index,acc\n0,0.5\n"); // the user's own file
    await refuses(mergeArgs(two, out), "MERGEMIX_OUT_NOT_EMPTY");
  });

  it("--force replaces exactly the merges it listed: merges/* then holds only the new rows, the user's file stays", async () => {
    expect((await runCli(mergeArgs(two, out, "--force"))).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([".mixlab-merges.json", "merge-0000.safetensors", "merge-0001.safetensors", "scores.csv"]);
    // base 0, a 1, b 2: merge = α_a + 2 α_b
    expect(valueOf(join(out, "merge-0000.safetensors"))).toBeCloseTo(0.1 + 1.8, 6);
    expect(valueOf(join(out, "merge-0001.safetensors"))).toBeCloseTo(0.9 + 0.2, 6);
  });

  it("--force refuses a merge-*.safetensors it did not write, and a failing merge leaves --out as it was", async () => {
    copyFileSync(join(out, "merge-0000.safetensors"), join(out, "merge-0009.safetensors"));
    await refuses(mergeArgs(two, out, "--force"), "MERGEMIX_OUT_FOREIGN");
    rmSync(join(out, "merge-0009.safetensors"));
    const other = checkpoint("short", [1, 2]);
    writeFileSync(join(root, "wshort.csv"), "a,short\n0.5,0.5\n");
    await refuses(["mergemix", "merge", "--base", base, "--experts", `${a},${other}`, "--weights", join(root, "wshort.csv"), "--out", out, "--force"], "MERGEMIX_CHECKPOINT_MISMATCH");
  });

  it("--out naming a file is a named error", async () => {
    writeFileSync(join(root, "afile"), "x");
    await refuses(mergeArgs(two, join(root, "afile")), "MERGEMIX_OUT_NOT_DIR");
  });
});

describe("safetensors with overlapping tensors (case 8)", () => {
  it("is SAFETENSORS_BAD_HEADER, and merge writes nothing", async () => {
    const header = Buffer.from(JSON.stringify({ x: { dtype: "F32", shape: [4], data_offsets: [0, 16] }, y: { dtype: "F32", shape: [4], data_offsets: [8, 24] } }));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    const p = join(root, "alias.safetensors");
    writeFileSync(p, Buffer.concat([len, header, Buffer.alloc(24)]));
    expect(() => openSafetensors(p)).toThrow(expect.objectContaining({ code: "SAFETENSORS_BAD_HEADER", message: expect.stringContaining('"x" [0, 16) and "y" [8, 24) overlap') }));
    writeFileSync(join(root, "w1.csv"), "alias\n1\n");
    await refuses(["mergemix", "merge", "--base", p, "--experts", p, "--weights", join(root, "w1.csv"), "--out", join(root, "m-alias")], "SAFETENSORS_BAD_HEADER");
  });
});
