import { describe, expect, it } from "vitest";
import { formatNumber, tableGrid, tableToCsv, toHtmlTable, toMarkdown } from "../../kernel-lib/viz/table.js";
import { parseCsv } from "../../kernel-lib/util/csv.js";

const rows = [
  { method: "token prior", loss: 3.412345, runs: 1 },
  { method: "RegMix|GBDT", loss: 3.2, runs: 512, note: "<best>" },
];

describe("formatNumber", () => {
  it("keeps integers, fixes decimals, switches to exponents at the extremes", () => {
    expect(formatNumber(512)).toBe("512");
    expect(formatNumber(3.412345)).toBe("3.4123");
    expect(formatNumber(3.412345, 2)).toBe("3.41");
    expect(formatNumber(0.00001234)).toBe("1.234e-5");
    expect(formatNumber(1234567.5, 3)).toBe("1.23e+6");
    expect(formatNumber(NaN)).toBe("NaN");
    expect(formatNumber(-Infinity)).toBe("−∞");
  });
});

describe("tables", () => {
  it("collects columns in first-seen order and accepts frame-like objects", () => {
    expect(tableGrid(rows).columns).toEqual(["method", "loss", "runs", "note"]);
    const frame = { columns: ["a", "b"], values: [[1, "x"], [2, "y"]] }; // the shape of a danfojs DataFrame
    expect(tableGrid(frame, { columns: ["b"] }).rows).toEqual([["x"], ["y"]]);
    expect(() => tableGrid({ columns: ["a"], values: [[1, 2]] })).toThrow(/2 cells for 1 columns/);
    expect(() => tableGrid(frame, { columns: ["z"] })).toThrow(/no column "z"/);
  });

  it("renders Markdown with numeric columns right-aligned, pipes escaped, blanks for missing cells", () => {
    expect(toMarkdown(rows, { digits: { loss: 3 } })).toBe([
      "| method | loss | runs | note |",
      "| --- | ---: | ---: | --- |",
      "| token prior | 3.412 | 1 |  |",
      "| RegMix\\|GBDT | 3.200 | 512 | <best> |",
      "",
    ].join("\n"));
  });

  it("renders escaped HTML with a caption and right-aligned numbers", () => {
    const html = toHtmlTable(rows, { caption: "Loss & runs", digits: 2 });
    expect(html).toContain('<table class="mixlab-table">');
    expect(html).toContain("<caption");
    expect(html).toContain("Loss &amp; runs");
    expect(html).toContain('<td style="text-align:right">3.41</td>');
    expect(html).toContain("&lt;best&gt;");
    expect(html).not.toContain("<best>");
  });

  it("writes CSV at full precision that parses back", () => {
    const csv = tableToCsv(rows);
    const back = parseCsv(csv);
    expect(back.header).toEqual(["method", "loss", "runs", "note"]);
    expect(back.rows[0]).toEqual(["token prior", "3.412345", "1", ""]);
    expect(back.rows[1][0]).toBe("RegMix|GBDT");
  });
});

describe("column formatting", () => {
  it("gives whole numbers in a fractional column the same decimals", () => {
    expect(toMarkdown([{ kb: 23.9 }, { kb: 24 }], { digits: 1 })).toBe("| kb |\n| ---: |\n| 23.9 |\n| 24.0 |\n");
    expect(toMarkdown([{ n: 5 }, { n: 512 }])).toBe("| n |\n| ---: |\n| 5 |\n| 512 |\n");
  });
});

describe("danfojs frames", () => {
  it("renders a DataFrame passed as it is (danfo stores float32: formatting hides the noise)", async () => {
    const { DataFrame } = await import("danfojs-node");
    const df = new DataFrame({ method: ["prior", "RegMix"], loss: [3.41, 3.2] });
    expect(toMarkdown(df, { digits: 2 })).toBe("| method | loss |\n| --- | ---: |\n| prior | 3.41 |\n| RegMix | 3.20 |\n");
  }, 30_000);
});
