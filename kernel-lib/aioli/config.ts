/**
 * Aioli's settings (Chen et al., arXiv 2411.05735; code HazyResearch/aioli, `main.py` arguments,
 * `trainer/aioli_trainer.py`). Defaults are the repository README's recommended command
 * (`scripts/arxiv_stackexchange/aioli/run.sh`): lp_rounds 4, lp_steps 4, eta 0.2, ema 0.1,
 * update_steps 250, one_hot_factor 0.625, --aioli_normalize_A. The other official scripts:
 * arxiv/books/stackexchange lp_steps 6, eta 0.1, ema 0.5, one_hot_factor 0.5; full SlimPajama
 * lp_rounds 2, lp_steps 10, eta 1, update_steps 200, one_hot_factor 0.75.
 */
import { z } from "zod";

const posInt = z.number().int().min(1);

export const aioliSpecSchema = z.strictObject({
  /** `--lp_rounds`: sweeps through the k domains in each LearnParams */
  lpRounds: posInt.default(4),
  /** `--lp_steps`: steps trained on each (smoothed one-hot) mixture in LearnParams */
  lpSteps: posInt.default(4),
  /** `--one_hot_factor`: the LearnParams mixture puts this on one domain, the rest evenly on the others (1 = one-hot) */
  oneHotFactor: z.number().gt(0).max(1).default(0.625),
  /** `--eta`: step size of the exponentiated-gradient update */
  eta: z.number().positive().default(0.2),
  /** `--ema`: A ← (1 − ema)·A_new + ema·A_old (null: no smoothing, weights multiply round after round) */
  ema: z.number().min(0).max(1).nullable().default(0.1),
  /** `--update_steps`: one round (LearnParams + mixing) ends at each multiple of this many steps */
  updateSteps: posInt.default(250),
  /** `--aioli_normalize_A`: shift A to ≥ 0 and divide by its sum before the update */
  normalizeA: z.boolean().default(true),
  /** `--aioli_diagonal`: keep only A's diagonal (A_ii = Δ_ii / one_hot_factor) instead of solving the linear system */
  diagonal: z.boolean().default(false),
  /** held-out windows per domain LearnParams scores after each of its segments (the official code scores its whole validation split) */
  heldOutWindows: posInt.default(8),
});
export type AioliSpec = z.infer<typeof aioliSpecSchema>;
