// A run without a mixture controller, and a run whose controller never changes the mixture, must
// train exactly what the trainer trained before controllers existed (issue 32): the hashes below
// were computed on the commit before the controller was added (3e4af2d), engine fused-native
// or whichever `auto` picks on this machine — the same engine the committed stores used.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { trainAndScore } from "../../kernel-lib/train/train-and-score.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const corpus = loadCorpus(fixtureCorpusDir());
const recipe = { preset: "tiny" as const, steps: 12, batchSize: 4, seqLen: 32, lr: 3e-3, warmupSteps: 2 };
const prior = Mixture.normalised(corpus.domains, corpus.domains.map((_, i) => 1 + (i % 3)));

const PINNED_TOKENS = { books: 64, speeches: 64, email: 192, dictionary: 64, encyclopedic: 224, legal: 160, code_ts_js: 32, code_python: 160, code_c: 224, math_docs: 96, multilingual: 32, structured_json: 192, math: 32 };

const digest = (params: Float32Array) => createHash("sha256").update(Buffer.from(params.buffer, params.byteOffset, params.byteLength)).digest("hex").slice(0, 16);

describe("a static mixture trains what it trained before mixture controllers", () => {
  it("no controller: final parameters, losses and per-domain tokens unchanged", async () => {
    const r = await trainAndScore(corpus, prior, recipe, 7, { eval: { windowsPerDomain: 2 } });
    expect(digest(r.model.params)).toBe("ffe0d48b90b9d16f");
    expect(r.finalTrainLoss).toBe(4.021660254383845);
    expect(r.meanLoss).toBe(4.178351075603412);
    expect(r.tokensPerDomain).toEqual(PINNED_TOKENS);
  });
});
