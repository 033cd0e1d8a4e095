/**
 * Feature binning as LightGBM does it (`BinMapper::FindBin`, `FindBinWithZeroAsOneBin`,
 * `GreedyFindBin` in src/io/bin.cpp): zero gets a bin of its own (bounds ±1e-35), the positive
 * and negative parts are cut greedily so each bin holds at least `minDataInBin` rows (or, with
 * more distinct values than bins, by quantile with big-count values kept alone), and each
 * boundary is the next double above the midpoint between neighbouring distinct values. A row
 * goes to the first bin whose upper bound is ≥ its value. Mixture weights have many zeros and
 * few distinct values (3 decimals), so most features end up with one bin per distinct value.
 */

/** LightGBM's `kZeroThreshold` (1e-35f, a float literal widened to double). */
export const ZERO_THRESHOLD = Math.fround(1e-35);

// Bit access to one double through two explicit little-endian 32-bit halves (no BigInt, so the
// module also compiles for older targets, e.g. inside tslab).
const bits = new DataView(new ArrayBuffer(8));

/**
 * The next double above `x` (C `nextafter(x, +inf)`).
 *
 * @example
 * nextUp(1) - 1; // 2.220446049250313e-16
 */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  bits.setFloat64(0, x, true);
  let lo = bits.getUint32(0, true);
  let hi = bits.getUint32(4, true);
  // Away from zero for x > 0, towards zero for x < 0: ±1 on the 64-bit pattern, with carry.
  if (x > 0) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  } else {
    if (lo === 0) hi = (hi - 1) >>> 0;
    lo = (lo - 1) >>> 0;
  }
  bits.setUint32(0, lo, true);
  bits.setUint32(4, hi, true);
  return bits.getFloat64(0, true);
}

/** `Common::CheckDoubleEqualOrdered(a, b)`: b ≤ nextUp(a) (a ≤ b assumed). */
function equalOrdered(a: number, b: number): boolean {
  return b <= nextUp(a);
}

/** `GreedyFindBin` over distinct[start, start+num): upper bounds, last one +∞. */
function greedyFindBin(distinct: number[], counts: number[], start: number, num: number, maxBin: number, totalCnt: number, minDataInBin: number): number[] {
  const bounds: number[] = [];
  if (num <= maxBin) {
    let cur = 0;
    for (let i = 0; i < num - 1; i++) {
      cur += counts[start + i];
      if (cur >= minDataInBin) {
        const val = nextUp((distinct[start + i] + distinct[start + i + 1]) / 2);
        if (bounds.length === 0 || !equalOrdered(bounds[bounds.length - 1], val)) {
          bounds.push(val);
          cur = 0;
        }
      }
    }
    bounds.push(Infinity);
    return bounds;
  }
  if (minDataInBin > 0) {
    maxBin = Math.min(maxBin, Math.trunc(totalCnt / minDataInBin));
    maxBin = Math.max(maxBin, 1);
  }
  let meanBinSize = totalCnt / maxBin;
  let restBinCnt = maxBin;
  let restSampleCnt = totalCnt;
  const isBig = new Uint8Array(num);
  for (let i = 0; i < num; i++) {
    if (counts[start + i] >= meanBinSize) {
      isBig[i] = 1;
      restBinCnt--;
      restSampleCnt -= counts[start + i];
    }
  }
  meanBinSize = restSampleCnt / restBinCnt;
  const upper = new Float64Array(maxBin).fill(Infinity);
  const lower = new Float64Array(maxBin).fill(Infinity);
  let binCnt = 0;
  lower[0] = distinct[start];
  let cur = 0;
  for (let i = 0; i < num - 1; i++) {
    if (!isBig[i]) restSampleCnt -= counts[start + i];
    cur += counts[start + i];
    if (isBig[i] || cur >= meanBinSize || (isBig[i + 1] && cur >= Math.max(1.0, meanBinSize * 0.5))) {
      upper[binCnt] = distinct[start + i];
      binCnt++;
      lower[binCnt] = distinct[start + i + 1];
      if (binCnt >= maxBin - 1) break;
      cur = 0;
      if (!isBig[i]) {
        restBinCnt--;
        meanBinSize = restSampleCnt / restBinCnt;
      }
    }
  }
  binCnt++;
  for (let i = 0; i < binCnt - 1; i++) {
    const val = nextUp((upper[i] + lower[i + 1]) / 2);
    if (bounds.length === 0 || !equalOrdered(bounds[bounds.length - 1], val)) bounds.push(val);
  }
  bounds.push(Infinity);
  return bounds;
}

