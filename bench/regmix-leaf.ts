/**
 * `npm run bench:regmix-leaf` — the evidence behind `regmixLeafSize`: on RegMix's released
 * 1M-proxy runs (datasets/reference/regmix, MIT), fit the GBDT on random subsets of n of the
 * 512 training runs with LightGBM's fixed minDataInLeaf = 20 and with the row-scaled rule, and
 * score both on the 256 released test runs (Pile-CC target, held-out Spearman×100, mean ± sd
 * over 5 subsets; all 512 rows once). Prints one line per n.
 */
import { loadReleasedRegmixRuns } from "../kernel-lib/regmix/released.js";
import { regmixGbdtOptions, regmixLeafSize } from "../kernel-lib/regmix/fit.js";
import { fitGbdt } from "../kernel-lib/regression/gbdt/index.js";
import { spearman } from "../kernel-lib/regression/metrics.js";
import { createRng } from "../kernel-lib/util/rng.js";

const r = loadReleasedRegmixRuns();
const d = r.train.domains.length;
const target = r.train.lossDomains.find((x) => x.includes("pile_cc"));
if (!target) throw new Error("the released runs have no pile_cc loss column");
const ytr = r.train.losses[target], yte = r.test.losses[target];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
const fmt = (xs: number[]) => (xs.every(Number.isFinite) ? `${(100 * mean(xs)).toFixed(2)} ± ${(100 * sd(xs)).toFixed(2)}` : "n/a (no split possible)");

console.log(`held-out Spearman×100 on ${yte.length} released test runs, target ${target}; GBDT 1000 rounds, no early stopping`);
for (const n of [32, 48, 64, 128, 256, 512]) {
  const scores = { fixed: [] as number[], scaled: [] as number[] };
  const subsets = n === 512 ? 1 : 5;
  for (let rep = 0; rep < subsets; rep++) {
    const idx = createRng(rep + 1).shuffle([...Array(512).keys()]).slice(0, n);
    const X = new Float64Array(n * d), y = new Float64Array(n);
    idx.forEach((i, k) => { X.set(r.train.X.subarray(i * d, (i + 1) * d), k * d); y[k] = ytr[i]; });
    for (const [side, leaf] of [["fixed", 20], ["scaled", regmixLeafSize(n)]] as const) {
      scores[side].push(spearman(fitGbdt(X, y, regmixGbdtOptions(n, { minDataInLeaf: leaf })).predict(r.test.X), yte));
    }
  }
  console.log(`n=${String(n).padStart(3)}  minDataInLeaf 20: ${fmt(scores.fixed).padEnd(24)} regmixLeafSize = ${String(regmixLeafSize(n)).padStart(2)}: ${fmt(scores.scaled)}   (${subsets} subset${subsets > 1 ? "s" : ""})`);
}
