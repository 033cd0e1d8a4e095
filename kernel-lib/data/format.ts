/**
 * The on-disk corpus format, written by the builders (datasets/build.ts, imports) and read by the loader
 * (kernel-lib/data/corpus.ts).
 *
 * Layout of a corpus directory:
 *   manifest.json                     this file's `CorpusManifest`
 *   <domain>/train.bin                uint8 bytes; documents separated by EOS_BYTE
 *   <domain>/validation.bin
 *   <domain>/test.bin
 *
 * Tokens are bytes (vocabulary 256). Byte 0x00 (NUL) is the end-of-document separator: the
 * builder removes every NUL from the text, so 0 occurs only as a separator, and each split file
 * is `doc₁ 0 doc₂ 0 … docₙ 0`. The model predicts the separator like any other byte.
 *
 * The manifest holds no timestamps or absolute paths, so the same sources give a
 * byte-identical manifest (the idempotency check compares it).
 */

export const CORPUS_FORMAT_VERSION = 1;
/** End-of-document separator byte. */
export const EOS_BYTE = 0;
export const VOCAB_SIZE = 256;
export const SPLITS = ["train", "validation", "test"] as const;
export type SplitName = (typeof SPLITS)[number];

/** The kinds of text a domain can hold (kernel-lib/data/kind.ts). */
export const DOMAIN_KINDS = ["prose", "code", "structured", "dictionary", "qa"] as const;
export type DomainKind = (typeof DOMAIN_KINDS)[number];

export interface SourceRef {
  /** npm package name, or "generator:<name>" for generated domains */
  package: string;
  version: string;
  /** npm `dist.integrity` (sha512-…) of the tarball, when the source is a package */
  integrity?: string;
  /** which files inside the package were used (glob-like description) */
  paths: string;
}

export interface DomainManifest {
  domain: string;
  /** the original domain label when `domain` is its file-safe form (imports: `--split-by` values) */
  label?: string;
  description: string;
  sources: SourceRef[];
  licence: string;
  documents: Record<SplitName, number>;
  bytes: Record<SplitName, number>;
  sha256: Record<SplitName, string>;
  /** file names relative to the corpus directory, e.g. "books/train.bin" */
  files: Record<SplitName, string>;
  /** tokens per split, when a tokenizer wrote the files (byte-level: = bytes) */
  tokens?: Record<SplitName, number>;
  /** UTF-8 bytes of the documents per split, when the files hold tokenizer ids (byte-level: = bytes) */
  textBytes?: Record<SplitName, number>;
  /**
   * What kind of text the domain holds (kernel-lib/data/kind.ts: prose, code, structured,
   * dictionary, qa); absent: read off the test split by `inferDomainKind`. The downstream suite
   * builds a domain's tasks by its kind.
   */
  kind?: DomainKind;
}

/** The tokenizer a token corpus was written with (absent: byte-level). */
export interface TokenizerManifest {
  /** file name of the tokenizer.json given to the import */
  file: string;
  /** sha256 of that file */
  sha256: string;
  /** ids are stored as little-endian uint16 (vocabulary ≤ 65536) or uint32 */
  dtype: "uint16" | "uint32";
  /** the end-of-document token (its id is the manifest's eosByte) */
  eosToken: string;
}

export interface CorpusManifest {
  format: number;
  builderVersion: string;
  eosByte: number;
  vocabSize: number;
  /** how documents were assigned to splits (human-readable rule, e.g. "sha256(domain\0doc)…") */
  splitRule: string;
  /** "default", "fixture", or a custom tier name */
  tier: string;
  /** present when the split files hold tokenizer ids instead of bytes; then eosByte is the EOS token's id and vocabSize the tokenizer's */
  tokenizer?: TokenizerManifest;
  domains: DomainManifest[];
}
