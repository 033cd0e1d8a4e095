/**
 * Leaf-wise (best-first) growth of one tree, following LightGBM's `SerialTreeLearner::Train`:
 * keep the best split of every leaf; repeatedly split the leaf with the largest gain (ties: the
 * smaller feature, then the lower leaf index) until `numLeaves` leaves or no positive gain.
 * After a split only the child with fewer rows gets a histogram built from its rows; the other
 * is parent − that (in place on the parent's histogram slot, which moves to that child). A
 * feature that had no valid split in the parent is skipped in both children, as LightGBM does.
 * Every buffer is allocated once per fit and reused for every tree.
 */
import type { BinnedDataset } from "./dataset.js";
import { buildHistogram, subtractFeature } from "./histogram.js";
import type { GbdtOptions } from "./options.js";
import { findBestThreshold, leafOutput, type SplitConfig } from "./split-finder.js";
import { TreeBuilder } from "./tree.js";

/**
 * Grows trees on one binned dataset; `train` returns the (reused) {@link TreeBuilder}.
 *
 * @example
 * const learner = new LeafwiseLearner(binDataset(rows, { maxBin: 255, minDataInBin: 3 }), resolveGbdtOptions());
 * const tree = learner.train(gradients); // gradients: Float32Array, one per row
 */
export class LeafwiseLearner {
  readonly tree: TreeBuilder;
  private readonly ds: BinnedDataset;
  private readonly cfg: SplitConfig;
  private readonly maxLeaves: number;
  private readonly maxDepth: number;
  /** Row indices grouped by leaf: leaf l owns indices[leafBegin[l], leafBegin[l]+leafCount[l]). */
  readonly indices: Int32Array;
  private readonly scratch: Int32Array;
  readonly leafBegin: Int32Array;
  readonly leafCount: Int32Array;
  private readonly leafSumGrad: Float64Array;
  /** maxLeaves slots of 2·totalBins doubles; slotOfLeaf maps a leaf to its slot. */
  private readonly hist: Float64Array;
  private readonly slotOfLeaf: Int32Array;
  /** slot × feature: the feature had a valid split when this slot's leaf was scanned. */
  private readonly splittable: Uint8Array;
  private readonly bestGain: Float64Array;
  private readonly bestFeature: Int32Array;
  private readonly bestThreshold: Int32Array;
  private readonly bestLeftGrad: Float64Array;
  private readonly bestLeftCount: Int32Array;
  private readonly used: Int32Array;
  private readonly out = new Float64Array(4);
  /** Inner features allowed in the current tree (feature_fraction); all 1 by default. */
  readonly featureAllowed: Uint8Array;
  private numInBag: number;

  constructor(ds: BinnedDataset, opts: GbdtOptions) {
    this.ds = ds;
    this.cfg = {
      minDataInLeaf: opts.minDataInLeaf,
      minSumHessianInLeaf: opts.minSumHessianInLeaf,
      lambdaL1: opts.lambdaL1,
      lambdaL2: opts.lambdaL2,
      minGainToSplit: opts.minGainToSplit,
    };
    const L = opts.numLeaves;
    const d = ds.numFeatures;
    this.maxLeaves = L;
    this.maxDepth = opts.maxDepth;
    this.tree = new TreeBuilder(L);
    this.indices = new Int32Array(ds.numRows);
    this.scratch = new Int32Array(ds.numRows);
    for (let i = 0; i < ds.numRows; i++) this.indices[i] = i;
    this.numInBag = ds.numRows;
    this.leafBegin = new Int32Array(L);
    this.leafCount = new Int32Array(L);
    this.leafSumGrad = new Float64Array(L);
    this.hist = new Float64Array(L * 2 * ds.totalBins);
    this.slotOfLeaf = Int32Array.from({ length: L }, (_, i) => i);
    this.splittable = new Uint8Array(L * d);
    this.bestGain = new Float64Array(L);
    this.bestFeature = new Int32Array(L);
    this.bestThreshold = new Int32Array(L);
    this.bestLeftGrad = new Float64Array(L);
    this.bestLeftCount = new Int32Array(L);
    this.used = new Int32Array(d);
    this.featureAllowed = new Uint8Array(d).fill(1);
  }

