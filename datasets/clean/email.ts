/**
 * SpamAssassin mail → text: keep the Subject and the readable body. Other headers go; MIME
 * multipart bodies are walked (text/plain preferred over text/html in multipart/alternative);
 * base64 parts and non-text attachments are dropped; quoted-printable is decoded; HTML is
 * stripped; quoted reply lines ("> …") are removed.
 *
 * The raw message is handled as a binary ("latin1") string so each part can be decoded with
 * its own declared charset.
 */
import { decodeBytes, decodeCp1252, normaliseText } from "./text.js";
import { htmlToText } from "./html.js";

type Headers = Map<string, string>;

/** Split a message or part at its first blank line into header block and body. */
function splitHeaderBody(raw: string): [string, string] {
  if (raw.startsWith("\n")) return ["", raw.slice(1)]; // a part with no headers
  const i = raw.indexOf("\n\n");
  return i < 0 ? [raw, ""] : [raw.slice(0, i), raw.slice(i + 2)];
}

/**
 * Parse an RFC 822 header block (continuation lines unfolded; names lower-cased; the first
 * occurrence of a name wins). Lines without a colon (the mbox "From " line) are skipped.
 *
 * @example
 * parseHeaders("Subject: a\n b\nX-Y: z").get("subject"); // "a b"
 */
export function parseHeaders(block: string): Headers {
  const headers: Headers = new Map();
  const lines = block.split("\n");
  let name: string | undefined;
  let value = "";
  const flush = (): void => {
    if (name !== undefined && !headers.has(name)) headers.set(name, value.trim());
    name = undefined;
  };
  for (const line of lines) {
    if (/^[ \t]/.test(line) && name !== undefined) { value += " " + line.trim(); continue; }
    flush();
    const m = /^([!-9;-~]+):(.*)$/.exec(line);
    if (m) { name = m[1].toLowerCase(); value = m[2]; }
  }
  flush();
  return headers;
}

interface ContentType { type: string; params: Record<string, string> }

function parseContentType(value: string | undefined): ContentType {
  if (!value) return { type: "text/plain", params: {} };
  const [head, ...rest] = value.split(";");
  const params: Record<string, string> = {};
  for (const p of rest) {
    const m = /^\s*([A-Za-z0-9_.*-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;]*))/.exec(p);
    if (m) params[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? "";
  }
  return { type: head.trim().toLowerCase() || "text/plain", params };
}

/**
 * Decode quoted-printable content to bytes (soft line breaks `=\n` removed, `=XX` → byte).
 *
 * @example
 * decodeQuotedPrintable("caf=E9 =\nau lait").toString("latin1"); // "café au lait"
 */
export function decodeQuotedPrintable(s: string): Buffer {
  const joined = s.replace(/=[ \t]*\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c & 0xff);
  }
  return Buffer.from(bytes);
}

/** Decode bytes with a MIME charset label (unknown or missing labels: UTF-8, else CP1252). */
function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  const label = (charset ?? "").toLowerCase().replace(/["']/g, "").trim();
  if (!label || label === "us-ascii" || label === "ascii" || label === "utf-8" || label === "utf8") return decodeBytes(bytes);
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label);
  } catch {
    return decodeBytes(bytes); // unknown label
  }
  // "iso-8859-1", "latin1", "windows-1252" all resolve to windows-1252 (WHATWG), which Node
  // decodes as plain Latin-1; use the real table, but prefer UTF-8 when the bytes are valid UTF-8
  if (decoder.encoding === "windows-1252") return decodeBytes(bytes);
  return decoder.decode(bytes);
}

/**
 * Decode RFC 2047 encoded words in a header value (`=?charset?Q|B?…?=`); whitespace between
 * adjacent encoded words is dropped, as the RFC says. Raw 8-bit header bytes are decoded too.
 *
 * @example
 * decodeEncodedWords("=?iso-8859-1?Q?caf=E9?= =?utf-8?B?4pyT?="); // "café✓"
 */
export function decodeEncodedWords(value: string): string {
  const raw = value.replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[BbQq]\?)/g, "$1");
  const decoded = raw.replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (_w, charset: string, enc: string, text: string) => {
    const bytes = enc.toUpperCase() === "B" ? Buffer.from(text, "base64") : decodeQuotedPrintable(text.replace(/_/g, " "));
    return decodeCharset(bytes, charset.split("*")[0]);
  });
  // characters outside the encoded words are still raw bytes held as latin1 code units
  return /[\u0080-\u00ff]/.test(decoded) && !/[\u0100-\uffff]/.test(decoded) ? decodeBytes(Buffer.from(decoded, "latin1")) : decoded;
}

