/**
 * Streaming document readers, one per input format. Each yields documents one at a time and
 * reports the input bytes consumed, so memory stays bounded by one read chunk plus one
 * document (one row-group slice for Parquet), whatever the file size.
 *
 * - `.txt`: one document per file, or documents cut at `docSeparator`
 * - `.jsonl`, `.jsonl.gz`, `.jsonl.zst`: one JSON object per line; text in `textField`
 * - `.parquet`: rows; text in column `textField` (hyparquet, all codecs via hyparquet-compressors)
 *
 * A record (a line, a document) may be up to MAX_RECORD_BYTES long. Text that is not valid
 * UTF-8 is read as the WHATWG decoder reads it (each bad sequence → U+FFFD) and reported
 * through `onInvalidUtf8` (.txt and .jsonl*; Parquet strings are decoded by hyparquet).
 *
 * Field names may be dotted paths into nested objects (`meta.pile_set_name`); an exact key
 * containing the dot wins over the path.
 */
import { isUtf8 } from "node:buffer";
import { closeSync, createReadStream, openSync, readFileSync, readSync } from "node:fs";
import { createGunzip } from "node:zlib";
import { Decompress } from "fzstd";
import { MixlabError } from "../../util/errors.js";
import type { InputFile } from "./inputs.js";

/** One document read from an input. */
export interface RawDoc {
  text: string;
  /** the value of the `splitBy` field, when asked for */
  label?: string;
}

export interface ReadOptions {
  /** JSON key or Parquet column of the text (default "text") */
  textField: string;
  /** field whose value names the document's domain (`--split-by`) */
  splitBy?: string;
  /** `.txt`: cut documents at this separator (default: one document per file) */
  docSeparator?: string;
  /** called with the number of input bytes consumed since the last call */
  onBytes?: (n: number) => void;
  /** called with `file:line` (or `file: document n`) for each record that is not valid UTF-8 (.txt, .jsonl*) */
  onInvalidUtf8?: (where: string) => void;
}

const READ_CHUNK = 1 << 20;

/**
 * Value of a possibly dotted field in a parsed record, or undefined.
 *
 * @example
 * fieldOf({ meta: { pile_set_name: "Github" } }, "meta.pile_set_name"); // "Github"
 */
