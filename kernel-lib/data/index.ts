export { Mixture, SIMPLEX_TOLERANCE } from "./mixture.js";
export { loadCorpus, verifyCorpus, type Corpus, type CorpusManifest, type DomainManifest, type SplitName } from "./corpus.js";
export { tokenPrior } from "./prior.js";
export { createBatchSampler, type Batch, type BatchSampler, type SamplerOptions, type SamplerState } from "./sampler.js";
export { validationSets, type ValidationSet, type ValidationOptions } from "./validation.js";
export { corpusSummary, formatCorpusSummary, type DomainSummaryRow } from "./summary.js";
export { corpusRefSchema, corpusDir, openCorpusRef, describeCorpus, sweepDomains, type CorpusDescription } from "./corpus-ref.js";
export { CORPUS_FORMAT_VERSION, EOS_BYTE, VOCAB_SIZE, SPLITS } from "./format.js";
