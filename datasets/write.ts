/**
 * Writing a corpus to disk: `<domain>/<split>.bin` (each document's UTF-8 bytes followed by the
 * EOS byte 0) and `manifest.json`, all through writeFileAtomic so an interrupted build never
 * leaves a half-written file behind a valid-looking name.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../kernel-lib/util/atomic.js";
import { EOS_BYTE, SPLITS, type CorpusManifest, type SplitName } from "../kernel-lib/data/format.js";

export interface SplitFileInfo {
  file: string;
  documents: number;
  bytes: number;
  sha256: string;
}

/**
 * Encode documents as `doc₁ 0 doc₂ 0 … docₙ 0`. Throws if a document contains NUL (the
 * cleaners remove it, so this is a bug guard).
 *
 * @example
 * encodeDocuments(["ab", "c"]); // Uint8Array [0x61, 0x62, 0, 0x63, 0]
 */
export function encodeDocuments(docs: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  const eos = Buffer.from([EOS_BYTE]);
  for (const d of docs) {
    const b = Buffer.from(d, "utf8");
    if (b.includes(EOS_BYTE)) throw new Error("document contains the EOS byte 0");
    parts.push(b, eos);
  }
  return Buffer.concat(parts);
}

/**
 * Hex sha256 of bytes.
 *
 * @example
 * sha256Hex(Buffer.from("")); // "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
 */
export function sha256Hex(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Write one split file `<dir>/<domain>/<split>.bin` and describe it for the manifest.
 *
 * @example
 * writeSplitFile("data/corpus", "books", "train", docs); // { file: "books/train.bin", documents, bytes, sha256 }
 */
export function writeSplitFile(dir: string, domain: string, split: SplitName, docs: readonly string[]): SplitFileInfo {
  const data = encodeDocuments(docs);
  const file = `${domain}/${split}.bin`;
  writeFileAtomic(join(dir, file), data);
  return { file, documents: docs.length, bytes: data.length, sha256: sha256Hex(data) };
}

/**
 * Serialise a manifest exactly as the builder writes it (2-space JSON, trailing newline), so
 * identical corpora give identical manifest bytes.
 *
 * @example
 * writeManifest("data/corpus", manifest);
 */
export function writeManifest(dir: string, manifest: CorpusManifest): void {
  writeFileAtomic(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Read `<dir>/manifest.json`, or undefined when absent or not parseable as a manifest.
 *
 * @example
 * readManifest("test/fixtures/corpus")?.domains.length; // 13
 */
export function readManifest(dir: string): CorpusManifest | undefined {
  const path = join(dir, "manifest.json");
  if (!existsSync(path)) return undefined;
  try {
    const m = JSON.parse(readFileSync(path, "utf8")) as CorpusManifest;
    return Array.isArray(m.domains) && typeof m.format === "number" ? m : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Problems with the files a manifest lists: missing files, wrong sizes and, when
 * `checkHashes` is set, sha256 mismatches. Empty array = the corpus matches its manifest.
 *
 * @example
 * verifyCorpusFiles("test/fixtures/corpus", readManifest("test/fixtures/corpus")!, true); // []
 */
export function verifyCorpusFiles(dir: string, manifest: CorpusManifest, checkHashes = false): string[] {
  const problems: string[] = [];
  for (const d of manifest.domains) {
    for (const split of SPLITS) {
      const path = join(dir, d.files[split]);
      if (!existsSync(path)) { problems.push(`${d.files[split]}: missing`); continue; }
      const size = statSync(path).size;
      if (size !== d.bytes[split]) { problems.push(`${d.files[split]}: ${size} bytes, manifest says ${d.bytes[split]}`); continue; }
      if (checkHashes && sha256Hex(readFileSync(path)) !== d.sha256[split]) problems.push(`${d.files[split]}: sha256 mismatch`);
    }
  }
  return problems;
}
