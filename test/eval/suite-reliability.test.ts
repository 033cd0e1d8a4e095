import { describe, expect, it } from "vitest";
import { domainKinds, loadCorpus } from "../../kernel-lib/data/index.js";
import { reliabilityMixtures, suiteReliability, type ChoiceTask, type ScoredModel } from "../../kernel-lib/eval/suite/index.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const N = 20;
const task = (name: string, domain: string): ChoiceTask => ({
  name, kind: "continuation", domain, numChoices: 2, chance: 0.5,
  items: Array.from({ length: N }, (_, i) => ({ id: `${name}:${i}`, context: Uint8Array.of(65), choices: [Uint8Array.of(66), Uint8Array.of(67)], answer: 0 })),
});
const tasks = [task("a", "x"), task("b", "y")];
const capabilities = { one: ["x"], two: ["y"] };
/** log-likelihoods that make the model right exactly on the items `right` picks */
const model = (name: string, right: (task: number, item: number) => boolean): ScoredModel => ({
  name, logliks: tasks.map((_, t) => Array.from({ length: N }, (_, i) => (right(t, i) ? Float64Array.of(-1, -2) : Float64Array.of(-2, -1)))),
});

describe("suite reliability", () => {
  it("is 1 when both halves rank the models alike, and the spread is max − min accuracy in points", () => {
    // model m is right on the first 4m items of each task: m/5 of the even items and of the odd ones
    const models = [0, 1, 2, 3, 4].map((m) => model(`m${m}`, (_t, i) => i < 4 * m));
    const r = suiteReliability({ tasks, capabilities }, models, "acc");
    expect(r.models).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    expect(r.capabilities.map((c) => c.capability)).toEqual(["one", "two"]);
    for (const c of [...r.capabilities, r.utility]) {
      expect(c.halfCorrelation).toBeCloseTo(1, 12);
      expect(c.reliability).toBeCloseTo(1, 12);
      expect(c.rankReliability).toBeCloseTo(1, 12);
      expect(c.spread).toBeCloseTo(80, 10);
      expect(c.accuracy).toEqual([0, 0.2, 0.4, 0.6, 0.8].map((x) => expect.closeTo(x, 12)));
      expect(c.chance).toBe(0.5);
    }
    expect(r.capabilities[0].items).toBe(N);
    expect(r.utility.items).toBe(2 * N);
  });

  it("steps a half correlation up by Spearman–Brown and leaves a negative one as it is", () => {
    // the even half ranks the models 0 < 1 < 2 < 3; the odd half adds item noise that keeps r = 0.6 in between
    const even = [1, 2, 3, 4], odd = [2, 1, 4, 3];
    const models = even.map((e, m) => model(`m${m}`, (_t, i) => (i % 2 === 0 ? i / 2 < e : (i - 1) / 2 < odd[m])));
    const r = suiteReliability({ tasks, capabilities }, models, "acc").capabilities[0];
    expect(r.halfCorrelation).toBeCloseTo(0.6, 12);
    expect(r.reliability).toBeCloseTo(0.75, 12);
    const flipped = [1, 2, 3, 4].map((e, m) => model(`m${m}`, (_t, i) => (i % 2 === 0 ? i / 2 < e : (i - 1) / 2 < 5 - e)));
    const f = suiteReliability({ tasks, capabilities }, flipped, "acc").capabilities[0];
    expect(f.halfCorrelation).toBeCloseTo(-1, 12);
    expect(f.reliability).toBeCloseTo(-1, 12);
  });

  it("needs three models whose scores match the suite's shape", () => {
    const ok = model("m", () => true);
    expect(() => suiteReliability({ tasks, capabilities }, [ok, ok], "acc")).toThrow(/at least 3 models/);
    expect(() => suiteReliability({ tasks, capabilities }, [ok, ok, { name: "short", logliks: ok.logliks.slice(1) }], "acc")).toThrow(/do not match/);
  });
});

describe("reliability mixtures", () => {
  it("are uniform, the prior, each kind heavy, then single domains heavy in turn across kinds", () => {
    const corpus = loadCorpus(fixtureCorpusDir());
    const ms = reliabilityMixtures(corpus, domainKinds(corpus), 12);
    expect(ms.map((m) => m.name)).toEqual([
      "uniform", "prior", "prose-heavy", "dictionary-heavy", "code-heavy", "structured-heavy", "qa-heavy",
      "books-heavy", "code_ts_js-heavy", "speeches-heavy", "code_python-heavy", "email-heavy",
    ]);
    const k = corpus.domains.length;
    const code = ms.find((m) => m.name === "code-heavy")!.mixture;
    expect(code.get("code_c")).toBeCloseTo(0.8 / 4 + 0.2 / k, 12);
    expect(code.get("books")).toBeCloseTo(0.2 / k, 12);
    expect(ms.find((m) => m.name === "books-heavy")!.mixture.get("books")).toBeCloseTo(0.8 + 0.2 / k, 12);
    expect(reliabilityMixtures(corpus, domainKinds(corpus), 100).length).toBe(2 + 5 + 10); // every multi-domain kind's domain once
  });
});
