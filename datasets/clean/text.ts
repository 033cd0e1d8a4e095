/**
 * Text hygiene shared by every domain: byte decoding, normalisation (no NUL — it is the EOS
 * separator — no other control characters, `\n` line endings) and cutting long texts into
 * documents of bounded size at natural boundaries.
 */

const UTF8_FATAL = new TextDecoder("utf-8", { fatal: true });

// Windows-1252 bytes 0x80–0x9F (Node's TextDecoder("windows-1252") maps them to C1 controls,
// i.e. decodes plain Latin-1; mail and Gutenberg files use them for dashes and quotes).
// Undefined positions (0x81 0x8D 0x8F 0x90 0x9D) stay C1 controls and are removed later.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Decode Windows-1252 (the web's reading of "ISO-8859-1" and "US-ASCII" labels).
 *
 * @example
 * decodeCp1252(Buffer.from([0x93, 0x68, 0x69, 0x94, 0x96])); // "\u201chi\u201d\u2013"
 */
export function decodeCp1252(data: Uint8Array): string {
  let out = "";
  for (let i = 0; i < data.length; i += 8192) {
    const slice = data.subarray(i, i + 8192);
    const codes = new Array<number>(slice.length);
    for (let j = 0; j < slice.length; j++) {
      const b = slice[j];
      codes[j] = b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : b;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

/**
 * Decode bytes as UTF-8, or as Windows-1252 when they are not valid UTF-8 (a few Gutenberg and
 * mail files are Latin-1). A leading byte-order mark is dropped.
 *
 * @example
 * decodeBytes(Buffer.from([0x63, 0x61, 0x66, 0xe9])); // "café" (Latin-1 fallback)
 */
export function decodeBytes(data: Uint8Array): string {
  let s: string;
  try {
    s = UTF8_FATAL.decode(data);
  } catch {
    s = decodeCp1252(data);
  }
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/**
 * Normalise a document's text: CRLF/CR → LF, remove NUL and the other C0 control characters
 * except tab and newline, DEL and the C1 controls, strip trailing spaces on each line, collapse runs of 3+
 * newlines to 2 (one blank line), trim the ends. The result never contains byte 0.
 *
 * @example
 * normaliseText("a\r\nb\0c  \n\n\n\nd\f"); // "a\nbc\n\nd"
 */
export function normaliseText(s: string): string {
  return s
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^\n+/, "")
    .trimEnd();
}

/**
 * UTF-8 length of a string in bytes.
 *
 * @example
 * utf8Length("é"); // 2
 */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/**
 * The longest prefix of `s` whose UTF-8 encoding fits in `maxBytes`, never splitting a code
 * point (a surrogate pair stays whole).
 *
 * @example
 * truncateUtf8("héllo", 2); // "h" ("é" needs 2 more bytes)
 */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (utf8Length(s) <= maxBytes) return s;
  let bytes = 0;
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + n > maxBytes) break;
    bytes += n;
    i += cp >= 0x10000 ? 2 : 1;
  }
  return s.slice(0, i);
}

/** Boundaries tried in order when a piece is too long: paragraphs, lines, sentences, words. */
const SEPARATORS: RegExp[] = [/(?<=\n\n)/, /(?<=\n)/, /(?<=[.!?;,] )/, /(?<= )/];

function splitPiece(piece: string, maxBytes: number, level: number): string[] {
  if (utf8Length(piece) <= maxBytes) return [piece];
  if (level >= SEPARATORS.length) {
    // no boundary at all (minified code, one huge token): hard cut at code points
    const out: string[] = [];
    let rest = piece;
    while (rest.length > 0) {
      const head = truncateUtf8(rest, maxBytes) || rest.slice(0, 1);
      out.push(head);
      rest = rest.slice(head.length);
    }
    return out;
  }
  const parts = piece.split(SEPARATORS[level]);
  const out: string[] = [];
  let current = "";
  let currentBytes = 0;
  for (const part of parts) {
    const bytes = utf8Length(part);
    if (bytes > maxBytes) {
      if (current) out.push(current);
      current = "";
      currentBytes = 0;
      out.push(...splitPiece(part, maxBytes, level + 1));
      continue;
    }
    if (currentBytes + bytes > maxBytes && current) {
      out.push(current);
      current = "";
      currentBytes = 0;
    }
    current += part;
    currentBytes += bytes;
  }
  if (current) out.push(current);
  return out;
}

/**
 * Cut a text into pieces of at most `maxBytes` UTF-8 bytes, preferring paragraph boundaries,
 * then line, sentence and word boundaries, and only as a last resort a cut between code points.
 * Pieces are greedily packed; each is trimmed of surrounding blank lines and empty ones dropped.
 *
 * @example
 * chunkText("para one\n\npara two", 16); // ["para one", "para two"]
 */
export function chunkText(text: string, maxBytes: number): string[] {
  if (maxBytes < 16) throw new RangeError(`maxBytes must be ≥ 16, got ${maxBytes}`);
  return splitPiece(text, maxBytes, 0)
    .map((c) => c.replace(/^\n+/, "").trimEnd())
    .filter((c) => c.length > 0);
}
