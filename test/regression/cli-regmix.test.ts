/**
 * `mixlab regmix fit` (kernel-lib/cli/commands/regmix.ts) called through its `run()` with temp
 * files: the good path for both models and every kind of bad CSV (→ MixlabError, exit 2).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { run } from "../../kernel-lib/cli/commands/regmix.js";
import { main } from "../../kernel-lib/cli/main.js";
import { fitGbdt, fitLinear, spearman } from "../../kernel-lib/regression/index.js";
import { parseNumericCsv } from "../../kernel-lib/util/csv.js";
import { headSplit, REGMIX_DIR } from "./regmix-data.js";

const dir = mkdtempSync(join(tmpdir(), "mixlab-regmix-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const ref = (f: string) => join(REGMIX_DIR, f);
const TARGET = "metric/the_pile_pile_cc_val_loss";

// A small synthetic set: 3 domains, loss = f(mixture).
const mixRows = [
  [0.2, 0.3, 0.5], [0.6, 0.2, 0.2], [0.1, 0.1, 0.8], [0.4, 0.4, 0.2], [0.3, 0.3, 0.4], [0.5, 0.0, 0.5],
];
const A = file("A.csv", "index,a,b,c\n" + mixRows.map((r, i) => `${i + 1},${r.join(",")}`).join("\n") + "\n");
const B = file("B.csv", "index,loss\n" + mixRows.map((r, i) => `${i + 1},${(3 - r[0] + 2 * r[2] ** 2).toFixed(4)}`).join("\n") + "\n");
const C = file("C.csv", "c,a,b\n0.5,0.25,0.25\n0.2,0.7,0.1\n");

function args(over: Record<string, string | null> = {}): string[] {
  const base: Record<string, string | null> = {
    "--train-mixtures": A, "--train-losses": B, "--target": "loss", "--model": "linear", "--predict": C, "--out": join(dir, "p.csv"),
  };
  const merged = { ...base, ...over };
  return ["fit", ...Object.entries(merged).flatMap(([k, v]) => (v === null ? [] : [k, v]))];
}

async function expectError(argv: string[], code: string): Promise<void> {
  await expect(run(argv)).rejects.toMatchObject({ name: "MixlabError", code });
}

describe("mixlab regmix fit", () => {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  afterAll(() => log.mockRestore());

  it("gbdt on the RegMix files: predictions equal the library's, one row per row of C, metrics printed", async () => {
    const out = join(dir, "preds-gbdt.csv");
    const code = await run(["fit", "--train-mixtures", ref("train_mixture_1m.csv"), "--train-losses", ref("train_pile_loss_1m.csv"),
      "--target", TARGET, "--model", "gbdt", "--predict", ref("test_mixture_1m.csv"), "--out", out,
      "--eval-losses", ref("test_pile_loss_1m.csv"), "--seed", "42", "--rounds", "200"]);
    expect(code).toBe(0);
    const preds = parseNumericCsv(readFileSync(out, "utf8"), out);
    expect(preds.columns).toEqual(["prediction"]);
    expect(preds.rows.length).toBe(256);
    const { X, Xt, y, yt } = headSplit();
    const lib = fitGbdt(X, y("pile_cc"), { numRounds: 200 }).predict(Xt);
    expect(preds.rows.map((r) => r[0])).toEqual(Array.from(lib)); // full precision round-trip
    const printed = log.mock.calls.map((c) => String(c[0])).find((l) => l.startsWith("spearman"))!;
    expect(Number(/spearman (\S+)/.exec(printed)![1])).toBeCloseTo(spearman(lib, yt("pile_cc")), 5);
    expect(printed).toMatch(/pearson \S+ {2}mse \S+/);
  });

  it("linear: C's columns may come in any order; predictions follow C's rows", async () => {
    expect(await run(args())).toBe(0);
    const preds = parseNumericCsv(readFileSync(join(dir, "p.csv"), "utf8")).rows.map((r) => r[0]);
    const m = fitLinear(mixRows.map((r) => Float64Array.from(r)), mixRows.map((r) => Number((3 - r[0] + 2 * r[2] ** 2).toFixed(4))));
    expect(preds[0]).toBeCloseTo(m.predictOne([0.25, 0.25, 0.5]), 12);
    expect(preds[1]).toBeCloseTo(m.predictOne([0.7, 0.1, 0.2]), 12);
  });

  it("missing columns", async () => {
    await expectError(args({ "--target": "nope" }), "CSV_MISSING_COLUMN");
    await expectError(args({ "--predict": file("C2.csv", "a,b\n0.5,0.5\n") }), "CSV_MISSING_COLUMN");
    await expectError(args({ "--predict": file("C3.csv", "a,b,c,d\n0.5,0.5,0,0\n") }), "CSV_EXTRA_COLUMN");
    await expectError(args({ "--train-mixtures": file("A0.csv", "index\n1\n2\n3\n4\n5\n6\n") }), "CSV_MISSING_COLUMN");
  });

  it("mismatched rows: counts and index values", async () => {
    await expectError(args({ "--train-losses": file("B2.csv", "index,loss\n1,3\n2,3\n") }), "ROW_COUNT_MISMATCH");
    const shifted = "index,loss\n" + mixRows.map((_, i) => `${i + 2},3`).join("\n") + "\n";
    await expectError(args({ "--train-losses": file("B3.csv", shifted) }), "INDEX_MISMATCH");
    await expectError(args({ "--eval-losses": file("D.csv", "loss\n3\n") }), "ROW_COUNT_MISMATCH");
    await expectError(args({ "--eval-losses": file("D2.csv", "other\n3\n4\n") }), "CSV_MISSING_COLUMN");
  });

  it("non-numeric and malformed cells", async () => {
    await expectError(args({ "--train-losses": file("B4.csv", readFileSync(B, "utf8").replace(/\n2,[^\n]*/, "\n2,abc")) }), "CSV_NOT_NUMERIC");
    await expectError(args({ "--predict": file("C4.csv", "a,b,c\n0.5,,0.5\n") }), "CSV_NOT_NUMERIC");
    await expectError(args({ "--predict": file("C5.csv", "a,b,c\n0.5,0.5\n") }), "CSV_MALFORMED");
    await expectError(args({ "--predict": file("C6.csv", "a,b,c\n") }), "CSV_EMPTY");
  });

  it("rows off the simplex (tolerance is --simplex-tol, default 0.01)", async () => {
    await expectError(args({ "--predict": file("C7.csv", "a,b,c\n0.5,0.5,0.2\n") }), "MIXTURE_NOT_ON_SIMPLEX");
    await expectError(args({ "--predict": file("C8.csv", "a,b,c\n1.2,-0.2,0\n") }), "MIXTURE_NOT_ON_SIMPLEX");
    const offA = "index,a,b,c\n" + mixRows.map((r, i) => `${i + 1},${r[0] + (i === 3 ? 0.02 : 0)},${r[1]},${r[2]}`).join("\n") + "\n";
    await expectError(args({ "--train-mixtures": file("A2.csv", offA) }), "MIXTURE_NOT_ON_SIMPLEX");
    // 1.005 passes the default tolerance (data rounded to 3 decimals), fails a tight one
    const near = file("C9.csv", "a,b,c\n0.5,0.25,0.255\n");
    expect(await run(args({ "--predict": near }))).toBe(0);
    await expectError(args({ "--predict": near, "--simplex-tol": "0.001" }), "MIXTURE_NOT_ON_SIMPLEX");
  });

  it("bad arguments and files", async () => {
    await expectError(args({ "--out": null }), "BAD_ARGS");
    await expectError(args({ "--model": "forest" }), "BAD_ARGS");
    await expectError(args({ "--seed": "x" }), "BAD_ARGS");
    await expectError([...args(), "--bogus", "1"], "BAD_ARGS");
    await expectError(args({ "--predict": join(dir, "missing.csv") }), "FILE_NOT_FOUND");
    await expectError(["simulate"], "UNKNOWN_COMMAND");
  });

  it("through the CLI entry point a bad CSV exits 2", async () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await main(["regmix", ...args({ "--target": "nope" })])).toBe(2);
    expect(String(err.mock.calls[0][0])).toMatch(/^error\[CSV_MISSING_COLUMN\]/);
    err.mockRestore();
  });
});
