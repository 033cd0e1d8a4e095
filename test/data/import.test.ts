import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { loadCorpus, verifyCorpus } from "../../kernel-lib/data/corpus.js";
import { importCorpus } from "../../kernel-lib/data/import/import.js";
import { fileSafeName, globRegExp } from "../../kernel-lib/data/import/inputs.js";
import { KeySet64 } from "../../kernel-lib/data/import/writer.js";
import { zstdStore } from "../../kernel-lib/data/import/zstd-store.js";
import { assignSplits } from "../../kernel-lib/data/split.js";
import { SPLITS, type SplitName } from "../../kernel-lib/data/format.js";
import { main } from "../../kernel-lib/cli/main.js";
import { isMixlabError } from "../../kernel-lib/util/errors.js";

const root = mkdtempSync(join(tmpdir(), "mixlab-import-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const LABELS = ["Github", "Pile-CC", "PubMed Central"];
/** Pile-style records: 3 labels, some duplicates, one NUL byte. */
function records(n: number): { text: string; meta: { pile_set_name: string } }[] {
  const out = [];
  for (let i = 0; i < n; i++) {
    const label = LABELS[i % 3];
    const text = i === 7 ? "has a \u0000 NUL byte" : i % 50 === 49 ? `duplicate of ${label}` : `document ${i} of ${label}: ${"word ".repeat(i % 23)}`;
    out.push({ text, meta: { pile_set_name: label } });
  }
  return out;
}
const RECS = records(1200);
const jsonl = RECS.map((r) => JSON.stringify(r)).join("\n") + "\n";

/** The documents of one split of one domain, as strings. */
function docsOf(dir: string, domain: string, split: SplitName): string[] {
  const bytes = Buffer.from(loadCorpus(dir).split(domain, split));
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0) { out.push(bytes.subarray(start, i).toString("utf8")); start = i + 1; }
  return out;
}

/** Expected split of every distinct document of a label, by the builder's rule (assignSplits). */
function expected(label: string): Map<string, SplitName> {
  const docs: string[] = [];
  const seen = new Set<string>();
  for (const r of RECS) {
    if (r.meta.pile_set_name !== label) continue;
    const t = r.text.replace(/\u0000/g, "");
    if (!seen.has(t)) { seen.add(t); docs.push(t); }
  }
  const s = assignSplits(fileSafeName(label), docs);
  return new Map(docs.map((d, i) => [d, s[i]]));
}

function sha256s(dir: string): string[] {
  const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  return m.domains.map((d: { domain: string; sha256: Record<string, string> }) => `${d.domain}:${SPLITS.map((s) => d.sha256[s]).join(",")}`);
}

async function expectError(p: Promise<unknown>, code: string): Promise<void> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(isMixlabError(e), `expected error ${code}, got ${String(e)}`).toBe(true);
  expect((e as { code: string }).code).toBe(code);
}