export function fieldOf(record: unknown, field: string): unknown {
  if (record === null || typeof record !== "object") return undefined;
  const obj = record as Record<string, unknown>;
  if (field in obj) return obj[field];
  let cur: unknown = obj;
  for (const part of field.split(".")) {
    if (cur === null || typeof cur !== "object" || !(part in (cur as object))) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function docOf(record: unknown, where: string, opts: ReadOptions): RawDoc {
  const text = fieldOf(record, opts.textField);
  if (typeof text !== "string") {
    throw new MixlabError("IMPORT_MISSING_FIELD", `${where}: no text field "${opts.textField}"${text === undefined ? "" : ` (it is ${typeof text}, not a string)`}; choose it with --text-field`);
  }
  if (opts.splitBy === undefined) return { text };
  const label = fieldOf(record, opts.splitBy);
  if (label === undefined || label === null || (typeof label !== "string" && typeof label !== "number") || String(label) === "") {
    throw new MixlabError("IMPORT_SPLIT_FIELD_MISSING", `${where}: no --split-by field "${opts.splitBy}"${label === undefined ? "" : ` (value ${JSON.stringify(label)})`}`);
  }
  return { text, label: String(label) };
}

/** Raw byte chunks of a file, counted into onBytes. */
async function* fileChunks(path: string, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) {
    onBytes?.((chunk as Buffer).length);
    yield chunk as Buffer;
  }
}

/** Decompressed chunks of a `.gz` file. */
async function* gunzipChunks(path: string, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  const src = createReadStream(path, { highWaterMark: READ_CHUNK });
  src.on("data", (c) => onBytes?.((c as Buffer).length));
  src.on("error", (e) => gunzip.destroy(e));
  src.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (e) {
    if (e instanceof MixlabError) throw e;
    throw new MixlabError("IMPORT_CORRUPT_GZIP", `${path}: not a readable gzip stream (${(e as Error).message})`);
  } finally {
    src.destroy();
  }
}

/** Decompressed chunks of a `.zst` file (fzstd's streaming decoder; concatenated frames allowed). */
async function* zstdChunks(path: string, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  let out: Uint8Array[] = [];
  const dec = new Decompress((data) => { out.push(data); });
  const fail = (e: unknown): never => {
    throw new MixlabError("IMPORT_CORRUPT_ZSTD", `${path}: not a readable zstd stream (${e instanceof Error ? e.message : String(e)})`);
  };
  let sawData = false;
  for await (const chunk of fileChunks(path, onBytes)) {
    sawData = true;
    try { dec.push(chunk); } catch (e) { fail(e); }
    for (const o of out) yield Buffer.from(o.buffer, o.byteOffset, o.byteLength);
    out = [];
  }
  if (!sawData) fail(new Error("empty file"));
  try { dec.push(new Uint8Array(0), true); } catch (e) { fail(e); } // a stream cut inside a frame: "unexpected EOF"
  for (const o of out) yield Buffer.from(o.buffer, o.byteOffset, o.byteLength);
}

/**
 * The longest record an import reads: one JSON line, or one `.txt` document (a whole file, or
 * a piece cut at `--doc-separator`). A longer one is IMPORT_RECORD_TOO_LONG, so memory stays
 * bounded (a record is held a few times over: its bytes, its string, its parsed value).
 */
export const MAX_RECORD_BYTES = 128 * 1024 * 1024;

/** The last `n` bytes of `parts` (n ≤ their total length), without joining the rest. */
function lastBytes(parts: Buffer[], n: number): Buffer {
  const out: Buffer[] = [];
  let got = 0;
  for (let i = parts.length - 1; i >= 0 && got < n; i--) {
    const p = parts[i];
    const want = Math.min(n - got, p.length);
    out.unshift(p.subarray(p.length - want));
    got += want;
  }
  return Buffer.concat(out, got);
}

/** Concatenate the pending parts of a piece (one copy, at the end: linear in the piece's length). */
function joined(parts: Buffer[], length: number): Buffer {
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, length);
}

/**
 * Pieces of a byte stream cut at `sep` (the separator is dropped; the last piece may be
 * unterminated). Linear time: each chunk is searched once (plus the `sep.length − 1` bytes
 * before it, for a separator that straddles two chunks) and a piece's bytes are copied once
 * when it spans chunks. `tooLong(n)` is called when piece n (1-based) exceeds `max` bytes.
 */
export async function* splitStream(chunks: AsyncIterable<Buffer>, sep: Buffer, max = MAX_RECORD_BYTES, tooLong: (piece: number) => never = (n) => { throw new MixlabError("IMPORT_RECORD_TOO_LONG", `record ${n} is longer than ${max} bytes`); }): AsyncGenerator<Buffer> {
  const k = sep.length;
  let parts: Buffer[] = [];
  let pending = 0;
  let piece = 0;
  const take = (upTo: number): Buffer => {
    const all = joined(parts, pending).subarray(0, upTo);
    parts = [];
    pending = 0;
    return all;
  };
  for await (const chunk of chunks) {
    let from = 0;
    if (k > 1 && pending > 0) {
      // a separator that starts in the pending bytes and ends in this chunk
      const tail = lastBytes(parts, Math.min(k - 1, pending));
      const tailLen = tail.length;
      const at = Buffer.concat([tail, chunk.subarray(0, k - 1)]).indexOf(sep);
      if (at >= 0 && at < tailLen) {
        piece++;
        if (pending - tailLen + at > max) tooLong(piece);
        yield take(pending - tailLen + at);
        from = at + k - tailLen;
      }
    }
    for (;;) {
      const at = chunk.indexOf(sep, from);
      if (at < 0) break;
      piece++;
      if (pending + at - from > max) tooLong(piece);
      if (pending > 0) { parts.push(chunk.subarray(from, at)); pending += at - from; yield take(pending); } else yield chunk.subarray(from, at);
      from = at + k;
    }
    if (from < chunk.length) {
      parts.push(Buffer.from(chunk.subarray(from))); // copy: do not pin the whole chunk
      pending += chunk.length - from;
      if (pending > max + k - 1) tooLong(piece + 1); // (its last k − 1 bytes may begin the separator)
    }
  }
  if (pending > max) tooLong(piece + 1);
  if (pending > 0) yield take(pending);
}

