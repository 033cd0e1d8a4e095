/**
 * ADO's settings (Jiang et al., "Adaptive Data Optimization"; code yidingjiang/ado,
 * `src/data_selectors/ado.py` `AdoSelector`, `src/dataloader/adaptive_loader.py`,
 * `configs/loader/pile_ado.yaml`, `configs/experiment/124M_ado.yaml`). Defaults are the official
 * ones: fits start at step 500 (124M), the first 1000 steps are left out of every fit, refits
 * every 1000 steps (`update_interval`'s default; the loader does not set it), Savitzky–Golay
 * window 101 order 3, every 10th point, minimum probability 1e-2, p = 0.9·p̄ + 0.1·π, history
 * decay 0.9 and power 0.5, exponent floor 0.05; the starting mixture is the token prior
 * (`mode: "empirical"`). Those step counts are for a 60 000-step run: a shorter run scales them.
 */
import { z } from "zod";

const step = z.number().int().min(0);

export const adoSpecSchema = z.strictObject({
  /** `start_step`: the first step whose mixture comes from the fitted laws (before: the prior) */
  startStep: step.default(500),
  /** `ignore_steps`: the first steps' losses are left out of each fit */
  ignoreSteps: step.default(1000),
  /** `update_interval`: refit the laws at every multiple of this many steps (from startStep on) */
  refitEvery: z.number().int().min(1).default(1000),
  /** Savitzky–Golay smoothing of the training losses before a fit (`savgol_filter(…, 101, 3)`) */
  savgolWindow: z.number().int().min(3).default(101),
  savgolOrder: z.number().int().min(0).default(3),
  /** fit on every n-th smoothed point (`[ignore_steps::10]`) */
  subsample: z.number().int().min(1).default(10),
  /** `clip_min_probability(dist, 1e-2)` */
  minProb: z.number().min(0).max(1).default(0.01),
  /** p = smoothing·p̄ + (1 − smoothing)·π (0.9) */
  smoothing: z.number().min(0).max(1).default(0.9),
  /** p_history ← γ·p_history + (1 − γ)·(this step's domain counts) (0.9) */
  historyDecay: z.number().min(0).max(1).default(0.9),
  /** the credit is weighted by p_history^power (0.5) */
  historyPower: z.number().min(0).default(0.5),
  /** the fitted exponent is floored at this in the credit (0.05) */
  minExponent: z.number().min(0).default(0.05),
});
export type AdoSpec = z.infer<typeof adoSpecSchema>;
