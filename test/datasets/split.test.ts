import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { assignSplits, splitFraction, splitOf } from "../../datasets/split.js";
import { createRng } from "../../kernel-lib/util/rng.js";

const docs = Array.from({ length: 20_000 }, (_, i) => `document number ${i}: ${"x".repeat(i % 37)}`);

describe("hash split", () => {
  it("follows the documented rule: first 4 bytes of sha256(domain 0x00 text)", () => {
    const h = createHash("sha256").update(Buffer.concat([Buffer.from("books"), Buffer.from([0]), Buffer.from("Call me Ishmael.")])).digest();
    expect(splitFraction("books", "Call me Ishmael.")).toBe(h.readUInt32BE(0) / 2 ** 32);
    // the domain takes part: the same text may fall elsewhere in another domain
    const differs = docs.slice(0, 200).some((d) => splitFraction("books", d) !== splitFraction("email", d));
    expect(differs).toBe(true);
  });

  it("puts the same document in the same split regardless of order or company", () => {
    const forward = assignSplits("legal", docs);
    const shuffled = createRng(7).shuffle(docs.map((d, i) => [d, i] as const));
    const back = assignSplits("legal", shuffled.map(([d]) => d));
    shuffled.forEach(([, i], j) => expect(back[j]).toBe(forward[i]));
    // a subset keeps each member's split (no fallback needed at this size)
    const subset = docs.filter((_, i) => i % 3 === 0);
    assignSplits("legal", subset).forEach((s, j) => expect(s).toBe(forward[j * 3]));
  });

  it("gives ≈90/5/5 proportions", () => {
    const s = assignSplits("books", docs);
    const frac = (name: string): number => s.filter((x) => x === name).length / s.length;
    // binomial sd at n=20000: ≈0.0021 (train) and ≈0.0015 (val/test); allow 4 sd
    expect(Math.abs(frac("train") - 0.9)).toBeLessThan(0.0085);
    expect(Math.abs(frac("validation") - 0.05)).toBeLessThan(0.0062);
    expect(Math.abs(frac("test") - 0.05)).toBeLessThan(0.0062);
  });

  it("falls back deterministically so validation and test are never empty", () => {
    // find 5 documents that all hash into train
    const trainOnly = docs.filter((d) => splitOf("tiny", d) === "train").slice(0, 5);
    const s = assignSplits("tiny", trainOnly);
    expect(s.filter((x) => x === "validation")).toHaveLength(1);
    expect(s.filter((x) => x === "test")).toHaveLength(1);
    // the moved ones are the train documents with the largest hash positions
    const order = trainOnly.map((d, i) => [splitFraction("tiny", d), i] as const).sort((a, b) => b[0] - a[0]);
    expect(s[order[0][1]]).toBe("validation");
    expect(s[order[1][1]]).toBe("test");
    expect(assignSplits("tiny", [...trainOnly].reverse())).toEqual([...s].reverse());
    expect(() => assignSplits("tiny", trainOnly.slice(0, 2))).toThrow(/≥ 3 documents/);
  });
});
