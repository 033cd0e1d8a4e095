import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { searchSimplex } from "../../kernel-lib/mergemix/search.js";
import { seedAlphas } from "../../kernel-lib/mergemix/seeds.js";
import { fitSurrogates } from "../../kernel-lib/mergemix/surrogate.js";
import { createSafetensorsWriter, numberToBf16, numberToF16, bf16ToNumber, f16ToNumber, openSafetensors, type SafetensorsDtype } from "../../kernel-lib/model/safetensors.js";
import { parseNumericCsv } from "../../kernel-lib/util/csv.js";
import { createRng } from "../../kernel-lib/util/rng.js";

const root = mkdtempSync(join(tmpdir(), "mixlab-mergemix-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Tensors of a toy checkpoint: one above the 2^20-element slice, in three dtypes. */
const SPECS: { name: string; dtype: SafetensorsDtype; shape: number[] }[] = [
  { name: "wte", dtype: "F32", shape: [1100, 1000] },
  { name: "ln.bias", dtype: "F16", shape: [7] },
  { name: "h.0.attn", dtype: "BF16", shape: [3, 5] },
];
const stored = (dtype: SafetensorsDtype, x: number) => (dtype === "F32" ? Math.fround(x) : dtype === "F16" ? f16ToNumber(numberToF16(x)) : bf16ToNumber(numberToBf16(x)));

function checkpoint(path: string, seed: number, specs = SPECS): Float64Array[] {
  const rng = createRng(seed);
  const w = createSafetensorsWriter(path, specs);
  const values = specs.map((s) => Float64Array.from({ length: s.shape.reduce((a, b) => a * b, 1) }, () => stored(s.dtype, rng.next() * 2 - 1)));
  for (const v of values) w.write(v);
  w.finish();
  return values;
}

describe("mergemix merge", () => {
  const base = checkpoint(join(root, "base.safetensors"), 1);
  const code = checkpoint(join(root, "code.safetensors"), 2);
  const web = checkpoint(join(root, "web.safetensors"), 3);
  const rows = [[0.25, 0.75], [1, 0], [0.6, -0.2]];
  writeFileSync(join(root, "w.csv"), `web,code\n${rows.map(([c, w]) => `${w},${c}`).join("\n")}\n`); // columns in any order

  it("each merge equals Θ_base + Σ α_k (Θ_k − Θ_base), rounded once to the tensor's dtype", async () => {
    const out = join(root, "merged");
    const r = await runCli(["mergemix", "merge", "--base", join(root, "base.safetensors"), "--experts", `${join(root, "code.safetensors")},${join(root, "web.safetensors")}`, "--weights", join(root, "w.csv"), "--out", out]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([".mixlab-merges.json", "merge-0000.safetensors", "merge-0001.safetensors", "merge-0002.safetensors"]);
    rows.forEach(([ac, aw], i) => {
      const f = openSafetensors(join(out, `merge-${String(i).padStart(4, "0")}.safetensors`));
      expect(f.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual(SPECS.map((s) => [s.name, s.dtype, s.shape]));
      expect(JSON.parse(f.metadata["mixlab.merge"])).toEqual({ experts: ["code", "web"], alpha: [ac, aw] });
      SPECS.forEach((s, t) => {
        const n = base[t].length;
        const got = f.read(f.tensors.find((x) => x.name === s.name)!, 0, n);
        for (let j = 0; j < n; j++) {
          const want = stored(s.dtype, base[t][j] + ac * (code[t][j] - base[t][j]) + aw * (web[t][j] - base[t][j]));
          if (got[j] !== want) throw new Error(`merge ${i}, ${s.name}[${j}]: ${got[j]} ≠ ${want}`);
        }
      });
      f.close();
    });
    // α = (1, 0) is the code expert itself
    const f = openSafetensors(join(out, "merge-0001.safetensors"));
    expect(Array.from(f.read(f.tensors[0], 0, 100))).toEqual(Array.from(code[0].subarray(0, 100)));
    f.close();
  });

  it("shape or dtype mismatch, a truncated file and w.csv columns ≠ experts are named errors; nothing is written", async () => {
    checkpoint(join(root, "shape.safetensors"), 4, [SPECS[0], { ...SPECS[1], shape: [8] }, SPECS[2]]);
    checkpoint(join(root, "dtype.safetensors"), 5, [SPECS[0], SPECS[1], { ...SPECS[2], dtype: "F32" }]);
    const whole = readFileSync(join(root, "web.safetensors"));
    writeFileSync(join(root, "cut.safetensors"), whole.subarray(0, whole.length - 100));
    const merge = (experts: string[], weights: string, out: string) => runCli(["mergemix", "merge", "--base", join(root, "base.safetensors"), "--experts", experts.map((e) => join(root, `${e}.safetensors`)).join(","), "--weights", weights, "--out", join(root, out)]);
    writeFileSync(join(root, "w2.csv"), "code,shape\n0.5,0.5\n");
    writeFileSync(join(root, "w3.csv"), "code,dtype\n0.5,0.5\n");
    writeFileSync(join(root, "w4.csv"), "code,cut\n0.5,0.5\n");
    for (const [experts, w, want] of [
      [["code", "shape"], "w2.csv", /MERGEMIX_CHECKPOINT_MISMATCH.*"ln.bias" has shape \[8\]/],
      [["code", "dtype"], "w3.csv", /MERGEMIX_CHECKPOINT_MISMATCH.*"h.0.attn" is F32, the base's is BF16/],
      [["code", "cut"], "w4.csv", /SAFETENSORS_TRUNCATED/],
      [["code", "web"], "w2.csv", /MERGEMIX_WEIGHTS_COLUMNS.*missing: web.*no such expert: shape/],
    ] as const) {
      const out = `bad-${w}-${experts[1]}`;
      const r = await merge([...experts], join(root, w), out);
      expect(r.code).toBe(2);
      expect(r.err[0]).toMatch(want);
      expect(existsSync(join(root, out)) ? readdirSync(join(root, out)) : []).toEqual([]);
    }
  });
});

describe("mergemix propose and search", () => {
  it("propose writes MergeMix's seed weights (seedAlphas) with one column per expert stem", async () => {
    const out = join(root, "seeds.csv");
    expect((await runCli(["mergemix", "propose", "--experts", "a/code.safetensors,b/web.safetensors,c/math.safetensors", "--count", "20", "--seed", "9", "--out", out])).code).toBe(0);
    const t = parseNumericCsv(readFileSync(out, "utf8"));
    expect(t.columns).toEqual(["index", "code", "web", "math"]);
    const want = seedAlphas(3, createRng(9), { count: 20 });
    t.rows.forEach((r, i) => expect(Array.from(r.subarray(1))).toEqual(Array.from(want[i])));
  });

  it("search: α* equals fitSurrogates → searchSimplex on the same rows; NaN or missing scores are named errors", async () => {
    const alphas = seedAlphas(3, createRng(9), { count: 30 });
    const rng = createRng(4);
    const scores = alphas.map((a) => ({ code: 1 - (a[0] - 0.6) ** 2 + 0.01 * rng.next(), math: 1 - (a[2] - 0.3) ** 2 + 0.01 * rng.next() }));
    writeFileSync(join(root, "merges.csv"), `index,code,web,math\n${alphas.map((a, i) => [i, ...a].join(",")).join("\n")}\n`);
    writeFileSync(join(root, "scores.csv"), `index,code,math\n${scores.map((s, i) => [i, s.code, s.math].join(",")).join("\n")}\n`);
    const out = join(root, "search");
    expect((await runCli(["mergemix", "search", "--weights", join(root, "merges.csv"), "--scores", join(root, "scores.csv"), "--seed", "3", "--out", out])).code).toBe(0);
    const got = JSON.parse(readFileSync(join(out, "mixture.json"), "utf8"));
    const s = fitSurrogates(alphas, scores);
    const found = searchSimplex((a) => s.utility(a), 3, createRng(3));
    const sum = found.alpha.reduce((x, y) => x + y, 0);
    ["code", "web", "math"].forEach((n, k) => expect(got.mixture[n]).toBeCloseTo(found.alpha[k] / sum, 12));
    expect(parseNumericCsv(readFileSync(join(out, "alpha.csv"), "utf8")).columns).toEqual(["index", "code", "web", "math"]);
    writeFileSync(join(root, "nan.csv"), readFileSync(join(root, "scores.csv"), "utf8").replace(/\n3,[^,]*,/, "\n3,NaN,"));
    const r = await runCli(["mergemix", "search", "--weights", join(root, "merges.csv"), "--scores", join(root, "nan.csv"), "--out", join(root, "s2")]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/CSV_NOT_NUMERIC.*row 4.*"code"/);
    writeFileSync(join(root, "missing.csv"), readFileSync(join(root, "scores.csv"), "utf8").replace(/\n3,[^,]*,/, "\n3,,"));
    expect((await runCli(["mergemix", "search", "--weights", join(root, "merges.csv"), "--scores", join(root, "missing.csv"), "--out", join(root, "s3")])).err[0]).toMatch(/CSV_NOT_NUMERIC/);
  });
});
