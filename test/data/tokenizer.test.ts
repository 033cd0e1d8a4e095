import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { importCorpus } from "../../kernel-lib/data/import/import.js";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { loadTokenizerJson } from "../../kernel-lib/data/tokenizer.js";
import { SPLITS, type SplitName } from "../../kernel-lib/data/format.js";
import { presetConfig } from "../../kernel-lib/model/config.js";
import { configForCorpus } from "../../kernel-lib/model/vocab.js";
import { trainProxy } from "../../kernel-lib/train/loop.js";
import { trainAndScore } from "../../kernel-lib/train/train-and-score.js";
import { isMixlabError } from "../../kernel-lib/util/errors.js";
import { bpeTokenizerJson } from "./helpers.js";

const root = mkdtempSync(join(tmpdir(), "mixlab-tok-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const MERGES: [string, string][] = [["Ġ", "t"], ["h", "e"], ["Ġt", "he"], ["i", "n"], ["o", "r"], ["Ġ", "a"], ["e", "n"]];
const tokPath = join(root, "bpe", "tokenizer.json");
const docs = (label: string) => Array.from({ length: 120 }, (_, i) => `${label} ${i}: the cat in the hat, ünïcødé ${"or ".repeat(i % 9)}🙂\nline two`);
const jsonl = join(root, "in.jsonl");

function splitDocs(ids: ArrayLike<number>, eos: number): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  for (let i = 0; i < ids.length; i++) { if (ids[i] === eos) { out.push(cur); cur = []; } else cur.push(ids[i]); }
  return out;
}

describe("tokenizer.json imports", () => {
  it("the tokenizer round-trips text and its ids stay in range", async () => {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(root, "bpe"), { recursive: true });
    writeFileSync(tokPath, JSON.stringify(bpeTokenizerJson(MERGES)));
    writeFileSync(jsonl, ["A", "B"].flatMap((l) => docs(l).map((text) => JSON.stringify({ text, meta: { set: l } }))).join("\n"));
    const tok = await loadTokenizerJson(tokPath);
    expect(tok.vocabSize).toBe(1 + 256 + MERGES.length);
    expect(tok.eosId).toBe(0);
    for (const d of docs("A").slice(0, 10)) {
      const ids = tok.encode(d);
      expect(ids.every((x) => x > 0 && x < tok.vocabSize)).toBe(true);
      expect(tok.decode(ids)).toBe(d);
    }
    expect(tok.encode("the")).toEqual([1 + "t".charCodeAt(0), 257 + 1]); // "t" then the merge "he" (id 258)
  });

  it("import --tokenizer writes uint16 ids ending in EOS, decoding to the documents, in the byte import's splits", async () => {
    const out = join(root, "c-tok");
    await importCorpus({ inputs: [jsonl], splitBy: "meta.set", out, tokenizer: tokPath });
    const bytesOut = join(root, "c-bytes");
    await importCorpus({ inputs: [jsonl], splitBy: "meta.set", out: bytesOut });
    const c = loadCorpus(out);
    const b = loadCorpus(bytesOut);
    expect(c.manifest.tokenizer).toMatchObject({ file: "tokenizer.json", dtype: "uint16", eosToken: "<|endoftext|>" });
    expect(c.vocabSize).toBe(264);
    expect(c.tokenBytes).toBe(2);
    expect(readFileSync(join(out, "tokenizer.json"))).toEqual(readFileSync(tokPath));
    const tok = await loadTokenizerJson(join(out, "tokenizer.json"));
    for (const d of c.domains) {
      for (const s of SPLITS as readonly SplitName[]) {
        const texts = splitDocs(c.tokens(d, s), c.manifest.eosByte).map((ids) => tok.decode(ids));
        const byteTexts = Buffer.from(b.split(d, s)).toString("utf8").split("\u0000").slice(0, -1);
        expect(texts).toEqual(byteTexts);
        expect(c.info(d).tokens![s]).toBe(c.tokenCount(d, s));
        expect(c.info(d).textBytes![s]).toBe(b.info(d).bytes[s] - b.info(d).documents[s]);
      }
    }
  });

  it("a proxy trains on the token corpus with the model's vocabulary following the tokenizer", async () => {
    const c = loadCorpus(join(root, "c-tok"));
    const config = configForCorpus(presetConfig("tiny"), c);
    expect(config.vocabSize).toBe(320);
    const r = await trainProxy(c, Mixture.uniform(c.domains), { preset: "tiny", steps: 3, batchSize: 4, seqLen: 32, lr: 1e-3 }, 1, { evalWindows: 2 });
    expect(r.model.config).toEqual(config);
    expect(Number.isFinite(r.validation.meanNats)).toBe(true);
    r.dispose();
    // trainAndScore (what every method calls) trains the same model
    const s = await trainAndScore(c, Mixture.uniform(c.domains), { preset: "tiny", steps: 3, batchSize: 4, seqLen: 32, lr: 1e-3 }, 1, { eval: { windowsPerDomain: 2 } });
    expect(s.model.config.vocabSize).toBe(320);
    expect(s.meanLoss).toBeCloseTo(r.validation.meanNats, 12);
  });

  it("a vocabulary above 65,536 is stored as uint32; no EOS token is TOKENIZER_NO_EOS", async () => {
    const big = join(root, "big", "tokenizer.json");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(root, "big"), { recursive: true });
    writeFileSync(big, JSON.stringify(bpeTokenizerJson(MERGES, 70_000)));
    const out = join(root, "c-u32");
    await importCorpus({ domains: [{ label: "a", inputs: [jsonl] }], out, tokenizer: big });
    const c = loadCorpus(out);
    expect(c.manifest.tokenizer!.dtype).toBe("uint32");
    expect(c.tokenBytes).toBe(4);
    expect(Array.from(c.tokens("a", "train").subarray(0, 3)).every((x) => x < c.vocabSize)).toBe(true);
    const noEos = join(root, "noeos", "tokenizer.json");
    mkdirSync(join(root, "noeos"), { recursive: true });
    writeFileSync(noEos, JSON.stringify(bpeTokenizerJson(MERGES, 0, "<|something|>")));
    let err: unknown;
    try { await importCorpus({ domains: [{ label: "a", inputs: [jsonl] }], out: join(root, "c-noeos"), tokenizer: noEos }); } catch (e) { err = e; }
    expect(isMixlabError(err) && err.code).toBe("TOKENIZER_NO_EOS");
    expect(existsSync(join(root, "c-noeos"))).toBe(false);
    await importCorpus({ domains: [{ label: "a", inputs: [jsonl] }], out: join(root, "c-eos"), tokenizer: noEos, eosToken: "<|something|>" });
  });
});
