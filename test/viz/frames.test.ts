import { describe, expect, it } from "vitest";
import { flattenRun, pivotFrame, runsFrame } from "../../kernel-lib/viz/frames.js";
import { toMarkdown } from "../../kernel-lib/viz/table.js";

describe("runs as DataFrames", () => {
  it("flattens nested records into dotted columns", () => {
    expect(flattenRun({ proxy: 0, losses: { books: 1.9, code_c: 2.2 }, tags: ["a"], none: null })).toEqual({ proxy: 0, "losses.books": 1.9, "losses.code_c": 2.2, tags: '["a"]' });
  });

  it("builds one row per run, pivots long rows to wide, and renders through showTable's formatter", () => {
    const long = runsFrame([
      { model: "uniform", domain: "books", loss: 3.25 },
      { model: "RegMix", domain: "books", loss: 3.5 },
      { model: "uniform", domain: "math", loss: 4 },
      { model: "RegMix", domain: "math", loss: 4.25 },
    ]);
    expect(long.columns).toEqual(["model", "domain", "loss"]);
    const wide = pivotFrame(long, { index: "domain", columns: "model", values: "loss" });
    expect(wide.columns).toEqual(["domain", "uniform", "RegMix"]);
    expect(toMarkdown(wide, { digits: 2 })).toBe("| domain | uniform | RegMix |\n| --- | ---: | ---: |\n| books | 3.25 | 3.50 |\n| math | 4.00 | 4.25 |\n");
    const g = long.groupby(["model"]).agg({ loss: ["mean"] });
    expect(toMarkdown(g, { digits: 3 })).toContain("| uniform | 3.625 |");
  }, 30_000);

  it("names a run missing a column, and a missing pivot cell", () => {
    expect(() => runsFrame([{ a: 1, b: 2 }, { a: 3 }])).toThrow(/run 1 has no b/);
    const long = runsFrame([{ m: "x", d: "books", v: 1 }, { m: "y", d: "math", v: 2 }]);
    expect(() => pivotFrame(long, { index: "d", columns: "m", values: "v" })).toThrow(/no v for d=books, m=y/);
  }, 30_000);
});