/** `FindBinWithZeroAsOneBin` (no forced bins). */
function findBinZeroAsOneBin(distinct: number[], counts: number[], maxBin: number, totalCnt: number, minDataInBin: number): number[] {
  const num = distinct.length;
  let leftCntData = 0;
  let cntZero = 0;
  let rightCntData = 0;
  for (let i = 0; i < num; i++) {
    if (distinct[i] <= -ZERO_THRESHOLD) leftCntData += counts[i];
    else if (distinct[i] > ZERO_THRESHOLD) rightCntData += counts[i];
    else cntZero += counts[i];
  }
  let leftCnt = -1;
  for (let i = 0; i < num; i++) {
    if (distinct[i] > -ZERO_THRESHOLD) { leftCnt = i; break; }
  }
  if (leftCnt < 0) leftCnt = num;
  let bounds: number[] = [];
  if (leftCnt > 0 && maxBin > 1) {
    let leftMaxBin = Math.trunc((leftCntData / (totalCnt - cntZero)) * (maxBin - 1));
    leftMaxBin = Math.max(1, leftMaxBin);
    bounds = greedyFindBin(distinct, counts, 0, leftCnt, leftMaxBin, leftCntData, minDataInBin);
    if (bounds.length > 0) bounds[bounds.length - 1] = -ZERO_THRESHOLD;
  }
  let rightStart = -1;
  for (let i = leftCnt; i < num; i++) {
    if (distinct[i] > ZERO_THRESHOLD) { rightStart = i; break; }
  }
  const rightMaxBin = maxBin - 1 - bounds.length;
  if (rightStart >= 0 && rightMaxBin > 0) {
    const right = greedyFindBin(distinct, counts, rightStart, num - rightStart, rightMaxBin, rightCntData, minDataInBin);
    bounds.push(ZERO_THRESHOLD, ...right);
  } else {
    bounds.push(Infinity);
  }
  return bounds;
}

/** A feature's bin boundaries: bin b holds values in (upperBounds[b-1], upperBounds[b]]. */
export interface BinMapper {
  /** numBins ascending upper bounds; the last is +∞. */
  upperBounds: Float64Array;
  numBins: number;
  /** Training rows per bin. */
  countInBin: Int32Array;
  /** One bin, or (with pre-filtering) no bin boundary leaves `minDataInLeaf` rows on both sides. */
  isTrivial: boolean;
}

/**
 * Build a feature's bins from all its training values (LightGBM `BinMapper::FindBin`, numerical,
 * no missing values: callers reject NaN).
 *
 * @example
 * findBins(Float64Array.of(0, 0, 0, 1, 1, 1, 2, 2, 2), { maxBin: 255, minDataInBin: 3 }).upperBounds;
 * // Float64Array [1e-35, 1.5000000000000002, Infinity]
 */
export function findBins(values: ArrayLike<number>, opts: { maxBin: number; minDataInBin: number; preFilterMinData?: number }): BinMapper {
  const total = values.length;
  // LightGBM samples only non-zero values; zeros are counted as total − |non-zero|.
  const nz: number[] = [];
  for (let i = 0; i < total; i++) if (Math.abs(values[i]) > ZERO_THRESHOLD) nz.push(values[i]);
  const zeroCnt = total - nz.length;
  nz.sort((a, b) => a - b);
  const distinct: number[] = [];
  const counts: number[] = [];
  if (nz.length === 0 || (nz[0] > 0 && zeroCnt > 0)) { distinct.push(0); counts.push(zeroCnt); }
  if (nz.length > 0) { distinct.push(nz[0]); counts.push(1); }
  for (let i = 1; i < nz.length; i++) {
    if (!equalOrdered(nz[i - 1], nz[i])) {
      if (nz[i - 1] < 0 && nz[i] > 0) { distinct.push(0); counts.push(zeroCnt); }
      distinct.push(nz[i]);
      counts.push(1);
    } else {
      distinct[distinct.length - 1] = nz[i]; // keep the larger of near-equal values
      counts[counts.length - 1]++;
    }
  }
  if (nz.length > 0 && nz[nz.length - 1] < 0 && zeroCnt > 0) { distinct.push(0); counts.push(zeroCnt); }

  const upperBounds = Float64Array.from(findBinZeroAsOneBin(distinct, counts, opts.maxBin, total, opts.minDataInBin));
  const numBins = upperBounds.length;
  const countInBin = new Int32Array(numBins);
  let b = 0;
  for (let i = 0; i < distinct.length; i++) {
    while (distinct[i] > upperBounds[b] && b < numBins - 1) b++;
    countInBin[b] += counts[i];
  }
  let isTrivial = numBins <= 1;
  if (!isTrivial && opts.preFilterMinData !== undefined) {
    // LightGBM `NeedFilter`: keep the feature only if some boundary leaves ≥ minData on each side.
    isTrivial = true;
    let left = 0;
    for (let k = 0; k < numBins - 1; k++) {
      left += countInBin[k];
      if (left >= opts.preFilterMinData && total - left >= opts.preFilterMinData) { isTrivial = false; break; }
    }
  }
  return { upperBounds, numBins, countInBin, isTrivial };
}

/**
 * The bin of a value: the first bin whose upper bound is ≥ value (LightGBM `ValueToBin`).
 *
 * @example
 * valueToBin(Float64Array.of(1e-35, 1.5, Infinity), 0.7); // 1
 */
export function valueToBin(upperBounds: Float64Array, value: number): number {
  let l = 0;
  let r = upperBounds.length - 1;
  while (l < r) {
    const m = (r + l - 1) >> 1;
    if (value <= upperBounds[m]) r = m;
    else l = m + 1;
  }
  return l;
}
