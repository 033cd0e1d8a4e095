import { beforeAll, describe, expect, it } from "vitest";
import { domainKinds, loadCorpus, type Corpus } from "../../kernel-lib/data/index.js";
import {
  buildSuite, capabilityScores, choiceProbability, describeSuite, evaluateSuite, fitByteNgram, itemCredit, kindCapabilities, ngramScorer,
  normalisedAccuracy, scoreTasks, suiteUtility, type BatchChoiceScorer, type ChoiceTask, type Suite, type TaskScore, type TaskSpec,
} from "../../kernel-lib/eval/suite/index.js";
import { bytesKey, concatBytes, fromUtf8 } from "../../kernel-lib/eval/suite/text.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const SIZES = { items: 24, numChoices: 4, contextBytes: 96, minContextBytes: 24, maxChoiceBytes: 32, minChoiceBytes: 12 };
let corpus: Corpus;
let suite: Suite;
/** the default tasks plus one of every within-domain design the default suite leaves out */
let designs: Suite;

beforeAll(() => {
  corpus = loadCorpus(fixtureCorpusDir());
  suite = buildSuite(corpus, { seed: 11, defaults: SIZES });
  const extra: TaskSpec[] = [
    { name: "cloze_books", kind: "next_segment", domain: "books" },
    { name: "nextline_code_python", kind: "code_line", domain: "code_python" },
    { name: "nextline_code_c", kind: "code_line", domain: "code_c" },
    { name: "word_dictionary", kind: "definition_word", domain: "dictionary" },
    { name: "math_answer", kind: "math_answer", domain: "math", contextBytes: 96 },
  ];
  designs = buildSuite(corpus, { seed: 11, defaults: SIZES, tasks: [...suite.tasks.map((t) => ({ name: t.name, kind: t.kind, domain: t.domain })), ...extra] });
});

const fingerprint = (s: Suite): string =>
  s.tasks.map((t) => t.name + "|" + t.items.map((it) => `${bytesKey(it.context)}#${it.answer}#${it.choices.map(bytesKey).join("§")}`).join("¶")).join("\n");

