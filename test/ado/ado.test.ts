// ADO's step on hand-computed numbers (values from numpy, following yidingjiang/ado
// `AdoSelector.curr_dist` and `clip_min_probability` line by line), its Savitzky–Golay
// smoothing against local cubic fits (numpy.polyfit) and the textbook 7-point coefficients, the
// scaling-law objective's gradient, a fit that recovers a known law, and the controller in a run.
import { describe, expect, it } from "vitest";
import { adoController, adoCredit, adoSpecSchema, adoStep, clipMinProbability, fitScalingLaw, savgolFilter, scalingLaw, scalingLawObjective } from "../../kernel-lib/ado/index.js";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { tokenPrior } from "../../kernel-lib/data/prior.js";
import { trainAndScore } from "../../kernel-lib/train/train-and-score.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const close = (a: ArrayLike<number>, b: number[], digits = 12) => b.forEach((x, i) => expect(a[i]).toBeCloseTo(x, digits));

describe("ADO's step, by hand", () => {
  const laws = [{ a: 1, e: 0.6, alpha: 0.3 }, { a: 0.5, e: 0.7, alpha: 0.02 }, { a: 2, e: 0.55, alpha: 0.5 }];
  const prior = [0.5, 0.3, 0.2];
  const history = [0.4, 0.4, 0.2];
  const spec = adoSpecSchema.parse({});

  it("credit: max(α, 0.05)·(L(n) − ε)/n · prior · history^0.5, normalised (the second law's α is floored)", () => {
    close(adoCredit(laws, 4000, prior, history, spec), [0.5368942561681699, 0.33213780744692084, 0.13096793638490922]);
  });

  it("p = 0.9·p̄ + 0.1·π and p̄ ← (1 − 1/(t+1))·p̄ + π/(t+1)", () => {
    const pi = [0.5368942561681699, 0.33213780744692084, 0.13096793638490922];
    const pAvg = new Float64Array([0.45, 0.35, 0.2]);
    const r = adoStep(laws, 4000, prior, history, pAvg, 4, spec);
    close(r.p, pi.map((x, k) => 0.9 * pAvg[k] + 0.1 * x));
    close(r.pAvg, pi.map((x, k) => 0.8 * pAvg[k] + 0.2 * x));
  });

  it("minimum probability: floored, then renormalised", () => {
    close(clipMinProbability([0.995, 0.005], 0.01), [0.9900497512437811, 0.009950248756218907]);
  });

  it("Savitzky–Golay (7, 3) with scipy's interp ends", () => {
    const x = [3.0, 2.9, 2.95, 2.7, 2.72, 2.6, 2.65, 2.5, 2.52, 2.45, 2.4];
    close(savgolFilter(x, 7, 3), [2.986190476190476, 2.9528571428571446, 2.8700000000000023, 2.76761904761905, 2.7066666666666688, 2.622857142857142, 2.5985714285714305, 2.5442857142857154, 2.5023809523809524, 2.45595238095238, 2.3983333333333317], 10);
    // interior point = the 7-point cubic smoothing coefficients (−2, 3, 6, 7, 6, 3, −2)/21
    expect(savgolFilter(x, 7, 3)[5]).toBeCloseTo([-2, 3, 6, 7, 6, 3, -2].reduce((s, c, i) => s + (c / 21) * x[2 + i], 0), 12);
    expect(() => savgolFilter(x, 13, 3)).toThrow(expect.objectContaining({ code: "ADO_BAD_CONFIG" }));
  });

  it("the objective's gradient matches finite differences; a fit recovers a known law", () => {
    const n = [100, 200, 400, 800, 1600, 3200];
    const truth = { a: 1.5, e: 0.8, alpha: 0.4 };
    const L = n.map((x) => scalingLaw(truth, x) * (1 + 0.004 * Math.sin(x)));
    const th = [1.2, 0.9, 0.3];
    const g = scalingLawObjective(th, n, L).grad;
    for (let j = 0; j < 3; j++) {
      const up = [...th], dn = [...th];
      up[j] += 1e-6; dn[j] -= 1e-6;
      expect(g[j]).toBeCloseTo((scalingLawObjective(up, n, L).value - scalingLawObjective(dn, n, L).value) / 2e-6, 5);
    }
    const fit = fitScalingLaw(n, L)!;
    n.forEach((x, i) => expect(scalingLaw(fit, x)).toBeCloseTo(L[i], 1));
    expect(fit.alpha).toBeGreaterThan(0.2);
    expect(fit.alpha).toBeLessThan(0.6);
  });
});

describe("ADO inside a run", () => {
  const corpus = loadCorpus(fixtureCorpusDir());
  it("the prior until startStep, refits at its multiples, then a new mixture every step", async () => {
    const spec = adoSpecSchema.parse({ startStep: 10, ignoreSteps: 0, refitEvery: 10, savgolWindow: 5, subsample: 2 });
    const prior = tokenPrior(corpus);
    const { controller, record } = adoController(corpus.domains, prior.weights, spec);
    const r = await trainAndScore(corpus, prior, { preset: "tiny", steps: 24, batchSize: 4, seqLen: 32, lr: 3e-3, warmupSteps: 2 }, 1, { eval: { windowsPerDomain: 1 }, controller });
    expect(record.fits.map((f) => [f.step, f.points])).toEqual([[10, 6], [20, 11]]);
    expect(record.fits[0].laws).toHaveLength(corpus.domains.length);
    const t = r.schedule!.trajectory;
    expect(t[0]).toMatchObject({ step: 0, steps: 11, phase: "prior", weights: prior.toRecord() });
    expect(t.slice(1).every((e) => e.phase === "ado" && e.steps === 1)).toBe(true);
    expect(t.reduce((a, e) => a + e.steps, 0)).toBe(24);
    for (const e of t.slice(1)) expect(Math.min(...Object.values(e.weights))).toBeGreaterThan(0);
  });
});
