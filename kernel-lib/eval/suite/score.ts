/**
 * The scoring driver: ask a scorer for the summed log-likelihood of every choice, then
 *   acc      = mean over items of [argmax_c  loglik_c            = answer]
 *   acc_norm = mean over items of [argmax_c  loglik_c / bytes_c  = answer]
 * bytes_c = the UTF-8 byte length of choice c's text, on a byte corpus and on a token corpus
 * alike (never its token count): a per-byte score does not depend on the tokenizer, so models of
 * different vocabularies are normalised alike. This is lm-eval-harness's acc_norm as its paper
 * states it (Biderman et al. 2024, arXiv:2405.14782: each answer's log-likelihood "divided by its
 * length in bytes"); the harness's code (lm_eval/api/task.py, ConfigurableTask.process_results:
 * completion_len = len(choice)) divides by characters instead (EleutherAI/lm-evaluation-harness
 * issue #3278; PR #3368 adds the byte version as acc_norm_bytes). Bytes and characters agree on
 * ASCII text. On a token corpus the log-likelihood is of the choice's tokens (tokens.ts, the
 * harness's _encode_pair), its length the choice text's bytes.
 * Ties share the credit (1/|argmax set| when the answer is among the maxima), so a scorer that
 * cannot tell the choices apart scores exactly chance instead of "always pick slot 0". Scores
 * within a relative 1e-12 of the maximum count as tied (so ℓ·n/n round-off is not a preference).
 */
import { MixlabError } from "../../util/errors.js";
import type { BatchChoiceScorer, ChoiceItem, ChoiceQuery, ChoiceTask, SuiteScorer } from "./types.js";

/** Accuracy of one task. */
export interface TaskScore {
  task: string;
  kind: ChoiceTask["kind"];
  domain: string;
  n: number;
  numChoices: number;
  chance: number;
  acc: number;
  accNorm: number;
  /** mean over items of p(answer) / Σ_c p(choice c) (softmax of summed log-likelihoods) */
  prob: number;
  /** binomial standard errors sqrt(p(1-p)/n) */
  accStderr: number;
  accNormStderr: number;
}

/** Relative distance from the maximum under which two scores are a tie. */
export const TIE_TOLERANCE = 1e-12;

/**
 * Credit of one item under one score vector: 1/|maxima| if the answer is a maximum, else 0.
 *
 * @example
 * itemCredit(Float64Array.of(-3, -1, -1), 1); // 0.5
 */
export function itemCredit(scores: ArrayLike<number>, answer: number): number {
  let best = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (Number.isNaN(s)) throw new MixlabError("SUITE_SCORE_NAN", `scorer returned NaN for choice ${i}`);
    if (s > best) best = s;
  }
  const floor = best - TIE_TOLERANCE * Math.max(1, Math.abs(best));
  let ties = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= floor) ties++;
  return scores[answer] >= floor ? 1 / ties : 0;
}

/**
 * Both credits of one item from its summed log-likelihoods.
 *
 * @example
 * itemCredits(item, Float64Array.of(-10, -12)); // { acc: 1, accNorm: ... }
 */
export function itemCredits(item: ChoiceItem, loglik: Float64Array): { acc: number; accNorm: number; prob: number } {
  if (loglik.length !== item.choices.length) {
    throw new MixlabError("SUITE_SCORER_SHAPE", `item ${item.id}: scorer returned ${loglik.length} scores for ${item.choices.length} choices`);
  }
  const norm = loglik.map((l, i) => l / item.choices[i].length);
  return { acc: itemCredit(loglik, item.answer), accNorm: itemCredit(norm, item.answer), prob: choiceProbability(loglik, item.answer) };
}

/**
 * Probability of choice `answer` among the choices: exp(ℓ_a) / Σ_c exp(ℓ_c), by log-sum-exp.
 *
 * @example
 * choiceProbability([Math.log(0.2), Math.log(0.6)], 1); // 0.75
 */
export function choiceProbability(loglik: ArrayLike<number>, answer: number): number {
  let mx = -Infinity;
  for (let i = 0; i < loglik.length; i++) mx = Math.max(mx, loglik[i]);
  let z = 0;
  for (let i = 0; i < loglik.length; i++) z += Math.exp(loglik[i] - mx);
  return Math.exp(loglik[answer] - mx) / z;
}

