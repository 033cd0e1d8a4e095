import { describe, expect, it } from "vitest";
import { contextBefore, documentSpans, fromUtf8, jsonFieldSpans, lineSpans, segmentSpans, truncateAtWord, utf8 } from "../../kernel-lib/eval/suite/text.js";
import { fitByteNgram } from "../../kernel-lib/eval/suite/ngram-scorer.js";

describe("suite text helpers", () => {
  it("splits documents on byte 0 and drops empty ones", () => {
    expect(documentSpans(Uint8Array.of(65, 0, 0, 66, 67, 0))).toEqual([{ doc: 0, start: 0, end: 1 }, { doc: 1, start: 3, end: 5 }]);
  });

  it("splits sentences at . ! ? + whitespace and at newlines, keeping closing quotes", () => {
    const b = utf8('He said "Stop." Then left! e.g.x stays\nNew line? yes');
    const segs = segmentSpans(b, documentSpans(b)[0]).map((s) => fromUtf8(b.subarray(s.start, s.end)));
    expect(segs).toEqual(['He said "Stop."', "Then left!", "e.g.x stays", "New line?", "yes"]);
  });

  it("splits minified JSON into key fields, ignoring commas and braces inside strings", () => {
    const b = utf8('{"a":{"b":1},"c":"x,{\\"q\\":y","d":[1,2]}');
    const f = jsonFieldSpans(b, documentSpans(b)[0]).map((s) => fromUtf8(b.subarray(s.start, s.end)));
    expect(f).toEqual(['"a":', '"b":1}', '"c":"x,{\\"q\\":y"', '"d":[1,2]}']);
  });

  it("lists lines including empty ones, without \\r", () => {
    const b = utf8("a\r\n\nbc");
    expect(lineSpans(b, documentSpans(b)[0]).map((s) => fromUtf8(b.subarray(s.start, s.end)))).toEqual(["a", "", "bc"]);
  });

  it("truncates at a word boundary and never inside a UTF-8 character", () => {
    expect(fromUtf8(truncateAtWord(utf8("the quick brown fox"), 12))).toBe("the quick");
    const t = truncateAtWord(utf8("ééééééééé"), 7); // 2-byte chars, no spaces
    expect(t.length).toBe(6);
    expect(fromUtf8(t)).toBe("ééé");
  });

  it("starts a context after whitespace and inside the document", () => {
    const b = utf8("alpha beta gamma delta");
    const doc = documentSpans(b)[0];
    expect(fromUtf8(contextBefore(b, doc, b.length, 13))).toBe("gamma delta");
    expect(fromUtf8(contextBefore(b, doc, 5, 50))).toBe("alpha");
  });

  it("n-gram probabilities sum to one over the 256 bytes", () => {
    const lm = fitByteNgram([utf8("abracadabra abracadabra")], 4);
    for (const h of ["", "a", "abr", "zzz"]) {
      const hist = utf8(h);
      let s = 0;
      for (let b = 0; b < 256; b++) s += Math.exp(lm.logProb(hist, hist.length, b));
      expect(s).toBeCloseTo(1, 10);
    }
    const hist = utf8("abr");
    expect(lm.logProb(hist, 3, 0x61)).toBeGreaterThan(Math.log(0.5)); // "abr" → "a"
  });
});