/** A UTF-16 surrogate without its pair (what a JSON escape like \\ud800 decodes to). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text of a record's bytes; `onInvalid` is told when they are not valid UTF-8 (then each bad sequence becomes U+FFFD). */
function utf8(bytes: Buffer, onInvalid: (() => void) | undefined): string {
  if (onInvalid && !isUtf8(bytes)) onInvalid();
  return bytes.toString("utf8");
}

/** One JSON line's document, or undefined for a blank line (a function, so its bytes and string die when it returns). */
function lineDoc(raw: Buffer, where: string, opts: ReadOptions): RawDoc | undefined {
  const s = utf8(raw, opts.onInvalidUtf8 && (() => opts.onInvalidUtf8!(where))).trim();
  if (s === "") return undefined;
  let record: unknown;
  try {
    record = JSON.parse(s);
  } catch (e) {
    throw new MixlabError("IMPORT_BAD_JSONL", `${where}: not a JSON object (${(e as Error).message})`);
  }
  const doc = docOf(record, where, opts);
  // a lone surrogate escape (\ud800) is not text either: Buffer.from turns it into U+FFFD
  if (opts.onInvalidUtf8 && LONE_SURROGATE.test(doc.text)) opts.onInvalidUtf8(where);
  return doc;
}

async function* jsonlDocs(file: InputFile, opts: ReadOptions): AsyncGenerator<RawDoc> {
  const chunks = file.format === "jsonl.gz" ? gunzipChunks(file.path, opts.onBytes) : file.format === "jsonl.zst" ? zstdChunks(file.path, opts.onBytes) : fileChunks(file.path, opts.onBytes);
  let line = 0;
  const tooLong = (n: number): never => {
    throw new MixlabError("IMPORT_RECORD_TOO_LONG", `${file.path}:${n}: a line longer than ${MAX_RECORD_BYTES / 2 ** 20} MiB (the limit on one record); split the document`);
  };
  const lines = splitStream(chunks, Buffer.from("\n"), MAX_RECORD_BYTES, tooLong);
  // the next line's document (undefined: a blank line; null: the end). A function, so the line's
  // bytes are unreachable once it returns: a huge line is held as bytes, then as a string, then
  // as its parsed text, never all three while the document is being written
  const nextDoc = async (): Promise<RawDoc | undefined | null> => {
    const next = await lines.next();
    if (next.done) return null;
    line++;
    return lineDoc(next.value, `${file.path}:${line}`, opts);
  };
  for (;;) {
    const doc = await nextDoc();
    if (doc === null) return;
    if (doc) yield doc;
  }
}

async function* txtDocs(file: InputFile, opts: ReadOptions): AsyncGenerator<RawDoc> {
  if (opts.splitBy !== undefined) throw new MixlabError("IMPORT_SPLIT_FIELD_MISSING", `${file.path}: a .txt file has no fields; --split-by needs .jsonl or .parquet input`);
  const invalid = (where: string) => opts.onInvalidUtf8 && (() => opts.onInvalidUtf8!(where));
  if (opts.docSeparator === undefined) {
    if (file.bytes > MAX_RECORD_BYTES) {
      throw new MixlabError("IMPORT_RECORD_TOO_LONG", `${file.path}: ${file.bytes} bytes in one document (the limit on one record is ${MAX_RECORD_BYTES / 2 ** 20} MiB); cut it with --doc-separator`);
    }
    const bytes = readFileSync(file.path);
    opts.onBytes?.(file.bytes);
    yield { text: utf8(bytes, invalid(file.path)) };
    return;
  }
  const tooLong = (n: number): never => {
    throw new MixlabError("IMPORT_RECORD_TOO_LONG", `${file.path}: document ${n} (cut at --doc-separator) is longer than ${MAX_RECORD_BYTES / 2 ** 20} MiB, the limit on one record`);
  };
  let n = 0;
  for await (const piece of splitStream(fileChunks(file.path, opts.onBytes), Buffer.from(opts.docSeparator, "utf8"), MAX_RECORD_BYTES, tooLong)) {
    n++;
    yield { text: utf8(piece, invalid(`${file.path}: document ${n}`)) };
  }
}

