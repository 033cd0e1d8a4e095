/**
 * Streaming corpus writer: documents go straight to `<domain>/<split>.bin` through a small
 * buffer, hashed (sha256) on the way; only a fixed amount is kept per domain (two held-back
 * documents for the split fallback and an 8-byte key per document for de-duplication).
 *
 * The split is SPLIT_RULE (kernel-lib/data/split.ts), the same as the npm corpus builder's:
 * a document's split is set by sha256(domain 0x00 document); the fallback that fills an empty
 * validation/test split moves the train documents with the largest u, which is why the two
 * train documents with the largest u so far are held back and written last.
 */
import { createHash, type Hash } from "node:crypto";
import { closeSync, mkdirSync, openSync, writeSync, fsyncSync } from "node:fs";
import { join } from "node:path";
import { EOS_BYTE, SPLITS, type DomainManifest, type SplitName } from "../format.js";
import { documentHash, hashFraction, splitOfFraction } from "../split.js";
import { MixlabError } from "../../util/errors.js";

const BUFFER_BYTES = 256 * 1024;

/** One split file being written. */
class SplitSink {
  readonly file: string;
  private fd: number;
  private buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private pos = 0;
  private hash: Hash = createHash("sha256");
  bytes = 0;
  documents = 0;
  textBytes = 0;
  tokens = 0;

  constructor(dir: string, file: string) {
    this.file = file;
    this.fd = openSync(join(dir, file), "w");
  }

  private put(data: Uint8Array): void {
    this.hash.update(data);
    this.bytes += data.length;
    if (this.pos + data.length > this.buf.length) this.flush();
    if (data.length >= this.buf.length) {
      let off = 0;
      while (off < data.length) off += writeSync(this.fd, data, off, data.length - off);
      return;
    }
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  private flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.pos = 0;
  }

  /** Append one document (its text bytes) encoded by `encode` (default: the bytes and the EOS byte). */
  write(doc: Uint8Array, encode?: DocumentEncoder): void {
    if (encode) {
      const e = encode(doc);
      this.put(e.payload);
      this.tokens += e.tokens;
    } else {
      this.put(doc);
      this.put(EOS);
      this.tokens += doc.length + 1;
    }
    this.textBytes += doc.length;
    this.documents++;
  }

  close(): { sha256: string } {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    return { sha256: this.hash.digest("hex") };
  }

  abort(): void {
    try { closeSync(this.fd); } catch { /* already closed */ }
  }
}

const EOS = Uint8Array.of(EOS_BYTE);

/** A document's text bytes → what its split file gets (token ids and the EOS id) and how many tokens. */
export type DocumentEncoder = (doc: Uint8Array) => { payload: Uint8Array; tokens: number };

/**
 * A set of 64-bit keys (open addressing over a Uint32Array of (hi, lo) pairs): 16 bytes per
 * document at most, so de-duplicating 10⁷ documents costs ≈ 160 MB.
 */
export class KeySet64 {
  private table = new Uint32Array(2 * 1024);
  private count = 0;

  /** Add (hi, lo); false when it was already present. */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1; // (0,0) marks an empty slot
    if ((this.count + 1) * 2 > this.table.length / 2) this.grow();
    const cap = this.table.length / 2;
    let i = (Math.imul(hi ^ lo, 0x9e3779b1) >>> 0) & (cap - 1);
    for (;;) {
      const h = this.table[2 * i];
      const l = this.table[2 * i + 1];
      if (h === 0 && l === 0) {
        this.table[2 * i] = hi;
        this.table[2 * i + 1] = lo;
        this.count++;
        return true;
      }
      if (h === hi >>> 0 && l === lo >>> 0) return false;
      i = (i + 1) & (cap - 1);
    }
  }

  get size(): number {
    return this.count;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.add(old[i], old[i + 1]);
  }
}

interface Held {
  u: number;
  doc: Buffer;
}

/** Larger u first; equal u: the larger document (byte order) first — SPLIT_RULE's tie-break. */
function before(a: Held, b: Held): boolean {
  return a.u > b.u || (a.u === b.u && Buffer.compare(a.doc, b.doc) > 0);
}

/** Counts of what a domain writer dropped. */
export interface DomainDropped {
  duplicates: number;
  empty: number;
}

