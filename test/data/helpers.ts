/**
 * Test helpers for token corpora, no network: a byte-level BPE tokenizer.json written from a
 * merge list (hand-written, or learned from text by `trainBpeMerges`), and a BPE corpus imported
 * from the fixture corpus's documents together with its byte-level twin (same documents, same
 * splits), as `mixlab data import --tokenizer` writes them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadCorpus, type Corpus } from "../../kernel-lib/data/corpus.js";
import { importCorpus } from "../../kernel-lib/data/import/import.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

/** GPT-2's byte → printable-character map (byte-level BPE). */
export function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let i = 33; i <= 126; i++) bs.push(i);
  for (let i = 161; i <= 172; i++) bs.push(i);
  for (let i = 174; i <= 255; i++) bs.push(i);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) { bs.push(b); cs.push(256 + n); n++; }
  const out: string[] = new Array(256);
  bs.forEach((b, i) => { out[b] = String.fromCodePoint(cs[i]); });
  return out;
}

/** A small byte-level BPE tokenizer.json: <|endoftext|> = 0, the 256 bytes (byte b = id b + 1), then `merges`; `pad` extra dummy tokens. */
export function bpeTokenizerJson(merges: readonly (readonly [string, string])[], pad = 0, eos = "<|endoftext|>"): object {
  const vocab: Record<string, number> = { [eos]: 0 };
  bytesToUnicode().forEach((c, b) => { vocab[c] = b + 1; });
  let next = 257;
  for (const [a, b] of merges) vocab[a + b] = next++;
  for (let i = 0; i < pad; i++) vocab[`<pad_${i}>`] = next++;
  return {
    version: "1.0", truncation: null, padding: null,
    added_tokens: [{ id: 0, content: eos, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges: merges.map((m) => m.join(" ")) },
  };
}

/** GPT-2's pre-tokenizer split (the ByteLevel pre-tokenizer's regex). */
const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/**
 * `count` BPE merges learned from `texts` (Sennrich et al.'s algorithm on GPT-2's pre-tokenized
 * words in byte-level characters: repeatedly merge the most frequent adjacent pair, ties broken
 * by the pair's string order, so the result is deterministic).
 *
 * @example
 * trainBpeMerges(["the theme then"], 2); // [["t", "h"], ["th", "e"]]
 */
export function trainBpeMerges(texts: readonly string[], count: number): [string, string][] {
  const chars = bytesToUnicode();
  const freq = new Map<string, number>();
  for (const t of texts) for (const w of t.match(GPT2_SPLIT) ?? []) freq.set(w, (freq.get(w) ?? 0) + 1);
  // symbols as ids (0..255 the bytes, then one per merge); a pair's key is a · 2^16 + b
  const names = [...chars];
  const words = [...freq].map(([w, n]) => ({ sym: [...Buffer.from(w, "utf8")], n }));
  const merges: [string, string][] = [];
  while (merges.length < count) {
    const pairs = new Map<number, number>();
    for (const { sym, n } of words) for (let i = 0; i + 1 < sym.length; i++) { const k = sym[i] * 65536 + sym[i + 1]; pairs.set(k, (pairs.get(k) ?? 0) + n); }
    const nameOf = (k: number): string => `${names[Math.floor(k / 65536)]} ${names[k % 65536]}`;
    let best = -1, bestN = 0;
    for (const [k, n] of pairs) if (n > bestN || (n === bestN && nameOf(k) < nameOf(best))) { best = k; bestN = n; }
    if (bestN < 2) break;
    const a = Math.floor(best / 65536), b = best % 65536, id = names.length;
    merges.push([names[a], names[b]]);
    names.push(names[a] + names[b]);
    for (const w of words) {
      const out: number[] = [];
      for (let i = 0; i < w.sym.length; i++) {
        if (i + 1 < w.sym.length && w.sym[i] === a && w.sym[i + 1] === b) { out.push(id); i++; } else out.push(w.sym[i]);
      }
      w.sym = out;
    }
  }
  return merges;
}

/**
 * The fixture corpus's documents of `domains` (all splits), each cut into pieces of about
 * `pieceBytes` bytes at the first space, newline or comma after that length (so an import gets
 * enough documents for a test split of several documents).
 */
export function fixturePieces(domains: readonly string[], pieceBytes: number): { domain: string; text: string }[] {
  const fixture = loadCorpus(fixtureCorpusDir());
  const out: { domain: string; text: string }[] = [];
  for (const d of domains) {
    for (const s of ["train", "validation", "test"] as const) {
      for (const doc of Buffer.from(fixture.split(d, s)).toString("utf8").split("\u0000")) {
        let start = 0;
        for (let i = pieceBytes; i < doc.length; i++) {
          if (i - start >= pieceBytes && (doc[i] === " " || doc[i] === "\n" || doc[i] === ",")) { out.push({ domain: d, text: doc.slice(start, i) }); start = i; }
        }
        if (doc.length - start > 0) out.push({ domain: d, text: doc.slice(start) });
      }
    }
  }
  return out.filter((p) => p.text.trim().length > 0);
}

/** A BPE corpus and its byte-level twin, imported from the same JSONL (same documents, same splits). */
export interface TokenCorpusPair {
  /** the tokenizer.json the token corpus was imported with */
  tokenizerPath: string;
  merges: [string, string][];
  tokens: Corpus;
  bytes: Corpus;
}

/**
 * Import the fixture documents of `domains` (cut by `fixturePieces`) into `root/bpe` with a BPE of
 * `mergeCount` merges learned from them, and into `root/bytes` without a tokenizer.
 *
 * @example
 * const { tokens, bytes } = await importFixtureBpe(tmp, ["books", "code_python"], 300);
 */
export async function importFixtureBpe(root: string, domains: readonly string[], mergeCount: number, pieceBytes = 250): Promise<TokenCorpusPair> {
  const pieces = fixturePieces(domains, pieceBytes);
  const merges = trainBpeMerges(pieces.map((p) => p.text), mergeCount);
  mkdirSync(join(root, "tokenizer"), { recursive: true });
  const tokenizerPath = join(root, "tokenizer", "tokenizer.json");
  writeFileSync(tokenizerPath, JSON.stringify(bpeTokenizerJson(merges)));
  const jsonl = join(root, "docs.jsonl");
  writeFileSync(jsonl, pieces.map((p) => JSON.stringify({ text: p.text, meta: { set: p.domain } })).join("\n"));
  await importCorpus({ inputs: [jsonl], splitBy: "meta.set", out: join(root, "bpe"), tokenizer: tokenizerPath });
  await importCorpus({ inputs: [jsonl], splitBy: "meta.set", out: join(root, "bytes") });
  return { tokenizerPath, merges, tokens: loadCorpus(join(root, "bpe")), bytes: loadCorpus(join(root, "bytes")) };
}
