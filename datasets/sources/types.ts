/**
 * What one domain extractor declares and produces. Extractors return raw documents keyed by
 * their source path; the builder normalises, cuts to size, sorts by key, de-duplicates and
 * splits them (build.ts), so every domain gets the same hygiene.
 */
import type { PinnedPackage } from "../fetch/npmPack.js";
import type { ArchiveEntry } from "../fetch/tar.js";

/** A document before normalisation and size-bounding. */
export interface RawDocument {
  /** sort key: source path inside the package (plus a sub-key for multi-document files) */
  key: string;
  text: string;
}

export interface ExtractContext {
  /** Files of a pinned package (paths relative to the package root) whose path passes `keep`. */
  files(pkg: PinnedPackage, keep: (path: string) => boolean): ArchiveEntry[];
  /** Seed of the generated math domain. */
  mathSeed: number;
  /** Target size of the generated math domain in bytes. */
  mathBytes: number;
  log(msg: string): void;
}

export interface DomainSpec {
  domain: string;
  description: string;
  licence: string;
  tier: "default" | "research";
  /** npm sources with a glob-like description of the files used */
  packages: { pkg: PinnedPackage; paths: string }[];
  /** set for generated domains instead of packages */
  generator?: { name: string; version: string; describe: (seed: number, count: number) => string };
  /** documents longer than this (UTF-8 bytes) are cut at paragraph/line/sentence boundaries */
  maxDocBytes: number;
  /** printed prominently before fetching (research tier) */
  licenceNotice?: string;
  extract(ctx: ExtractContext): RawDocument[] | Promise<RawDocument[]>;
}

/** Default bound on document size: big enough for whole letters and licences, small enough
 * that a 7 MB domain yields a few hundred documents for the hash split. */
export const DEFAULT_MAX_DOC_BYTES = 32 * 1024;
