import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, writeSync, rmSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import { MixlabError } from "./errors.js";

/**
 * `mkdir -p dir`; OUT_NOT_A_DIRECTORY when a part of the path is a file (instead of a raw
 * ENOTDIR / EEXIST).
 *
 * @example
 * makeDirs("results/x/runs");
 */
export function makeDirs(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR" || code === "EEXIST") throw new MixlabError("OUT_NOT_A_DIRECTORY", `${dir}: a part of this path is a file, not a directory`);
    throw e;
  }
}

/**
 * Write a file atomically: write a temp file in the same directory, fsync it, rename over the
 * target. A reader (or a restarted sweep) sees either the old file or the whole new one, never
 * a partial write — the basis of resumable sweeps and safe checkpoints. A target that is a
 * directory is OUT_IS_A_DIRECTORY, a parent that is a file OUT_NOT_A_DIRECTORY; on any failure
 * the temp file is removed.
 *
 * @example
 * writeFileAtomic("results/run-0001.json", JSON.stringify(result));
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  makeDirs(dir);
  const isDir = (() => { try { return statSync(path).isDirectory(); } catch { return false; } })();
  if (isDir) throw new MixlabError("OUT_IS_A_DIRECTORY", `${path} is a directory; give the name of a file to write`);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
  const fd = openSync(tmp, "w");
  try {
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EISDIR" || code === "ENOTEMPTY" || code === "EEXIST") throw new MixlabError("OUT_IS_A_DIRECTORY", `${path} is a directory; give the name of a file to write`);
    throw e;
  }
}