describe("data import: --split-by", () => {
  const src = join(root, "pile");
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, "00.jsonl"), jsonl);
  writeFileSync(join(src, "00.jsonl.gz"), gzipSync(jsonl));
  writeFileSync(join(src, "00.jsonl.zst"), zstdStore(Buffer.from(jsonl)));

  it("writes a corpus loadCorpus opens, with the builder's hash split, labels and verified sha256", async () => {
    const out = join(root, "c-jsonl");
    const res = await importCorpus({ inputs: [join(src, "00.jsonl")], splitBy: "meta.pile_set_name", out });
    const c = loadCorpus(out);
    expect(c.domains).toEqual(["github", "pile-cc", "pubmed_central"]);
    expect(res.manifest.domains.map((d) => d.label)).toEqual(["Github", "Pile-CC", "PubMed Central"]);
    expect(verifyCorpus(c)).toEqual([]);
    expect(c.manifest.vocabSize).toBe(256);
    for (const label of LABELS) {
      const want = expected(label);
      const domain = fileSafeName(label);
      const got = new Map<string, SplitName>();
      for (const s of SPLITS) for (const d of docsOf(out, domain, s)) got.set(d, s);
      expect(got).toEqual(want);
      expect(res.dropped[domain].duplicates).toBe(RECS.filter((r) => r.meta.pile_set_name === label).length - want.size);
    }
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(existsSync(join(out, ".mixlab-import"))).toBe(false);
  });

  it("gives the same split files from .jsonl, .jsonl.gz, .jsonl.zst (stored and, when the zstd tool is here, compressed) and .parquet", async () => {
    const ref = sha256s(join(root, "c-jsonl"));
    for (const f of ["00.jsonl.gz", "00.jsonl.zst"]) {
      const out = join(root, `c-${f}`);
      await importCorpus({ inputs: [join(src, f)], splitBy: "meta.pile_set_name", out });
      expect(sha256s(out)).toEqual(ref);
    }
    if (spawnSync("zstd", ["--version"]).status === 0) {
      const z = join(root, "real.jsonl.zst");
      expect(spawnSync("zstd", ["-q", "-19", join(src, "00.jsonl"), "-o", z]).status).toBe(0);
      expect(statSync(z).size).toBeLessThan(jsonl.length / 3);
      await importCorpus({ inputs: [z], splitBy: "meta.pile_set_name", out: join(root, "c-real-zst") });
      expect(sha256s(join(root, "c-real-zst"))).toEqual(ref);
    }
    const { parquetWriteBuffer } = await import("hyparquet-writer");
    const pq = join(root, "00.parquet");
    writeFileSync(pq, Buffer.from(parquetWriteBuffer({
      columnData: [
        { name: "text", data: RECS.map((r) => r.text), type: "STRING" },
        { name: "pile_set_name", data: RECS.map((r) => r.meta.pile_set_name), type: "STRING" },
      ],
      rowGroupSize: 500,
    })));
    await importCorpus({ inputs: [pq], splitBy: "pile_set_name", out: join(root, "c-parquet") });
    expect(sha256s(join(root, "c-parquet"))).toEqual(ref);
  });

  it("is deterministic: a re-run with --force writes a byte-identical manifest", async () => {
    const out = join(root, "c-jsonl");
    const before = readFileSync(join(out, "manifest.json"));
    await expectError(importCorpus({ inputs: [join(src, "00.jsonl")], splitBy: "meta.pile_set_name", out }), "IMPORT_OUT_EXISTS");
    await importCorpus({ inputs: [join(src, "00.jsonl")], splitBy: "meta.pile_set_name", out, force: true });
    expect(readFileSync(join(out, "manifest.json")).equals(before)).toBe(true);
  });
});

