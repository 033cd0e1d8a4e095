/**
 * The downstream suite on a token corpus (`mixlab data import --tokenizer`): a BPE learned from
 * the fixture documents, the same documents imported byte-level as a twin. The suite's items are
 * built from the decoded text (so they are the byte twin's items, byte for byte), carry their
 * ids as lm-eval-harness's _encode_pair makes them, and a tiny model trained briefly on the token
 * corpus scores them far from chance through its tokens — and differently from reading the same
 * items as raw bytes, which is what the suite did before.
 */
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { corpusTokenizer, splitText } from "../../kernel-lib/data/corpus-text.js";
import { domainKinds, inferDomainKind } from "../../kernel-lib/data/kind.js";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import type { TextTokenizer } from "../../kernel-lib/data/tokenizer.js";
import { buildSuite, encodePair, modelScorer, scoreItems, taskScoresFrom, type ChoiceTask, type Suite } from "../../kernel-lib/eval/suite/index.js";
import { createEngine, initModel, presetConfig, type GptEngine, type GptModel } from "../../kernel-lib/model/index.js";
import { scoreChoices } from "../../kernel-lib/model/score.js";
import { trainAndScore } from "../../kernel-lib/train/train-and-score.js";
import { isMixlabError } from "../../kernel-lib/util/errors.js";
import { bpeTokenizerJson, importFixtureBpe, type TokenCorpusPair } from "../data/helpers.js";

const DOMAINS = ["books", "code_python", "dictionary", "structured_json"];
const SIZES = { items: 40, numChoices: 4, contextBytes: 64, minContextBytes: 24, maxChoiceBytes: 24, minChoiceBytes: 10 };
const root = mkdtempSync(join(tmpdir(), "mixlab-suite-tokens-"));
let pair: TokenCorpusPair;
let tok: TextTokenizer;
let suite: Suite;
let engine: GptEngine;
let model: GptModel;

beforeAll(async () => {
  pair = await importFixtureBpe(root, DOMAINS, 200, 160);
  tok = corpusTokenizer(pair.tokens)!;
  suite = buildSuite(pair.tokens, { seed: 3, defaults: SIZES });
  // a model of books only, trained briefly on the token corpus by the one training path
  // (trainAndScore: vocabulary from the corpus, sampler over its ids)
  const r = await trainAndScore(pair.tokens, Mixture.fromRecord({ books: 1 }).over(pair.tokens.domains), { preset: "tiny", steps: 100, batchSize: 16, seqLen: 64, lr: 3e-3 }, 1, { eval: { windowsPerDomain: 2 } });
  model = r.model;
  engine = (await createEngine(model.config)).engine;
}, 120_000);

afterAll(() => {
  engine?.dispose();
  rmSync(root, { recursive: true, force: true });
});

const errorOf = (fn: () => unknown): string | undefined => {
  try { fn(); } catch (e) { return isMixlabError(e) ? e.code : `not a MixlabError: ${String(e)}`; }
  return undefined;
};

/** The tasks without their token ids: the same items as a byte-level reader sees them. */
const asBytes = (tasks: readonly ChoiceTask[]): ChoiceTask[] => tasks.map((t) => ({ ...t, items: t.items.map(({ tokens: _, ...it }) => it) }));

