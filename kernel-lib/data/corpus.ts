import { createHash } from "node:crypto";
import { existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { CORPUS_FORMAT_VERSION, SPLITS, type CorpusManifest, type DomainManifest, type SplitName } from "./format.js";
import { MixlabError } from "../util/errors.js";
import { defaultCorpusDir, pathInside } from "../util/paths.js";

export type { CorpusManifest, DomainManifest, SplitName };

/** Token ids of a split: bytes, or uint16 / uint32 ids of a tokenizer (kernel-lib/data/tokenizer.ts). */
export type TokenArray = Uint8Array | Uint16Array | Uint32Array;

/**
 * Split files larger than this many bytes are never read whole: `readTokens` reads the
 * requested window by a positional read (corpora larger than memory). Override with the
 * `positionalReadBytes` option of `loadCorpus` or the environment variable
 * MIXLAB_POSITIONAL_READ_BYTES.
 */
export const POSITIONAL_READ_BYTES = 256 * 1024 * 1024;

/**
 * A built corpus on disk: the manifest plus lazily-read token splits per domain.
 * Split files up to POSITIONAL_READ_BYTES are read once and cached (the default corpus is
 * ~100 MB: fine in memory); larger ones are read a window at a time.
 */
export interface Corpus {
  dir: string;
  manifest: CorpusManifest;
  /** domain names in manifest order */
  domains: string[];
  /** The uint8 token bytes of one split of one domain (documents separated by byte 0). */
  split(domain: string, split: SplitName): Uint8Array;
  /** Manifest entry of one domain. */
  info(domain: string): DomainManifest;
  /** bytes per token in the split files: 1 (byte-level), 2 (uint16 ids) or 4 (uint32 ids) */
  tokenBytes: 1 | 2 | 4;
  /** vocabulary size: 256 for bytes, the tokenizer's otherwise */
  vocabSize: number;
  /** tokens in one split */
  tokenCount(domain: string, split: SplitName): number;
  /** A whole split as token ids (read once and cached; every id checked < vocabSize). */
  tokens(domain: string, split: SplitName): TokenArray;
  /**
   * Copy tokens [start, start + count) of a split into `out` from index `at`: from memory when
   * the split is small or already read, else by one positional read (no whole-split read).
   */
  readTokens(domain: string, split: SplitName, start: number, count: number, out: Int32Array, at?: number): void;
}

export interface LoadCorpusOptions {
  /** splits larger than this many bytes are read by positional reads (default POSITIONAL_READ_BYTES) */
  positionalReadBytes?: number;
}

function tokenBytesOf(manifest: CorpusManifest): 1 | 2 | 4 {
  const t = manifest.tokenizer?.dtype;
  return t === "uint32" ? 4 : t === "uint16" ? 2 : 1;
}

function checkIds(ids: TokenArray, vocab: number, where: string): void {
  if (vocab >= 2 ** (8 * ids.BYTES_PER_ELEMENT)) return;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] >= vocab) throw new MixlabError("TOKEN_ID_OUT_OF_RANGE", `${where}: token ${i} has id ${ids[i]} ≥ vocabulary size ${vocab}`);
  }
}

/**
 * Open a corpus directory written by `datasets/build.ts` (default: the built default corpus).
 * Checks the manifest format and that every split file exists with the recorded size; use
 * `verifyCorpus` for a full sha256 check.
 *
 * @example
 * const corpus = loadCorpus(fixtureCorpusDir());
 * corpus.domains; // ["books", "speeches", ...]
 * corpus.split("books", "train").length; // bytes
 */
