/**
 * Subresource-integrity strings (`sha512-<base64>`), the form npm publishes as `dist.integrity`.
 * Every cached tarball is checked against the value pinned in `sources/table.ts` before use.
 */
import { createHash } from "node:crypto";

/**
 * The `sha512-…` integrity string of `data`.
 *
 * @example
 * integrityOf(Buffer.from("")); // "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
 */
export function integrityOf(data: Uint8Array): string {
  return `sha512-${createHash("sha512").update(data).digest("base64")}`;
}

/**
 * True when `data` hashes to the pinned `expected` integrity (only sha512 is accepted: a
 * weaker pinned algorithm is treated as a mismatch rather than trusted).
 *
 * @example
 * matchesIntegrity(buf, "sha512-or+ihe…"); // true for the genuine tarball, false after one flipped byte
 */
export function matchesIntegrity(data: Uint8Array, expected: string): boolean {
  if (!expected.startsWith("sha512-")) return false;
  return integrityOf(data) === expected;
}