describe("suite items of a token corpus", () => {
  it("come from the decoded text: the byte twin's items, byte for byte, with the kinds read off the text", () => {
    expect(pair.tokens.tokenBytes).toBe(2);
    for (const d of DOMAINS) {
      // the decoded test split is the byte import's split exactly (same documents, same order)
      expect(Buffer.compare(Buffer.from(splitText(pair.tokens, d, "test")), Buffer.from(pair.bytes.split(d, "test")))).toBe(0);
    }
    // kinds come from the text: on the raw uint16 files structured_json does not even look structured
    expect(domainKinds(pair.tokens)).toEqual(domainKinds(pair.bytes));
    expect(domainKinds(pair.tokens).structured_json).toBe("structured");
    expect(inferDomainKind(pair.tokens.split("structured_json", "test"))).not.toBe("structured");
    const twin = buildSuite(pair.bytes, { seed: 3, defaults: SIZES });
    expect(suite.tasks.map((t) => t.name)).toEqual(["continue_books", "continue_code_python", "continue_dictionary", "continue_structured_json", "nextfield_structured_json"]);
    expect(asBytes(suite.tasks)).toEqual(twin.tasks);
    expect(twin.tasks.every((t) => t.items.every((it) => !("tokens" in it)))).toBe(true);
    expect(suite.tasks.every((t) => t.items.length > 0 && t.items.every((it) => it.tokens !== undefined && it.tokens.choices.length === it.choices.length))).toBe(true);
  });

  it("carry ids made as lm-eval-harness's _encode_pair makes them", () => {
    // hand case: the trailing space joins the continuation, which is tokenised in its context
    const p = encodePair(tok, "the cat ", "in the hat");
    expect(p.context).toEqual(tok.encode("the cat"));
    expect(p.continuation).toEqual(tok.encode("the cat in the hat").slice(tok.encode("the cat").length));
    expect(tok.decode(p.continuation)).toBe(" in the hat");
    expect(tok.encode("the cat ").length).toBeGreaterThan(p.context.length); // encoded apart, the context would end in a lone space token
    expect(encodePair(tok, "  ", "abc").context).toEqual([tok.eosId]); // no context text: the end-of-text token
    // a cut inside one pre-token (`,"` of minified JSON): the harness's whole[len(ctx):] would
    // lose text, so the continuation is encoded on its own
    const json = encodePair(tok, '{"a":1,', '"b":2}');
    expect(tok.encode('{"a":1,"b":2}').slice(0, json.context.length)).not.toEqual(json.context);
    expect(json.continuation).toEqual(tok.encode('"b":2}'));
    for (const t of suite.tasks) {
      for (const it of t.items) {
        const ctx = Buffer.from(it.context).toString("utf8");
        const moved = ctx.slice(ctx.trimEnd().length);
        expect(tok.decode(it.tokens!.context)).toBe(ctx.trimEnd());
        it.choices.forEach((c, k) => {
          const text = Buffer.from(c).toString("utf8");
          expect(it.tokens!.choices[k].length).toBeGreaterThan(0);
          // context ids + continuation ids spell the whole item (whitespace moved, nothing lost)
          expect(tok.decode([...it.tokens!.context, ...it.tokens!.choices[k]])).toBe(ctx + text);
          expect(tok.decode(it.tokens!.choices[k])).toBe(moved + text);
        });
      }
    }
  });
});

