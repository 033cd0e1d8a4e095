/**
 * A forest compiled into three flat typed arrays for fast batch prediction (RegMix predicts
 * ~1M candidate mixtures × ~1000 trees). Node layout, per tree, siblings adjacent:
 *   feature[k]   split feature, or −1 for a leaf
 *   value[k]     split threshold (go left when x ≤ value), or the leaf output for a leaf
 *   child[k]     index of the left child; the right child is child[k] + 1
 * so one step is `k = child[k] + (x[feature[k]] > value[k])` — no left/right branch, one
 * comparison feeding an add. Rows are processed in blocks (a block of raw rows stays in L1/L2)
 * and, within a block, tree by tree (the tree's nodes stay in L1), accumulating into `out`.
 * The init score is folded into the first tree's leaves, as LightGBM's `AddBias` does.
 */
import { MixlabError } from "../../util/errors.js";
import type { Tree } from "./tree.js";

/** Compiled forest (see the file comment for the layout). */
export interface FlatForest {
  numFeatures: number;
  numTrees: number;
  /** Prediction of an empty forest (the init score); zero when folded into tree 0. */
  base: number;
  /** numTrees roots into the node arrays. */
  root: Int32Array;
  feature: Int32Array;
  value: Float64Array;
  child: Int32Array;
}

/**
 * Compile the first `numTrees` trees (plus `initScore`) into a {@link FlatForest}.
 *
 * @example
 * const forest = compileForest(model.trees, model.bestIteration, model.initScore, 17);
 */
export function compileForest(trees: readonly Tree[], numTrees: number, initScore: number, numFeatures: number): FlatForest {
  const T = Math.min(numTrees, trees.length);
  let total = 0;
  for (let t = 0; t < T; t++) total += 2 * trees[t].numLeaves - 1;
  const feature = new Int32Array(total);
  const value = new Float64Array(total);
  const child = new Int32Array(total);
  const root = new Int32Array(T);
  let next = 0;
  for (let t = 0; t < T; t++) {
    const tree = trees[t];
    const bias = t === 0 ? initScore : 0;
    root[t] = next;
    // Breadth-first: each internal node gets two consecutive slots for its children.
    const queue: number[] = [tree.numLeaves > 1 ? 0 : ~0]; // LightGBM refs: ≥0 internal, <0 ~leaf
    const slots: number[] = [next++];
    for (let q = 0; q < queue.length; q++) {
      const ref = queue[q];
      const k = slots[q];
      if (ref < 0) {
        feature[k] = -1;
        value[k] = tree.leafValue[~ref] + bias;
        child[k] = k;
      } else {
        feature[k] = tree.splitFeature[ref];
        value[k] = tree.threshold[ref];
        child[k] = next;
        queue.push(tree.leftChild[ref], tree.rightChild[ref]);
        slots.push(next, next + 1);
        next += 2;
      }
    }
  }
  return { numFeatures, numTrees: T, base: T > 0 ? 0 : initScore, root, feature, value, child };
}

/** Rows per block: 256 rows × 17 features × 8 B ≈ 35 KB of inputs. */
const BLOCK_ROWS = 256;

/**
 * Predict N rows given as one flat row-major Float64Array (N × numFeatures). Writes into `out`
 * (allocated when omitted) and returns it.
 *
 * @example
 * const preds = predictForest(forest, candidates); // candidates.length / 17 predictions
 */
export function predictForest(forest: FlatForest, X: Float64Array, out?: Float64Array): Float64Array {
  const d = forest.numFeatures;
  if (d === 0 ? X.length !== 0 : X.length % d !== 0) {
    throw new MixlabError("PREDICT_SHAPE", `flat input of length ${X.length} is not a multiple of ${d} features`);
  }
  const n = d === 0 ? 0 : X.length / d;
  const res = out ?? new Float64Array(n);
  if (res.length < n) throw new MixlabError("PREDICT_SHAPE", `output has room for ${res.length} rows, need ${n}`);
  const { root, feature, value, child, numTrees, base } = forest;
  for (let b0 = 0; b0 < n; b0 += BLOCK_ROWS) {
    const b1 = Math.min(n, b0 + BLOCK_ROWS);
    for (let i = b0; i < b1; i++) res[i] = base;
    for (let t = 0; t < numTrees; t++) {
      const r = root[t];
      for (let i = b0; i < b1; i++) {
        const o = i * d;
        let k = r;
        let f = feature[k];
        while (f >= 0) {
          k = child[k] + (X[o + f] > value[k] ? 1 : 0);
          f = feature[k];
        }
        res[i] += value[k];
      }
    }
  }
  return res;
}

/**
 * Predict one raw row.
 *
 * @example
 * predictForestOne(forest, Float64Array.of(...mixture)); // a number
 */
export function predictForestOne(forest: FlatForest, row: ArrayLike<number>): number {
  const { root, feature, value, child, numTrees } = forest;
  let s = forest.base;
  for (let t = 0; t < numTrees; t++) {
    let k = root[t];
    let f = feature[k];
    while (f >= 0) {
      k = child[k] + (row[f] > value[k] ? 1 : 0);
      f = feature[k];
    }
    s += value[k];
  }
  return s;
}
