/**
 * Gradient histograms. A leaf's histogram is a slice of one `Float64Array` holding, for every
 * bin of every inner feature, the pair (sum of gradients, row count) at [2·bin, 2·bin+1]; with
 * the L2 objective the hessian is 1 per row, so the count is the hessian sum. Only the smaller
 * child of a split is built from rows; the larger one is parent − smaller (the subtraction
 * trick), done in place on the parent's slice.
 */

/**
 * Accumulate the rows `indices[begin, end)` into the histogram at `base`, for the inner features
 * listed in `used[0, numUsed)` (their ranges are zeroed first).
 *
 * @example
 * buildHistogram(hist, 0, ds.bins, ds.numFeatures, ds.binOffset, used, used.length, idx, 0, n, grad);
 */
export function buildHistogram(
  hist: Float64Array, base: number, bins: Uint16Array, numFeatures: number, binOffset: Int32Array,
  used: Int32Array, numUsed: number, indices: Int32Array, begin: number, end: number, grad: Float32Array,
): void {
  for (let u = 0; u < numUsed; u++) {
    const f = used[u];
    hist.fill(0, base + 2 * binOffset[f], base + 2 * binOffset[f + 1]);
  }
  if (numUsed === numFeatures) {
    // All features: skip the `used` indirection; bin offsets folded into the row loop.
    for (let k = begin; k < end; k++) {
      const i = indices[k];
      const g = grad[i];
      const rb = i * numFeatures;
      for (let f = 0; f < numFeatures; f++) {
        const p = base + ((binOffset[f] + bins[rb + f]) << 1);
        hist[p] += g;
        hist[p + 1] += 1;
      }
    }
    return;
  }
  for (let k = begin; k < end; k++) {
    const i = indices[k];
    const g = grad[i];
    const rb = i * numFeatures;
    for (let u = 0; u < numUsed; u++) {
      const f = used[u];
      const p = base + ((binOffset[f] + bins[rb + f]) << 1);
      hist[p] += g;
      hist[p + 1] += 1;
    }
  }
}

/**
 * In place: histogram at `largerBase` −= histogram at `smallerBase`, over the used features.
 *
 * @example
 * subtractHistogram(hist, parentBase, smallBase, ds.binOffset, used, used.length);
 */
export function subtractHistogram(hist: Float64Array, largerBase: number, smallerBase: number, binOffset: Int32Array, used: Int32Array, numUsed: number): void {
  for (let u = 0; u < numUsed; u++) {
    const f = used[u];
    const from = 2 * binOffset[f];
    const to = 2 * binOffset[f + 1];
    for (let p = from; p < to; p++) hist[largerBase + p] -= hist[smallerBase + p];
  }
}
