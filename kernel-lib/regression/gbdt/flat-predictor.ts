/**
 * A forest compiled into flat typed arrays for fast batch prediction (RegMix predicts ~1M
 * candidate mixtures × ~1000 trees). Nodes of each tree are laid out breadth-first with
 * siblings adjacent, so a step is `k = child[k] + (go right ? 1 : 0)` — no left/right branch:
 *   feature[k]  split feature, or −1 for a leaf
 *   value[k]    split threshold (go left when x ≤ value), or the leaf output for a leaf
 *   child[k]    index of the left child (right = left + 1); a leaf points to itself
 *
 * Batch path (measured fastest of the variants tried, ~2× the plain loop): every threshold of a
 * feature is replaced by its rank among that feature's distinct thresholds, and each block of
 * 256 input rows is converted once to those ranks ("bins": x ≤ cut[r] ⟺ bin(x) ≤ r). A node is
 * then one int32 — local child (bits 17–31) | rank (9–16) | leaf flag (8) | feature (0–7) — and
 * "go right" is the sign bit of rank − bin, pure integer arithmetic with no data-dependent
 * branch. Within a block, trees are visited one by one (a tree's nodes stay in L1) and rows are
 * walked four at a time, interleaved, so the four dependent load chains overlap; a row that
 * reaches its leaf first spins there (leaves loop to themselves with rank 255 ≥ any bin).
 * Forests that do not fit the bit budget (> 256 features, > 255 distinct thresholds of a
 * feature, > 16384 leaves per tree) use the plain double-compare loop.
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
  /** Packed nodes for the batch path, or null when the forest does not fit the bit budget. */
  packed: Int32Array | null;
  /** Per feature, its distinct split thresholds ascending (the batch path's bin edges). */
  cuts: Float64Array[] | null;
}

const LEAF_FLAG = 256;
const LEAF_RANK = 255;

/**
 * Compile the first `numTrees` trees (plus `initScore`) into a {@link FlatForest}.
 *
 * @example
 * const forest = compileForest(model.trees, model.bestIteration, model.initScore, 17);
 */