const LOOKS_LIKE_HTML = /^\s*<(?:!doctype|html|head|body|meta|table|div|font|p|center)\b/i;

/** Text of one MIME entity (a whole message or one part); "" for dropped parts. */
function entityText(headers: Headers, body: string, depth: number): string {
  if (depth > 8) return "";
  const ct = parseContentType(headers.get("content-type"));
  const cte = (headers.get("content-transfer-encoding") ?? "").toLowerCase().trim();
  if (ct.type.startsWith("multipart/")) {
    const boundary = ct.params.boundary;
    if (boundary) return multipartText(ct.type, boundary, body, depth);
    // multipart without a boundary: fall through and treat as plain text
  } else if (ct.type === "message/rfc822") {
    const [h, b] = splitHeaderBody(body);
    return entityText(parseHeaders(h), b, depth + 1);
  } else if (!ct.type.startsWith("text/")) {
    return ""; // images, applications, …
  }
  if (cte === "base64") return ""; // dropped by rule (attachments, encoded blobs)
  // some relays relabel quoted-printable as 8bit without decoding it: soft line breaks betray it
  const qp = cte === "quoted-printable" || (body.match(/=\n/g)?.length ?? 0) >= 3;
  const bytes = qp ? decodeQuotedPrintable(body) : Buffer.from(body, "latin1");
  const text = decodeCharset(bytes, ct.params.charset);
  const isHtml = ct.type === "text/html" || LOOKS_LIKE_HTML.test(text) || /<\/(?:html|body)>/i.test(text);
  return isHtml ? htmlToText(text) : text;
}

function multipartText(type: string, boundary: string, body: string, depth: number): string {
  const lines = body.split("\n");
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    const t = line.trimEnd();
    if (t === delimiter || t === `${delimiter}--`) {
      if (current) parts.push(current.join("\n"));
      current = t === delimiter ? [] : undefined;
      if (t !== delimiter) break; // closing delimiter: the epilogue follows
      continue;
    }
    current?.push(line);
  }
  if (current) parts.push(current.join("\n")); // unterminated last part
  const texts = parts.map((p) => {
    const [h, b] = splitHeaderBody(p);
    return { type: parseContentType(parseHeaders(h).get("content-type")).type, text: entityText(parseHeaders(h), b, depth + 1).trim() };
  });
  if (type === "multipart/alternative") {
    const plain = texts.find((t) => t.type === "text/plain" && t.text);
    return (plain ?? texts.find((t) => t.text))?.text ?? "";
  }
  return texts.filter((t) => t.text).map((t) => t.text).join("\n\n");
}

/** Drop quoted reply lines (and an Outlook "Original Message" tail) and runs of base64-looking lines left inline in bodies. */
function dropQuotedAndEncoded(text: string): string {
  // an Outlook-style "----- Original Message -----" starts a quoted copy of the previous mail
  const all = text.split("\n");
  const original = all.findIndex((l) => /^\s*-{2,}\s*Original Message\s*-{2,}\s*$/i.test(l));
  const lines = (original >= 0 ? all.slice(0, original) : all).filter((l) => !/^\s*>/.test(l));
  const out: string[] = [];
  let run: string[] = [];
  const isB64 = (l: string): boolean => /^[A-Za-z0-9+/]{40,}={0,2}$/.test(l.trim());
  for (const l of lines) {
    if (isB64(l)) { run.push(l); continue; }
    if (run.length < 3) out.push(...run);
    run = [];
    out.push(l);
  }
  if (run.length < 3) out.push(...run);
  return out.join("\n");
}

/**
 * Clean one raw mail message to "Subject: …\n\n<body>" (see the module comment for the rules).
 *
 * @example
 * cleanEmail("From: a@b\nSubject: Hi\nContent-Type: text/html\n\n<p>Hello&nbsp;there</p>\n> old\n");
 * // "Subject: Hi\n\nHello there"
 */
export function cleanEmail(raw: Uint8Array | string): string {
  // work on bytes held as latin1 code units, so each part can apply its own charset
  const bytes = typeof raw === "string" ? Buffer.from(raw, "utf8") : Buffer.from(raw);
  const binary = bytes.toString("latin1").replace(/\r\n?/g, "\n");
  const [headerBlock, body] = splitHeaderBody(binary);
  const headers = parseHeaders(headerBlock);
  const subject = decodeEncodedWords(headers.get("subject") ?? "").replace(/\s+/g, " ").trim();
  const text = dropQuotedAndEncoded(entityText(headers, body, 0));
  return normaliseText((subject ? `Subject: ${subject}\n\n` : "") + text);
}