describe("suite construction", () => {
  it("has a continuation task per fixture domain (and next field for JSON), each with items and chance = 1/choices", () => {
    const rows = describeSuite(suite);
    expect(rows.filter((r) => r.kind === "continuation").map((r) => r.domain).sort()).toEqual([...corpus.domains].sort());
    expect(rows.filter((r) => r.kind !== "continuation").map((r) => r.task)).toEqual(["nextfield_structured_json"]);
    for (const r of rows) {
      expect(r.items).toBe(SIZES.items);
      expect(r.chance).toBe(1 / r.numChoices);
      expect(r.capability).not.toBe("(none)");
    }
    // capabilities are the domains' kinds
    expect(suite.capabilities).toEqual(kindCapabilities(domainKinds(corpus)));
    expect(Object.keys(suite.capabilities)).toEqual(["prose", "code", "structured", "dictionary", "qa"]);
    expect(rows.find((r) => r.task === "continue_code_c")!.capability).toBe("code");
    expect(rows.find((r) => r.task === "continue_math")!.capability).toBe("qa");
  });

  it("draws every distractor of a continuation item from another domain", () => {
    const owner = new Map<string, string>();
    for (const d of corpus.domains) {
      const text = bytesKey(corpus.split(d, "test"));
      owner.set(d, text);
    }
    for (const t of suite.tasks.filter((x) => x.kind === "continuation")) {
      for (const it of t.items) {
        it.choices.forEach((c, i) => {
          const from = corpus.domains.filter((d) => owner.get(d)!.includes(bytesKey(c)));
          if (i === it.answer) expect(from).toContain(t.domain);
          else expect(from.length === 1 && from[0] === t.domain, `${t.name}: distractor ${JSON.stringify(fromUtf8(c))}`).toBe(false);
        });
      }
    }
  });

  it("is deterministic by seed, and a different seed gives different items", () => {
    const again = buildSuite(loadCorpus(fixtureCorpusDir()), { seed: 11, defaults: SIZES });
    expect(fingerprint(again)).toBe(fingerprint(suite));
    expect(fingerprint(buildSuite(corpus, { seed: 12, defaults: SIZES }))).not.toBe(fingerprint(suite));
  });

  it("gives each task its own random stream (dropping a task leaves the others unchanged)", () => {
    const specs = suite.tasks.map((t) => t.name);
    const fewer = buildSuite(corpus, {
      seed: 11, defaults: SIZES,
      tasks: buildSuite(corpus, { seed: 11, defaults: { ...SIZES, items: 1 } }).tasks.filter((_, i) => i % 2 === 0).map((t) => ({ name: t.name, kind: t.kind, domain: t.domain })),
    });
    for (const t of fewer.tasks) {
      const full = suite.tasks[specs.indexOf(t.name)];
      expect(fingerprint({ ...suite, tasks: [t] })).toBe(fingerprint({ ...suite, tasks: [full] }));
    }
  });

  it("never puts the correct answer among the distractors; choices are distinct and within size limits", () => {
    for (const t of designs.tasks) {
      for (const it of t.items) {
        expect(it.choices.length).toBe(t.numChoices);
        expect(it.answer).toBeGreaterThanOrEqual(0);
        expect(it.answer).toBeLessThan(t.numChoices);
        const keys = it.choices.map((c) => (t.kind === "code_line" ? bytesKey(c).trim() : bytesKey(c)));
        expect(new Set(keys).size).toBe(keys.length);
        for (const c of it.choices) expect(c.length).toBeGreaterThan(0);
        expect(it.context.length).toBeLessThanOrEqual(SIZES.contextBytes);
        // +1: code lines end with "\n"; +24: dictionary choices add a "word (pos): " head
        const slack = t.kind === "definition_word" ? 24 : t.kind === "code_line" || t.kind === "math_answer" ? 1 : 0;
        for (const c of it.choices) expect(c.length).toBeLessThanOrEqual(SIZES.maxChoiceBytes + slack);
        expect(it.context.includes(0)).toBe(false); // never spans a document boundary
      }
    }
  });

  it("puts the answer in every slot (no position bias for a scorer to exploit)", () => {
    const counts = [0, 0, 0, 0];
    for (const t of designs.tasks) for (const it of t.items) counts[it.answer]++;
    const n = counts.reduce((a, b) => a + b, 0);
    for (const c of counts) expect(c / n).toBeGreaterThan(0.15);
  });

  it("builds math items in the corpus's Question/Answer format with same-form distractors", () => {
    const math = designs.tasks.find((t) => t.kind === "math_answer") as ChoiceTask;
    for (const it of math.items) {
      expect(fromUtf8(it.context)).toMatch(/Question: [^\n]+\nAnswer:$/);
      for (const c of it.choices) expect(fromUtf8(c)).toMatch(/^ [^\n]+\n$/);
    }
  });

  it("re-indents code distractors to the answer's indentation and ends every line with a newline", () => {
    const code = designs.tasks.filter((x) => x.kind === "code_line");
    expect(code.length).toBe(2);
    for (const t of code) {
      for (const it of t.items) {
        const indent = (b: Uint8Array): string => /^[ \t]*/.exec(fromUtf8(b))![0];
        for (const c of it.choices) {
          expect(indent(c)).toBe(indent(it.choices[it.answer]));
          expect(c[c.length - 1]).toBe(0x0a);
        }
      }
    }
  });

  it("scores dictionary entries on one shared definition with words of one part of speech", () => {
    const dict = designs.tasks.find((t) => t.kind === "definition_word") as ChoiceTask;
    for (const it of dict.items) {
      const parts = it.choices.map((c) => /^(.+) \((noun|verb|adj|adv)\): (.*)$/.exec(fromUtf8(c))!);
      expect(new Set(parts.map((p) => p[2])).size).toBe(1);
      expect(new Set(parts.map((p) => p[3])).size).toBe(1);
      expect(new Set(parts.map((p) => p[1].toLowerCase())).size).toBe(parts.length);
    }
  });
});

