import { beforeAll, describe, expect, it } from "vitest";
import { compareSuite } from "../../kernel-lib/compare/final.js";
import { loadCorpus, type Corpus, type DomainManifest } from "../../kernel-lib/data/index.js";
import { buildSuite, describeSuite, roleParts, type Suite, type SuiteCorpus, type TaskSpec } from "../../kernel-lib/eval/suite/index.js";
import { bytesKey, documentSpans, fromUtf8 } from "../../kernel-lib/eval/suite/text.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const SIZES = { items: 24, numChoices: 4, contextBytes: 40, minContextBytes: 16, maxChoiceBytes: 24, minChoiceBytes: 8 };
const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "utf8"));

/** Every task kind the suite has, over the fixture's domains. */
const ALL_KINDS = (c: SuiteCorpus): TaskSpec[] => [
  ...c.domains.map((d) => ({ name: `continue_${d}`, kind: "continuation" as const, domain: d })),
  { name: "nextfield", kind: "json_field", domain: "structured_json" },
  { name: "cloze", kind: "next_segment", domain: "books" },
  { name: "nextline", kind: "code_line", domain: "code_c" },
  { name: "word", kind: "definition_word", domain: "dictionary" },
  { name: "math_answer", kind: "math_answer", domain: "math", contextBytes: 96, maxChoiceBytes: 32 },
];

/** An item as text: context, then every choice (the answer marked). */
const itemKeys = (s: Suite): Set<string> => new Set(s.tasks.flatMap((t) => t.items.map((it) => `${bytesKey(it.context)}\u0001${it.choices.map(bytesKey).join("\u0002")}`)));
/** An item's question: its context and its right answer. */
const questionKeys = (s: Suite): Set<string> => new Set(s.tasks.flatMap((t) => t.items.map((it) => `${bytesKey(it.context)}\u0001${bytesKey(it.choices[it.answer])}`)));
const shared = (a: Set<string>, b: Set<string>): string[] => [...a].filter((k) => b.has(k));

/** A corpus held in memory: domain → test split text (the other splits are not read by the suite). */
function memoryCorpus(tests: Record<string, Uint8Array>, kinds: Record<string, DomainManifest["kind"]> = {}): SuiteCorpus {
  return {
    domains: Object.keys(tests),
    split: (d) => tests[d],
    info: (d) => ({ domain: d, description: "", sources: [], licence: "", documents: { train: 0, validation: 0, test: 0 }, bytes: { train: 0, validation: 0, test: tests[d].length }, sha256: { train: "", validation: "", test: "" }, files: { train: "", validation: "", test: "" }, kind: kinds[d] }),
  };
}

let fixture: Corpus;
beforeAll(() => {
  fixture = loadCorpus(fixtureCorpusDir());
});

describe("role parts", () => {
  it("alternate a split's documents between choose and judge, losing none", () => {
    const bytes = fixture.split("email", "test");
    const docs = documentSpans(bytes).map((s) => bytesKey(bytes.subarray(s.start, s.end)));
    const { choose, judge } = roleParts(bytes);
    const of = (b: Uint8Array) => documentSpans(b).map((s) => bytesKey(b.subarray(s.start, s.end)));
    expect(of(choose)).toEqual(docs.filter((_, i) => i % 2 === 0));
    expect(of(judge)).toEqual(docs.filter((_, i) => i % 2 === 1));
  });

  it("cut a single-document split at the line nearest its middle", () => {
    const { choose, judge } = roleParts(enc("first line\nsecond line\nthird line\nfourth line\0"));
    expect(fromUtf8(choose)).toBe("first line\nsecond line\n\0");
    expect(fromUtf8(judge)).toBe("third line\nfourth line\0");
  });
});

