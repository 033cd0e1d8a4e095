/**
 * The safetensors format, read and written directly (no library): 8 bytes little-endian header
 * length N, N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?:
 * {…}}`, then the tensor bytes (offsets relative to the end of the header). Tensors are read by
 * positional reads, a slice at a time, so a checkpoint larger than memory can be processed.
 *
 * Dtypes: F32, F16, BF16 (the ones checkpoints ship in), F64. Values are converted to and from
 * JavaScript numbers; F16 and BF16 encoding rounds to nearest, ties to even.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { MixlabError } from "../util/errors.js";

export const SAFETENSORS_DTYPES = { F64: 8, F32: 4, F16: 2, BF16: 2 } as const;
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPES;

export interface TensorInfo {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** byte offsets in the data section [begin, end) */
  begin: number;
  end: number;
}

/** An opened safetensors file: its header, and positional reads of tensor slices. */
export interface SafetensorsFile {
  path: string;
  /** tensors in data-offset order */
  tensors: TensorInfo[];
  metadata: Record<string, string>;
  /** file offset of the data section */
  dataStart: number;
  /** elements [from, from + count) of a tensor as numbers */
  read(t: TensorInfo, from: number, count: number, out?: Float64Array): Float64Array;
  close(): void;
}

const MAX_HEADER = 100 * 1024 * 1024;

/**
 * Open and validate a safetensors file. Errors (MixlabError): SAFETENSORS_NOT_FOUND,
 * SAFETENSORS_BAD_HEADER (also: two tensors' data_offsets overlap), SAFETENSORS_DTYPE (unsupported
 * dtype), SAFETENSORS_TRUNCATED (the file ends before the header or a tensor's bytes).
 *
 * @example
 * const f = openSafetensors("model.safetensors");
 * f.tensors.map((t) => `${t.name} ${t.dtype} [${t.shape}]`);
 */
