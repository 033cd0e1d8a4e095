/**
 * Gradient histograms. A leaf's histogram is a slice of one `Float64Array` holding, for every
 * bin of every inner feature, the pair (sum of gradients, row count) at [2·bin, 2·bin+1]; with
 * the L2 objective the hessian is 1 per row, so the count is the hessian sum. Only the smaller
 * child of a split is built from rows; the larger one is parent − smaller (the subtraction
 * trick), done in place on the parent's slice.
 *
 * Bin 0 of every feature is never accumulated: the split scan never reads it (the left side is
 * leaf − right, as in LightGBM, which likewise omits a feature's most frequent bin 0). Mixture
 * weights are ~45% zeros, which all land in bin 0, so rows are stored sparsely (see
 * `BinnedDataset.rowPos`) and a build touches only their nonzero-bin entries.
 */
import type { BinnedDataset } from "./dataset.js";

/**
 * Zero the slice at `base` and accumulate rows `indices[begin, end)` of `ds` into it (every
 * feature; the caller only reads the features it scans).
 *
 * @example
 * buildHistogram(hist, 0, ds, idx, 0, n, grad);
 */
export function buildHistogram(hist: Float64Array, base: number, ds: BinnedDataset, indices: Int32Array, begin: number, end: number, grad: Float32Array): void {
  hist.fill(0, base, base + 2 * ds.totalBins);
  const { rowStart, rowPos } = ds;
  for (let k = begin; k < end; k++) {
    const i = indices[k];
    const g = grad[i];
    const e = rowStart[i + 1];
    for (let j = rowStart[i]; j < e; j++) {
      const p = base + rowPos[j];
      hist[p] += g;
      hist[p + 1] += 1;
    }
  }
}

/**
 * In place, for one feature f: histogram at `largerBase` −= histogram at `smallerBase`.
 *
 * @example
 * subtractFeature(hist, parentBase, smallBase, ds.binOffset, f);
 */
export function subtractFeature(hist: Float64Array, largerBase: number, smallerBase: number, binOffset: Int32Array, f: number): void {
  // bin 0 is skipped: it is never accumulated nor read
  const to = 2 * binOffset[f + 1];
  for (let p = 2 * binOffset[f] + 2; p < to; p++) hist[largerBase + p] -= hist[smallerBase + p];
}
