import { describe, expect, it } from "vitest";
import { parseCsv, parseNumericCsv, selectColumns, toCsv } from "../../kernel-lib/util/csv.js";
import { MixlabError } from "../../kernel-lib/util/errors.js";

function code(f: () => unknown): string {
  try { f(); } catch (e) { if (e instanceof MixlabError) return e.code; throw e; }
  return "no error";
}

describe("csv", () => {
  it("parses quotes, escaped quotes, CRLF and a missing final newline", () => {
    const t = parseCsv('a,b\r\n"x,1","say ""hi"""\r\n2,3');
    expect(t.header).toEqual(["a", "b"]);
    expect(t.rows).toEqual([["x,1", 'say "hi"'], ["2", "3"]]);
  });

  it("round-trips through toCsv", () => {
    const text = toCsv(["name", "v"], [["a,b", 1.5], ['q"', -2]]);
    expect(parseCsv(text).rows).toEqual([["a,b", "1.5"], ['q"', "-2"]]);
  });

  it("reads numbers and selects columns by name", () => {
    const t = parseNumericCsv("index,x,y\n1,0.25,0.75\n2,1e-3,0.999\n");
    expect(selectColumns(t, ["y", "x"]).map((r) => Array.from(r))).toEqual([[0.75, 0.25], [0.999, 0.001]]);
  });

  it("names malformed input", () => {
    expect(code(() => parseCsv(""))).toBe("CSV_EMPTY");
    expect(code(() => parseCsv("a,b\n1\n"))).toBe("CSV_MALFORMED");
    expect(code(() => parseCsv('a\n"open\n'))).toBe("CSV_MALFORMED");
    expect(code(() => parseNumericCsv("a,b\n1,x\n"))).toBe("CSV_NOT_NUMERIC");
    expect(code(() => parseNumericCsv("a,b\n1,\n"))).toBe("CSV_NOT_NUMERIC");
    expect(code(() => parseNumericCsv("a,b\n1,NaN\n"))).toBe("CSV_NOT_NUMERIC");
    expect(code(() => selectColumns(parseNumericCsv("a\n1\n"), ["b"]))).toBe("CSV_MISSING_COLUMN");
  });
});
