import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkRowsAligned, parseCsv, parseNumericCsv, readNumericCsvFile, selectColumns, toCsv } from "../../kernel-lib/util/csv.js";
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

describe("the CLI's table reader and row alignment", () => {
  const dir = mkdtempSync(join(tmpdir(), "mixlab-csv-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a file; a missing file and a header without rows are named", () => {
    writeFileSync(join(dir, "t.csv"), "index,x\n1,0.5\n");
    writeFileSync(join(dir, "empty.csv"), "index,x\n");
    expect(readNumericCsvFile(join(dir, "t.csv")).rows.map((r) => Array.from(r))).toEqual([[1, 0.5]]);
    expect(code(() => readNumericCsvFile(join(dir, "empty.csv")))).toBe("CSV_EMPTY");
    expect(code(() => readNumericCsvFile(join(dir, "nope.csv")))).toBe("FILE_NOT_FOUND");
  });

  it("rows align by count and index; an index that repeats is two rows claiming one run", () => {
    const t = (text: string) => parseNumericCsv(text);
    expect(code(() => checkRowsAligned(t("index,x\n1,0\n2,0\n"), "A", t("index,y\n1,0\n2,0\n"), "B"))).toBe("no error");
    expect(code(() => checkRowsAligned(t("x\n0\n0\n"), "A", t("y\n0\n"), "B"))).toBe("ROW_COUNT_MISMATCH");
    expect(code(() => checkRowsAligned(t("index,x\n1,0\n2,0\n"), "A", t("index,y\n1,0\n3,0\n"), "B"))).toBe("INDEX_MISMATCH");
    // the same duplicate in both files passes the row-by-row check and is caught as a duplicate
    expect(code(() => checkRowsAligned(t("index,x\n1,0\n3,0\n3,0\n"), "A", t("index,y\n1,0\n3,0\n3,0\n"), "B"))).toBe("INDEX_DUPLICATE");
    // also when only one file has an index
    expect(code(() => checkRowsAligned(t("x\n0\n0\n"), "A", t("index,y\n4,0\n4,0\n"), "B"))).toBe("INDEX_DUPLICATE");
  });
});
