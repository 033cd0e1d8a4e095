import { describe, expect, it } from "vitest";
import { compileForest, fitGbdt, predictForest, predictForestOne, predictForestPlain, treeValue } from "../../kernel-lib/regression/index.js";
import { createRng } from "../../kernel-lib/util/rng.js";
import { headSplit } from "./regmix-data.js";

describe("flat forest predictor", () => {
  const { X, y } = headSplit();
  const model = fitGbdt(X, y("pile_cc"), { numRounds: 150, learningRate: 0.05 });
  const d = X[0].length;
  const forest = model.forest();

  it("uses the packed batch path for RegMix-sized forests", () => {
    expect(forest.packed).not.toBeNull();
    expect(forest.numTrees).toBe(150);
  });

  it("batch (packed), plain, one-row and tree-by-tree predictions agree exactly", () => {
    const rng = createRng(11);
    const N = 3001; // not a multiple of the 4-row interleave or the 256-row block
    const flat = new Float64Array(N * d);
    for (let i = 0; i < N; i++) flat.set(rng.dirichlet(new Array(d).fill(0.4)), i * d);
    // Put some inputs exactly on split thresholds (x == threshold must go left).
    for (let i = 0; i < N; i += 3) {
      const k = rng.int(forest.feature.length);
      if (forest.feature[k] >= 0) flat[i * d + forest.feature[k]] = forest.value[k];
    }
    const packed = predictForest(forest, flat);
    const plain = predictForestPlain(forest, flat);
    expect(Array.from(packed)).toEqual(Array.from(plain));
    for (let i = 0; i < N; i += 97) {
      const row = flat.subarray(i * d, (i + 1) * d);
      expect(predictForestOne(forest, row)).toBe(packed[i]);
      // LightGBM order: (init + tree 0) + tree 1 + …
      const bySum = model.trees.reduce((s, t, j) => s + treeValue(t, row) + (j === 0 ? model.initScore : 0), 0);
      expect(bySum).toBe(packed[i]);
    }
  });

  it("row arrays and flat input give the same predictions; fewer iterations use fewer trees", () => {
    const flat = new Float64Array(X.length * d);
    X.forEach((r, i) => flat.set(r, i * d));
    expect(Array.from(model.predict(flat))).toEqual(Array.from(model.predict(X)));
    const p10 = model.predict(X.slice(0, 5), undefined, 10);
    X.slice(0, 5).forEach((r, i) => expect(p10[i]).toBeCloseTo(model.trees.slice(0, 10).reduce((s, t) => s + treeValue(t, r), model.initScore), 12));
    expect(compileForest(model.trees, 0, model.initScore, d).base).toBe(model.initScore);
  });

  it("writes into a caller's buffer and checks shapes", () => {
    const out = new Float64Array(2);
    const flat = new Float64Array(2 * d);
    flat.set(X[0], 0);
    flat.set(X[1], d);
    expect(model.predict(flat, out)).toBe(out);
    expect(out[0]).toBe(model.predictOne(X[0]));
    expect(() => model.predict(new Float64Array(d + 1))).toThrow(expect.objectContaining({ code: "PREDICT_SHAPE" }));
    expect(() => model.predictOne([1, 2])).toThrow(expect.objectContaining({ code: "PREDICT_SHAPE" }));
  });
});
