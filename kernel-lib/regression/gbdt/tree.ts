/**
 * One regression tree in LightGBM's layout (`Tree` in src/io/tree.cpp): internal nodes
 * 0..numLeaves−2 in the order they were split, leaves 0..numLeaves−1; a child pointer ≥ 0 is an
 * internal node, a negative one is `~leaf`. A row goes left when `x[feature] <= threshold`.
 */

/** A finished tree (arrays sized exactly; the unit stored in a model and in JSON). */
export interface Tree {
  numLeaves: number;
  /** numLeaves−1 entries each. */
  splitFeature: Int32Array;
  threshold: Float64Array;
  leftChild: Int32Array;
  rightChild: Int32Array;
  /** numLeaves leaf outputs (already multiplied by the learning rate). */
  leafValue: Float64Array;
}

/**
 * A tree being grown: fixed-capacity arrays plus the bin-space thresholds used in training.
 *
 * @example
 * const tb = new TreeBuilder(31);
 * tb.reset(0);
 * const right = tb.split(0, 2, 5, 0.125, -0.1, 0.2); // leaf 0 → leaves 0 (x[2] ≤ 0.125) and 1
 */
export class TreeBuilder {
  numLeaves = 1;
  readonly splitFeature: Int32Array;
  /** Threshold as a bin index of the split feature (go left when bin <= thresholdBin). */
  readonly thresholdBin: Int32Array;
  readonly threshold: Float64Array;
  readonly leftChild: Int32Array;
  readonly rightChild: Int32Array;
  readonly leafValue: Float64Array;
  readonly leafParent: Int32Array;
  readonly leafDepth: Int32Array;

  constructor(readonly maxLeaves: number) {
    this.splitFeature = new Int32Array(maxLeaves - 1);
    this.thresholdBin = new Int32Array(maxLeaves - 1);
    this.threshold = new Float64Array(maxLeaves - 1);
    this.leftChild = new Int32Array(maxLeaves - 1);
    this.rightChild = new Int32Array(maxLeaves - 1);
    this.leafValue = new Float64Array(maxLeaves);
    this.leafParent = new Int32Array(maxLeaves);
    this.leafDepth = new Int32Array(maxLeaves);
  }

  /** Back to a single root leaf with output `rootValue`. */
  reset(rootValue: number): void {
    this.numLeaves = 1;
    this.leafValue[0] = rootValue;
    this.leafParent[0] = -1;
    this.leafDepth[0] = 0;
  }

  /**
   * Split `leaf` (LightGBM `Tree::Split`): the left child keeps the leaf's index, the right child
   * gets index numLeaves; returns the right leaf's index.
   */
  split(leaf: number, feature: number, thresholdBin: number, threshold: number, leftValue: number, rightValue: number): number {
    const node = this.numLeaves - 1;
    const parent = this.leafParent[leaf];
    if (parent >= 0) {
      if (this.leftChild[parent] === ~leaf) this.leftChild[parent] = node;
      else this.rightChild[parent] = node;
    }
    const right = this.numLeaves;
    this.splitFeature[node] = feature;
    this.thresholdBin[node] = thresholdBin;
    this.threshold[node] = threshold;
    this.leftChild[node] = ~leaf;
    this.rightChild[node] = ~right;
    this.leafParent[leaf] = node;
    this.leafParent[right] = node;
    const depth = this.leafDepth[leaf] + 1;
    this.leafDepth[leaf] = depth;
    this.leafDepth[right] = depth;
    this.leafValue[leaf] = Number.isNaN(leftValue) ? 0 : leftValue;
    this.leafValue[right] = Number.isNaN(rightValue) ? 0 : rightValue;
    this.numLeaves++;
    return right;
  }

  /** Multiply leaf outputs by the learning rate (LightGBM `Tree::Shrinkage`, tiny values → 0). */
  shrink(rate: number): void {
    for (let i = 0; i < this.numLeaves; i++) {
      const v = this.leafValue[i] * rate;
      this.leafValue[i] = Math.abs(v) <= ZERO_OUTPUT ? 0 : v;
    }
  }

  /** Leaf reached by a binned row (`bins[base + f]` is feature f's bin). */
  leafOfBinnedRow(bins: Uint16Array, base: number): number {
    if (this.numLeaves === 1) return 0;
    let node = 0;
    while (node >= 0) {
      node = bins[base + this.splitFeature[node]] <= this.thresholdBin[node] ? this.leftChild[node] : this.rightChild[node];
    }
    return ~node;
  }

  /** A right-sized copy (feature indices mapped through `realFeature`). */
  freeze(realFeature: Int32Array): Tree {
    const m = this.numLeaves - 1;
    const splitFeature = new Int32Array(m);
    for (let i = 0; i < m; i++) splitFeature[i] = realFeature[this.splitFeature[i]];
    return {
      numLeaves: this.numLeaves,
      splitFeature,
      threshold: this.threshold.slice(0, m),
      leftChild: this.leftChild.slice(0, m),
      rightChild: this.rightChild.slice(0, m),
      leafValue: this.leafValue.slice(0, this.numLeaves),
    };
  }
}

/** LightGBM `kZeroThreshold` used by `MaybeRoundToZero`. */
const ZERO_OUTPUT = Math.fround(1e-35);

/**
 * Output of a finished tree for one raw row.
 *
 * @example
 * treeValue(tree, Float64Array.of(0.1, 0.9)); // a leaf value
 */
export function treeValue(tree: Tree, row: ArrayLike<number>): number {
  if (tree.numLeaves === 1) return tree.leafValue[0];
  let node = 0;
  while (node >= 0) node = row[tree.splitFeature[node]] <= tree.threshold[node] ? tree.leftChild[node] : tree.rightChild[node];
  return tree.leafValue[~node];
}