describe("choose and judge suites", () => {
  it("share no item, for any two seeds, over every task kind", () => {
    const choose = [1, 2, 3].map((seed) => buildSuite(fixture, { seed, role: "choose", tasks: ALL_KINDS(fixture), defaults: SIZES }));
    const judge = [1, 2, 3].map((seed) => buildSuite(fixture, { seed, role: "judge", tasks: ALL_KINDS(fixture), defaults: SIZES }));
    for (const s of [...choose, ...judge]) for (const t of s.tasks) expect(t.items.length, `${s.role} ${t.name}`).toBeGreaterThan(0);
    for (const c of choose) {
      for (const j of judge) {
        expect(shared(itemKeys(c), itemKeys(j))).toEqual([]);
        expect(shared(questionKeys(c), questionKeys(j))).toEqual([]);
      }
    }
    // while different seeds of one role do reuse its part's text
    expect(shared(questionKeys(choose[0]), questionKeys(choose[1])).length + shared(itemKeys(choose[0]), itemKeys(choose[0])).length).toBeGreaterThan(0);
  });

  it("share no item even when every document repeats the same boilerplate", () => {
    const licence = "Licensed under the Apache License, Version 2.0 (the License); you may not use this file except in compliance with the License. ";
    const words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa"];
    const body = (d: number): string => Array.from({ length: 40 }, (_, i) => `${words[(i * (d + 3)) % 8]} ${words[(i + d) % 8]}${i % 5 === 4 ? ".\n" : ","}`).join(" ");
    const domain = (name: string) => enc(Array.from({ length: 6 }, (_, d) => `${licence}${name} ${d}: ${body(d)}`).join("\0") + "\0");
    const c = memoryCorpus({ one: domain("one"), two: domain("two"), three: domain("three"), four: domain("four"), five: domain("five") });
    const opts = { tasks: c.domains.map((d) => ({ name: `continue_${d}`, kind: "continuation" as const, domain: d })), defaults: { ...SIZES, items: 200 } };
    const choose = buildSuite(c, { ...opts, seed: 1, role: "choose" });
    const judge = buildSuite(c, { ...opts, seed: 2, role: "judge" });
    expect(shared(questionKeys(choose), questionKeys(judge))).toEqual([]);
    // the boilerplate is in both parts, so no item of either role asks about it
    for (const s of [choose, judge]) for (const t of s.tasks) for (const it of t.items) expect(licence.includes(fromUtf8(it.context) + fromUtf8(it.choices[it.answer]))).toBe(false);
  });

  it("are deterministic by seed and role; the role defaults to judge", () => {
    const a = buildSuite(fixture, { seed: 4, role: "choose", defaults: SIZES });
    const b = buildSuite(loadCorpus(fixtureCorpusDir()), { seed: 4, role: "choose", defaults: SIZES });
    expect([...itemKeys(a)]).toEqual([...itemKeys(b)]);
    expect(a.tasks.map((t) => t.items.map((it) => it.answer))).toEqual(b.tasks.map((t) => t.items.map((it) => it.answer)));
    expect(buildSuite(fixture, { seed: 4, defaults: SIZES }).role).toBe("judge");
    expect(() => buildSuite(fixture, { seed: 4, role: "both" as never })).toThrow(/role must be one of/);
  });

  it("the comparison judges on the judge part", () => {
    const s = compareSuite(fixture, { seed: 2, metric: "acc_norm", sizes: SIZES, taskOverrides: undefined });
    expect(s.role).toBe("judge");
    expect(shared(questionKeys(s), questionKeys(buildSuite(fixture, { seed: 2, role: "choose", defaults: SIZES })))).toEqual([]);
  });
});

describe("a corpus with other domain names", () => {
  it("gets tasks and capabilities by kind without code changes", () => {
    const rename: Record<string, string> = { books: "novels", code_python: "scripts", structured_json: "records", dictionary: "glossary", math: "quiz", speeches: "addresses" };
    const c = memoryCorpus(Object.fromEntries(Object.entries(rename).map(([from, to]) => [to, fixture.split(from, "test")])));
    const suite = buildSuite(c, { seed: 3, defaults: SIZES });
    expect(describeSuite(suite).map((r) => `${r.task}:${r.capability}`)).toEqual([
      "continue_novels:prose", "continue_scripts:code", "continue_records:structured", "nextfield_records:structured",
      "continue_glossary:dictionary", "continue_quiz:qa", "continue_addresses:prose",
    ]);
    expect(suite.capabilities).toEqual({ prose: ["novels", "addresses"], code: ["scripts"], structured: ["records"], dictionary: ["glossary"], qa: ["quiz"] });
    for (const t of suite.tasks) expect(t.items.length).toBe(SIZES.items);
  });

  it("follows a kind the manifest states", () => {
    const c = memoryCorpus({ a: fixture.split("books", "test"), b: fixture.split("code_c", "test"), c: fixture.split("email", "test"), d: fixture.split("legal", "test") }, { b: "prose" });
    expect(buildSuite(c, { seed: 3, defaults: SIZES }).capabilities).toEqual({ prose: ["a", "b", "c", "d"] });
  });
});