/** hyparquet's AsyncBuffer over a local file: byte ranges by positional reads (the file is never read whole). */
function fileAsyncBuffer(path: string, size: number): { byteLength: number; slice(start: number, end?: number): Promise<ArrayBuffer> } {
  return {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = Math.min(end ?? size, size);
      const out = new ArrayBuffer(Math.max(0, stop - start));
      const view = new Uint8Array(out);
      const fd = openSync(path, "r");
      try {
        let got = 0;
        while (got < view.length) {
          const r = readSync(fd, view, got, view.length - got, start + got);
          if (r === 0) break;
          got += r;
        }
      } finally {
        closeSync(fd);
      }
      return out;
    },
  };
}

/** Rows read per Parquet slice: memory is bounded by one slice of the needed columns. */
const PARQUET_SLICE_ROWS = 4096;

async function* parquetDocs(file: InputFile, opts: ReadOptions): AsyncGenerator<RawDoc> {
  const { parquetMetadataAsync, parquetRead, parquetSchema } = await import("hyparquet");
  const { compressors } = await import("hyparquet-compressors");
  const corrupt = (e: unknown): never => {
    throw new MixlabError("IMPORT_CORRUPT_PARQUET", `${file.path}: not a readable Parquet file (${e instanceof Error ? e.message : String(e)})`);
  };
  const buffer = fileAsyncBuffer(file.path, file.bytes);
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try { metadata = await parquetMetadataAsync(buffer); } catch (e) { return corrupt(e); }
  const top = parquetSchema(metadata).children.map((c) => c.element.name);
  const textColumn = opts.textField.split(".")[0];
  if (!top.includes(opts.textField) && !top.includes(textColumn)) {
    throw new MixlabError("IMPORT_MISSING_FIELD", `${file.path}: no text column "${opts.textField}" (columns: ${top.join(", ")}); choose it with --text-field`);
  }
  const columns = [top.includes(opts.textField) ? opts.textField : textColumn];
  if (opts.splitBy !== undefined) {
    const c = top.includes(opts.splitBy) ? opts.splitBy : opts.splitBy.split(".")[0];
    if (!top.includes(c)) throw new MixlabError("IMPORT_SPLIT_FIELD_MISSING", `${file.path}: no --split-by column "${opts.splitBy}" (columns: ${top.join(", ")})`);
    if (!columns.includes(c)) columns.push(c);
  }
  const total = Number(metadata.num_rows);
  const bytesPerRow = total > 0 ? file.bytes / total : 0;
  let reported = 0;
  for (let start = 0; start < total; start += PARQUET_SLICE_ROWS) {
    const end = Math.min(total, start + PARQUET_SLICE_ROWS);
    let rows: Record<string, unknown>[] = [];
    try {
      await parquetRead({ file: buffer, metadata, columns, rowStart: start, rowEnd: end, compressors, rowFormat: "object", onComplete: (r) => { rows = r as Record<string, unknown>[]; } });
    } catch (e) {
      corrupt(e);
    }
    for (let i = 0; i < rows.length; i++) yield docOf(rows[i], `${file.path}: row ${start + i}`, opts);
    const now = Math.round(end * bytesPerRow);
    opts.onBytes?.(now - reported);
    reported = now;
  }
}

/**
 * Documents of one input file, streamed.
 *
 * @example
 * for await (const doc of readDocuments({ path: "00.jsonl.zst", format: "jsonl.zst", bytes }, { textField: "text", splitBy: "meta.pile_set_name" })) …
 */
export function readDocuments(file: InputFile, opts: ReadOptions): AsyncGenerator<RawDoc> {
  switch (file.format) {
    case "txt": return txtDocs(file, opts);
    case "parquet": return parquetDocs(file, opts);
    default: return jsonlDocs(file, opts);
  }
}
