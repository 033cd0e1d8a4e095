/**
 * RegMix step 3, the one fit (kernel-lib/regmix/fit.ts): the options each preset resolves to,
 * that every caller's fit is this fit (analyseSweep's models equal fitRegmix's on the same rows,
 * in both presets), and the inputs on which no regression can rank mixtures (named errors).
 */
import { describe, expect, it } from "vitest";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { analyseDesign, analyseSweep } from "../../kernel-lib/regmix/choose.js";
import { checkRegressorRanks, fitRegmix, fitRegmixRegressor, regmixGbdtOptions, REGMIX_GBDT_PRESETS } from "../../kernel-lib/regmix/fit.js";
import { sweepDesign, type SweepRow } from "../../kernel-lib/regmix/sweep.js";
import { fitGbdt, fitLinear, GBDT_DEFAULTS } from "../../kernel-lib/regression/index.js";
import { createRng } from "../../kernel-lib/util/rng.js";

const DOMAINS = ["a", "b", "c"];
const prior = Mixture.fromWeights(DOMAINS, [0.5, 0.3, 0.2]);
/** target loss = 3 − w_a + 0.5·w_c² + noise */
function sweep(n: number, seed: number): SweepRow[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const w = rng.dirichlet([1, 1, 1]);
    return { mixture: { a: w[0], b: w[1], c: w[2] }, losses: { a: 3 - w[0] + 0.5 * w[2] ** 2 + 0.01 * rng.normal(), b: 2, c: 2 } };
  });
}
const codeOf = (f: () => unknown): string => {
  try { f(); } catch (e) { return (e as { code?: string }).code ?? String(e); }
  return "no error";
};

describe("regmixGbdtOptions: one place for step 3's GBDT options", () => {
  it("all rounds by default, LightGBM's early_stopping(3) in the notebook preset, the leaf size from the rows", () => {
    expect(regmixGbdtOptions(48)).toEqual({ minDataInLeaf: 5, earlyStoppingRounds: 0 });
    expect(regmixGbdtOptions(512, {}, "notebook")).toEqual({ minDataInLeaf: 20, earlyStoppingRounds: 3 });
    expect(REGMIX_GBDT_PRESETS.notebook.earlyStoppingRounds).toBe(GBDT_DEFAULTS.earlyStoppingRounds);
  });

  it("overrides win, undefined entries (unset config fields) keep the default", () => {
    expect(regmixGbdtOptions(48, { numRounds: 60, seed: 7, minDataInLeaf: undefined })).toEqual({ minDataInLeaf: 5, earlyStoppingRounds: 0, numRounds: 60, seed: 7 });
    expect(regmixGbdtOptions(48, { minDataInLeaf: 9, earlyStoppingRounds: 10 }, "notebook")).toEqual({ minDataInLeaf: 9, earlyStoppingRounds: 10 });
  });
});

describe("every caller's fit is fitRegmix", () => {
  const rows = sweep(60, 1);
  const { X, y } = sweepDesign(rows, DOMAINS, "a");

  it("fitRegmix = fitGbdt with regmixGbdtOptions and fitLinear, prediction for prediction", () => {
    const { gbdt, linear } = fitRegmix(X, y, { gbdt: { numRounds: 80 } });
    expect(gbdt.options?.minDataInLeaf).toBe(6);
    expect(gbdt.numTrees).toBe(80);
    expect(Array.from(gbdt.predict(X))).toEqual(Array.from(fitGbdt(X, y, { minDataInLeaf: 6, earlyStoppingRounds: 0, numRounds: 80 }).predict(X)));
    expect(Array.from(linear.predict(X))).toEqual(Array.from(fitLinear(X, y).predict(X)));
    expect(Array.from(fitRegmixRegressor("linear", X, y).coef)).toEqual(Array.from(linear.coef));
  });

  it("analyseSweep fits with it in both presets (early stopping on the held-out rows = the notebook preset)", () => {
    const simulate = { numCandidates: 500, topK: 8, seed: 2 };
    const train = { X: X.subarray(0, 48 * 3), y: y.subarray(0, 48) };
    const held = { X: X.subarray(48 * 3), y: y.slice(48) };
    for (const earlyStopping of [false, true]) {
      const a = analyseSweep(rows, prior, { target: "a", heldOut: 12, earlyStopping, gbdt: { numRounds: 300 }, simulate });
      const lib = fitRegmix(train.X, train.y, { gbdt: { numRounds: 300 }, earlyStopOn: earlyStopping ? held : undefined });
      expect(a.gbdt.options?.earlyStoppingRounds).toBe(earlyStopping ? 3 : 0);
      expect(a.gbdt.bestIteration).toBe(lib.gbdt.bestIteration);
      expect(Array.from(a.heldOut.gbdt)).toEqual(Array.from(lib.gbdt.predict(held.X)));
    }
    // with early stopping the held-out rows stop the boosting before 300 rounds on this law
    expect(analyseSweep(rows, prior, { target: "a", heldOut: 12, earlyStopping: true, gbdt: { numRounds: 300 }, simulate }).gbdt.bestIteration).toBeLessThan(300);
  });
});

describe("inputs no regression can rank mixtures on are named errors", () => {
  const rows = sweep(40, 3);
  const { X, y } = sweepDesign(rows, DOMAINS, "a");

  it("one training run", () => {
    expect(codeOf(() => fitRegmix(X.subarray(0, 3), y.subarray(0, 1)))).toBe("REGMIX_TOO_FEW_RUNS");
    expect(codeOf(() => fitRegmixRegressor("linear", X.subarray(0, 3), y.subarray(0, 1)))).toBe("REGMIX_TOO_FEW_RUNS");
  });

  it("losses that are all equal (domain b's loss is 2 everywhere)", () => {
    const flat = sweepDesign(rows, DOMAINS, "b");
    expect(codeOf(() => fitRegmix(flat.X, flat.y))).toBe("REGMIX_CONSTANT_LOSSES");
    expect(codeOf(() => analyseSweep(rows, prior, { target: "b", heldOut: 0, simulate: { numCandidates: 100, topK: 4 } }))).toBe("REGMIX_CONSTANT_LOSSES");
  });

  it("a GBDT that cannot split (3 rows, minDataInLeaf 2) ranks nothing; OLS on the same rows does", () => {
    const few = { X: X.subarray(0, 9), y: y.subarray(0, 3) };
    const { gbdt, linear } = fitRegmix(few.X, few.y);
    expect(gbdt.predict(few.X).every((p) => p === gbdt.predict(few.X)[0])).toBe(true);
    expect(codeOf(() => checkRegressorRanks(gbdt, few.X, "gbdt"))).toBe("REGMIX_FIT_CONSTANT");
    expect(codeOf(() => checkRegressorRanks(linear, few.X, "linear"))).toBe("no error");
    const simulate = { numCandidates: 100, topK: 4, seed: 1 };
    expect(codeOf(() => analyseDesign(few, null, prior, "a", { simulate }))).toBe("REGMIX_FIT_CONSTANT");
    expect(analyseDesign(few, null, prior, "a", { simulate, simulateWith: "linear" }).chosen.domains).toEqual(DOMAINS);
  });
});
