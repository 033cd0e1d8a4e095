/**
 * The model's vocabulary follows the corpus's tokenizer: byte-level corpora keep 256, a
 * tokenizer's vocabulary is padded up to a multiple of 64 (as nanoGPT pads GPT-2's 50,257 to
 * 50,304; the fused engine needs a multiple of 4). Padded ids never occur in the data.
 */
import type { GptConfig } from "./config.js";

/**
 * `config` with the vocabulary of a corpus (`corpus.vocabSize`, or a manifest's).
 *
 * @example
 * configForCorpus(presetConfig("tiny"), loadCorpus("data/pile-bpe")).vocabSize; // e.g. 50304
 */
export function configForCorpus(config: GptConfig, corpus: { vocabSize: number }): GptConfig {
  const v = corpus.vocabSize <= 256 ? 256 : Math.ceil(corpus.vocabSize / 64) * 64;
  return { ...config, vocabSize: v };
}