  /** Restrict the next trees to the rows `bag[0, count)` (sorted ascending); null = all rows. */
  setBag(bag: Int32Array | null, count = 0): void {
    if (bag === null) {
      for (let i = 0; i < this.ds.numRows; i++) this.indices[i] = i;
      this.numInBag = this.ds.numRows;
    } else {
      this.indices.set(bag.subarray(0, count));
      this.numInBag = count;
    }
  }

  /** Rows used by the current bag (all rows unless {@link setBag} restricted them). */
  get bagSize(): number {
    return this.numInBag;
  }

  /**
   * Grow one tree on gradients `grad` (float32, as LightGBM's score_t; hessians are 1). Leaf
   * values are −G/H, not yet shrunk.
   */
  train(grad: Float32Array): TreeBuilder {
    const nIn = this.numInBag;
    // Rows back in bag order for the root (every tree starts from the same partition).
    if (nIn === this.ds.numRows) for (let i = 0; i < nIn; i++) this.indices[i] = i;
    else this.indices.subarray(0, nIn).sort();
    let sumGrad = 0;
    for (let k = 0; k < nIn; k++) sumGrad += grad[this.indices[k]];
    this.leafBegin[0] = 0;
    this.leafCount[0] = nIn;
    this.leafSumGrad[0] = sumGrad;
    this.tree.reset(leafOutput(sumGrad, nIn, this.cfg.lambdaL1, this.cfg.lambdaL2));
    this.bestGain.fill(-Infinity);
    this.bestFeature.fill(-1);
    for (let i = 0; i < this.maxLeaves; i++) this.slotOfLeaf[i] = i;

    let left = 0;
    let right = -1;
    for (let s = 0; s < this.maxLeaves - 1; s++) {
      this.findSplitsOfChildren(left, right, grad);
      // Leaf with the best split (gain, then smaller feature, then lower leaf index).
      let best = 0;
      for (let l = 1; l < this.tree.numLeaves; l++) {
        const g = this.bestGain[l];
        const gb = this.bestGain[best];
        if (g > gb || (g === gb && g !== -Infinity && featureRank(this.bestFeature[l]) < featureRank(this.bestFeature[best]))) best = l;
      }
      if (!(this.bestGain[best] > 0)) break;
      left = best;
      right = this.splitLeaf(best);
    }
    return this.tree;
  }

  /** `BeforeFindBestSplit` + `FindBestSplits` for the two children of the last split (or the root). */
  private findSplitsOfChildren(left: number, right: number, grad: Float32Array): void {
    const minData = this.cfg.minDataInLeaf;
    if (this.maxDepth > 0 && this.tree.leafDepth[left] >= this.maxDepth) {
      this.bestGain[left] = -Infinity;
      if (right >= 0) this.bestGain[right] = -Infinity;
      return;
    }
    const nLeft = this.leafCount[left];
    const nRight = right >= 0 ? this.leafCount[right] : 0;
    if (nRight < 2 * minData && nLeft < 2 * minData) {
      this.bestGain[left] = -Infinity;
      if (right >= 0) this.bestGain[right] = -Infinity;
      return;
    }
    let smaller: number;
    let larger: number;
    if (right < 0) {
      smaller = left;
      larger = -1;
    } else if (nLeft < nRight) {
      // The parent's histogram (in left's slot) moves to the larger right child.
      const t = this.slotOfLeaf[left];
      this.slotOfLeaf[left] = this.slotOfLeaf[right];
      this.slotOfLeaf[right] = t;
      smaller = left;
      larger = right;
    } else {
      smaller = right;
      larger = left;
    }
    const d = this.ds.numFeatures;
    const smallSlot = this.slotOfLeaf[smaller];
    const largeSlot = larger >= 0 ? this.slotOfLeaf[larger] : -1;
    let numUsed = 0;
    for (let f = 0; f < d; f++) {
      if (!this.featureAllowed[f]) continue;
      if (largeSlot >= 0 && !this.splittable[largeSlot * d + f]) {
        this.splittable[smallSlot * d + f] = 0;
        continue;
      }
      this.used[numUsed++] = f;
    }
    const smallBase = smallSlot * 2 * this.ds.totalBins;
    const begin = this.leafBegin[smaller];
    buildHistogram(this.hist, smallBase, this.ds, this.indices, begin, begin + this.leafCount[smaller], grad);
    this.scanLeaf(smaller, smallSlot, numUsed, -1);
    if (larger >= 0) this.scanLeaf(larger, largeSlot, numUsed, smallBase);
  }

