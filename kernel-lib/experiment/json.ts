/**
 * JSON values and the one checksum the result store uses. A run's payload is hashed as the
 * exact `JSON.stringify` text that is written, so a reader can re-serialise the parsed object
 * (JSON.parse keeps key order and numbers round-trip exactly) and compare digests.
 */
import { createHash } from "node:crypto";

/** Any JSON value. Task params and results must be of this type so they survive a file. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Hex sha256 of a UTF-8 string.
 *
 * @example
 * sha256Hex("abc"); // "ba7816bf…"
 */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * JSON text with object keys sorted at every depth: two configs that differ only in key order
 * give the same text (used to compare a config with the one stored in a manifest).
 *
 * @example
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/**
 * True for plain objects (not arrays, not null).
 *
 * @example
 * isPlainObject({}); // true
 * isPlainObject([]); // false
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * A stored result read back as the type its kind's `runTask` wrote. Results are checksummed
 * and written only by that kind, so this restates their type rather than checking it.
 *
 * @example
 * const arm = storedAs<ComparisonArm>(run.result);
 */
export function storedAs<T>(value: Json): T {
  return value as unknown as T;
}

/**
 * A plain result (typed arrays, nested records) as JSON for the store: what `JSON.stringify`
 * keeps of it, so a stored run reads back equal to what was written.
 *
 * @example
 * return toJson(await runSearchTask(config, corpus, task, log));
 */
export function toJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}
