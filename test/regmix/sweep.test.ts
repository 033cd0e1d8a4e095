/**
 * RegMix step 2: the sweep's CSVs have exactly the RegMix repository's schema, read back
 * losslessly (ours and the released files alike), and `mixlab regmix fit` reads them; the
 * `regmix` mixture source of the experiment kit follows the sampler's rules.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run as regmixCli } from "../../kernel-lib/cli/commands/regmix.js";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { tokenPrior } from "../../kernel-lib/data/prior.js";
import { parseExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { resolveMixtures } from "../../kernel-lib/experiment/kinds/mixture-sources.js";
import {
  readRegmixTables, regmixLossesCsv, regmixMixturesCsv, sweepDesign, type SweepRow,
} from "../../kernel-lib/regmix/sweep.js";
import { parseCsv } from "../../kernel-lib/util/csv.js";
import { fixtureCorpusDir, projectRoot } from "../../kernel-lib/util/paths.js";
import { createRng } from "../../kernel-lib/util/rng.js";

const DOMAINS = ["books", "code_c", "math", "legal"];
/** The exact linear law of the synthetic sweep: loss_d(w) = 2 + Σ_j C[d][j]·w_j. */
const C: Record<string, number[]> = { books: [-0.9, 0.3, 0.5, 0.1], code_c: [0.4, -1.1, 0.2, 0.3], math: [0.2, 0.2, -0.7, 0.4], legal: [0.1, 0.5, 0.3, -0.6] };

function syntheticRows(n: number, seed: number): SweepRow[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const w = rng.dirichlet([0.5, 0.5, 0.5, 0.5]);
    const mixture = Object.fromEntries(DOMAINS.map((d, j) => [d, w[j]]));
    const losses = Object.fromEntries(DOMAINS.map((d) => [d, 2 + C[d].reduce((s, c, j) => s + c * w[j], 0)]));
    return { mixture, losses };
  });
}