  /**
   * Best split over the used features of one leaf, stored in the leaf's best* slots. With
   * `subtractBase` ≥ 0 the leaf's slot still holds its parent's histogram: each feature is first
   * turned into parent − sibling (the subtraction trick, feature by feature so it stays in cache).
   */
  private scanLeaf(leaf: number, slot: number, numUsed: number, subtractBase: number): void {
    const d = this.ds.numFeatures;
    const base = slot * 2 * this.ds.totalBins;
    const sumGrad = this.leafSumGrad[leaf];
    const count = this.leafCount[leaf];
    if (count < 2 * this.cfg.minDataInLeaf) {
      // No threshold can leave minDataInLeaf rows on both sides, so the leaf is never split and
      // its histogram and `splittable` flags are never read: skip the scan (and subtraction).
      this.bestGain[leaf] = -Infinity;
      this.bestFeature[leaf] = -1;
      return;
    }
    const out = this.out;
    let bestGain = -Infinity;
    let bestFeature = -1;
    for (let u = 0; u < numUsed; u++) {
      const f = this.used[u];
      if (subtractBase >= 0) subtractFeature(this.hist, base, subtractBase, this.ds.binOffset, f);
      const ok = findBestThreshold(this.hist, base + 2 * this.ds.binOffset[f], this.ds.mappers[f].numBins, sumGrad, count, this.cfg, out);
      this.splittable[slot * d + f] = ok ? 1 : 0;
      // Features ascend, so strict > keeps the smaller feature on equal gains.
      // out = [gain, threshold bin, left gradient sum, left count] (split-finder's SPLIT_* slots)
      if (ok && out[0] > bestGain) {
        bestGain = out[0];
        bestFeature = f;
        this.bestThreshold[leaf] = out[1];
        this.bestLeftGrad[leaf] = out[2];
        this.bestLeftCount[leaf] = out[3];
      }
    }
    this.bestGain[leaf] = bestGain;
    this.bestFeature[leaf] = bestFeature;
  }

  /** Apply the stored best split of `leaf`: partition its rows (stable), grow the tree. */
  private splitLeaf(leaf: number): number {
    const d = this.ds.numFeatures;
    const f = this.bestFeature[leaf];
    const thr = this.bestThreshold[leaf];
    const begin = this.leafBegin[leaf];
    const count = this.leafCount[leaf];
    const bins = this.ds.bins;
    const idx = this.indices;
    let nl = 0;
    let nr = 0;
    for (let k = begin; k < begin + count; k++) {
      const i = idx[k];
      if (bins[i * d + f] <= thr) idx[begin + nl++] = i;
      else this.scratch[nr++] = i;
    }
    idx.set(this.scratch.subarray(0, nr), begin + nl);
    const sumGrad = this.leafSumGrad[leaf];
    const leftGrad = this.bestLeftGrad[leaf];
    const rightGrad = sumGrad - leftGrad;
    const { lambdaL1: l1, lambdaL2: l2 } = this.cfg;
    const right = this.tree.split(leaf, f, thr, this.ds.mappers[f].upperBounds[thr], leafOutput(leftGrad, nl, l1, l2), leafOutput(rightGrad, nr, l1, l2));
    this.leafCount[leaf] = nl;
    this.leafBegin[right] = begin + nl;
    this.leafCount[right] = nr;
    this.leafSumGrad[leaf] = leftGrad;
    this.leafSumGrad[right] = rightGrad;
    return right;
  }
}

/** Feature index for tie-breaking; "no feature" (-1) ranks last, as in LightGBM's SplitInfo. */
function featureRank(f: number): number {
  return f < 0 ? 0x7fffffff : f;
}
