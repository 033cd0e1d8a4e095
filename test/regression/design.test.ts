/**
 * The one weight-table → design builder (`weightTableDesign`): columns in the order asked for,
 * RegMix's `train_` prefix, and the simplex tolerance each caller passes.
 */
import { describe, expect, it } from "vitest";
import { weightTableDesign } from "../../kernel-lib/regression/design.js";
import { parseNumericCsv } from "../../kernel-lib/util/csv.js";

const codeOf = (f: () => unknown): string => {
  try { f(); } catch (e) { return (e as { code?: string }).code ?? String(e); }
  return "no error";
};
const loose = { sum: 0.01, negative: 1e-9 };

describe("weightTableDesign", () => {
  it("drops index, strips a prefix every column has, and follows another table's column order", () => {
    const a = weightTableDesign(parseNumericCsv("index,train_a,train_b\n1,0.25,0.75\n2,1,0\n"), "A", { prefix: "train_", simplex: loose });
    expect(a).toEqual({ columns: ["a", "b"], n: 2, X: Float64Array.of(0.25, 0.75, 1, 0) });
    const c = weightTableDesign(parseNumericCsv("b,a\n0.6,0.4\n"), "C", { prefix: "train_", simplex: loose, columns: a.columns });
    expect(Array.from(c.X)).toEqual([0.4, 0.6]);
    // a prefix on only some columns is part of the names
    expect(weightTableDesign(parseNumericCsv("train_a,b\n0.5,0.5\n"), "M", { prefix: "train_", simplex: loose }).columns).toEqual(["train_a", "b"]);
  });

  it("names missing and extra columns", () => {
    const cols = ["a", "b", "c"];
    expect(codeOf(() => weightTableDesign(parseNumericCsv("a,b\n0.5,0.5\n"), "C", { simplex: loose, columns: cols }))).toBe("CSV_MISSING_COLUMN");
    expect(codeOf(() => weightTableDesign(parseNumericCsv("a,b,c,d\n0.5,0.5,0,0\n"), "C", { simplex: loose, columns: cols }))).toBe("CSV_EXTRA_COLUMN");
    expect(codeOf(() => weightTableDesign(parseNumericCsv("index\n1\n"), "A", { simplex: loose }))).toBe("CSV_MISSING_COLUMN");
  });

  it("checks each row against the caller's tolerance, and says it", () => {
    const t = (sum: number) => parseNumericCsv(`a,b\n0.5,${sum - 0.5}\n`);
    const tight = { sum: 1e-6, negative: null };
    expect(codeOf(() => weightTableDesign(t(1 + 5e-7), "W", { simplex: tight }))).toBe("no error");
    expect(() => weightTableDesign(t(1 + 2e-6), "W", { simplex: tight })).toThrow(/row 1 weights sum to 1\.000002.*expected 1 ± 0\.000001/);
    expect(codeOf(() => weightTableDesign(t(1.005), "W", { simplex: loose }))).toBe("no error");
    // negative weights: rejected below −negative, allowed with negative: null (extrapolated merges)
    const neg = parseNumericCsv("a,b\n1.2,-0.2\n");
    expect(() => weightTableDesign(neg, "W", { simplex: { sum: 0.01, negative: 0.01, setBy: "--simplex-tol" } })).toThrow(/"b" = -0\.2 is negative \(tolerance 0\.01 \(--simplex-tol\)\)/);
    expect(Array.from(weightTableDesign(neg, "W", { simplex: tight }).X)).toEqual([1.2, -0.2]);
  });
});
