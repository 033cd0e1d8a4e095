/**
 * Byte-level text helpers for the task builders: documents of a split, candidate segments
 * (sentences / lines) with their positions, word-boundary truncation, and byte keys for
 * equality checks. Everything stays in bytes so items are exactly what a byte model sees; on a
 * token corpus the bytes are its decoded text (build.ts) and the items are encoded afterwards
 * (tokens.ts).
 */
import { EOS_BYTE } from "../../data/format.js";

/** A span [start, end) of a split's bytes that belongs to document `doc`. */
export interface Span {
  doc: number;
  start: number;
  end: number;
}

/**
 * The documents of a split (byte 0 separates documents) as spans, empty ones dropped.
 *
 * @example
 * documentSpans(new Uint8Array([65, 0, 66, 67, 0])); // [{doc:0,start:0,end:1},{doc:1,start:2,end:4}]
 */
export function documentSpans(bytes: Uint8Array): Span[] {
  const out: Span[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === EOS_BYTE) {
      if (i > start) out.push({ doc: out.length, start, end: i });
      start = i + 1;
    }
  }
  return out;
}

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
const isLetter = (b: number): boolean => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b >= 0x80;
const isClosing = (b: number): boolean => b === 0x22 || b === 0x27 || b === 0x29 || b === 0x5d;

/** Number of letter bytes (ASCII letters and any non-ASCII byte) in a span. */
export function letterCount(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let n = 0;
  for (let i = start; i < end; i++) if (isLetter(bytes[i])) n++;
  return n;
}

/**
 * Sentence-like segments of one document: a segment ends after `.`, `!` or `?` (and any
 * closing quote/bracket) followed by whitespace, or at a newline. Returned spans exclude the
 * surrounding whitespace, so the bytes before `start` are the separator (e.g. ". " or "\n").
 *
 * @example
 * segmentSpans(enc("Hi there. Bye now.\nNext"), {doc:0,start:0,end:23}).length; // 3
 */
export function segmentSpans(bytes: Uint8Array, doc: Span): Span[] {
  const out: Span[] = [];
  let i = doc.start;
  while (i < doc.end) {
    while (i < doc.end && isSpace(bytes[i])) i++;
    if (i >= doc.end) break;
    const start = i;
    let end = doc.end;
    for (let j = i; j < doc.end; j++) {
      const b = bytes[j];
      if (b === 0x0a) { end = j; break; }
      if (b === 0x2e || b === 0x21 || b === 0x3f) {
        let k = j + 1;
        while (k < doc.end && isClosing(bytes[k])) k++;
        if (k >= doc.end || isSpace(bytes[k])) { end = k; break; }
      }
    }
    // trim trailing whitespace (e.g. "\r")
    let e = end;
    while (e > start && isSpace(bytes[e - 1])) e--;
    if (e > start) out.push({ doc: doc.doc, start, end: e });
    i = end;
  }
  return out;
}

/**
 * The lines of one document as spans (without the newline), including empty ones.
 *
 * @example
 * lineSpans(enc("a\n\nbc"), {doc:0,start:0,end:5}); // spans of "a", "", "bc"
 */
export function lineSpans(bytes: Uint8Array, doc: Span): Span[] {
  const out: Span[] = [];
  let start = doc.start;
  for (let i = doc.start; i <= doc.end; i++) {
    if (i === doc.end || bytes[i] === 0x0a) {
      let e = i;
      if (e > start && bytes[e - 1] === 0x0d) e--;
      out.push({ doc: doc.doc, start, end: e });
      start = i + 1;
    }
  }
  return out;
}

/** Leading whitespace (spaces/tabs) length of a span. */
export function indentOf(bytes: Uint8Array, s: Span): number {
  let i = s.start;
  while (i < s.end && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  return i - s.start;
}

/**
 * Cut `b` to at most `max` bytes, at the last space inside the limit when there is one in its
 * second half (so words are not split), and never inside a UTF-8 sequence.
 *
 * @example
 * truncateAtWord(enc("the quick brown fox"), 12); // "the quick"
 */
export function truncateAtWord(b: Uint8Array, max: number): Uint8Array {
  if (b.length <= max) return b;
  let cut = max;
  for (let i = max; i > max / 2; i--) {
    if (b[i] === 0x20) { cut = i; break; }
  }
  while (cut > 0 && (b[cut] & 0xc0) === 0x80) cut--; // do not split a UTF-8 sequence
  let e = cut;
  while (e > 0 && isSpace(b[e - 1])) e--;
  return b.subarray(0, e);
}

/**
 * The context ending at `end`: at most `max` bytes of document `doc` before `end`, starting
 * after a whitespace byte when the window cuts into the text (no half words or half UTF-8
 * characters at the start).
 *
 * @example
 * contextBefore(bytes, docSpan, seg.start, 96);
 */
export function contextBefore(bytes: Uint8Array, doc: Span, end: number, max: number): Uint8Array {
  let start = Math.max(doc.start, end - max);
  if (start > doc.start) {
    let j = start;
    while (j < end && !isSpace(bytes[j - 1])) j++;
    if (j < end) start = j;
    while (start < end && (bytes[start] & 0xc0) === 0x80) start++;
  }
  return bytes.subarray(start, end);
}

/**
 * A string key of bytes for equality / dedupe (latin1: one char per byte, exact).
 *
 * @example
 * bytesKey(new Uint8Array([104, 105])); // "hi"
 */
export function bytesKey(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
}

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "utf8"));
}

/** A string from UTF-8 bytes (for display). */
export function fromUtf8(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8");
}

/** `a` followed by `b` in a new array. */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * True when one of the two byte strings starts with the other (such a pair cannot be told
 * apart fairly by summed log-likelihood: the shorter one's score is an upper bound of the longer's).
 *
 * @example
 * eitherIsPrefix(enc("ab"), enc("abc")); // true
 */
export function eitherIsPrefix(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Fields of minified JSON: a field starts at a key's opening quote right after `{` or `,`
 * (outside strings) and runs up to the byte before the next field (that `{` or `,` belongs
 * to the next field's context) — so `{"a":{"b":1},"c":2}` gives `"a":`, `"b":1}`, `"c":2}`.
 *
 * @example
 * jsonFieldSpans(enc('{"a":1,"b":2}'), doc).length; // 2
 */
export function jsonFieldSpans(bytes: Uint8Array, doc: Span): Span[] {
  const starts: number[] = [];
  let inString = false;
  for (let i = doc.start; i < doc.end; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++; // skip the escaped byte
      else if (b === 0x22) inString = false;
      continue;
    }
    if (b === 0x22) {
      const prev = i > doc.start ? bytes[i - 1] : 0;
      if (prev === 0x7b || prev === 0x2c) starts.push(i);
      inString = true;
    }
  }
  return starts.map((s, k) => {
    let e = k + 1 < starts.length ? starts[k + 1] - 1 : doc.end; // drop the `{` or `,` before the next key
    while (e > s && isSpace(bytes[e - 1])) e--;
    return { doc: doc.doc, start: s, end: e };
  });
}
