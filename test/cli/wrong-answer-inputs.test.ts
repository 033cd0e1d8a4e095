/**
 * Inputs on which `regmix choose`, `regmix fit` and `mergemix search` used to print an answer
 * and exit 0 (issue 30): a duplicated index, one training run, constant losses, a GBDT that
 * cannot split, merge weights off the simplex. Each is now a named error with exit code 2, and
 * `--out` keeps exactly what it held before (an earlier result file, unchanged).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { seedAlphas } from "../../kernel-lib/mergemix/seeds.js";
import { createRng } from "../../kernel-lib/util/rng.js";

const root = mkdtempSync(join(tmpdir(), "mixlab-wrong-answer-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(root, name);
  writeFileSync(p, text);
  return p;
};
/** An --out directory that already holds an earlier result. */
function outDir(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "earlier.txt"), "an earlier result\n");
  return dir;
}
async function expectRefused(argv: string[], code: string, out: string, message?: RegExp): Promise<void> {
  const r = await runCli(argv);
  expect(r.code).toBe(2);
  expect(r.err[0]).toMatch(new RegExp(`^error\\[${code}\\]: `));
  if (message) expect(r.err[0]).toMatch(message);
  expect(readdirSync(out)).toEqual(["earlier.txt"]);
  expect(readFileSync(join(out, "earlier.txt"), "utf8")).toBe("an earlier result\n");
}

// 12 runs over 3 domains, loss = 3 − w_a + w_c² (ranks mixtures: the good path exits 0)
const rng = createRng(5);
const mixes = Array.from({ length: 12 }, () => Array.from(rng.dirichlet([1, 1, 1])));
const mixCsv = (rows: number[][], index: number[]) => `index,train_a,train_b,train_c\n${rows.map((w, i) => [index[i], ...w].join(",")).join("\n")}\n`;
const lossCsv = (losses: number[], index: number[]) => `index,metric/a_val_loss\n${losses.map((l, i) => `${index[i]},${l}`).join("\n")}\n`;
const loss = (w: number[]) => 3 - w[0] + w[2] ** 2;
const seq = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const choose = (a: string, b: string, out: string, extra: string[] = []) =>
  ["regmix", "choose", "--train-mixtures", a, "--train-losses", b, "--target", "a", "--candidates", "2000", "--top-k", "16", "--rounds", "50", "--out", out, ...extra];

describe("regmix choose refuses inputs no regression can rank mixtures on", () => {
  it("the good input writes a mixture (the refusals below are about the input)", async () => {
    const out = join(root, "good");
    expect((await runCli(choose(file("A.csv", mixCsv(mixes, seq(12))), file("B.csv", lossCsv(mixes.map(loss), seq(12))), out))).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["mixture.csv", "mixture.json", "top_k.csv"]);
  });

  it("a duplicated index (row 3 twice, in the mixtures and the losses)", async () => {
    const rows = [...mixes.slice(0, 3), mixes[2], ...mixes.slice(3)];
    const index = [1, 2, 3, 3, ...seq(12).slice(3)];
    const out = outDir("dup");
    await expectRefused(choose(file("A-dup.csv", mixCsv(rows, index)), file("B-dup.csv", lossCsv(rows.map(loss), index)), out), "INDEX_DUPLICATE", out, /index 3 appears in rows 3 and 4/);
  });

  it("one training run", async () => {
    const out = outDir("one");
    await expectRefused(choose(file("A-one.csv", mixCsv(mixes.slice(0, 1), [1])), file("B-one.csv", lossCsv([loss(mixes[0])], [1])), out), "REGMIX_TOO_FEW_RUNS", out, /at least 2 training runs, got 1/);
  });

  it("constant losses", async () => {
    const out = outDir("constant");
    await expectRefused(choose(file("A.csv", mixCsv(mixes, seq(12))), file("B-flat.csv", lossCsv(mixes.map(() => 2.5), seq(12))), out), "REGMIX_CONSTANT_LOSSES", out);
  });

  it("a GBDT on 3 runs (minDataInLeaf 2) finds no split: refused with --model gbdt, linear ranks them", async () => {
    const [a, b] = [file("A-3.csv", mixCsv(mixes.slice(0, 3), seq(3))), file("B-3.csv", lossCsv(mixes.slice(0, 3).map(loss), seq(3)))];
    const out = outDir("three");
    await expectRefused(choose(a, b, out), "REGMIX_FIT_CONSTANT", out, /minDataInLeaf 2/);
    expect((await runCli(choose(a, b, join(root, "three-linear"), ["--model", "linear"]))).code).toBe(0);
  });
});

describe("regmix fit takes the same checks (one fit path)", () => {
  it("a duplicated index and one training run", async () => {
    const C = file("C.csv", "a,b,c\n0.2,0.3,0.5\n");
    const dir = outDir("fit");
    const fit = (a: string, b: string) => ["regmix", "fit", "--train-mixtures", a, "--train-losses", b, "--target", "a", "--model", "linear", "--predict", C, "--out", join(dir, "preds.csv")];
    const index = [1, 2, 3, 3, ...seq(12).slice(3)];
    const rows = [...mixes.slice(0, 3), mixes[2], ...mixes.slice(3)];
    await expectRefused(fit(file("A-dup2.csv", mixCsv(rows, index)), file("B-dup2.csv", lossCsv(rows.map(loss), index))), "INDEX_DUPLICATE", dir);
    await expectRefused(fit(file("A-one2.csv", mixCsv(mixes.slice(0, 1), [1])), file("B-one2.csv", lossCsv([1], [1]))), "REGMIX_TOO_FEW_RUNS", dir);
  });
});

describe("mergemix search refuses weight rows that do not sum to 1 (|Σ − 1| ≤ 1e-6)", () => {
  const alphas = seedAlphas(3, createRng(2), { count: 12 });
  const scores = `index,code\n${alphas.map((a, i) => `${i},${1 - (a[0] - 0.6) ** 2}`).join("\n")}\n`;
  const weights = (rows: number[][]) => `index,code,web,math\n${rows.map((a, i) => [i, ...a].join(",")).join("\n")}\n`;
  const search = (w: string, out: string) => ["mergemix", "search", "--weights", w, "--scores", file("scores.csv", scores), "--out", out];

  it("a row summing to 1.1 is MIXTURE_NOT_ON_SIMPLEX, naming the row and the tolerance", async () => {
    const off = alphas.map((a, i) => (i === 4 ? [a[0] + 0.1, a[1], a[2]] : Array.from(a)));
    const out = outDir("search-off");
    await expectRefused(search(file("w-off.csv", weights(off)), out), "MIXTURE_NOT_ON_SIMPLEX", out, /row 5 weights sum to 1\.1\d*, expected 1 ± 0\.000001/);
  });

  it("2e-6 off is refused, 5e-7 off is within the tolerance", async () => {
    const nudge = (by: number) => alphas.map((a, i) => (i === 0 ? [a[0] + by, a[1], a[2]] : Array.from(a)));
    const out = outDir("search-2e-6");
    await expectRefused(search(file("w-2e-6.csv", weights(nudge(2e-6))), out), "MIXTURE_NOT_ON_SIMPLEX", out);
    const ok = join(root, "search-5e-7");
    expect((await runCli(search(file("w-5e-7.csv", weights(nudge(5e-7))), ok))).code).toBe(0);
    expect(existsSync(join(ok, "alpha.csv"))).toBe(true);
  });
});
