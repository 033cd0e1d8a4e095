/**
 * MergeMix's merge step on real checkpoints: Θ = Θ_base + Σ_k α_k (Θ_k − Θ_base), computed for
 * safetensors files tensor by tensor and a slice at a time (positional reads; arithmetic in
 * float64, one rounding to the base's dtype), so memory is bounded by the slice size, not by
 * the model. Base and experts must hold the same tensor names, shapes and dtypes.
 */
import { basename } from "node:path";
import { createSafetensorsWriter, openSafetensors, type SafetensorsFile } from "../model/safetensors.js";
import { MixlabError } from "../util/errors.js";

/** Elements per slice (8 MB of float64 per array). */
const SLICE = 1 << 20;

/**
 * A checkpoint's expert name: its file name without `.safetensors` (the column name in w.csv).
 *
 * @example
 * expertName("/ckpt/code.safetensors"); // "code"
 */
export function expertName(path: string): string {
  return basename(path).replace(/\.safetensors$/i, "");
}

/** Throws MERGEMIX_CHECKPOINT_MISMATCH unless every expert has the base's tensors, shapes and dtypes. */
export function checkCompatible(base: SafetensorsFile, experts: readonly SafetensorsFile[]): void {
  const want = new Map(base.tensors.map((t) => [t.name, t]));
  for (const e of experts) {
    if (e.tensors.length !== base.tensors.length) {
      const missing = base.tensors.filter((t) => !e.tensors.some((u) => u.name === t.name)).map((t) => t.name);
      const extra = e.tensors.filter((t) => !want.has(t.name)).map((t) => t.name);
      throw new MixlabError("MERGEMIX_CHECKPOINT_MISMATCH", `${e.path}: ${e.tensors.length} tensors, base has ${base.tensors.length}${missing.length ? `; missing ${missing.slice(0, 5).join(", ")}` : ""}${extra.length ? `; extra ${extra.slice(0, 5).join(", ")}` : ""}`);
    }
    for (const t of e.tensors) {
      const b = want.get(t.name);
      if (!b) throw new MixlabError("MERGEMIX_CHECKPOINT_MISMATCH", `${e.path}: tensor "${t.name}" is not in the base ${base.path}`);
      if (b.dtype !== t.dtype) throw new MixlabError("MERGEMIX_CHECKPOINT_MISMATCH", `${e.path}: tensor "${t.name}" is ${t.dtype}, the base's is ${b.dtype}`);
      if (b.shape.length !== t.shape.length || b.shape.some((s, i) => s !== t.shape[i])) {
        throw new MixlabError("MERGEMIX_CHECKPOINT_MISMATCH", `${e.path}: tensor "${t.name}" has shape [${t.shape}], the base's is [${b.shape}]`);
      }
    }
  }
}

/**
 * Write one merged checkpoint `out` = base + Σ α_k (expert_k − base).
 *
 * @example
 * mergeCheckpoint("base.safetensors", ["code.safetensors", "web.safetensors"], [0.3, 0.7], "merge-0000.safetensors");
 */
export function mergeCheckpoint(basePath: string, expertPaths: readonly string[], alpha: readonly number[], out: string): void {
  mergeCheckpoints(basePath, expertPaths, [alpha], [out]);
}

/**
 * Write one merged checkpoint per α row (`outs[i]` from `alphas[i]`), opening every file once.
 * Each output appears atomically; on error nothing of the failing output is left.
 *
 * @example
 * mergeCheckpoints("base.safetensors", experts, [[1, 0], [0.5, 0.5]], ["m0.safetensors", "m1.safetensors"]);
 */
export function mergeCheckpoints(basePath: string, expertPaths: readonly string[], alphas: readonly (readonly number[])[], outs: readonly string[]): void {
  if (alphas.length !== outs.length) throw new MixlabError("MERGEMIX_BAD_WEIGHTS", `${alphas.length} weight rows but ${outs.length} outputs`);
  alphas.forEach((a, i) => {
    if (a.length !== expertPaths.length) throw new MixlabError("MERGEMIX_BAD_WEIGHTS", `weight row ${i + 1} has ${a.length} values for ${expertPaths.length} experts`);
    a.forEach((x, k) => { if (!Number.isFinite(x)) throw new MixlabError("MERGEMIX_BAD_WEIGHTS", `weight row ${i + 1}, expert ${expertName(expertPaths[k])}: ${x} is not a finite number`); });
  });
  const base = openSafetensors(basePath);
  const experts: SafetensorsFile[] = [];
  try {
    for (const p of expertPaths) experts.push(openSafetensors(p));
    checkCompatible(base, experts);
    const byName = experts.map((e) => new Map(e.tensors.map((t) => [t.name, t])));
    const specs = base.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape }));
    const b = new Float64Array(SLICE);
    const x = new Float64Array(SLICE);
    const acc = new Float64Array(SLICE);
    alphas.forEach((alpha, row) => {
      const w = createSafetensorsWriter(outs[row], specs, { ...base.metadata, "mixlab.merge": JSON.stringify({ experts: expertPaths.map(expertName), alpha }) });
      try {
        for (const t of base.tensors) {
          const n = t.shape.reduce((p, q) => p * q, 1);
          for (let from = 0; from < n; from += SLICE) {
            const m = Math.min(SLICE, n - from);
            const bs = base.read(t, from, m, b.subarray(0, m));
            const a = acc.subarray(0, m);
            a.set(bs);
            experts.forEach((e, k) => {
              if (alpha[k] === 0) return;
              const xs = e.read(byName[k].get(t.name)!, from, m, x.subarray(0, m));
              const ak = alpha[k];
              for (let i = 0; i < m; i++) a[i] += ak * (xs[i] - bs[i]);
            });
            w.write(a);
          }
        }
        w.finish();
      } catch (e) {
        w.abort();
        throw e;
      }
    });
  } finally {
    base.close();
    for (const e of experts) e.close();
  }
}
