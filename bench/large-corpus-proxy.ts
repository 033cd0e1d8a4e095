// `npx tsx bench/large-corpus-proxy.ts CORPUS_DIR [steps]` — train one tiny proxy on a (large)
// imported corpus at its token prior and print the time and resident memory; run under
// `/usr/bin/time -v` for the peak RSS (environment.md, "Importing large corpora").
import { loadCorpus, tokenPrior } from "../kernel-lib/data/index.js";
import { nonEmbeddingParamCount, paramCount, presetConfig } from "../kernel-lib/model/config.js";
import { configForCorpus } from "../kernel-lib/model/vocab.js";
import { trainProxy } from "../kernel-lib/train/index.js";

const [dir, stepsArg] = process.argv.slice(2);
if (!dir) {
  console.error("usage: npx tsx bench/large-corpus-proxy.ts CORPUS_DIR [steps]");
  process.exit(2);
}
const corpus = loadCorpus(dir);
const total = corpus.domains.reduce((s, d) => s + corpus.info(d).bytes.train + corpus.info(d).bytes.validation + corpus.info(d).bytes.test, 0);
console.log(`${dir}: ${corpus.domains.length} domains, ${(total / 1e9).toFixed(2)} GB of split files`);
const config = configForCorpus(presetConfig("tiny"), corpus);
console.log(`model: tiny, vocabulary ${config.vocabSize}, ${paramCount(config).toLocaleString("en-US")} parameters (${nonEmbeddingParamCount(config).toLocaleString("en-US")} non-embedding)`);
const t0 = Date.now();
// the trainer sizes the vocabulary from the corpus as `config` above does
const r = await trainProxy(corpus, tokenPrior(corpus), { preset: "tiny", steps: Number(stepsArg ?? 300), batchSize: 16, seqLen: 64, lr: 3e-3 }, 1, { evalWindows: 16 });
console.log(`trained ${r.history.length} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s; validation ${r.validation.meanNats.toFixed(3)} nats/byte; rss now ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
r.dispose();
