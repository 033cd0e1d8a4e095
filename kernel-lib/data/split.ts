/**
 * Deterministic train/validation/test assignment (used by the npm corpus builder and by
 * `mixlab data import`) by content hash, not by position: a document
 * lands in the same split whatever else is in the corpus and in whatever order it is seen.
 */
import { createHash } from "node:crypto";
import type { SplitName } from "./format.js";

/** Train below this fraction of the hash range, validation below the next, test above. */
export const TRAIN_FRACTION = 0.9;
export const VALIDATION_FRACTION = 0.05;

/** The rule as written into manifest.json (`splitRule`). */
export const SPLIT_RULE =
  'u = first 4 bytes (big-endian) of sha256(utf8(domain) || 0x00 || utf8(document)) / 2^32; ' +
  "train if u < 0.90, validation if u < 0.95, else test. " +
  "Fallback, only when a domain would otherwise have an empty validation or test split: the train document " +
  "with the largest u moves to validation, then (if test is empty) the train document with the next-largest u moves to test. " +
  "Exact duplicate documents within a domain are kept once.";

/**
 * The hash position u ∈ [0, 1) of a document (see SPLIT_RULE).
 *
 * @example
 * splitFraction("books", "Call me Ishmael."); // same number on every machine
 */
export function splitFraction(domain: string, text: string | Uint8Array): number {
  return hashFraction(documentHash(domain, text));
}

/**
 * sha256(utf8(domain) || 0x00 || document) — the hash SPLIT_RULE is computed from; `text` may
 * be the document's UTF-8 bytes.
 *
 * @example
 * hashFraction(documentHash("books", "Call me Ishmael.")) === splitFraction("books", "Call me Ishmael."); // true
 */
export function documentHash(domain: string, text: string | Uint8Array): Buffer {
  const h = createHash("sha256").update(domain, "utf8").update(Buffer.from([0]));
  return (typeof text === "string" ? h.update(text, "utf8") : h.update(text)).digest();
}

/**
 * The hash position u ∈ [0, 1) from a document hash: its first 4 bytes, big-endian, / 2^32.
 *
 * @example
 * hashFraction(Buffer.alloc(32)); // 0
 */
export function hashFraction(hash: Uint8Array): number {
  return (((hash[0] << 24) | (hash[1] << 16) | (hash[2] << 8) | hash[3]) >>> 0) / 2 ** 32;
}

/**
 * The split of a hash position u (before the non-empty fallback of SPLIT_RULE).
 *
 * @example
 * splitOfFraction(0.93); // "validation"
 */
export function splitOfFraction(u: number): SplitName {
  return u < TRAIN_FRACTION ? "train" : u < TRAIN_FRACTION + VALIDATION_FRACTION ? "validation" : "test";
}

/**
 * The split a document belongs to by hash alone (before the non-empty fallback).
 *
 * @example
 * splitOf("books", "Call me Ishmael."); // "train" | "validation" | "test", stable across runs
 */
export function splitOf(domain: string, text: string): SplitName {
  return splitOfFraction(splitFraction(domain, text));
}

/**
 * Assign every document of a domain to a split (returns one split name per input document,
 * same order). Applies the fallback of SPLIT_RULE so validation and test are never empty; needs
 * at least 3 documents.
 *
 * @example
 * assignSplits("legal", ["MIT …", "Apache …", "BSD …"]); // e.g. ["train", "validation", "test"]
 */
export function assignSplits(domain: string, docs: readonly string[]): SplitName[] {
  if (docs.length < 3) throw new RangeError(`domain ${domain}: need ≥ 3 documents to fill three splits, got ${docs.length}`);
  const u = docs.map((d) => splitFraction(domain, d));
  const splits = u.map((x): SplitName => (x < TRAIN_FRACTION ? "train" : x < TRAIN_FRACTION + VALIDATION_FRACTION ? "validation" : "test"));
  const promote = (target: SplitName): void => {
    if (splits.includes(target)) return;
    let best = -1;
    for (let i = 0; i < docs.length; i++) {
      if (splits[i] === "train" && (best < 0 || u[i] > u[best] || (u[i] === u[best] && docs[i] > docs[best]))) best = i;
    }
    if (best < 0) throw new RangeError(`domain ${domain}: no train document left to move to ${target}`);
    splits[best] = target;
  };
  promote("validation");
  promote("test");
  // if train itself ended up empty (tiny domain, all hashes ≥ 0.9) the corpus is unusable
  if (!splits.includes("train")) throw new RangeError(`domain ${domain}: every document hashed out of train`);
  return splits;
}
