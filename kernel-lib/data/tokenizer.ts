/**
 * Tokenizers for corpus imports. Byte-level (vocabulary 256, EOS byte 0) stays the default;
 * any Hugging Face `tokenizer.json` the user passes (BPE, WordPiece, Unigram, …) is run by
 * `@huggingface/tokenizers` (pure JavaScript; nothing is downloaded: the file is read from disk).
 * Token files store ids as little-endian uint16 when the vocabulary fits (≤ 65,536), else uint32.
 *
 * `loadTokenizerJsonSync` loads the same way without a promise, for synchronous readers of a
 * token corpus (the downstream suite's builder, via `data/corpus-text.ts`): it requires the
 * library's CommonJS build from the project root (`projectRoot()`, as viz/html.ts resolves
 * plotly; works under ESM and under tslab's CommonJS), where `loadTokenizerJson` imports it from
 * this module's own location (works from any working directory).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { MixlabError } from "../util/errors.js";
import { projectRoot } from "../util/paths.js";

type TokenizerClass = (typeof import("@huggingface/tokenizers"))["Tokenizer"];
let requiredClass: TokenizerClass | null = null;

/** The library's Tokenizer class, required once from the project root (lazily: byte-level work never loads it). */
function requireTokenizerClass(): TokenizerClass {
  if (!requiredClass) {
    try {
      requiredClass = (createRequire(join(projectRoot(), "package.json"))("@huggingface/tokenizers") as typeof import("@huggingface/tokenizers")).Tokenizer;
    } catch (e) {
      throw new MixlabError("TOKENIZER_UNAVAILABLE", `cannot load @huggingface/tokenizers from ${projectRoot()} (${(e as Error).message}); run from the mixlab project or set MIXLAB_ROOT`);
    }
  }
  return requiredClass;
}

/** A text tokenizer as an import uses it. */
export interface TextTokenizer {
  /** "bytes" or the tokenizer.json file name */
  name: string;
  vocabSize: number;
  /** id that ends every document in the split files */
  eosId: number;
  eosToken: string;
  /** ids of a document (no special tokens added) */
  encode(text: string): number[];
  decode(ids: ArrayLike<number>): string;
  /** sha256 of the tokenizer.json, when loaded from one */
  sha256?: string;
  /** the tokenizer.json path, when loaded from one */
  path?: string;
}

/** End-of-text tokens looked for among a tokenizer's special tokens, in this order. */
export const EOS_CANDIDATES = ["<|endoftext|>", "</s>", "<|end_of_text|>", "<eos>", "<|eot_id|>", "[SEP]"];

/**
 * Storage width of a vocabulary.
 *
 * @example
 * tokenDtype(50257); // "uint16"
 * tokenDtype(128256); // "uint32"
 */
export function tokenDtype(vocabSize: number): "uint16" | "uint32" {
  return vocabSize <= 65536 ? "uint16" : "uint32";
}

/**
 * Load a Hugging Face `tokenizer.json` (and `tokenizer_config.json` beside it, if present).
 * The EOS token is `eosToken`, else the config's `eos_token`, else the first of EOS_CANDIDATES
 * the tokenizer knows. Errors: TOKENIZER_NOT_FOUND, TOKENIZER_BAD, TOKENIZER_NO_EOS.
 *
 * @example
 * const tok = await loadTokenizerJson("gpt2/tokenizer.json");
 * tok.vocabSize; // 50257
 * tok.decode(tok.encode("Hello")); // "Hello"
 */
export async function loadTokenizerJson(path: string, opts: { eosToken?: string } = {}): Promise<TextTokenizer> {
  const { Tokenizer } = await import("@huggingface/tokenizers");
  return tokenizerFromFile(Tokenizer, path, opts);
}

/**
 * `loadTokenizerJson` without the promise: the same checks and errors, plus TOKENIZER_UNAVAILABLE
 * when the library cannot be required from the project root.
 *
 * @example
 * loadTokenizerJsonSync(join(corpus.dir, "tokenizer.json")).eosId;
 */
export function loadTokenizerJsonSync(path: string, opts: { eosToken?: string } = {}): TextTokenizer {
  if (!existsSync(path)) throw new MixlabError("TOKENIZER_NOT_FOUND", `${path}: no such file`);
  return tokenizerFromFile(requireTokenizerClass(), path, opts);
}

/** The one implementation behind both loaders, given the library's Tokenizer class. */
function tokenizerFromFile(Tokenizer: TokenizerClass, path: string, opts: { eosToken?: string }): TextTokenizer {
  if (!existsSync(path)) throw new MixlabError("TOKENIZER_NOT_FOUND", `${path}: no such file`);
  const raw = readFileSync(path);
  let json: Record<string, unknown>;
  try { json = JSON.parse(raw.toString("utf8")) as Record<string, unknown>; } catch (e) {
    throw new MixlabError("TOKENIZER_BAD", `${path}: not JSON (${(e as Error).message})`);
  }
  const cfgPath = join(dirname(path), "tokenizer_config.json");
  let config: Record<string, unknown> = {};
  if (existsSync(cfgPath)) {
    try { config = JSON.parse(readFileSync(cfgPath, "utf8")) as Record<string, unknown>; } catch { config = {}; }
  }
  let tok: InstanceType<TokenizerClass>;
  try { tok = new Tokenizer(json, config); } catch (e) {
    throw new MixlabError("TOKENIZER_BAD", `${path}: not a tokenizer.json this library can run (${(e as Error).message})`);
  }
  const vocab = tok.get_vocab(true);
  let vocabSize = 0;
  for (const id of vocab.values()) vocabSize = Math.max(vocabSize, id + 1);
  const cfgEos = typeof config.eos_token === "string" ? config.eos_token : (config.eos_token as { content?: string } | undefined)?.content;
  const eosToken = opts.eosToken ?? cfgEos ?? EOS_CANDIDATES.find((c) => tok.token_to_id(c) !== undefined);
  const eosId = eosToken === undefined ? undefined : tok.token_to_id(eosToken);
  if (eosToken === undefined || eosId === undefined) {
    throw new MixlabError("TOKENIZER_NO_EOS", `${path}: ${opts.eosToken ? `no token "${opts.eosToken}"` : `no end-of-text token among ${EOS_CANDIDATES.join(" ")}`}; name one with --eos-token`);
  }
  return {
    name: basename(path),
    path,
    sha256: createHash("sha256").update(raw).digest("hex"),
    vocabSize,
    eosId,
    eosToken,
    encode(text) {
      const ids = tok.encode(text, { add_special_tokens: false }).ids;
      for (const id of ids) if (!(id >= 0 && id < vocabSize)) throw new MixlabError("TOKEN_ID_OUT_OF_RANGE", `${path}: the tokenizer produced id ${id}, outside its vocabulary of ${vocabSize}`);
      return ids;
    },
    decode(ids) {
      return tok.decode(Array.from(ids), { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    },
  };
}
