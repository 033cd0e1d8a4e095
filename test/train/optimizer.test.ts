import { describe, expect, it } from "vitest";
import { adamwStep, clipGradNorm, createAdamWState, DEFAULT_ADAMW, gradSumSquares } from "../../kernel-lib/train/optimizer.js";
import { SUMSQ_BLOCK } from "../../kernel-lib/model/engine.js";
import { lrAt, makeSchedule } from "../../kernel-lib/train/schedule.js";

describe("AdamW", () => {
  // Reference: torch 1.13 torch.optim.AdamW(lr=0.01, betas=(0.9, 0.95), eps=1e-8), two steps
  // from p = [0.5, -1, 2] with grads [0.1, -0.2, 0.3] then [-0.05, 0.4, 0].
  const cases: [number, number[]][] = [
    [0.1, [0.48632681369781494, -0.9916447997093201, 1.9792256355285645]],
    [0.0, [0.4873163104057312, -0.9936337471008301, 1.9832135438919067]],
  ];
  for (const [wd, want] of cases) {
    it(`matches torch.optim.AdamW (weight decay ${wd})`, () => {
      const p = Float32Array.from([0.5, -1, 2]);
      const st = createAdamWState(3);
      const cfg = { ...DEFAULT_ADAMW, weightDecay: wd };
      const mask = Uint8Array.from([1, 1, 1]);
      for (const g of [[0.1, -0.2, 0.3], [-0.05, 0.4, 0]]) adamwStep(p, Float32Array.from(g), st, 0.01, cfg, mask);
      for (let i = 0; i < 3; i++) expect(p[i]).toBeCloseTo(want[i], 6);
      expect(st.step).toBe(2);
    });
  }

  it("does not decay masked-out parameters", () => {
    const p = Float32Array.from([1, 1]);
    adamwStep(p, Float32Array.from([0, 0]), createAdamWState(2), 0.1, { ...DEFAULT_ADAMW, weightDecay: 0.5 }, Uint8Array.from([1, 0]));
    expect(p[0]).toBeCloseTo(0.95, 6);
    expect(p[1]).toBe(1);
  });

  it("sums squares over blocks in double precision", () => {
    // 2.5 blocks: halves square and sum exactly; 0.1f's square is rounded, and a double sum of
    // 65,536 of them drifts ~1e-12 relative (a float32 sum would drift ~1e-4, a lost block 20 %)
    const n = 2 * SUMSQ_BLOCK + SUMSQ_BLOCK / 2, x = Math.fround(0.1);
    expect(gradSumSquares(new Float32Array(n).fill(0.5))).toBe(n * 0.25);
    const s = gradSumSquares(new Float32Array(n).fill(x));
    expect(Math.abs(s - n * x * x) / (n * x * x)).toBeLessThan(1e-10);
    expect(gradSumSquares(Float32Array.from([3, 4]))).toBe(25);
    expect(gradSumSquares(new Float32Array(0))).toBe(0);
  });

  it("clips the global gradient norm", () => {
    const g = Float32Array.from([3, 4]);
    expect(clipGradNorm(g, 1)).toBeCloseTo(5, 6);
    expect(Math.hypot(g[0], g[1])).toBeCloseTo(1, 5);
    const h = Float32Array.from([0.3, 0.4]);
    clipGradNorm(h, 1);
    expect(Array.from(h)).toEqual([Float32Array.from([0.3])[0], Float32Array.from([0.4])[0]]);
  });
});

describe("learning-rate schedules", () => {
  const base = { lr: 1e-3, warmupSteps: 10, totalSteps: 110, minLrRatio: 0.1 };
  it("warms up linearly", () => {
    expect(lrAt({ ...base, kind: "cosine" }, 0)).toBeCloseTo(1e-4, 12);
    expect(lrAt({ ...base, kind: "cosine" }, 9)).toBeCloseTo(1e-3, 12);
  });
  it("cosine decays to minLr, halfway at the midpoint; constant stays; linear is linear", () => {
    expect(lrAt({ ...base, kind: "cosine" }, 10)).toBeCloseTo(1e-3, 12);
    expect(lrAt({ ...base, kind: "cosine" }, 60)).toBeCloseTo(0.55e-3, 12);
    expect(lrAt({ ...base, kind: "cosine" }, 110)).toBeCloseTo(1e-4, 12);
    expect(lrAt({ ...base, kind: "constant" }, 100)).toBe(1e-3);
    expect(lrAt({ ...base, kind: "linear" }, 60)).toBeCloseTo(0.55e-3, 12);
  });
  it("rejects bad schedules", () => {
    expect(() => makeSchedule({ ...base, kind: "cosine", lr: -1 })).toThrow(/lr/);
    expect(() => makeSchedule({ ...base, kind: "cosine", totalSteps: 0 })).toThrow(/totalSteps/);
  });
});