export function openSafetensors(path: string): SafetensorsFile {
  let fd: number;
  try { fd = openSync(path, "r"); } catch (e) { throw new MixlabError("SAFETENSORS_NOT_FOUND", `${path}: cannot open (${(e as Error).message})`); }
  try {
    const size = fstatSync(fd).size;
    if (size < 8) throw new MixlabError("SAFETENSORS_TRUNCATED", `${path}: ${size} bytes, shorter than the 8-byte header length`);
    const lenBuf = Buffer.alloc(8);
    readSync(fd, lenBuf, 0, 8, 0);
    const n = Number(lenBuf.readBigUInt64LE(0));
    if (n > MAX_HEADER) throw new MixlabError("SAFETENSORS_BAD_HEADER", `${path}: header length ${n} is not plausible (not a safetensors file?)`);
    if (8 + n > size) throw new MixlabError("SAFETENSORS_TRUNCATED", `${path}: header of ${n} bytes but the file has ${size} bytes`);
    const hdr = Buffer.alloc(n);
    readSync(fd, hdr, 0, n, 8);
    let json: Record<string, unknown>;
    try { json = JSON.parse(hdr.toString("utf8")) as Record<string, unknown>; } catch (e) {
      throw new MixlabError("SAFETENSORS_BAD_HEADER", `${path}: header is not JSON (${(e as Error).message})`);
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) throw new MixlabError("SAFETENSORS_BAD_HEADER", `${path}: header is not a JSON object`);
    const dataStart = 8 + n;
    const dataBytes = size - dataStart;
    const tensors: TensorInfo[] = [];
    let metadata: Record<string, string> = {};
    for (const [name, v] of Object.entries(json)) {
      if (name === "__metadata__") { metadata = (v ?? {}) as Record<string, string>; continue; }
      const e = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      if (typeof e?.dtype !== "string" || !Array.isArray(e.shape) || !Array.isArray(e.data_offsets) || e.data_offsets.length !== 2) {
        throw new MixlabError("SAFETENSORS_BAD_HEADER", `${path}: tensor "${name}" lacks dtype, shape or data_offsets`);
      }
      if (!(e.dtype in SAFETENSORS_DTYPES)) throw new MixlabError("SAFETENSORS_DTYPE", `${path}: tensor "${name}" has dtype ${e.dtype} (supported: ${Object.keys(SAFETENSORS_DTYPES).join(", ")})`);
      const dtype = e.dtype as SafetensorsDtype;
      const shape = e.shape as number[];
      const [begin, end] = e.data_offsets as number[];
      const count = shape.reduce((a, b) => a * b, 1);
      if (!shape.every((s) => Number.isInteger(s) && s >= 0) || !Number.isInteger(begin) || !Number.isInteger(end) || end - begin !== count * SAFETENSORS_DTYPES[dtype] || begin < 0) {
        throw new MixlabError("SAFETENSORS_BAD_HEADER", `${path}: tensor "${name}": shape [${shape}] × ${dtype} does not match data_offsets [${begin}, ${end}]`);
      }
      if (end > dataBytes) throw new MixlabError("SAFETENSORS_TRUNCATED", `${path}: tensor "${name}" ends at byte ${end} of the data section, which has only ${dataBytes} bytes (truncated file?)`);
      tensors.push({ name, dtype, shape, begin, end });
    }
    tensors.sort((a, b) => a.begin - b.begin);
    // the format's byte buffer is indexed without overlap: two tensors sharing bytes would be read
    // (and merged) from the same values
    let prev: TensorInfo | undefined; // the non-empty tensor ending last so far
    for (const t of tensors) {
      if (t.end === t.begin) continue; // an empty tensor owns no bytes
      if (prev && t.begin < prev.end) throw new MixlabError("SAFETENSORS_BAD_HEADER", `${path}: tensors "${prev.name}" [${prev.begin}, ${prev.end}) and "${t.name}" [${t.begin}, ${t.end}) overlap in the data section`);
      if (!prev || t.end > prev.end) prev = t;
    }
    return {
      path, tensors, metadata, dataStart,
      read(t, from, count, out) {
        const w = SAFETENSORS_DTYPES[t.dtype];
        const buf = Buffer.allocUnsafe(count * w);
        let got = 0;
        while (got < buf.length) {
          const r = readSync(fd, buf, got, buf.length - got, dataStart + t.begin + from * w + got);
          if (r === 0) throw new MixlabError("SAFETENSORS_TRUNCATED", `${path}: unexpected end of file in tensor "${t.name}"`);
          got += r;
        }
        return decode(buf, t.dtype, out ?? new Float64Array(count));
      },
      close() { closeSync(fd); },
    };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * An IEEE half-precision bit pattern as a number.
 *
 * @example
 * f16ToNumber(0x3c00); // 1
 */
export function f16ToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/**
 * A number as an IEEE half-precision bit pattern (round to nearest, ties to even; overflow → ±Inf).
 *
 * @example
 * numberToF16(1); // 0x3c00
 */
export function numberToF16(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00; // rounds past the largest half (65504)
  if (a < 2 ** -14) {
    // subnormal: units of 2^-24 (r = 1024 becomes the smallest normal, as the bit layout allows)
    const q = a * 2 ** 24;
    let r = Math.floor(q);
    const frac = q - r;
    if (frac > 0.5 || (frac === 0.5 && (r & 1) === 1)) r++;
    return sign | r;
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  const q = (a / 2 ** e - 1) * 1024; // mantissa in units
  let m = Math.floor(q);
  const frac = q - m;
  if (frac > 0.5 || (frac === 0.5 && (m & 1) === 1)) m++;
  if (m === 1024) { m = 0; e++; }
  if (e + 15 >= 31) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | m;
}

/**
 * A number as a bfloat16 bit pattern: the upper half of its float32, rounded to nearest even.
 *
 * @example
 * numberToBf16(1); // 0x3f80
 */
export function numberToBf16(x: number): number {
  f32[0] = x;
  const b = u32[0];
  if (Number.isNaN(f32[0])) return 0x7fc0;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/**
 * A bfloat16 bit pattern as a number.
 *
 * @example
 * bf16ToNumber(0x3f80); // 1
 */
export function bf16ToNumber(h: number): number {
  u32[0] = h << 16;
  return f32[0];
}

function decode(buf: Buffer, dtype: SafetensorsDtype, out: Float64Array): Float64Array {
  const n = out.length;
  switch (dtype) {
    case "F64": for (let i = 0; i < n; i++) out[i] = buf.readDoubleLE(i * 8); break;
    case "F32": for (let i = 0; i < n; i++) out[i] = buf.readFloatLE(i * 4); break;
    case "F16": for (let i = 0; i < n; i++) out[i] = f16ToNumber(buf.readUInt16LE(i * 2)); break;
    case "BF16": for (let i = 0; i < n; i++) out[i] = bf16ToNumber(buf.readUInt16LE(i * 2)); break;
  }
  return out;
}

/**
 * Numbers as the little-endian bytes of a dtype.
 *
 * @example
 * encodeValues([1, 2], "F16"); // <Buffer 00 3c 00 40>
 */
export function encodeValues(values: ArrayLike<number>, dtype: SafetensorsDtype): Buffer {
  const n = values.length;
  const buf = Buffer.allocUnsafe(n * SAFETENSORS_DTYPES[dtype]);
  switch (dtype) {
    case "F64": for (let i = 0; i < n; i++) buf.writeDoubleLE(values[i], i * 8); break;
    case "F32": for (let i = 0; i < n; i++) buf.writeFloatLE(values[i], i * 4); break;
    case "F16": for (let i = 0; i < n; i++) buf.writeUInt16LE(numberToF16(values[i]), i * 2); break;
    case "BF16": for (let i = 0; i < n; i++) buf.writeUInt16LE(numberToBf16(values[i]), i * 2); break;
  }
  return buf;
}

/** What a writer needs to know about each tensor up front (the header comes first). */
export interface TensorSpec {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
}

/**
 * A streamed safetensors writer: the header is written from the specs, then each tensor's
 * values in spec order, in as many `write` calls as wanted. The file appears (atomically, by
 * rename) only on `finish`; `abort` removes the partial file.
 *
 * @example
 * const w = createSafetensorsWriter("out.safetensors", [{ name: "w", dtype: "F32", shape: [2] }]);
 * w.write([1, 2]); w.finish();
 */
export function createSafetensorsWriter(path: string, specs: readonly TensorSpec[], metadata: Record<string, string> = {}) {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let off = 0;
  const sizes = specs.map((s) => s.shape.reduce((a, b) => a * b, 1));
  specs.forEach((s, i) => {
    const bytes = sizes[i] * SAFETENSORS_DTYPES[s.dtype];
    header[s.name] = { dtype: s.dtype, shape: s.shape, data_offsets: [off, off + bytes] };
    off += bytes;
  });
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (Buffer.byteLength(json) % 8)) % 8); // the format pads the header to 8 bytes
  const hdr = Buffer.from(json, "utf8");
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, "w");
  const put = (b: Uint8Array) => { let o = 0; while (o < b.length) o += writeSync(fd, b, o, b.length - o); };
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(hdr.length));
  put(len);
  put(hdr);
  let tensor = 0;
  let written = 0;
  let closed = false;
  return {
    /** Append values of the current tensor (moves to the next tensor when one is full). */
    write(values: Float64Array | number[]): void {
      let from = 0;
      while (from < values.length) {
        if (tensor >= specs.length) throw new MixlabError("SAFETENSORS_WRITE", `${path}: more values than the tensors hold`);
        const take = Math.min(values.length - from, sizes[tensor] - written);
        put(encodeValues(values instanceof Float64Array ? values.subarray(from, from + take) : values.slice(from, from + take), specs[tensor].dtype));
        from += take;
        written += take;
        while (tensor < specs.length && written === sizes[tensor]) { tensor++; written = 0; }
      }
    },
    finish(): void {
      while (tensor < specs.length && sizes[tensor] === 0) tensor++;
      if (tensor !== specs.length) throw new MixlabError("SAFETENSORS_WRITE", `${path}: tensor "${specs[tensor].name}" not fully written`);
      fsyncSync(fd);
      closeSync(fd);
      closed = true;
      renameSync(tmp, path);
    },
    abort(): void {
      if (!closed) { try { closeSync(fd); } catch { /* closed */ } closed = true; }
      rmSync(tmp, { force: true });
    },
  };
}
