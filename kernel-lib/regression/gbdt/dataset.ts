/**
 * The binned training set: per-feature bin boundaries from the training rows, trivial features
 * dropped (LightGBM's `feature_pre_filter`), every row's bins stored row-major in one
 * `Uint16Array` (n × numFeatures) for partitioning, and the nonzero bins again as sparse rows
 * for histogram construction. Bins come from all training rows (LightGBM samples
 * `bin_construct_sample_cnt` = 200 000 rows when there are more; RegMix has hundreds).
 */
import { findBins, valueToBin, type BinMapper } from "./binning.js";

/** Training rows after binning. "Inner" features are the kept ones, numbered 0..numFeatures−1. */
export interface BinnedDataset {
  numRows: number;
  /** Features of the raw rows. */
  numRealFeatures: number;
  /** Kept (non-trivial) features. */
  numFeatures: number;
  /** Inner feature → raw column index. */
  realFeature: Int32Array;
  /** Inner feature → its bins. */
  mappers: BinMapper[];
  /** Inner feature f's histogram occupies bins [binOffset[f], binOffset[f+1]). */
  binOffset: Int32Array;
  totalBins: number;
  /** numRows × numFeatures bin indices, row-major. */
  bins: Uint16Array;
  /**
   * Sparse rows for histogram building: row i's entries are rowPos[rowStart[i], rowStart[i+1]),
   * each the histogram position 2·(binOffset[f] + bin) of a feature whose bin is not 0.
   */
  rowStart: Int32Array;
  rowPos: Int32Array;
}

/**
 * Bin training rows (all finite). `preFilterMinData` drops features no boundary of which leaves
 * that many rows on both sides.
 *
 * @example
 * const ds = binDataset(rows, { maxBin: 255, minDataInBin: 3, preFilterMinData: 20 });
 * ds.bins[0 * ds.numFeatures + 2]; // bin of row 0, inner feature 2
 */
export function binDataset(rows: Float64Array[], opts: { maxBin: number; minDataInBin: number; preFilterMinData?: number }): BinnedDataset {
  const n = rows.length;
  const dReal = n > 0 ? rows[0].length : 0;
  const mappers: BinMapper[] = [];
  const real: number[] = [];
  const column = new Float64Array(n);
  for (let j = 0; j < dReal; j++) {
    for (let i = 0; i < n; i++) column[i] = rows[i][j];
    const m = findBins(column, opts);
    if (!m.isTrivial) { mappers.push(m); real.push(j); }
  }
  const d = mappers.length;
  const binOffset = new Int32Array(d + 1);
  for (let f = 0; f < d; f++) binOffset[f + 1] = binOffset[f] + mappers[f].numBins;
  const realFeature = Int32Array.from(real);
  const bins = binRows(mappers, realFeature, rows);
  const rowStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let f = 0; f < d; f++) if (bins[i * d + f] !== 0) c++;
    rowStart[i + 1] = rowStart[i] + c;
  }
  const rowPos = new Int32Array(rowStart[n]);
  for (let i = 0, j = 0; i < n; i++) {
    for (let f = 0; f < d; f++) {
      const b = bins[i * d + f];
      if (b !== 0) rowPos[j++] = 2 * (binOffset[f] + b);
    }
  }
  return { numRows: n, numRealFeatures: dReal, numFeatures: d, realFeature, mappers, binOffset, totalBins: binOffset[d], bins, rowStart, rowPos };
}

/**
 * Bin raw rows with existing mappers (e.g. an eval set with the training set's bins).
 *
 * @example
 * const evalBins = binRows(ds.mappers, ds.realFeature, evalRows); // evalRows.length × ds.numFeatures
 */
export function binRows(mappers: BinMapper[], realFeature: Int32Array, rows: Float64Array[]): Uint16Array {
  const d = mappers.length;
  const bins = new Uint16Array(rows.length * d);
  for (let f = 0; f < d; f++) {
    const ub = mappers[f].upperBounds;
    const j = realFeature[f];
    for (let i = 0; i < rows.length; i++) bins[i * d + f] = valueToBin(ub, rows[i][j]);
  }
  return bins;
}