describe("data import: --domain", () => {
  it("reads a directory of .txt files (one document each) and a glob, and .txt with a separator", async () => {
    const dir = join(root, "txt");
    mkdirSync(join(dir, "sub"), { recursive: true });
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, i % 2 ? "sub" : "", `${i}.txt`), `poem ${i}\nline two`);
    writeFileSync(join(dir, "README.md"), "not a document");
    writeFileSync(join(root, "letters.txt"), Array.from({ length: 40 }, (_, i) => `letter ${i}`).join("\n\n"));
    const out = join(root, "c-txt");
    await importCorpus({ domains: [{ label: "poems", inputs: [dir] }, { label: "letters", inputs: [join(root, "let*.txt")] }], docSeparator: "\n\n", out });
    const c = loadCorpus(out);
    expect(c.domains).toEqual(["poems", "letters"]);
    const all = (d: string) => SPLITS.flatMap((s) => docsOf(out, d, s)).sort();
    // with a separator, each poem file's single "\n\n"-free text is one document
    expect(all("poems")).toEqual(Array.from({ length: 30 }, (_, i) => `poem ${i}\nline two`).sort());
    expect(all("letters")).toEqual(Array.from({ length: 40 }, (_, i) => `letter ${i}`).sort());
  });

  it("fills validation and test by the fallback for a 3-document domain, as the builder does", async () => {
    const f = join(root, "tiny.jsonl");
    const docs = ["alpha", "beta", "gamma"];
    writeFileSync(f, docs.map((text) => JSON.stringify({ text })).join("\n"));
    const out = join(root, "c-tiny");
    await importCorpus({ domains: [{ label: "tiny", inputs: [f] }], out });
    const want = assignSplits("tiny", docs);
    docs.forEach((d, i) => expect(docsOf(out, "tiny", want[i])).toContain(d));
    for (const s of SPLITS) expect(docsOf(out, "tiny", s).length).toBe(1);
  });

  it("globs: ** matches any depth", () => {
    expect(globRegExp("**/*.jsonl.zst").test("a/b/00.jsonl.zst")).toBe(true);
    expect(globRegExp("**/*.jsonl.zst").test("00.jsonl.zst")).toBe(true);
    expect(globRegExp("*.jsonl").test("a/00.jsonl")).toBe(false);
  });

  it("KeySet64 de-duplicates through growth", () => {
    const s = new KeySet64();
    for (let i = 0; i < 50_000; i++) expect(s.add(i * 7919, i)).toBe(true);
    for (let i = 0; i < 50_000; i += 97) expect(s.add(i * 7919, i)).toBe(false);
    expect(s.size).toBe(50_000);
  });
});

