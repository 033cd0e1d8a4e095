import { describe, expect, it } from "vitest";
import { loadCorpus, type Corpus } from "../../kernel-lib/data/corpus.js";
import { domainKinds, inferDomainKind } from "../../kernel-lib/data/kind.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "utf8"));
const docs = (...ds: string[]): Uint8Array => enc(ds.join("\0") + "\0");

const EXPECTED = {
  books: "prose", speeches: "prose", email: "prose", dictionary: "dictionary", encyclopedic: "prose", legal: "prose",
  code_ts_js: "code", code_python: "code", code_c: "code", math_docs: "code", multilingual: "prose", structured_json: "structured", math: "qa",
};

describe("domain kinds", () => {
  it("reads every fixture domain's kind off its text", () => {
    expect(domainKinds(loadCorpus(fixtureCorpusDir()))).toEqual(EXPECTED);
  });

  it("classifies small texts of each kind", () => {
    expect(inferDomainKind(docs("Question: What is 2 + 3?\nAnswer: 5\nQuestion: Solve 2*x = 4.\nAnswer: 2\n"))).toBe("qa");
    expect(inferDomainKind(docs("cat (noun): a small domesticated feline\nrun (verb): move fast on foot\nred (adj): of the colour of blood\n"))).toBe("dictionary");
    expect(inferDomainKind(docs('{"a":{"b":[1,2,3],"c":"x"},"d":{"e":true}}', '{"f":[{"g":1},{"h":2}]}'))).toBe("structured");
    expect(inferDomainKind(docs("function f(x) {\n  const y = x + 1;\n  return g(y);\n}\nfor (let i = 0; i < n; i++) {\n  a[i] = b[i];\n}\n"))).toBe("code");
    expect(inferDomainKind(docs("It was a bright cold day in April, and the clocks were striking thirteen. Winston Smith slipped quickly through the doors.\n"))).toBe("prose");
  });

  it("takes a kind the manifest states over the text's, and rejects an unknown one", () => {
    const fixture = loadCorpus(fixtureCorpusDir());
    const stated = (kind: string): Pick<Corpus, "domains" | "info" | "split"> => ({
      domains: ["books"], split: fixture.split, info: (d) => ({ ...fixture.info(d), kind: kind as never }),
    });
    expect(domainKinds(stated("dictionary"))).toEqual({ books: "dictionary" });
    expect(() => domainKinds(stated("poetry"))).toThrow(/kind "poetry"/);
  });
});
