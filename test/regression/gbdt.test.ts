import { describe, expect, it } from "vitest";
import { fitGbdt, GbdtModel, nextUp, treeValue, type Tree } from "../../kernel-lib/regression/index.js";
import { EarlyStopper } from "../../kernel-lib/regression/gbdt/early-stopping.js";
import { createRng } from "../../kernel-lib/util/rng.js";
import { headSplit } from "./regmix-data.js";

const rows = (xs: number[][]) => xs.map((r) => Float64Array.from(r));

/** Leaf index a raw row reaches in a tree. */
function leafOf(tree: Tree, row: ArrayLike<number>): number {
  if (tree.numLeaves === 1) return 0;
  let node = 0;
  while (node >= 0) node = row[tree.splitFeature[node]] <= tree.threshold[node] ? tree.leftChild[node] : tree.rightChild[node];
  return ~node;
}

function depth(tree: Tree, ref = 0): number {
  if (tree.numLeaves === 1 || ref < 0) return 0;
  return 1 + Math.max(depth(tree, tree.leftChild[ref]), depth(tree, tree.rightChild[ref]));
}

describe("GBDT: hand-checked trees", () => {
  it("one round, lr 1: the G²/H-optimal split and −G/H leaves reproduce a step function", () => {
    // init = mean(y) = 3; g = 3 − y = ±2; best split leaves {1,2,3} | {4,5,6}: gain 6²/3 + 6²/3 = 24.
    const X = rows([[1], [2], [3], [4], [5], [6]]);
    const y = [1, 1, 1, 5, 5, 5];
    const m = fitGbdt(X, y, { numRounds: 1, learningRate: 1, numLeaves: 2, minDataInLeaf: 1, minDataInBin: 1 });
    expect(m.initScore).toBe(3);
    expect(m.numTrees).toBe(1);
    const t = m.trees[0];
    expect(t.numLeaves).toBe(2);
    expect(t.threshold[0]).toBe(nextUp(3.5)); // boundary = next double above the midpoint
    expect(Array.from(t.leafValue)).toEqual([-2, 2]);
    expect(Array.from(m.predict(X))).toEqual([1, 1, 1, 5, 5, 5]);
  });

  it("equal gains: the smaller feature index wins", () => {
    const base = [[1], [2], [3], [4], [5], [6]].map((r) => r[0]);
    const X = rows(base.map((v) => [v, v])); // two identical features
    const m = fitGbdt(X, [1, 1, 1, 5, 5, 5], { numRounds: 1, learningRate: 1, numLeaves: 2, minDataInLeaf: 1, minDataInBin: 1 });
    expect(m.trees[0].splitFeature[0]).toBe(0);
  });

  it("splits with empty bins in a leaf use the highest equivalent threshold (LightGBM's reverse scan)", () => {
    // Group A (f0 = 0) has f1 ∈ {1, 4}; group B (f0 = 1) has f1 ∈ {2, 3}. Inside A, thresholds
    // after bin(1), bin(2) and bin(3) give the same partition; LightGBM keeps the last one
    // scanned from the top, nextUp(3.5), so f1 = 3.2 in group A goes with f1 = 1.
    const X = rows([[0, 1], [0, 1], [0, 4], [0, 4], [1, 2], [1, 2], [1, 3], [1, 3]]);
    const y = [0, 0, 3, 3, 10, 10, 12, 12];
    const m = fitGbdt(X, y, { numRounds: 1, learningRate: 1, numLeaves: 3, minDataInLeaf: 1, minDataInBin: 1 });
    const t = m.trees[0];
    expect(t.numLeaves).toBe(3);
    expect(t.splitFeature[0]).toBe(0);
    expect(t.splitFeature[1]).toBe(1);
    expect(t.threshold[1]).toBe(nextUp(3.5));
    expect(m.predictOne([0, 3.2])).toBeCloseTo(0, 12);
    expect(m.predictOne([0, 1.6])).toBeCloseTo(0, 12);
    expect(m.predictOne([0, 3.6])).toBeCloseTo(3, 12);
  });

  it("respects numLeaves, minDataInLeaf and maxDepth on the RegMix data", () => {
    const { X, y } = headSplit();
    const m = fitGbdt(X, y("pile_cc"), { numRounds: 40, learningRate: 0.1 });
    for (const t of m.trees) {
      expect(t.numLeaves).toBeLessThanOrEqual(31);
      const counts = new Array(t.numLeaves).fill(0);
      for (const r of X) counts[leafOf(t, r)]++;
      for (const c of counts) expect(c).toBeGreaterThanOrEqual(20);
    }
    const shallow = fitGbdt(X, y("pile_cc"), { numRounds: 20, maxDepth: 3 });
    for (const t of shallow.trees) expect(depth(t)).toBeLessThanOrEqual(3);
  });

  it("boosting lowers the training error round by round (L2, lr 0.1)", () => {
    const { X, y } = headSplit();
    const target = y("arxiv");
    const err = (k: number, m: GbdtModel) => {
      const p = m.predict(X, undefined, k);
      return p.reduce((s, v, i) => s + (v - target[i]) ** 2, 0) / p.length;
    };
    const m = fitGbdt(X, target, { numRounds: 30, learningRate: 0.1 });
    for (let k = 1; k <= 30; k++) expect(err(k, m)).toBeLessThan(err(k - 1, m));
    // the model's prediction is init + Σ tree outputs
    const row = X[17];
    expect(m.predictOne(row)).toBeCloseTo(m.trees.reduce((s, t) => s + treeValue(t, row), m.initScore), 12);
  });
});