export function loadCorpus(dir: string = defaultCorpusDir(), options: LoadCorpusOptions = {}): Corpus {
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new MixlabError("CORPUS_NOT_FOUND", `no corpus at ${dir} (missing manifest.json); build it with \`npm run data\``);
  }
  let manifest: CorpusManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as CorpusManifest;
  } catch (e) {
    throw new MixlabError("CORPUS_BAD_MANIFEST", `${manifestPath}: not valid JSON (${(e as Error).message})`);
  }
  if (manifest.format !== CORPUS_FORMAT_VERSION || !Array.isArray(manifest.domains)) {
    throw new MixlabError("CORPUS_BAD_MANIFEST", `${manifestPath}: format ${manifest.format}, expected ${CORPUS_FORMAT_VERSION}; rebuild with \`npm run data\``);
  }
  const byName = new Map<string, DomainManifest>();
  for (const d of manifest.domains) {
    for (const s of SPLITS) {
      const f = pathInside(dir, d.files?.[s], `${manifestPath}: domain "${d.domain}" ${s} file`, "CORPUS_BAD_MANIFEST");
      if (!existsSync(f)) throw new MixlabError("CORPUS_INCOMPLETE", `${f} is missing; rebuild with \`npm run data\``);
      const size = statSync(f).size;
      if (size % tokenBytesOf(manifest) !== 0) throw new MixlabError("CORPUS_INCOMPLETE", `${f} has ${size} bytes, not a whole number of ${tokenBytesOf(manifest)}-byte tokens`);
      if (size !== d.bytes[s]) throw new MixlabError("CORPUS_INCOMPLETE", `${f} has ${size} bytes, manifest says ${d.bytes[s]}; rebuild with \`npm run data\``);
    }
    byName.set(d.domain, d);
  }
  const cache = new Map<string, Uint8Array>();
  const tokenCache = new Map<string, TokenArray>();
  const fds = new Map<string, number>();
  const tokenBytes = tokenBytesOf(manifest);
  const vocabSize = manifest.vocabSize;
  const envLimit = Number(process.env.MIXLAB_POSITIONAL_READ_BYTES);
  const limit = options.positionalReadBytes ?? (Number.isFinite(envLimit) && process.env.MIXLAB_POSITIONAL_READ_BYTES !== "" ? envLimit : POSITIONAL_READ_BYTES);
  const info = (domain: string): DomainManifest => {
    const d = byName.get(domain);
    if (!d) throw new MixlabError("CORPUS_UNKNOWN_DOMAIN", `unknown domain "${domain}" (corpus has: ${[...byName.keys()].join(", ")})`);
    return d;
  };
  const split = (domain: string, split: SplitName): Uint8Array => {
    const key = `${domain}/${split}`;
    let bytes = cache.get(key);
    if (!bytes) {
      const buf = readFileSync(join(dir, info(domain).files[split]));
      bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      cache.set(key, bytes);
    }
    return bytes;
  };
  const tokens = (domain: string, s: SplitName): TokenArray => {
    const key = `${domain}/${s}`;
    let t = tokenCache.get(key);
    if (!t) {
      const b = split(domain, s);
      if (tokenBytes === 1) t = b;
      else {
        // copy when unaligned (Buffer pools); little-endian files on a little-endian host
        const aligned = b.byteOffset % tokenBytes === 0 ? b : b.slice();
        t = tokenBytes === 2 ? new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2) : new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
      }
      checkIds(t, vocabSize, join(dir, info(domain).files[s]));
      tokenCache.set(key, t);
    }
    return t;
  };
  const readBuf = { buf: Buffer.alloc(0) };
  return {
    dir,
    manifest,
    domains: manifest.domains.map((d) => d.domain),
    info,
    split,
    tokenBytes,
    vocabSize,
    tokens,
    tokenCount: (domain, s) => info(domain).bytes[s] / tokenBytes,
    readTokens(domain, s, start, count, out, at = 0) {
      const key = `${domain}/${s}`;
      const d = info(domain);
      const n = d.bytes[s] / tokenBytes;
      if (start < 0 || count < 0 || start + count > n) throw new MixlabError("CORPUS_BAD_WINDOW", `${key}: tokens [${start}, ${start + count}) outside 0..${n}`);
      if (tokenCache.has(key) || d.bytes[s] <= limit) {
        const t = tokens(domain, s);
        for (let i = 0; i < count; i++) out[at + i] = t[start + i];
        return;
      }
      let fd = fds.get(key);
      if (fd === undefined) { fd = openSync(join(dir, d.files[s]), "r"); fds.set(key, fd); }
      const len = count * tokenBytes;
      if (readBuf.buf.length < len) readBuf.buf = Buffer.alloc(Math.max(len, 4096));
      const buf = readBuf.buf;
      let got = 0;
      while (got < len) {
        const r = readSync(fd, buf, got, len - got, start * tokenBytes + got);
        if (r === 0) throw new MixlabError("CORPUS_INCOMPLETE", `${join(dir, d.files[s])}: ended early (changed on disk?)`);
        got += r;
      }
      for (let i = 0; i < count; i++) {
        const id = tokenBytes === 1 ? buf[i] : tokenBytes === 2 ? buf.readUInt16LE(2 * i) : buf.readUInt32LE(4 * i);
        if (id >= vocabSize) throw new MixlabError("TOKEN_ID_OUT_OF_RANGE", `${join(dir, d.files[s])}: token ${start + i} has id ${id} ≥ vocabulary size ${vocabSize}`);
        out[at + i] = id;
      }
    },
  };
}

/**
 * Recompute the sha256 of every split file and compare with the manifest. Returns the list of
 * mismatching files (empty when the corpus is intact).
 *
 * @example
 * verifyCorpus(loadCorpus()); // []
 */
export function verifyCorpus(corpus: Corpus): string[] {
  const bad: string[] = [];
  for (const d of corpus.manifest.domains) {
    for (const s of SPLITS) {
      const sha = createHash("sha256").update(corpus.split(d.domain, s)).digest("hex");
      if (sha !== d.sha256[s]) bad.push(d.files[s]);
    }
  }
  return bad;
}
