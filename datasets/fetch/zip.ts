/**
 * A small zip reader (pyodide's python_stdlib.zip): find the end-of-central-directory record,
 * walk the central directory, inflate each member with zlib.inflateRawSync (method 8) or copy
 * it (method 0). No zip64 — the archives we read are a few MB.
 */
import { inflateRawSync } from "node:zlib";
import type { ArchiveEntry } from "./tar.js";

/**
 * The files in a zip archive whose path passes `keep`.
 *
 * @example
 * readZip(zipBuffer, (p) => p.endsWith(".py")); // [{ path: "asyncio/base_events.py", data }, …]
 */
export function readZip(zip: Buffer, keep: (path: string) => boolean = () => true): ArchiveEntry[] {
  // EOCD: signature 0x06054b50, at most 22 + 65535 bytes from the end
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error("zip: end of central directory not found");
  const count = zip.readUInt16LE(eocd + 10);
  let off = zip.readUInt32LE(eocd + 16);
  const out: ArchiveEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(off) !== 0x02014b50) throw new Error(`zip: bad central header at ${off}`);
    const method = zip.readUInt16LE(off + 10);
    const compSize = zip.readUInt32LE(off + 20);
    const size = zip.readUInt32LE(off + 24);
    const nameLen = zip.readUInt16LE(off + 28);
    const extraLen = zip.readUInt16LE(off + 30);
    const commentLen = zip.readUInt16LE(off + 32);
    const local = zip.readUInt32LE(off + 42);
    const path = zip.toString("utf8", off + 46, off + 46 + nameLen);
    off += 46 + nameLen + extraLen + commentLen;
    if (path.endsWith("/") || !keep(path)) continue;
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`zip: bad local header for ${path}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compSize);
    let data: Buffer;
    if (method === 0) data = raw;
    else if (method === 8) data = inflateRawSync(raw);
    else throw new Error(`zip: unsupported compression method ${method} for ${path}`);
    if (data.length !== size) throw new Error(`zip: ${path} inflated to ${data.length} bytes, expected ${size}`);
    out.push({ path, data });
  }
  return out;
}