function isBatch(s: SuiteScorer): s is BatchChoiceScorer {
  return typeof s === "object" && s !== null && typeof (s as BatchChoiceScorer).scoreBatch === "function";
}

/**
 * Summed log-likelihoods of every item of every task, in task/item order.
 *
 * @example
 * const ll = await scoreItems(tasks, (ctx, ch) => myModelScores(ctx, ch));
 */
export async function scoreItems(tasks: readonly ChoiceTask[], scorer: SuiteScorer): Promise<Float64Array[][]> {
  if (isBatch(scorer)) {
    const queries: ChoiceQuery[] = tasks.flatMap((t) => t.items.map((it) => (it.tokens ? { context: it.context, choices: it.choices, tokens: it.tokens } : { context: it.context, choices: it.choices })));
    const bs = scorer.batchSize ?? 64;
    const flat: Float64Array[] = [];
    for (let i = 0; i < queries.length; i += bs) {
      const part = await scorer.scoreBatch(queries.slice(i, i + bs));
      if (part.length !== Math.min(bs, queries.length - i)) throw new MixlabError("SUITE_SCORER_SHAPE", `scoreBatch returned ${part.length} results for ${Math.min(bs, queries.length - i)} queries`);
      flat.push(...part);
    }
    let k = 0;
    return tasks.map((t) => t.items.map(() => flat[k++]));
  }
  const out: Float64Array[][] = [];
  for (const t of tasks) {
    const rows: Float64Array[] = [];
    for (const it of t.items) rows.push(await (it.tokens ? scorer(it.context, it.choices, it.tokens) : scorer(it.context, it.choices)));
    out.push(rows);
  }
  return out;
}

/**
 * Task accuracies from already computed log-likelihoods (so one scoring pass can be reported
 * several ways).
 *
 * @example
 * taskScoresFrom(tasks, await scoreItems(tasks, scorer))[0].acc;
 */
export function taskScoresFrom(tasks: readonly ChoiceTask[], logliks: readonly (readonly Float64Array[])[]): TaskScore[] {
  return tasks.map((t, ti) => {
    let acc = 0;
    let accNorm = 0;
    let prob = 0;
    t.items.forEach((it, i) => {
      const c = itemCredits(it, logliks[ti][i]);
      acc += c.acc;
      accNorm += c.accNorm;
      prob += c.prob;
    });
    const n = t.items.length;
    acc /= n;
    accNorm /= n;
    prob /= n;
    return {
      task: t.name, kind: t.kind, domain: t.domain, n, numChoices: t.numChoices, chance: t.chance,
      acc, accNorm, prob,
      accStderr: Math.sqrt((acc * (1 - acc)) / n),
      accNormStderr: Math.sqrt((accNorm * (1 - accNorm)) / n),
    };
  });
}

/**
 * Score every task of a suite with a model (any `ChoiceScorer` or `BatchChoiceScorer`).
 *
 * @example
 * const scores = await scoreTasks(suite.tasks, modelScorer(model));
 * scores.map((s) => [s.task, s.acc, s.chance]);
 */
export async function scoreTasks(tasks: readonly ChoiceTask[], scorer: SuiteScorer): Promise<TaskScore[]> {
  return taskScoresFrom(tasks, await scoreItems(tasks, scorer));
}

/**
 * The even (h = 0) or odd (h = 1) items of every task with their log-likelihoods — one half of
 * a split-half reliability check. A task with one item counts in the even half only.
 *
 * @example
 * const even = itemHalf(suite.tasks, logliks, 0);
 * taskScoresFrom(even.tasks, even.logliks);
 */
export function itemHalf(tasks: readonly ChoiceTask[], logliks: readonly (readonly Float64Array[])[], h: 0 | 1): { tasks: ChoiceTask[]; logliks: Float64Array[][] } {
  const keep = <T>(xs: readonly T[]): T[] => xs.filter((_, i) => i % 2 === h);
  const idx = tasks.map((_, i) => i).filter((i) => keep(tasks[i].items).length > 0);
  return { tasks: idx.map((i) => ({ ...tasks[i], items: keep(tasks[i].items) })), logliks: idx.map((i) => keep(logliks[i])) };
}
