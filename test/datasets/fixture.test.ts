import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DOMAINS } from "../../datasets/sources/index.js";
import { CORPUS_FORMAT_VERSION, EOS_BYTE, SPLITS, VOCAB_SIZE, type CorpusManifest } from "../../kernel-lib/data/format.js";
import { FIXTURE_BUDGET } from "../../datasets/documents.js";
import { SPLIT_RULE, splitOf } from "../../datasets/split.js";
import { sha256Hex, verifyCorpusFiles } from "../../datasets/write.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const dir = fixtureCorpusDir();
const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as CorpusManifest;

function dirBytes(d: string): number {
  return readdirSync(d).reduce((s, f) => {
    const p = join(d, f);
    return s + (statSync(p).isDirectory() ? dirBytes(p) : statSync(p).size);
  }, 0);
}

describe("committed fixture corpus", () => {
  it("is the fixture tier of all 13 default domains, in registry order", () => {
    expect(manifest.tier).toBe("fixture");
    expect(manifest.format).toBe(CORPUS_FORMAT_VERSION);
    expect(manifest.eosByte).toBe(EOS_BYTE);
    expect(manifest.vocabSize).toBe(VOCAB_SIZE);
    expect(manifest.splitRule).toBe(SPLIT_RULE);
    expect(manifest.domains.map((d) => d.domain)).toEqual(DEFAULT_DOMAINS.map((d) => d.domain));
    expect(manifest.domains).toHaveLength(13);
  });

  it("has files whose sha256, size and document count match the manifest", () => {
    expect(verifyCorpusFiles(dir, manifest, true)).toEqual([]);
    for (const d of manifest.domains) {
      for (const s of SPLITS) {
        const bytes = readFileSync(join(dir, d.files[s]));
        expect(d.files[s]).toBe(`${d.domain}/${s}.bin`);
        expect(sha256Hex(bytes)).toBe(d.sha256[s]);
        // every 0 byte is a separator: count = documents, and the file ends with one
        expect(bytes.filter((b) => b === EOS_BYTE).length).toBe(d.documents[s]);
        expect(bytes[bytes.length - 1]).toBe(EOS_BYTE);
      }
    }
  });

  it("has non-empty splits within the fixture budgets, no empty documents, valid UTF-8, under 600 KB", () => {
    for (const d of manifest.domains) {
      for (const s of SPLITS) {
        expect(d.documents[s], `${d.domain}/${s}`).toBeGreaterThan(0);
        expect(d.bytes[s]).toBeLessThanOrEqual(FIXTURE_BUDGET[s]);
        expect(d.bytes[s]).toBeGreaterThan(FIXTURE_BUDGET[s] / 2);
        const text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(join(dir, d.files[s])));
        const docs = text.split("\0").slice(0, -1);
        expect(docs.every((x) => x.trim().length > 0)).toBe(true);
      }
      expect(d.licence.length).toBeGreaterThan(0);
      expect(d.description.length).toBeGreaterThan(0);
      for (const src of d.sources) if (!src.package.startsWith("generator:")) expect(src.integrity).toMatch(/^sha512-/);
    }
    expect(dirBytes(dir)).toBeLessThan(600 * 1024);
  });

  it("keeps untruncated fixture documents in their hash split", () => {
    // fixture documents are prefixes of full documents; whole (short) ones must hash to their split
    let checked = 0;
    for (const d of manifest.domains.filter((x) => x.domain === "code_c" || x.domain === "math")) {
      for (const s of ["train"] as const) {
        const docs = readFileSync(join(dir, d.files[s]), "utf8").split("\0").slice(0, -1);
        for (const doc of docs.slice(0, -1)) {
          if (Buffer.byteLength(doc) < FIXTURE_BUDGET[s] / 4 - 200) {
            expect(splitOf(d.domain, doc)).toBe("train");
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(3);
  });
});
