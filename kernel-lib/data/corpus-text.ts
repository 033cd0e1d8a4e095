/**
 * A corpus's text, whatever its split files hold. A byte corpus's split *is* its text (UTF-8,
 * documents separated by byte 0, format.ts); a token corpus (`mixlab data import --tokenizer`)
 * holds ids of the tokenizer.json the import copied beside its manifest. Whatever reads text
 * rather than model tokens — kind inference (kind.ts) and the downstream suite's task builders —
 * reads `splitText`:
 *   - byte corpus: the split itself (the same array: nothing byte-level changes);
 *   - token corpus: every document's ids (those before each EOS id) decoded by the corpus's
 *     tokenizer, as UTF-8, documents separated by byte 0 — the byte corpus's layout, so every
 *     byte-level text helper works on it unchanged.
 *
 * `corpusTokenizer` loads the corpus's own tokenizer and checks that it is the one the split files
 * were written with (sha256 of the file, vocabulary size, EOS id). Errors:
 * CORPUS_TOKENIZER_MISSING (no file, or no directory to find it in), CORPUS_TOKENIZER_BAD (the
 * file cannot be loaded), CORPUS_TOKENIZER_MISMATCH (another tokenizer than the manifest's).
 */
import { join } from "node:path";
import type { Corpus, SplitName } from "./corpus.js";
import { EOS_BYTE } from "./format.js";
import { loadTokenizerJsonSync, type TextTokenizer } from "./tokenizer.js";
import { isMixlabError, MixlabError } from "../util/errors.js";

/** What reading a corpus's text needs: a byte corpus only its splits; a token corpus also its directory, manifest and ids. */
export type TextCorpus = Pick<Corpus, "domains" | "info" | "split"> & Partial<Pick<Corpus, "dir" | "manifest" | "tokens">>;

interface Loaded {
  tokenizer?: TextTokenizer;
  texts: Map<string, Uint8Array>;
}

// per corpus object: its tokenizer, loaded once, and the decoded splits (kind inference and the
// suite both read the test split)
const loaded = new WeakMap<object, Loaded>();

function stateOf(corpus: object): Loaded {
  let s = loaded.get(corpus);
  if (!s) { s = { texts: new Map() }; loaded.set(corpus, s); }
  return s;
}

/**
 * Whether the corpus's split files hold tokenizer ids (its manifest names a tokenizer).
 *
 * @example
 * isTokenCorpus(loadCorpus(fixtureCorpusDir())); // false
 */
export function isTokenCorpus(corpus: Partial<Pick<Corpus, "manifest">>): boolean {
  return corpus.manifest?.tokenizer !== undefined;
}

/**
 * The tokenizer a token corpus was written with (null for a byte corpus), loaded once per corpus
 * object from `<dir>/<manifest.tokenizer.file>` with the manifest's EOS token, and checked against
 * the manifest. Errors: see the module comment.
 *
 * @example
 * corpusTokenizer(loadCorpus("data/books-bpe"))!.decode([464, 3797]); // "The cat"
 */
export function corpusTokenizer(corpus: Partial<Pick<Corpus, "dir" | "manifest">>): TextTokenizer | null {
  const m = corpus.manifest;
  if (!m?.tokenizer) return null;
  const s = stateOf(corpus);
  if (s.tokenizer) return s.tokenizer;
  if (corpus.dir === undefined) throw new MixlabError("CORPUS_TOKENIZER_MISSING", `the corpus's manifest names tokenizer ${m.tokenizer.file}, but no corpus directory was given to read it from (open the corpus with loadCorpus)`);
  const path = join(corpus.dir, m.tokenizer.file);
  let tok: TextTokenizer;
  try {
    tok = loadTokenizerJsonSync(path, { eosToken: m.tokenizer.eosToken });
  } catch (e) {
    if (isMixlabError(e) && e.code === "TOKENIZER_NOT_FOUND") {
      throw new MixlabError("CORPUS_TOKENIZER_MISSING", `${path}: the corpus's tokenizer is missing (its split files hold ids of it); copy the tokenizer.json the corpus was imported with back, or re-import`);
    }
    throw new MixlabError("CORPUS_TOKENIZER_BAD", `${path}: the corpus's tokenizer cannot be loaded (${(e as Error).message})`);
  }
  const wrong = tok.sha256 !== m.tokenizer.sha256 ? `sha256 ${tok.sha256}, manifest ${m.tokenizer.sha256}`
    : tok.vocabSize !== m.vocabSize ? `vocabulary ${tok.vocabSize}, manifest ${m.vocabSize}`
    : tok.eosId !== m.eosByte ? `EOS id ${tok.eosId}, manifest ${m.eosByte}` : null;
  if (wrong) throw new MixlabError("CORPUS_TOKENIZER_MISMATCH", `${path} is not the tokenizer the corpus was written with (${wrong}); re-import the corpus or restore its tokenizer.json`);
  s.tokenizer = tok;
  return tok;
}

/**
 * One split's text: documents separated by byte 0 (see the module comment). A byte corpus gives
 * `corpus.split(domain, split)` itself; a token corpus its decoded documents (cached per corpus
 * object). A decoded NUL (which the import removes from documents, so only an odd tokenizer
 * could produce one) is dropped, so byte 0 still only separates documents.
 *
 * @example
 * fromUtf8(splitText(corpus, "books", "test")).split("\0")[0]; // the first test document
 */
export function splitText(corpus: TextCorpus, domain: string, split: SplitName): Uint8Array {
  const tok = corpusTokenizer(corpus);
  if (!tok) return corpus.split(domain, split);
  const s = stateOf(corpus);
  const key = `${domain}/${split}`;
  const cached = s.texts.get(key);
  if (cached) return cached;
  if (!corpus.tokens) throw new MixlabError("CORPUS_TOKENIZER_MISSING", `domain "${domain}": a token corpus needs its token reader to be decoded (open it with loadCorpus)`);
  const ids = corpus.tokens(domain, split);
  const eos = corpus.manifest!.eosByte;
  const parts: Buffer[] = [];
  let total = 0;
  let start = 0;
  // a document's ids [start, i) → its text (the import ends every document with the EOS id; ids
  // after the last EOS, which only a hand-written split can have, are one more document)
  for (let i = 0; i <= ids.length; i++) {
    if (i < ids.length && ids[i] !== eos) continue;
    if (i > start) {
      const text = Buffer.from(tok.decode(ids.subarray(start, i)).replaceAll("\u0000", ""), "utf8");
      if (text.length > 0) { parts.push(text); total += text.length + 1; }
    }
    start = i + 1;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
    out[at++] = EOS_BYTE;
  }
  s.texts.set(key, out);
  return out;
}
