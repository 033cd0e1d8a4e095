/**
 * Gradient boosting with the L2 objective (LightGBM `GBDT::TrainOneIter` with
 * `RegressionL2loss`): start from the mean of y, then each round compute g = score − y (in
 * float32, as LightGBM's score_t; labels are float32 too), grow a leaf-wise tree on the binned
 * rows, shrink its leaves by the learning rate and add it to the train (and eval) scores. With
 * an eval set, l1/l2 on it are recorded every round and drive early stopping.
 */
import { createRng } from "../../util/rng.js";
import { MixlabError } from "../../util/errors.js";
import { checkDesign, rowsOf, type FeatureMatrix } from "../design.js";
import { binDataset, binRows } from "./dataset.js";
import { EarlyStopper } from "./early-stopping.js";
import { LeafwiseLearner } from "./grow-tree.js";
import { GbdtModel } from "./model.js";
import { resolveGbdtOptions, type GbdtOptions } from "./options.js";
import type { Tree } from "./tree.js";

/** Rows and targets scored every round (and used for early stopping). */
export interface EvalSet {
  X: FeatureMatrix;
  y: ArrayLike<number>;
}

/**
 * Fit a histogram GBDT (LightGBM-equivalent defaults, see {@link GBDT_DEFAULTS}). With `evalSet`
 * and `earlyStoppingRounds > 0`, training stops once an eval metric stalls and the model predicts
 * with its best round (`bestIteration` trees).
 *
 * @example
 * const model = fitGbdt(trainRows, trainLoss, {}, { X: testRows, y: testLoss });
 * model.predict(testRows); // Float64Array, one prediction per row
 */
export function fitGbdt(X: FeatureMatrix, y: ArrayLike<number>, opts: Partial<GbdtOptions> = {}, evalSet?: EvalSet): GbdtModel {
  const o = resolveGbdtOptions(opts);
  const rows = rowsOf(X, y.length);
  const { n, d } = checkDesign(rows, y, "fitGbdt");
  const labels = Float32Array.from(y);
  const ds = binDataset(rows, { maxBin: o.maxBin, minDataInBin: o.minDataInBin, preFilterMinData: o.featurePreFilter ? o.minDataInLeaf : undefined });

  let initScore = 0;
  if (o.boostFromAverage) {
    let s = 0;
    for (let i = 0; i < n; i++) s += labels[i];
    initScore = s / n;
  }
  const score = new Float64Array(n).fill(initScore);
  const grad = new Float32Array(n);

  // Eval set, binned with the training bins (as a LightGBM validation Dataset with reference).
  let evalLabels: Float32Array | null = null;
  let evalBins: Uint16Array | null = null;
  let evalScore: Float64Array | null = null;
  if (evalSet) {
    const er = rowsOf(evalSet.X, evalSet.y.length);
    const shape = checkDesign(er, evalSet.y, "fitGbdt eval set");
    if (shape.d !== d) throw new MixlabError("DESIGN_SHAPE", `fitGbdt: eval set has ${shape.d} features, training set ${d}`);
    evalLabels = Float32Array.from(evalSet.y);
    evalBins = binRows(ds.mappers, ds.realFeature, er);
    evalScore = new Float64Array(er.length).fill(initScore);
  }
  const metricNames = o.evalMetrics;
  const evalHistory: Record<string, number[]> = {};
  for (const m of metricNames) evalHistory[m] = [];
  const stopper = evalSet && o.earlyStoppingRounds > 0 ? new EarlyStopper(metricNames.length, o.earlyStoppingRounds, o.numRounds - 1) : null;
  const metricValues = new Float64Array(metricNames.length);

  const learner = new LeafwiseLearner(ds, o);
  const rng = createRng(o.seed);
  const featureRng = rng.fork("feature_fraction");
  const bagRng = rng.fork("bagging");
  const useBagging = o.baggingFreq > 0 && o.baggingFraction < 1;
  const bag = useBagging ? new Int32Array(n) : null;
  const inBag = useBagging ? new Uint8Array(n) : null;
  const featureOrder = Array.from({ length: ds.numFeatures }, (_, f) => f);

  const trees: Tree[] = [];
  let bestIteration = -1;
  for (let it = 0; it < o.numRounds; it++) {
    for (let i = 0; i < n; i++) grad[i] = score[i] - labels[i]; // Float32Array store rounds to float32
    if (bag && inBag && it % o.baggingFreq === 0) {
      const k = Math.max(1, Math.round(o.baggingFraction * n));
      const perm = bagRng.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, k).sort((a, b) => a - b);
      bag.set(perm);
      inBag.fill(0);
      for (const i of perm) inBag[i] = 1;
      learner.setBag(bag, k);
    }
    if (o.featureFraction < 1 && ds.numFeatures > 0) {
      // LightGBM ColSampler::GetCnt: round(total·fraction), at least min(2, total).
      const k = Math.max(Math.round(ds.numFeatures * o.featureFraction), Math.min(2, ds.numFeatures));
      learner.featureAllowed.fill(0);
      for (const f of featureRng.shuffle(featureOrder.slice()).slice(0, k)) learner.featureAllowed[f] = 1;
    }
    const tb = learner.train(grad);
    if (tb.numLeaves <= 1) break; // no split with positive gain: LightGBM stops here
    tb.shrink(o.learningRate);

    // Train scores: in-bag rows by their leaf's index range, out-of-bag rows by traversal.
    for (let l = 0; l < tb.numLeaves; l++) {
      const v = tb.leafValue[l];
      const b = learner.leafBegin[l];
      const e = b + learner.leafCount[l];
      for (let k = b; k < e; k++) score[learner.indices[k]] += v;
    }
    if (inBag) {
      for (let i = 0; i < n; i++) if (!inBag[i]) score[i] += tb.leafValue[tb.leafOfBinnedRow(ds.bins, i * ds.numFeatures)];
    }
    trees.push(tb.freeze(ds.realFeature));

    if (evalBins && evalScore && evalLabels) {
      const m = evalLabels.length;
      let l1 = 0;
      let l2 = 0;
      for (let i = 0; i < m; i++) {
        evalScore[i] += tb.leafValue[tb.leafOfBinnedRow(evalBins, i * ds.numFeatures)];
        const diff = evalScore[i] - evalLabels[i];
        l1 += Math.abs(diff);
        l2 += diff * diff;
      }
      metricNames.forEach((name, k) => {
        metricValues[k] = name === "l1" ? l1 / m : l2 / m;
        evalHistory[name].push(metricValues[k]);
      });
      if (stopper) {
        const best = stopper.update(it, metricValues);
        if (best >= 0) {
          bestIteration = best + 1;
          break;
        }
      }
    }
  }
  if (bestIteration < 0 || bestIteration > trees.length) bestIteration = trees.length;
  return new GbdtModel({
    numFeatures: d,
    initScore,
    trees,
    bestIteration,
    evalHistory: evalSet ? evalHistory : undefined,
    options: o,
  });
}
