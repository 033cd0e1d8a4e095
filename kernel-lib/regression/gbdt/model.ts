/**
 * A fitted GBDT: the init score, the trees (raw-value thresholds, real feature indices, leaf
 * values already shrunk) and the best iteration from early stopping. Prediction goes through
 * the flat compiled forest (compiled on first use per iteration count); JSON round-trips exactly
 * (numbers are written with round-trip precision).
 */
import { MixlabError } from "../../util/errors.js";
import type { FeatureMatrix } from "../design.js";
import { compileForest, predictForest, predictForestOne, type FlatForest } from "./flat-predictor.js";
import type { GbdtOptions } from "./options.js";
import type { Tree } from "./tree.js";

/** One tree in JSON (LightGBM layout, see {@link Tree}). */
export interface TreeJson {
  numLeaves: number;
  splitFeature: number[];
  threshold: number[];
  leftChild: number[];
  rightChild: number[];
  leafValue: number[];
}

/** A serialised {@link GbdtModel}. */
export interface GbdtModelJson {
  format: "mixlab-gbdt";
  version: 1;
  numFeatures: number;
  initScore: number;
  bestIteration: number;
  trees: TreeJson[];
  options?: GbdtOptions;
  evalHistory?: Record<string, number[]>;
}

/** Constructor fields of {@link GbdtModel}. */
export interface GbdtModelInit {
  numFeatures: number;
  initScore: number;
  trees: Tree[];
  bestIteration: number;
  evalHistory?: Record<string, number[]>;
  options?: GbdtOptions;
}

/** A fitted gradient-boosted tree ensemble. */
export class GbdtModel {
  readonly kind = "gbdt" as const;
  readonly numFeatures: number;
  /** Mean of the training targets (boost_from_average), the prediction of zero trees. */
  readonly initScore: number;
  readonly trees: readonly Tree[];
  /** Trees used by `predict` (the best round under early stopping, else all trees). */
  readonly bestIteration: number;
  /** Eval-set metric per round ("l1", "l2"), when fitted with an eval set. */
  readonly evalHistory?: Record<string, number[]>;
  readonly options?: GbdtOptions;
  private readonly compiled = new Map<number, FlatForest>();

  constructor(init: GbdtModelInit) {
    this.numFeatures = init.numFeatures;
    this.initScore = init.initScore;
    this.trees = init.trees;
    this.bestIteration = init.bestIteration;
    this.evalHistory = init.evalHistory;
    this.options = init.options;
  }

  /** Trees trained (≥ bestIteration: early stopping trains `stopping_rounds` past the best). */
  get numTrees(): number {
    return this.trees.length;
  }

  /**
   * The compiled forest of the first `numIteration` trees (default: bestIteration), cached.
   *
   * @example
   * model.forest().numTrees; // model.bestIteration
   */
  forest(numIteration = this.bestIteration): FlatForest {
    const k = Math.max(0, Math.min(numIteration, this.trees.length));
    let f = this.compiled.get(k);
    if (!f) {
      f = compileForest(this.trees, k, this.initScore, this.numFeatures);
      this.compiled.set(k, f);
    }
    return f;
  }

  /**
   * Predict rows (`Float64Array[]`, or one flat row-major N×d `Float64Array` — no per-row
   * arrays needed for millions of candidates) with the first `numIteration` trees.
   *
   * @example
   * model.predict(Float64Array.from(candidatesFlat)); // N predictions
   */
  predict(X: FeatureMatrix, out?: Float64Array, numIteration = this.bestIteration): Float64Array {
    const forest = this.forest(numIteration);
    if (X instanceof Float64Array) return predictForest(forest, X, out);
    const d = this.numFeatures;
    for (let i = 0; i < X.length; i++) {
      if (X[i].length !== d) throw new MixlabError("PREDICT_SHAPE", `row ${i} has ${X[i].length} features, model has ${d}`);
    }
    if (X.length >= 64) {
      // Many rows: copy into one flat buffer and take the batch path (same numbers, faster).
      const flat = new Float64Array(X.length * d);
      for (let i = 0; i < X.length; i++) flat.set(X[i], i * d);
      return predictForest(forest, flat, out);
    }
    const res = out ?? new Float64Array(X.length);
    for (let i = 0; i < X.length; i++) res[i] = predictForestOne(forest, X[i]);
    return res;
  }

  /**
   * Predict one row.
   *
   * @example
   * model.predictOne(testRows[0]); // a number
   */
  predictOne(row: ArrayLike<number>, numIteration = this.bestIteration): number {
    if (row.length !== this.numFeatures) throw new MixlabError("PREDICT_SHAPE", `row has ${row.length} features, model has ${this.numFeatures}`);
    return predictForestOne(this.forest(numIteration), row);
  }

  /**
   * Plain-JSON form (`JSON.stringify(model)` works too).
   *
   * @example
   * const copy = GbdtModel.fromJSON(JSON.parse(JSON.stringify(model)));
   */
  toJSON(): GbdtModelJson {
    return {
      format: "mixlab-gbdt",
      version: 1,
      numFeatures: this.numFeatures,
      initScore: this.initScore,
      bestIteration: this.bestIteration,
      trees: this.trees.map((t) => ({
        numLeaves: t.numLeaves,
        splitFeature: Array.from(t.splitFeature),
        threshold: Array.from(t.threshold),
        leftChild: Array.from(t.leftChild),
        rightChild: Array.from(t.rightChild),
        leafValue: Array.from(t.leafValue),
      })),
      options: this.options,
      evalHistory: this.evalHistory,
    };
  }

  /**
   * Rebuild a model from {@link toJSON} output; malformed input is a `MODEL_BAD_JSON` error.
   *
   * @example
   * GbdtModel.fromJSON(json).predict(rows);
   */
  static fromJSON(json: GbdtModelJson): GbdtModel {
    if (json?.format !== "mixlab-gbdt" || !Array.isArray(json.trees) || !Number.isInteger(json.numFeatures)) {
      throw new MixlabError("MODEL_BAD_JSON", "not a mixlab-gbdt model");
    }
    const trees: Tree[] = json.trees.map((t, i) => {
      const m = t.numLeaves - 1;
      const ok = Number.isInteger(t.numLeaves) && t.numLeaves >= 1 && t.leafValue?.length === t.numLeaves &&
        [t.splitFeature, t.threshold, t.leftChild, t.rightChild].every((a) => Array.isArray(a) && a.length === m) &&
        t.splitFeature.every((f) => Number.isInteger(f) && f >= 0 && f < json.numFeatures) &&
        [...t.leftChild, ...t.rightChild].every((c) => Number.isInteger(c) && c < m && ~c < t.numLeaves);
      if (!ok) throw new MixlabError("MODEL_BAD_JSON", `tree ${i} is malformed`);
      return {
        numLeaves: t.numLeaves,
        splitFeature: Int32Array.from(t.splitFeature),
        threshold: Float64Array.from(t.threshold),
        leftChild: Int32Array.from(t.leftChild),
        rightChild: Int32Array.from(t.rightChild),
        leafValue: Float64Array.from(t.leafValue),
      };
    });
    return new GbdtModel({
      numFeatures: json.numFeatures,
      initScore: json.initScore,
      trees,
      bestIteration: Math.min(json.bestIteration ?? trees.length, trees.length),
      evalHistory: json.evalHistory,
      options: json.options,
    });
  }
}
