import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { tokenPrior } from "../../kernel-lib/data/prior.js";
import { analyseSweep } from "../../kernel-lib/regmix/choose.js";
import { sampleRegmixMixtures } from "../../kernel-lib/regmix/mixtures.js";
import { regmixLossesCsv, type SweepRow } from "../../kernel-lib/regmix/sweep.js";
import { parseNumericCsv } from "../../kernel-lib/util/csv.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";
import { createRng } from "../../kernel-lib/util/rng.js";

const root = mkdtempSync(join(tmpdir(), "mixlab-regmix-outside-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const corpus = loadCorpus(fixtureCorpusDir());
const prior = tokenPrior(corpus);

describe("regmix propose", () => {
  it("writes exactly RegMix's sampler draws in RegMix's CSV schema", async () => {
    const out = join(root, "mixtures.csv");
    expect((await runCli(["regmix", "propose", "--corpus", fixtureCorpusDir(), "--count", "24", "--seed", "5", "--out", out])).code).toBe(0);
    const t = parseNumericCsv(readFileSync(out, "utf8"));
    expect(t.columns).toEqual(["index", ...corpus.domains.map((d) => `train_${d}`)]);
    const want = sampleRegmixMixtures(prior, { numSamples: 24, seed: 5 });
    t.rows.forEach((r, i) => {
      expect(r[0]).toBe(i + 1);
      expect(Array.from(r.subarray(1))).toEqual(Array.from(want[i].weights));
    });
  });

  it("takes a prior CSV too, and names a bad one", async () => {
    const p = join(root, "prior.csv");
    writeFileSync(p, "domain,weight\na,0.5\nb,0.3\nc,0.2\n");
    const out = join(root, "m2.csv");
    expect((await runCli(["regmix", "propose", "--prior", p, "--count", "8", "--seed", "1", "--out", out])).code).toBe(0);
    expect(parseNumericCsv(readFileSync(out, "utf8")).columns).toEqual(["index", "train_a", "train_b", "train_c"]);
    expect((await runCli(["regmix", "propose", "--count", "8", "--out", out])).code).toBe(2);
  });
});

describe("regmix choose", () => {
  // synthetic proxies: loss of each domain = a linear function of the mixture + noise
  const rng = createRng(11);
  const d = corpus.domains.length;
  const coef = corpus.domains.map(() => corpus.domains.map(() => rng.next()));
  const mixtures = sampleRegmixMixtures(prior, { numSamples: 120, seed: 2 });
  const rows: SweepRow[] = mixtures.map((m) => ({
    mixture: m.toRecord(),
    losses: Object.fromEntries(corpus.domains.map((dom, k) => [dom, 3 - coef[k].reduce((s, c, j) => s + c * m.weights[j], 0) + 0.01 * rng.next()])),
  }));
  const A = join(root, "A.csv");
  const B = join(root, "B.csv");
  const train = rows.slice(0, 96);
  const evalRows = rows.slice(96);
  const mixCsv = (rs: SweepRow[]) => `index,${corpus.domains.map((x) => `train_${x}`).join(",")}\n${rs.map((r, i) => [i + 1, ...corpus.domains.map((x) => r.mixture[x])].join(",")).join("\n")}\n`;
  writeFileSync(A, mixCsv(train));
  writeFileSync(B, regmixLossesCsv(train, corpus.domains));
  writeFileSync(join(root, "C.csv"), mixCsv(evalRows));
  writeFileSync(join(root, "D.csv"), regmixLossesCsv(evalRows, corpus.domains));
  const target = corpus.domains[0];

  for (const model of ["gbdt", "linear"] as const) {
    it(`${model}: the CLI's mixture equals analyseSweep's (the library path) on the same rows`, async () => {
      const out = join(root, `choose-${model}`);
      const args = ["regmix", "choose", "--train-mixtures", A, "--train-losses", B, "--target", target, "--model", model,
        "--candidates", "20000", "--top-k", "32", "--seed", "7", "--rounds", "60", "--corpus", fixtureCorpusDir(), "--out", out,
        "--eval-mixtures", join(root, "C.csv"), "--eval-losses", join(root, "D.csv")];
      expect((await runCli(args)).code).toBe(0);
      const got = JSON.parse(readFileSync(join(out, "mixture.json"), "utf8"));
      const lib = analyseSweep(train, prior, { target, heldOut: 0, gbdt: { seed: 7, numRounds: 60 }, simulateWith: model, simulate: { numCandidates: 20000, topK: 32, seed: 7 } });
      corpus.domains.forEach((dom, j) => expect(got.mixture[dom]).toBeCloseTo(lib.chosen.weights[j], 12));
      expect(got.heldOut.n).toBe(24);
      expect(got.heldOut.spearman).toBeGreaterThan(model === "linear" ? 0.9 : 0.3);
      expect(readFileSync(join(out, "top_k.csv"), "utf8").split("\n").length).toBe(32 + 2);
    });
  }

  it("composite targets: mean and a+b; the chosen mixture goes through mixture export", async () => {
    const out = join(root, "choose-mean");
    expect((await runCli(["regmix", "choose", "--train-mixtures", A, "--train-losses", B, "--target", "mean", "--model", "linear", "--candidates", "5000", "--top-k", "16", "--out", out])).code).toBe(0);
    const two = join(root, "choose-sum");
    expect((await runCli(["regmix", "choose", "--train-mixtures", A, "--train-losses", B, "--target", `${corpus.domains[0]}+${corpus.domains[1]}`, "--model", "linear", "--candidates", "5000", "--top-k", "16", "--out", two])).code).toBe(0);
    const j = JSON.parse(readFileSync(join(out, "mixture.json"), "utf8"));
    expect(j.prior.source).toBe("mean of the training mixtures");
    const meg = join(root, "meg.txt");
    expect((await runCli(["mixture", "export", out, "--format", "megatron", "--out", meg])).code).toBe(0);
    expect(readFileSync(meg, "utf8")).toMatch(/^--data-path "/);
  });

  it("bad input is a named error, exit 2", async () => {
    const r = await runCli(["regmix", "choose", "--train-mixtures", A, "--train-losses", B, "--target", "nope", "--out", join(root, "x")]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/CSV_MISSING_COLUMN.*nope/);
    const Bnan = join(root, "Bnan.csv");
    writeFileSync(Bnan, readFileSync(B, "utf8").replace(/\n2,[^,]*,/, "\n2,NaN,"));
    expect((await runCli(["regmix", "choose", "--train-mixtures", A, "--train-losses", Bnan, "--target", "mean", "--out", join(root, "y")])).err[0]).toMatch(/CSV_NOT_NUMERIC/);
    expect((await runCli(["regmix", "choose", "--train-mixtures", A, "--train-losses", join(root, "D.csv"), "--target", "mean", "--out", join(root, "z")])).err[0]).toMatch(/ROW_COUNT_MISMATCH/);
  });
});