describe("data import: bad input is a named error and leaves nothing", () => {
  const bad = join(root, "bad");
  mkdirSync(bad, { recursive: true });
  const good = JSON.stringify({ text: "fine", meta: { pile_set_name: "A" } });
  const cases: [string, string, () => Parameters<typeof importCorpus>[0]][] = [
    ["unknown extension", "IMPORT_UNKNOWN_FORMAT", () => { writeFileSync(join(bad, "x.csv"), "a,b"); return { domains: [{ label: "x", inputs: [join(bad, "x.csv")] }], out: "" }; }],
    ["missing input", "IMPORT_NO_INPUT", () => ({ domains: [{ label: "x", inputs: [join(bad, "nope.jsonl")] }], out: "" })],
    ["corrupt zstd", "IMPORT_CORRUPT_ZSTD", () => { writeFileSync(join(bad, "c.jsonl.zst"), "definitely not zstd data here"); return { domains: [{ label: "x", inputs: [join(bad, "c.jsonl.zst")] }], out: "" }; }],
    ["truncated zstd", "IMPORT_CORRUPT_ZSTD", () => { writeFileSync(join(bad, "t.jsonl.zst"), zstdStore(Buffer.from(jsonl)).subarray(0, 5000)); return { inputs: [join(bad, "t.jsonl.zst")], splitBy: "meta.pile_set_name", out: "" }; }],
    ["corrupt gzip", "IMPORT_CORRUPT_GZIP", () => { writeFileSync(join(bad, "c.jsonl.gz"), gzipSync(jsonl).subarray(0, 100)); return { inputs: [join(bad, "c.jsonl.gz")], splitBy: "meta.pile_set_name", out: "" }; }],
    ["corrupt parquet", "IMPORT_CORRUPT_PARQUET", () => { writeFileSync(join(bad, "c.parquet"), "PAR1 this is not parquet PAR1"); return { domains: [{ label: "x", inputs: [join(bad, "c.parquet")] }], out: "" }; }],
    ["bad JSON line", "IMPORT_BAD_JSONL", () => { writeFileSync(join(bad, "j.jsonl"), `${good}\n{oops\n`); return { domains: [{ label: "x", inputs: [join(bad, "j.jsonl")] }], out: "" }; }],
    ["missing text field", "IMPORT_MISSING_FIELD", () => { writeFileSync(join(bad, "m.jsonl"), `${good}\n{"content":"x"}\n`); return { domains: [{ label: "x", inputs: [join(bad, "m.jsonl")] }], out: "" }; }],
    ["--split-by field absent", "IMPORT_SPLIT_FIELD_MISSING", () => { writeFileSync(join(bad, "s.jsonl"), `${good}\n{"text":"x","meta":{}}\n`); return { inputs: [join(bad, "s.jsonl")], splitBy: "meta.pile_set_name", out: "" }; }],
    ["domain with no documents", "IMPORT_EMPTY_DOMAIN", () => { writeFileSync(join(bad, "e.jsonl"), `{"text":""}\n`); return { domains: [{ label: "x", inputs: [join(bad, "e.jsonl")] }], out: "" }; }],
    ["too few documents for the splits", "IMPORT_TOO_FEW_DOCUMENTS", () => { writeFileSync(join(bad, "f.jsonl"), `{"text":"a"}\n{"text":"b"}\n{"text":"a"}\n`); return { domains: [{ label: "x", inputs: [join(bad, "f.jsonl")] }], out: "" }; }],
  ];
  for (const [name, code, make] of cases) {
    it(`${name} → ${code}`, async () => {
      const out = join(root, `bad-out-${code}-${name.length}`);
      await expectError(importCorpus({ ...make(), out }), code);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.partial`)).toBe(false);
    });
  }

  it("the CLI maps them to exit 2", async () => {
    const err: string[] = [];
    const orig = console.error;
    console.error = (s: string) => { err.push(s); };
    try {
      expect(await main(["data", "import", "--domain", `x=${join(bad, "x.csv")}`, "--out", join(root, "cli-bad")])).toBe(2);
      expect(await main(["data", "import", "--input", join(bad, "j.jsonl"), "--out", join(root, "cli-bad")])).toBe(2);
    } finally {
      console.error = orig;
    }
    expect(err[0]).toMatch(/^error\[IMPORT_UNKNOWN_FORMAT\]/);
    expect(err[1]).toMatch(/^error\[IMPORT_BAD_ARGS\].*--split-by/);
  });
});

describe("data import: interruption", () => {
  it("a killed import leaves no directory that loads; a re-run starts over and succeeds", async () => {
    const big = join(root, "big.jsonl");
    const line = (i: number) => JSON.stringify({ text: `doc ${i} ${"lorem ipsum dolor ".repeat(20)}`, meta: { pile_set_name: LABELS[i % 3] } });
    writeFileSync(big, Array.from({ length: 120_000 }, (_, i) => line(i)).join("\n"));
    const out = join(root, "c-killed");
    const child = spawn(process.execPath, ["--import", "tsx", "kernel-lib/cli/main.ts", "data", "import", "--input", big, "--split-by", "meta.pile_set_name", "--out", out], { stdio: "ignore" });
    // kill -9 once the partial directory has data in it
    const t0 = Date.now();
    for (;;) {
      const d = join(`${out}.partial`, "github");
      if (existsSync(d) && readdirSync(d).length > 0 && statSync(join(d, "train.bin")).size > 0) break;
      if (Date.now() - t0 > 60_000) throw new Error("import did not start");
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    expect(() => loadCorpus(out)).toThrow();
    expect(() => loadCorpus(`${out}.partial`)).toThrow();
    await importCorpus({ inputs: [big], splitBy: "meta.pile_set_name", out });
    expect(verifyCorpus(loadCorpus(out))).toEqual([]);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it("a directory left between rename and manifest (marker, no manifest) is restarted without --force", async () => {
    const out = join(root, "c-half");
    mkdirSync(join(out, "github"), { recursive: true });
    writeFileSync(join(out, ".mixlab-import"), "{}");
    writeFileSync(join(out, "github", "train.bin"), "junk");
    expect(() => loadCorpus(out)).toThrow();
    await importCorpus({ inputs: [join(root, "pile", "00.jsonl")], splitBy: "meta.pile_set_name", out });
    expect(loadCorpus(out).domains).toEqual(["github", "pile-cc", "pubmed_central"]);
  });
});