describe("scoring", () => {
  it("the choice probability is the softmax of summed log-likelihoods", () => {
    expect(choiceProbability([Math.log(0.2), Math.log(0.6)], 1)).toBeCloseTo(0.75, 12);
    expect(choiceProbability([-1000, -1000, -1000, -1000], 2)).toBeCloseTo(0.25, 12); // no underflow
  });

  it("shares credit on ties", () => {
    expect(itemCredit([-1, -3, -1], 0)).toBe(0.5);
    expect(itemCredit([-1, -3, -1], 1)).toBe(0);
    expect(itemCredit([-5, -2, -9], 1)).toBe(1);
  });

  it("a constant scorer gets exactly chance on every task", async () => {
    const scores = await scoreTasks(suite.tasks, (_ctx, choices) => new Float64Array(choices.length));
    for (const s of scores) {
      expect(s.acc).toBeCloseTo(s.chance, 12);
      expect(s.accNorm).toBeCloseTo(s.chance, 12);
      expect(s.prob).toBeCloseTo(s.chance, 12);
    }
    // a constant negative sum is still chance for acc; acc_norm then prefers long choices
    const neg = await scoreTasks(suite.tasks, (_ctx, choices) => new Float64Array(choices.length).fill(-7));
    for (const s of neg) expect(s.acc).toBeCloseTo(s.chance, 12);
  });

  it("acc_norm differs from acc when lengths differ: a uniform byte model picks the shortest choice, normalised it ties", async () => {
    const uniform = (_ctx: Uint8Array, choices: readonly Uint8Array[]): Float64Array => Float64Array.from(choices, (c) => c.length * Math.log(1 / 256));
    const scores = await scoreTasks(suite.tasks, uniform);
    let differ = 0;
    suite.tasks.forEach((t, i) => {
      // expected acc: credit of the answer among the shortest choices
      const expected = t.items.reduce((a, it) => {
        const min = Math.min(...it.choices.map((c) => c.length));
        const shortest = it.choices.filter((c) => c.length === min).length;
        return a + (it.choices[it.answer].length === min ? 1 / shortest : 0);
      }, 0) / t.items.length;
      expect(scores[i].acc).toBeCloseTo(expected, 12);
      expect(scores[i].accNorm).toBeCloseTo(t.chance, 12);
      if (Math.abs(scores[i].acc - scores[i].accNorm) > 0.05) differ++;
    });
    expect(differ).toBeGreaterThan(0);
  });

  it("a byte n-gram model fitted on exactly the correct continuations beats chance by a wide margin", async () => {
    const seen = suite.tasks.flatMap((t) => t.items.map((it) => concatBytes(it.context, it.choices[it.answer])));
    // order 12: long enough to memorise which continuation followed which context
    const r = await evaluateSuite(suite, ngramScorer(fitByteNgram(seen, 12)));
    for (const s of r.tasks) expect(s.acc, s.task).toBeGreaterThan(s.chance + 0.5);
    const mean = r.tasks.reduce((a, s) => a + s.acc, 0) / r.tasks.length;
    expect(mean).toBeGreaterThan(0.9);
    expect(r.utility).toBeGreaterThan(0.85);
    for (const s of r.tasks) expect(s.prob, s.task).toBeGreaterThan(s.chance + 0.5);
    expect(r.utilities.prob).toBeGreaterThan(0.8);
    // each half of the items on its own also sees a model that knows the answers
    for (const h of r.halfUtilities) expect(h).toBeGreaterThan(0.75);
    const blind = await evaluateSuite(suite, (_c, ch) => new Float64Array(ch.length));
    expect(blind.halfUtilities).toEqual([0, 0]);
  });

  it("an n-gram model fitted on unrelated text stays near chance on the suite overall", async () => {
    const noise = new Uint8Array(20000).map((_, i) => 97 + ((i * 7919) % 26));
    const r = await evaluateSuite(suite, ngramScorer(fitByteNgram([noise], 3)));
    // not a strict bound per task (length still leaks into acc), but far from the fitted model
    expect(r.utility).toBeLessThan(0.4);
  });

  it("a batch scorer gives the same scores as the per-item scorer", async () => {
    const lm = fitByteNgram([corpus.split("books", "train")], 4);
    const one = ngramScorer(lm);
    const calls: number[] = [];
    const batch: BatchChoiceScorer = {
      batchSize: 7,
      scoreBatch: (qs) => { calls.push(qs.length); return qs.map((q) => one(q.context, q.choices) as Float64Array); },
    };
    const a = await scoreTasks(suite.tasks, one);
    const b = await scoreTasks(suite.tasks, batch);
    expect(b).toEqual(a);
    expect(Math.max(...calls)).toBe(7);
  });
});

describe("capabilities", () => {
  const ts = (task: string, domain: string, acc: number, accNorm: number, numChoices = 4): TaskScore => ({
    task, kind: "next_segment", domain, n: 10, numChoices, chance: 1 / numChoices, acc, accNorm, prob: acc, accStderr: 0, accNormStderr: 0,
  });

  it("averages chance-normalised accuracy per capability and macro-averages into the utility", () => {
    const scores = [ts("a", "books", 0.5, 0.625), ts("b", "speeches", 0.25, 0.25), ts("c", "code_c", 1, 1), ts("d", "math", 0.6, 0.6, 5)];
    const caps = capabilityScores(scores, { prose: ["books", "speeches"], code: ["code_c"], math: ["math"] });
    expect(caps.map((c) => c.capability)).toEqual(["prose", "code", "math"]);
    expect(caps[0].score).toBeCloseTo((0.5 + 0) / 2, 12);
    expect(caps[1].score).toBe(1);
    expect(caps[2].score).toBeCloseTo(normalisedAccuracy(0.6, 0.2), 12); // 0.5
    expect(suiteUtility(caps)).toBeCloseTo((0.25 + 1 + 0.5) / 3, 12);
    expect(suiteUtility(caps, "code")).toBe(1);
    const accCaps = capabilityScores(scores, { prose: ["a", "b"] }, "acc");
    expect(accCaps[0].score).toBeCloseTo((1 / 3 + 0) / 2, 12);
    expect(() => suiteUtility(caps, "nope")).toThrow(/no capability/);
  });
});
