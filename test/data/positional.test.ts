import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { createBatchSampler } from "../../kernel-lib/data/sampler.js";
import { validationSets } from "../../kernel-lib/data/validation.js";
import { sha256Hex } from "../../datasets/write.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";
import { isMixlabError } from "../../kernel-lib/util/errors.js";

const root = mkdtempSync(join(tmpdir(), "mixlab-positional-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("positional window reads (corpora larger than memory)", () => {
  it("give the same batches and validation windows as whole-split reads, and read no split whole", () => {
    const mem = loadCorpus(fixtureCorpusDir());
    const pos = loadCorpus(fixtureCorpusDir(), { positionalReadBytes: 0 });
    const m = Mixture.uniform(mem.domains);
    const a = createBatchSampler(mem, m, { seqLen: 32, batchSize: 8, seed: 4 });
    const b = createBatchSampler(pos, m, { seqLen: 32, batchSize: 8, seed: 4 });
    for (let i = 0; i < 20; i++) expect(b.next().tokens).toEqual(a.next().tokens);
    expect(b.epochs()).toEqual(a.epochs());
    const va = validationSets(mem, { seqLen: 32, windowsPerDomain: 4 });
    const vb = validationSets(pos, { seqLen: 32, windowsPerDomain: 4 });
    vb.forEach((v, i) => expect(v.tokens).toEqual(va[i].tokens));
    // the positional corpus never cached a split: spy on tokens()
    let whole = 0;
    const spy = { ...pos, tokens: (...args: Parameters<typeof pos.tokens>) => { whole++; return pos.tokens(...args); } };
    createBatchSampler(spy, m, { seqLen: 32, batchSize: 8, seed: 4 }).next();
    expect(whole).toBe(0);
  });

  it("uint16 token files: ids read back, and an id ≥ the vocabulary is TOKEN_ID_OUT_OF_RANGE", () => {
    const dir = join(root, "tok");
    mkdirSync(join(dir, "a"), { recursive: true });
    const ids = Uint16Array.from({ length: 100 }, (_, i) => (i * 37) % 300);
    const files: Record<string, Buffer> = {
      train: Buffer.from(ids.buffer),
      validation: Buffer.from(Uint16Array.of(1, 2, 3, 0).buffer),
      test: Buffer.from(Uint16Array.of(4, 5, 310, 0).buffer), // 310 ≥ vocab 300
    };
    for (const [s, b] of Object.entries(files)) writeFileSync(join(dir, "a", `${s}.bin`), b);
    const per = <T>(f: (s: string) => T) => ({ train: f("train"), validation: f("validation"), test: f("test") });
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({
      format: 1, builderVersion: "test", eosByte: 0, vocabSize: 300, splitRule: "test", tier: "import",
      tokenizer: { file: "tokenizer.json", sha256: "", dtype: "uint16", eosToken: "<eos>" },
      domains: [{ domain: "a", description: "", sources: [], licence: "", documents: per(() => 1), bytes: per((s) => files[s].length), sha256: per((s) => sha256Hex(files[s])), files: per((s) => `a/${s}.bin`), tokens: per((s) => files[s].length / 2) }],
    }));
    for (const opts of [{}, { positionalReadBytes: 0 }]) {
      const c = loadCorpus(dir, opts);
      expect(c.tokenBytes).toBe(2);
      expect(c.tokenCount("a", "train")).toBe(100);
      const out = new Int32Array(10);
      c.readTokens("a", "train", 50, 10, out);
      expect(Array.from(out)).toEqual(Array.from(ids.subarray(50, 60)));
      let err: unknown;
      try { c.readTokens("a", "test", 0, 4, out); } catch (e) { err = e; }
      expect(isMixlabError(err) && err.code).toBe("TOKEN_ID_OUT_OF_RANGE");
    }
  });
});
