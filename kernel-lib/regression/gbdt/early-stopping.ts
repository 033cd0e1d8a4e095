/**
 * Early stopping as LightGBM's Python `early_stopping(stopping_rounds)` callback does it
 * (first_metric_only=False, min_delta=0): after every round, for each eval metric in order,
 * record a strict improvement; the first metric that has not improved for `rounds` rounds stops
 * training and its best round is kept. On the last round the first metric's best round is kept.
 * With RegMix's metrics `[l1, l2]` this can stop on l1 even while l2 still improves.
 */

/** Tracks the best round per metric (rounds are 0-based). */
export class EarlyStopper {
  private readonly bestScore: Float64Array;
  private readonly bestRound: Int32Array;
  private first = true;

  constructor(numMetrics: number, private readonly rounds: number, private readonly lastRound: number) {
    this.bestScore = new Float64Array(numMetrics).fill(Infinity);
    this.bestRound = new Int32Array(numMetrics);
  }

  /**
   * Record round `round`'s metric values (lower is better). Returns the 0-based best round to
   * keep when training should stop now, else -1.
   *
   * @example
   * const s = new EarlyStopper(1, 3, 999);
   * [5, 4, 4, 4.5, 4.2].map((v, r) => s.update(r, [v])); // [-1, -1, -1, -1, 1]
   */
  update(round: number, values: ArrayLike<number>): number {
    const first = this.first;
    this.first = false;
    for (let m = 0; m < this.bestScore.length; m++) {
      if (first || values[m] < this.bestScore[m]) {
        this.bestScore[m] = values[m];
        this.bestRound[m] = round;
      }
      if (round - this.bestRound[m] >= this.rounds) return this.bestRound[m];
      if (round === this.lastRound) return this.bestRound[m];
    }
    return -1;
  }
}