const tmp = mkdtempSync(join(tmpdir(), "mixlab-regmix-sweep-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("RegMix CSV schema", () => {
  const rows = syntheticRows(40, 1);

  it("writes exactly index,train_<domain>… and index,metric/<domain>_val_loss…, index from 1", () => {
    const m = parseCsv(regmixMixturesCsv(rows, DOMAINS));
    const l = parseCsv(regmixLossesCsv(rows, DOMAINS));
    expect(m.header).toEqual(["index", "train_books", "train_code_c", "train_math", "train_legal"]);
    expect(l.header).toEqual(["index", "metric/books_val_loss", "metric/code_c_val_loss", "metric/math_val_loss", "metric/legal_val_loss"]);
    expect(m.rows.map((r) => r[0])).toEqual(rows.map((_, i) => String(i + 1)));
    expect(l.rows.map((r) => r[0])).toEqual(rows.map((_, i) => String(i + 1)));
  });

  it("round-trips every number exactly", () => {
    const t = readRegmixTables(regmixMixturesCsv(rows, DOMAINS), regmixLossesCsv(rows, DOMAINS));
    expect(t.domains).toEqual(DOMAINS);
    expect(t.lossDomains).toEqual(DOMAINS);
    const { X } = sweepDesign(rows, DOMAINS, "books");
    expect(Array.from(t.X)).toEqual(Array.from(X));
    for (const d of DOMAINS) expect(Array.from(t.losses[d])).toEqual(rows.map((r) => r.losses[d]));
  });

  it("reads the repository's released files in the same schema (prefix stripped)", () => {
    const dir = join(projectRoot(), "datasets", "reference", "regmix");
    const t = readRegmixTables(readFileSync(join(dir, "train_mixture_1m.csv"), "utf8"), readFileSync(join(dir, "train_pile_loss_1m.csv"), "utf8"), { domainPrefix: "the_pile_" });
    expect(t.domains).toHaveLength(17);
    expect(t.lossDomains).toHaveLength(13);
    expect(t.index[0]).toBe(1);
    expect(t.index[511]).toBe(512);
    expect(t.losses.pile_cc).toHaveLength(512);
    expect(t.losses.pile_cc[0]).toBeCloseTo(5.169477939605713, 12); // row 1 of the file
  });

  it("names bad inputs", () => {
    const m = regmixMixturesCsv(rows, DOMAINS);
    const l = regmixLossesCsv(rows, DOMAINS);
    expect(() => readRegmixTables(m, regmixLossesCsv(rows.slice(1), DOMAINS))).toThrow(expect.objectContaining({ code: "ROW_COUNT_MISMATCH" }));
    expect(() => readRegmixTables(m, l.replace("\n2,", "\n7,"))).toThrow(expect.objectContaining({ code: "INDEX_MISMATCH" }));
    expect(() => readRegmixTables(m.replace("train_math", "w_math"), l)).toThrow(expect.objectContaining({ code: "CSV_BAD_COLUMN" }));
    expect(() => readRegmixTables(m, l.replace("metric/math_val_loss", "math_loss"))).toThrow(expect.objectContaining({ code: "CSV_BAD_COLUMN" }));
    expect(() => regmixLossesCsv([{ mixture: {}, losses: { books: 1 } }], DOMAINS)).toThrow(expect.objectContaining({ code: "REGMIX_MISSING_LOSS" }));
  });

  it("is read by `mixlab regmix fit` (linear model recovers the exact law)", async () => {
    const train = rows.slice(0, 30);
    const test = rows.slice(30);
    const files = {
      A: join(tmp, "train_mixture.csv"), B: join(tmp, "train_loss.csv"), C: join(tmp, "test_mixture.csv"), D: join(tmp, "test_loss.csv"), out: join(tmp, "preds.csv"),
    };
    writeFileSync(files.A, regmixMixturesCsv(train, DOMAINS));
    writeFileSync(files.B, regmixLossesCsv(train, DOMAINS));
    writeFileSync(files.C, regmixMixturesCsv(test, DOMAINS));
    writeFileSync(files.D, regmixLossesCsv(test, DOMAINS));
    const log = console.log;
    console.log = () => {};
    try {
      const code = await regmixCli(["fit", "--train-mixtures", files.A, "--train-losses", files.B, "--target", "metric/code_c_val_loss",
        "--model", "linear", "--predict", files.C, "--out", files.out, "--eval-losses", files.D]);
      expect(code).toBe(0);
    } finally {
      console.log = log;
    }
    const preds = parseCsv(readFileSync(files.out, "utf8"));
    expect(preds.header).toEqual(["prediction"]);
    expect(preds.rows).toHaveLength(test.length);
    preds.rows.forEach((r, i) => expect(Number(r[0])).toBeCloseTo(test[i].losses.code_c, 9));
  });

});

describe("the `regmix` mixture source", () => {
  const corpus = loadCorpus(fixtureCorpusDir());
  const domains = [...corpus.domains];

  it("draws `count` distinct mixtures on the 2e-4 grid within the epoch bound, seeded", () => {
    const a = resolveMixtures([{ source: "regmix", count: 24, prior: "token", maxUsage: 5 }], corpus, domains, 7);
    const b = resolveMixtures([{ source: "regmix", count: 24, prior: "token", maxUsage: 5 }], corpus, domains, 7);
    const c = resolveMixtures([{ source: "regmix", count: 24, prior: "token", maxUsage: 5 }], corpus, domains, 8);
    expect(a).toHaveLength(24);
    expect(a.map((m) => m.toString())).toEqual(b.map((m) => m.toString()));
    expect(a.map((m) => m.toString())).not.toEqual(c.map((m) => m.toString()));
    expect(new Set(a.map((m) => m.toString())).size).toBe(24);
    const prior = tokenPrior(corpus, domains).weights;
    for (const m of a) {
      expect(m.domains).toEqual(domains);
      expect(m.weights.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
      m.weights.forEach((w, j) => {
        expect(Math.abs(w / 2e-4 - Math.round(w / 2e-4))).toBeLessThan(1e-6);
        expect(w).toBeLessThanOrEqual(Math.min(prior[j] * 5, 1) + 2e-4); // bound before rounding
      });
    }
  });


});