describe("suite scores of a model of the token corpus", () => {
  it("differ from chance through the tokens, and from scoring the same items as raw bytes", async () => {
    const tokenLl = await scoreItems(suite.tasks, modelScorer(engine, model));
    const byteLl = await scoreItems(suite.tasks, (ctx, ch) => Float64Array.from(scoreChoices(engine, model, ctx, ch, { documentStart: false }).sum));
    const viaTokens = taskScoresFrom(suite.tasks, tokenLl);
    const viaBytes = taskScoresFrom(suite.tasks, byteLl);
    const books = (s: typeof viaTokens) => s.find((t) => t.task === "continue_books")!;
    const tb = books(viaTokens), bb = books(viaBytes);
    // a books-only model picks the books continuation among three other domains' passages:
    // far above chance (3 binomial standard errors of chance) through its tokens ...
    expect(tb.acc).toBeGreaterThan(tb.chance + 3 * Math.sqrt((tb.chance * (1 - tb.chance)) / tb.n));
    // ... and not through the bytes, which it never read
    expect(tb.acc - bb.acc).toBeGreaterThan(0.2);
    // the right answers are far likelier per byte through the tokens
    const perByte = (ll: Float64Array[][], ti: number) => {
      const items = suite.tasks[ti].items;
      return items.reduce((a, it, i) => a + ll[ti][i][it.answer] / it.choices[it.answer].length, 0) / items.length;
    };
    expect(perByte(tokenLl, 0) - perByte(byteLl, 0)).toBeGreaterThan(0.5);
    for (const s of [...viaTokens, ...viaBytes]) expect(Number.isFinite(s.prob)).toBe(true);
  });

  it("normalise acc_norm by the choice text's UTF-8 bytes, not by its tokens", async () => {
    const ll = await scoreItems(suite.tasks, modelScorer(engine, model));
    const scores = taskScoresFrom(suite.tasks, ll);
    const argmaxShare = (v: number[], answer: number) => { const m = Math.max(...v); const ties = v.filter((x) => x === m).length; return v[answer] === m ? 1 / ties : 0; };
    suite.tasks.forEach((t, ti) => {
      const byBytes = t.items.reduce((a, it, i) => a + argmaxShare(Array.from(ll[ti][i], (l, k) => l / it.choices[k].length), it.answer), 0) / t.items.length;
      const byTokens = t.items.reduce((a, it, i) => a + argmaxShare(Array.from(ll[ti][i], (l, k) => l / it.tokens!.choices[k].length), it.answer), 0) / t.items.length;
      expect(scores[ti].accNorm, t.name).toBeCloseTo(byBytes, 12);
      if (Math.abs(byBytes - byTokens) > 1e-9) expect(scores[ti].accNorm, t.name).not.toBeCloseTo(byTokens, 12);
    });
  });

  it("refuse a token model on byte items and a byte model on token items", async () => {
    const byteSuite = buildSuite(pair.bytes, { seed: 3, defaults: SIZES });
    let err: unknown;
    try { await scoreItems(byteSuite.tasks.slice(0, 1), modelScorer(engine, model)); } catch (e) { err = e; }
    expect(isMixlabError(err) && err.code).toBe("SUITE_NEEDS_TOKENS");
    const byteModel = initModel(presetConfig("tiny"), 1);
    const byteEngine = (await createEngine(byteModel.config)).engine;
    err = undefined;
    try { await scoreItems(suite.tasks, modelScorer(byteEngine, byteModel)); } catch (e) { err = e; }
    byteEngine.dispose();
    expect(isMixlabError(err) && err.code).toBe("SCORE_BAD_TOKEN");
  });
});

describe("a token corpus whose tokenizer is not usable", () => {
  const copy = (name: string): string => {
    const dir = join(root, name);
    cpSync(join(root, "bpe"), dir, { recursive: true });
    return dir;
  };

  it("is a named error, for the suite and for kind inference alike", () => {
    const missing = copy("missing");
    unlinkSync(join(missing, "tokenizer.json"));
    expect(errorOf(() => buildSuite(loadCorpus(missing), { seed: 3, defaults: SIZES }))).toBe("CORPUS_TOKENIZER_MISSING");
    expect(errorOf(() => domainKinds(loadCorpus(missing)))).toBe("CORPUS_TOKENIZER_MISSING");
    const broken = copy("broken");
    writeFileSync(join(broken, "tokenizer.json"), "{ not json");
    expect(errorOf(() => buildSuite(loadCorpus(broken), { seed: 3, defaults: SIZES }))).toBe("CORPUS_TOKENIZER_BAD");
    const other = copy("other");
    writeFileSync(join(other, "tokenizer.json"), JSON.stringify(bpeTokenizerJson(pair.merges.slice(0, 50))));
    expect(errorOf(() => buildSuite(loadCorpus(other), { seed: 3, defaults: SIZES }))).toBe("CORPUS_TOKENIZER_MISMATCH");
  });

  it("does not concern a byte corpus: no tokenizer, its splits are its text", () => {
    expect(corpusTokenizer(pair.bytes)).toBeNull();
    expect(splitText(pair.bytes, "books", "test")).toBe(pair.bytes.split("books", "test"));
  });
});
