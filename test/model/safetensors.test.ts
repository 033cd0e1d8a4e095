import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bf16ToNumber, createSafetensorsWriter, f16ToNumber, numberToBf16, numberToF16, openSafetensors } from "../../kernel-lib/model/safetensors.js";
import { isMixlabError } from "../../kernel-lib/util/errors.js";

const root = mkdtempSync(join(tmpdir(), "mixlab-st-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function code(f: () => unknown): string | undefined {
  try { f(); } catch (e) { return isMixlabError(e) ? e.code : String(e); }
  return undefined;
}

describe("safetensors", () => {
  it("f16 and bf16: every non-NaN bit pattern survives decode → encode", () => {
    for (let h = 0; h < 65536; h++) {
      const x = f16ToNumber(h);
      if (!Number.isNaN(x)) expect(numberToF16(x)).toBe(h);
      const y = bf16ToNumber(h);
      if (!Number.isNaN(y)) expect(numberToBf16(y)).toBe(h);
    }
  });

  it("f16 rounds to nearest, ties to even, and overflows to infinity", () => {
    expect(numberToF16(1 + 2 ** -11)).toBe(0x3c00); // tie between 1 and 1+2^-10 → even (1)
    expect(numberToF16(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even mantissa 2
    expect(numberToF16(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(numberToF16(65504)).toBe(0x7bff);
    expect(numberToF16(70000)).toBe(0x7c00);
    expect(numberToF16(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal → 0
    expect(numberToF16(3 * 2 ** -25)).toBe(2);
    expect(numberToBf16(1 + 2 ** -8)).toBe(0x3f80); // tie → even
  });

  it("reads a file laid out by hand as the format specifies, and round-trips its own files", () => {
    const header = JSON.stringify({ __metadata__: { format: "pt" }, b: { dtype: "F16", shape: [2], data_offsets: [8, 12] }, a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } });
    const data = Buffer.alloc(12);
    data.writeFloatLE(1.5, 0); data.writeFloatLE(-2, 4); data.writeUInt16LE(0x3c00, 8); data.writeUInt16LE(0xc000, 10);
    const len = Buffer.alloc(8); len.writeBigUInt64LE(BigInt(header.length));
    const p = join(root, "hand.safetensors");
    writeFileSync(p, Buffer.concat([len, Buffer.from(header), data]));
    const f = openSafetensors(p);
    expect(f.metadata).toEqual({ format: "pt" });
    expect(f.tensors.map((t) => t.name)).toEqual(["a", "b"]);
    expect(Array.from(f.read(f.tensors[0], 0, 2))).toEqual([1.5, -2]);
    expect(Array.from(f.read(f.tensors[1], 1, 1))).toEqual([-2]);
    f.close();

    const q = join(root, "own.safetensors");
    const w = createSafetensorsWriter(q, [{ name: "x", dtype: "BF16", shape: [3] }, { name: "y", dtype: "F32", shape: [2, 2] }, { name: "z", dtype: "F16", shape: [0] }], { note: "hi" });
    w.write([1, 2]); w.write([3, 0.1, 0.2]); w.write([0.3, 0.4]); w.finish();
    const buf = readFileSync(q);
    expect(Number(buf.readBigUInt64LE(0)) % 8).toBe(0);
    const g = openSafetensors(q);
    expect(g.metadata).toEqual({ note: "hi" });
    expect(Array.from(g.read(g.tensors[0], 0, 3))).toEqual([1, 2, 3]);
    expect(Array.from(g.read(g.tensors[1], 0, 4))).toEqual([0.1, 0.2, 0.3, 0.4].map(Math.fround));
    g.close();
  });

  it("truncated, garbage and unsupported-dtype files are named errors", () => {
    const q = join(root, "own.safetensors");
    const buf = readFileSync(q);
    writeFileSync(join(root, "cut.safetensors"), buf.subarray(0, buf.length - 3));
    expect(code(() => openSafetensors(join(root, "cut.safetensors")))).toBe("SAFETENSORS_TRUNCATED");
    writeFileSync(join(root, "cut2.safetensors"), buf.subarray(0, 20));
    expect(code(() => openSafetensors(join(root, "cut2.safetensors")))).toBe("SAFETENSORS_TRUNCATED");
    writeFileSync(join(root, "junk.safetensors"), "this is not a checkpoint at all");
    expect(code(() => openSafetensors(join(root, "junk.safetensors")))).toBe("SAFETENSORS_BAD_HEADER");
    const h = JSON.stringify({ a: { dtype: "I8", shape: [1], data_offsets: [0, 1] } });
    const len = Buffer.alloc(8); len.writeBigUInt64LE(BigInt(h.length));
    writeFileSync(join(root, "i8.safetensors"), Buffer.concat([len, Buffer.from(h), Buffer.alloc(1)]));
    expect(code(() => openSafetensors(join(root, "i8.safetensors")))).toBe("SAFETENSORS_DTYPE");
    expect(code(() => openSafetensors(join(root, "absent.safetensors")))).toBe("SAFETENSORS_NOT_FOUND");
  });
});
