/**
 * RegMix's older regression notebook (commit 1678465), re-run: 1000 1M-proxy runs, rows 1–128
 * as eval/score set, rows 129–1000 as train, same LightGBM call. Our GBDT reproduces the 13
 * printed Spearman×100 numbers to their 2 decimals.
 */
import { describe, expect, it } from "vitest";
import { fitGbdt, spearman } from "../../kernel-lib/regression/index.js";
import { columnOf, loadJson, loadTable, mixtures } from "./regmix-data.js";

const ref = loadJson<{ history_1678465_1m: { spearman_x100: Record<string, number> } }>("reference_spearman.json");

describe("RegMix older notebook reproduction (1000 runs: rows 1–128 eval, 129–1000 train)", () => {
  it("all 13 targets match the printed numbers", () => {
    const mix = mixtures(loadTable("history_1678465/data_mixture_1m.csv"));
    const loss = loadTable("history_1678465/validation_loss_1m.csv");
    for (const [name, expected] of Object.entries(ref.history_1678465_1m.spearman_x100)) {
      const yAll = columnOf(loss, name);
      const model = fitGbdt(mix.slice(128), yAll.slice(128), {}, { X: mix.slice(0, 128), y: yAll.slice(0, 128) });
      const rho = 100 * spearman(model.predict(mix.slice(0, 128)), yAll.slice(0, 128));
      expect(Math.abs(rho - expected), name).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });
});