/** One domain being written: three split files, the de-duplication set and the held-back documents. */
export class DomainWriter {
  readonly domain: string;
  readonly label: string;
  private sinks: Record<SplitName, SplitSink>;
  private seen = new KeySet64();
  private held: Held[] = [];
  readonly dropped: DomainDropped = { duplicates: 0, empty: 0 };

  private readonly encode?: DocumentEncoder;

  constructor(dir: string, domain: string, label: string, encode?: DocumentEncoder) {
    this.encode = encode;
    this.domain = domain;
    this.label = label;
    mkdirSync(join(dir, domain), { recursive: true });
    this.sinks = Object.fromEntries(SPLITS.map((s) => [s, new SplitSink(dir, `${domain}/${s}.bin`)])) as Record<SplitName, SplitSink>;
  }

  /** Add one document (its NUL bytes are removed; an empty or repeated document is dropped). */
  add(text: string): void {
    let doc = Buffer.from(text, "utf8");
    if (doc.includes(EOS_BYTE)) doc = Buffer.from(doc.filter((b) => b !== EOS_BYTE));
    if (doc.length === 0) { this.dropped.empty++; return; }
    const h = documentHash(this.domain, doc);
    if (!this.seen.add(h.readUInt32BE(4), h.readUInt32BE(8))) { this.dropped.duplicates++; return; }
    const u = hashFraction(h);
    const split = splitOfFraction(u);
    if (split !== "train") { this.sinks[split].write(doc, this.encode); return; }
    // hold back the two train documents with the largest u (the fallback's candidates)
    const item = { u, doc };
    if (this.held.length < 2) { this.held.push(item); this.held.sort((a, b) => (before(a, b) ? -1 : 1)); return; }
    const last = this.held[1];
    if (before(item, last)) {
      this.held[1] = item;
      this.held.sort((a, b) => (before(a, b) ? -1 : 1));
      this.sinks.train.write(last.doc, this.encode);
    } else {
      this.sinks.train.write(doc, this.encode);
    }
  }

  /** Documents kept so far (after de-duplication). */
  get documents(): number {
    return this.seen.size;
  }

  /**
   * Apply the fallback, close the files and describe the domain for the manifest. A domain with
   * no documents is IMPORT_EMPTY_DOMAIN; fewer than three (or no train document left) is
   * IMPORT_TOO_FEW_DOCUMENTS.
   */
  finish(sources: DomainManifest["sources"], description: string): DomainManifest {
    const n = this.seen.size;
    if (n === 0) throw new MixlabError("IMPORT_EMPTY_DOMAIN", `domain "${this.label}": no documents${this.dropped.empty ? ` (${this.dropped.empty} empty)` : ""}`);
    if (n < 3) throw new MixlabError("IMPORT_TOO_FEW_DOCUMENTS", `domain "${this.label}": ${n} distinct document(s); train, validation and test need at least 3`);
    for (const target of ["validation", "test"] as const) {
      if (this.sinks[target].documents === 0) {
        const moved = this.held.shift();
        if (!moved) throw new MixlabError("IMPORT_TOO_FEW_DOCUMENTS", `domain "${this.label}": no train document left to fill ${target} (${n} documents)`);
        this.sinks[target].write(moved.doc, this.encode);
      }
    }
    for (const h of this.held) this.sinks.train.write(h.doc, this.encode);
    this.held = [];
    if (this.sinks.train.documents === 0) throw new MixlabError("IMPORT_TOO_FEW_DOCUMENTS", `domain "${this.label}": every document hashed out of train (${n} documents)`);
    const closed = Object.fromEntries(SPLITS.map((s) => [s, this.sinks[s].close()])) as Record<SplitName, { sha256: string }>;
    const per = <T>(f: (s: SplitName) => T): Record<SplitName, T> => ({ train: f("train"), validation: f("validation"), test: f("test") });
    return {
      domain: this.domain,
      ...(this.label !== this.domain ? { label: this.label } : {}),
      description,
      sources,
      licence: "as the source (imported by the user)",
      documents: per((s) => this.sinks[s].documents),
      bytes: per((s) => this.sinks[s].bytes),
      sha256: per((s) => closed[s].sha256),
      files: per((s) => this.sinks[s].file),
      ...(this.encode ? { tokens: per((s) => this.sinks[s].tokens), textBytes: per((s) => this.sinks[s].textBytes) } : {}),
    };
  }

  /** Close the files without describing them (the import failed). */
  abort(): void {
    for (const s of SPLITS) this.sinks[s].abort();
  }
}