describe("GBDT: early stopping like LightGBM's Python callback", () => {
  it("stops on the first metric (l1) that stalls for `rounds` rounds, keeping its best round", () => {
    const s = new EarlyStopper(2, 3, 999);
    const history = [[5, 5], [4, 4], [4.1, 3.9], [4.2, 3.8], [4.3, 3.7]];
    expect(history.map((v, r) => s.update(r, v))).toEqual([-1, -1, -1, -1, 1]);
  });
  it("on the last round keeps the first metric's best round", () => {
    const s = new EarlyStopper(2, 3, 2);
    expect([[5, 5], [6, 4], [7, 3]].map((v, r) => s.update(r, v))).toEqual([-1, -1, 0]);
  });
  it("requires strict improvement (ties do not reset patience)", () => {
    const s = new EarlyStopper(1, 2, 99);
    expect([[3], [3], [3]].map((v, r) => s.update(r, v))).toEqual([-1, -1, 0]);
  });
  it("fitGbdt with an eval set stops `earlyStoppingRounds` after its best round", () => {
    const { X, Xt, y, yt } = headSplit();
    const m = fitGbdt(X, y("arxiv"), {}, { X: Xt, y: yt("arxiv") });
    expect(m.numTrees).toBe(m.bestIteration + 3);
    expect(m.bestIteration).toBeLessThan(1000);
    const hist = m.evalHistory!;
    expect(hist.l1.length).toBe(m.numTrees);
    expect(hist.l2.length).toBe(m.numTrees);
    // one of the metrics had its first minimum at the kept round and no strict improvement after
    const stalled = ["l1", "l2"].filter((k) => {
      const h = hist[k];
      return h.indexOf(Math.min(...h)) === m.bestIteration - 1;
    });
    expect(stalled.length).toBeGreaterThan(0);
    const noEs = fitGbdt(X, y("arxiv"), { numRounds: 50, earlyStoppingRounds: 0 }, { X: Xt, y: yt("arxiv") });
    expect(noEs.numTrees).toBe(50);
    expect(noEs.bestIteration).toBe(50);
  });
});

describe("GBDT: options, seeds, serialisation", () => {
  const rng = createRng(5);
  const X = Array.from({ length: 300 }, () => rng.dirichlet([1, 1, 1, 1, 1, 1]));
  const y = Float64Array.from(X, (w) => Math.log(1 + 3 * w[0]) - w[1] * w[2] + 0.5 * w[3] ** 2);

  it("is deterministic; bagging / feature_fraction follow the seed", () => {
    const a = fitGbdt(X, y, { numRounds: 30 }).predict(X);
    expect(Array.from(fitGbdt(X, y, { numRounds: 30, seed: 1 }).predict(X))).toEqual(Array.from(a)); // no sampling: seed irrelevant
    const opts = { numRounds: 30, baggingFraction: 0.7, baggingFreq: 1, featureFraction: 0.5 };
    const b1 = fitGbdt(X, y, { ...opts, seed: 1 }).predict(X);
    const b1again = fitGbdt(X, y, { ...opts, seed: 1 }).predict(X);
    const b2 = fitGbdt(X, y, { ...opts, seed: 2 }).predict(X);
    expect(Array.from(b1again)).toEqual(Array.from(b1));
    expect(Array.from(b2)).not.toEqual(Array.from(b1));
  });

  it("feature_fraction limits each tree to the sampled features", () => {
    const m = fitGbdt(X, y, { numRounds: 20, featureFraction: 0.34, learningRate: 0.2 }); // 2 of 6 features per tree
    for (const t of m.trees) expect(new Set(t.splitFeature).size).toBeLessThanOrEqual(2);
  });

  it("round-trips through JSON with bit-identical predictions", () => {
    const m = fitGbdt(X, y, { numRounds: 60 });
    const copy = GbdtModel.fromJSON(JSON.parse(JSON.stringify(m)));
    expect(copy.numTrees).toBe(m.numTrees);
    expect(copy.bestIteration).toBe(m.bestIteration);
    expect(Array.from(copy.predict(X))).toEqual(Array.from(m.predict(X)));
    expect(() => GbdtModel.fromJSON({ format: "nope" } as never)).toThrow(expect.objectContaining({ code: "MODEL_BAD_JSON" }));
  });

  it("rejects bad options and inputs with MixlabError", () => {
    expect(() => fitGbdt(X, y, { numLeaves: 1 })).toThrow(expect.objectContaining({ code: "GBDT_BAD_OPTION" }));
    expect(() => fitGbdt(X, y, { evalMetrics: ["rmse" as never] })).toThrow(expect.objectContaining({ code: "GBDT_BAD_OPTION" }));
    expect(() => fitGbdt(X, y.slice(1))).toThrow(expect.objectContaining({ code: "DESIGN_SHAPE" }));
    expect(() => fitGbdt([Float64Array.of(NaN)], [1])).toThrow(expect.objectContaining({ code: "DESIGN_NOT_FINITE" }));
    expect(() => fitGbdt(X, y, {}, { X: [Float64Array.of(1, 2)], y: [1] })).toThrow(expect.objectContaining({ code: "DESIGN_SHAPE" }));
  });

  it("too few rows to split: predicts the mean", () => {
    const m = fitGbdt(rows([[0.1], [0.2], [0.3]]), [1, 2, 6]);
    expect(m.numTrees).toBe(0);
    expect(m.predictOne([0.5])).toBe(3);
  });
});
