/**
 * `npm run bench:regmix` — speed of the regression layer on RegMix's released 1M runs:
 *  - GBDT fit time per loss target (512 rows × 17 mixture columns, 1000 rounds, no early stopping),
 *  - prediction time for N candidate mixtures (default 1M) with a 1000-tree model,
 * side by side with scikit-learn's HistGradientBoostingRegressor with matching parameters
 * (bench/reference/sklearn_hgb.py, run by /usr/bin/python3 in the same run, once with
 * OMP_NUM_THREADS=1 for a per-core comparison and once with default threads). Wall and CPU
 * seconds are both printed: on a shared machine CPU time is the steadier figure.
 *
 *   npm run bench:regmix [-- --candidates 1000000 --targets pile_cc,arxiv --full --no-sklearn]
 *
 * scikit-learn with default threads (OpenMP over all cores) is very slow on 512 rows — thread
 * start-up and spinning dominate (≈10 s per fit on a busy 2-core machine) — so that column covers
 * the first 3 targets unless `--full` is given.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fitGbdt, spearman } from "../kernel-lib/regression/index.js";
import { parseNumericCsv } from "../kernel-lib/util/csv.js";
import { projectRoot } from "../kernel-lib/util/paths.js";
import { createRng } from "../kernel-lib/util/rng.js";

interface SkTarget { target: string; fit_s: number; fit_cpu_s: number; n_iter: number; test_spearman_x100: number }
interface SkResult { sklearn: string; omp_num_threads: string; targets: SkTarget[]; predict_s?: number; predict_cpu_s?: number; predict_rows?: number }

function timeIt<T>(fn: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1e6 };
}

function runSklearn(dataDir: string, threads: string | null, targets: string[], candidates: number): SkResult | string {
  const script = join(projectRoot(), "bench", "reference", "sklearn_hgb.py");
  const env = { ...process.env };
  if (threads === null) delete env.OMP_NUM_THREADS;
  else env.OMP_NUM_THREADS = threads;
  const res = spawnSync("/usr/bin/python3", [script, dataDir, "--candidates", String(candidates), "--targets", targets.join(",")], { env, encoding: "utf8", maxBuffer: 1 << 24 });
  if (res.error) return `could not run /usr/bin/python3: ${res.error.message}`;
  if (res.status !== 0) return `sklearn_hgb.py failed (exit ${res.status}): ${res.stderr.trim().split("\n").slice(-3).join(" | ")}`;
  return JSON.parse(res.stdout) as SkResult;
}

const f3 = (x: number | undefined): string => (x === undefined ? "–" : x.toFixed(3));
const ratio = (a: number, b: number | undefined): string => (b === undefined || !(b > 0) ? "–" : (a / b).toFixed(2) + "×");

function main(): void {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      candidates: { type: "string", default: "1000000" },
      targets: { type: "string", default: "" },
      "no-sklearn": { type: "boolean", default: false },
      full: { type: "boolean", default: false },
    },
  });
  const N = Number(values.candidates);
  const dataDir = join(projectRoot(), "datasets", "reference", "regmix");
  const load = (f: string) => parseNumericCsv(readFileSync(join(dataDir, f), "utf8"), f);
  const mix = load("train_mixture_1m.csv");
  const loss = load("train_pile_loss_1m.csv");
  const testMix = load("test_mixture_1m.csv");
  const testLoss = load("test_pile_loss_1m.csv");
  const X = mix.rows.map((r) => r.slice(1));
  const Xt = testMix.rows.map((r) => r.slice(1));
  const all = loss.columns.slice(1).map((c) => c.replace("metric/the_pile_", "").replace("_val_loss", ""));
  const targets = values.targets ? values.targets.split(",") : all;

  console.log(`regmix bench: ${X.length} rows × ${X[0].length} features, 1000 rounds, lr 0.01, 31 leaves, min 20 rows/leaf, 255 bins`);
  // Warm-up (JIT) on one target, not timed.
  fitGbdt(X, Float64Array.from(loss.rows, (r) => r[1]), { numRounds: 200 });

  const ours = new Map<string, { wall: number; cpu: number; rho: number; model: ReturnType<typeof fitGbdt> }>();
  for (const t of targets) {
    const j = loss.columns.indexOf(`metric/the_pile_${t}_val_loss`);
    if (j < 0) throw new Error(`unknown target ${t} (have ${all.join(", ")})`);
    const y = Float64Array.from(loss.rows, (r) => r[j]);
    const yt = Float64Array.from(testLoss.rows, (r) => r[j]);
    const { value: model, wall, cpu } = timeIt(() => fitGbdt(X, y, { numRounds: 1000 }));
    ours.set(t, { wall, cpu, rho: 100 * spearman(model.predict(Xt), yt), model });
  }

  let sk1: SkResult | string = "skipped (--no-sklearn)";
  let skN: SkResult | string = "skipped (--no-sklearn)";
  if (!values["no-sklearn"]) {
    if (!existsSync("/usr/bin/python3")) sk1 = skN = "no /usr/bin/python3";
    else {
      sk1 = runSklearn(dataDir, "1", targets, N);
      skN = runSklearn(dataDir, null, values.full ? targets : targets.slice(0, 3), 0);
    }
  }
  const sk1t = typeof sk1 === "string" ? new Map<string, SkTarget>() : new Map(sk1.targets.map((r) => [r.target, r]));
  const skNt = typeof skN === "string" ? new Map<string, SkTarget>() : new Map(skN.targets.map((r) => [r.target, r]));

  console.log("\nGBDT fit, seconds (wall / cpu); ratio = ours ÷ scikit-learn (≤ 1 means we are faster)");
  console.log("target              | mixlab wall  cpu   | sklearn 1 thread wall  cpu   ratio(cpu) | sklearn default thr wall  ratio(wall) | test ρ×100 ours / sk");
  let sums = [0, 0, 0, 0, 0, 0]; // ours wall, ours cpu, sk1 wall, sk1 cpu, skN wall, ours wall on skN's targets
  for (const t of targets) {
    const o = ours.get(t)!;
    const a = sk1t.get(t);
    const b = skNt.get(t);
    sums = [sums[0] + o.wall, sums[1] + o.cpu, sums[2] + (a?.fit_s ?? 0), sums[3] + (a?.fit_cpu_s ?? 0), sums[4] + (b?.fit_s ?? 0), sums[5] + (b ? o.wall : 0)];
    console.log(
      `${t.padEnd(19)} | ${f3(o.wall).padStart(11)} ${f3(o.cpu).padStart(5)} | ${f3(a?.fit_s).padStart(21)} ${f3(a?.fit_cpu_s).padStart(5)} ${ratio(o.cpu, a?.fit_cpu_s).padStart(10)} | ${f3(b?.fit_s).padStart(24)} ${ratio(o.wall, b?.fit_s).padStart(11)} | ${o.rho.toFixed(2)} / ${a ? a.test_spearman_x100.toFixed(2) : "–"}`,
    );
  }
  const hasSk = sk1t.size > 0;
  console.log(
    `${"TOTAL".padEnd(19)} | ${f3(sums[0]).padStart(11)} ${f3(sums[1]).padStart(5)} | ${(hasSk ? f3(sums[2]) : "–").padStart(21)} ${(hasSk ? f3(sums[3]) : "–").padStart(5)} ${(hasSk ? ratio(sums[1], sums[3]) : "–").padStart(10)} | ${(skNt.size > 0 ? f3(sums[4]) : "–").padStart(24)} ${(skNt.size > 0 ? ratio(sums[5], sums[4]) : "–").padStart(11)} | (default-thread column: ${skNt.size} target${skNt.size === 1 ? "" : "s"})`,
  );

  // Prediction: N Dirichlet(1,…,1) candidates, flat row-major, with the last target's model.
  const model = ours.get(targets[targets.length - 1])!.model;
  const d = X[0].length;
  const rng = createRng(42);
  const alpha = new Array<number>(d).fill(1);
  const cand = new Float64Array(N * d);
  for (let i = 0; i < N; i++) cand.set(rng.dirichlet(alpha), i * d);
  model.predict(cand.subarray(0, Math.min(N, 4096) * d)); // compile + warm-up
  const { wall, cpu } = timeIt(() => model.predict(cand));
  console.log(`\nprediction of ${N.toLocaleString("en")} candidates × ${model.bestIteration} trees (${targets[targets.length - 1]} model), seconds`);
  console.log(`  mixlab flat predictor   wall ${f3(wall)}  cpu ${f3(cpu)}  (${((cpu * 1e9) / N / Math.max(1, model.bestIteration)).toFixed(1)} ns per row·tree)`);
  if (typeof sk1 !== "string" && sk1.predict_s !== undefined) {
    console.log(`  sklearn, 1 thread       wall ${f3(sk1.predict_s)}  cpu ${f3(sk1.predict_cpu_s)}  ratio(cpu) ${ratio(cpu, sk1.predict_cpu_s)}`);
  }
  if (typeof sk1 === "string") console.log(`  sklearn: ${sk1}`);
  else console.log(`  (sklearn ${sk1.sklearn}; default threads = OMP_NUM_THREADS unset)`);
}

main();
