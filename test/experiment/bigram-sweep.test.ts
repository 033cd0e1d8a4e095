import { describe, expect, it } from "vitest";
import { parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { bigramRun, type BigramSweepConfig } from "../../kernel-lib/experiment/kinds/bigram-sweep.js";
import { bigramConfig } from "./helpers.js";

const fields = (extra: Record<string, unknown> = {}) => parseExperimentConfig(bigramConfig(extra)).fields as BigramSweepConfig;

describe("bigram-sweep kind", () => {
  it("with overwhelming smoothing every domain's loss is the uniform-byte entropy ln 256", () => {
    const r = bigramRun(fields({ smoothing: 1e12 }), { books: 1 }, 3);
    for (const v of Object.values(r.validation)) expect(v).toBeCloseTo(Math.log(256), 6);
  });

  it("a model fitted on one domain fits that domain better than one fitted on another", () => {
    const cfg = fields({ tokens: 20000 });
    const books = bigramRun(cfg, { books: 1 }, 3);
    const code = bigramRun(cfg, { code_c: 1 }, 3);
    expect(books.validation.books).toBeLessThan(code.validation.books - 0.2);
    expect(code.validation.code_c).toBeLessThan(books.validation.code_c - 0.2);
    expect(books.average).toBeCloseTo(Object.values(books.validation).reduce((a, b) => a + b) / 4, 12);
    expect(books.trainTokens).toBe(20000);
    // same mixture and seed → same numbers; another seed samples other windows
    expect(bigramRun(cfg, { books: 1 }, 3)).toEqual(books);
    expect(bigramRun(cfg, { books: 1 }, 4).validation.books).not.toBe(books.validation.books);
  });
});