export function compileForest(trees: readonly Tree[], numTrees: number, initScore: number, numFeatures: number): FlatForest {
  const T = Math.max(0, Math.min(numTrees, trees.length));
  let total = 0;
  for (let t = 0; t < T; t++) total += 2 * trees[t].numLeaves - 1;
  const feature = new Int32Array(total);
  const value = new Float64Array(total);
  const child = new Int32Array(total);
  const root = new Int32Array(T);
  let next = 0;
  let maxTreeNodes = 0;
  for (let t = 0; t < T; t++) {
    const tree = trees[t];
    const bias = t === 0 ? initScore : 0;
    root[t] = next;
    maxTreeNodes = Math.max(maxTreeNodes, 2 * tree.numLeaves - 1);
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
  const forest: FlatForest = { numFeatures, numTrees: T, base: T > 0 ? 0 : initScore, root, feature, value, child, packed: null, cuts: null };
  if (numFeatures <= 256 && maxTreeNodes <= 32768) packForest(forest);
  return forest;
}

/** Fill `packed` and `cuts` when every feature has ≤ 255 distinct thresholds. */
function packForest(f: FlatForest): void {
  const d = f.numFeatures;
  const perFeature: number[][] = Array.from({ length: d }, () => []);
  for (let k = 0; k < f.feature.length; k++) if (f.feature[k] >= 0) perFeature[f.feature[k]].push(f.value[k]);
  const cuts = perFeature.map((vals) => Float64Array.from(new Set(vals)).sort());
  if (cuts.some((c) => c.length > LEAF_RANK)) return;
  const packed = new Int32Array(f.feature.length);
  for (let t = 0; t < f.numTrees; t++) {
    const r = f.root[t];
    const end = t + 1 < f.numTrees ? f.root[t + 1] : f.feature.length;
    for (let k = r; k < end; k++) {
      const feat = f.feature[k];
      if (feat < 0) {
        packed[k] = ((k - r) << 17) | (LEAF_RANK << 9) | LEAF_FLAG; // feature 0, rank 255: loops to itself
      } else {
        const rank = lowerBound(cuts[feat], f.value[k]);
        packed[k] = ((f.child[k] - r) << 17) | (rank << 9) | feat;
      }
    }
  }
  f.packed = packed;
  f.cuts = cuts;
}

/** First index i with cuts[i] ≥ x (= number of cuts below x). */
function lowerBound(cuts: Float64Array, x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows per block: 256 rows × d bins as int32 (17 features: 17 KB) stay in L1. */
const BLOCK_ROWS = 256;

/**
 * Predict N rows given as one flat row-major Float64Array (N × numFeatures). Writes into `out`
 * (allocated when omitted) and returns it. Inputs must be finite.
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
  if (forest.packed && forest.cuts) predictPacked(forest, forest.packed, forest.cuts, X, n, res);
  else predictPlain(forest, X, n, res);
  return res;
}

/** The batch path: ranks per block, packed nodes, four rows interleaved. */
function predictPacked(forest: FlatForest, packed: Int32Array, cuts: Float64Array[], X: Float64Array, n: number, res: Float64Array): void {
  const d = forest.numFeatures;
  const { root, value, numTrees, base } = forest;
  const bins = new Int32Array(BLOCK_ROWS * d);
  for (let b0 = 0; b0 < n; b0 += BLOCK_ROWS) {
    const nb = Math.min(n, b0 + BLOCK_ROWS) - b0;
    for (let f = 0; f < d; f++) {
      const c = cuts[f];
      for (let i = 0, src = b0 * d + f, dst = f; i < nb; i++, src += d, dst += d) bins[dst] = lowerBound(c, X[src]);
    }
    for (let i = 0; i < nb; i++) res[b0 + i] = base;
    for (let t = 0; t < numTrees; t++) {
      const r = root[t];
      const p = packed[r];
      let i = 0;
      for (; i + 4 <= nb; i += 4) {
        const o0 = i * d;
        const o1 = o0 + d;
        const o2 = o1 + d;
        const o3 = o2 + d;
        let k0 = r, k1 = r, k2 = r, k3 = r;
        let p0 = p, p1 = p, p2 = p, p3 = p;
        while ((p0 & p1 & p2 & p3 & LEAF_FLAG) === 0) {
          k0 = r + (p0 >>> 17) + ((((p0 >> 9) & 255) - bins[o0 + (p0 & 255)]) >>> 31);
          k1 = r + (p1 >>> 17) + ((((p1 >> 9) & 255) - bins[o1 + (p1 & 255)]) >>> 31);
          k2 = r + (p2 >>> 17) + ((((p2 >> 9) & 255) - bins[o2 + (p2 & 255)]) >>> 31);
          k3 = r + (p3 >>> 17) + ((((p3 >> 9) & 255) - bins[o3 + (p3 & 255)]) >>> 31);
          p0 = packed[k0];
          p1 = packed[k1];
          p2 = packed[k2];
          p3 = packed[k3];
        }
        res[b0 + i] += value[k0];
        res[b0 + i + 1] += value[k1];
        res[b0 + i + 2] += value[k2];
        res[b0 + i + 3] += value[k3];
      }
      for (; i < nb; i++) {
        const o = i * d;
        let k = r;
        let q = p;
        while ((q & LEAF_FLAG) === 0) {
          k = r + (q >>> 17) + ((((q >> 9) & 255) - bins[o + (q & 255)]) >>> 31);
          q = packed[k];
        }
        res[b0 + i] += value[k];
      }
    }
  }
}

/** The general path: double thresholds, one row at a time, trees in the inner loop per block. */
function predictPlain(forest: FlatForest, X: Float64Array, n: number, res: Float64Array): void {
  const d = forest.numFeatures;
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

/**
 * Predict with the general (double-compare) path even when the batch path is available — the
 * reference the batch path is tested against.
 *
 * @example
 * predictForestPlain(forest, candidates); // same numbers as predictForest
 */
export function predictForestPlain(forest: FlatForest, X: Float64Array, out?: Float64Array): Float64Array {
  return predictForest({ ...forest, packed: null, cuts: null }, X, out);
}
