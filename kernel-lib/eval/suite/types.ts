/**
 * Plain-data types of the downstream suite: multiple-choice items scored by log-likelihood,
 * the way lm-eval-harness scores HellaSwag / ARC / PIQA. An item's text is UTF-8 bytes — on a
 * byte corpus exactly the tokens the proxy GPT reads; on a token corpus the decoded text, which
 * the item also carries encoded by the corpus's tokenizer (`tokens`, tokens.ts). A continuation's
 * "length" for acc_norm is its UTF-8 byte length either way (score.ts).
 */

/** An item as a tokenizer reads it: one context and each choice's continuation, as token ids. */
export interface ItemTokens {
  /** context ids (never empty: the EOS id when the text gives none) */
  context: Int32Array;
  /** per choice, the ids of its continuation (never empty) */
  choices: Int32Array[];
}

/** One multiple-choice question: a context and k candidate continuations, one correct. */
export interface ChoiceItem {
  /** stable id, e.g. "books:17" */
  id: string;
  /** the text the model conditions on, UTF-8 (a byte model's tokens) */
  context: Uint8Array;
  /** k ≥ 2 candidate continuations (no two equal; none empty) */
  choices: Uint8Array[];
  /** index of the correct continuation in `choices` */
  answer: number;
  /** the item encoded by the corpus's tokenizer (token corpora only; absent on a byte corpus, whose tokens are the bytes) */
  tokens?: ItemTokens;
}

/** The kinds of task builder the suite has (one file each under `tasks/`). */
export type TaskKind = "next_segment" | "json_field" | "code_line" | "math_answer" | "definition_word" | "continuation";

/** A built task: items of one kind over one domain's held-out (test) text. */
export interface ChoiceTask {
  /** unique task name, e.g. "cloze_books" */
  name: string;
  kind: TaskKind;
  /** the corpus domain the items come from ("math" for generated problems) */
  domain: string;
  /** choices per item (every item of a task has the same number) */
  numChoices: number;
  /** chance accuracy = 1 / numChoices */
  chance: number;
  items: ChoiceItem[];
}

/** What the suite asks of a model: one context with its candidate continuations (and their token ids on a token corpus). */
export interface ChoiceQuery {
  context: Uint8Array;
  choices: readonly Uint8Array[];
  tokens?: ItemTokens;
}

/**
 * A model as the suite sees it: the summed log-likelihood (nats) of each continuation given
 * the context, log p(choice | context) = Σ_t log p(choice_t | context, choice_<t).
 * Returns a Float64Array of length choices.length. May be async (tfjs `data()`). `tokens` is
 * the item's token ids when the suite was built from a token corpus: a model of that corpus
 * scores them (model-scorer.ts); a byte-level scorer (the n-gram) reads the text.
 */
export type ChoiceScorer = (context: Uint8Array, choices: readonly Uint8Array[], tokens?: ItemTokens) => Float64Array | Promise<Float64Array>;

/**
 * A scorer that takes many items at once (many sequences per forward pass); returns one
 * Float64Array of summed log-likelihoods per query.
 */
export interface BatchChoiceScorer {
  scoreBatch(queries: readonly ChoiceQuery[]): Float64Array[] | Promise<Float64Array[]>;
  /** queries per call the driver sends (default 64) */
  batchSize?: number;
}

/** Either scorer form; the driver detects which. */
export type SuiteScorer = ChoiceScorer | BatchChoiceScorer;

/**
 * Which per-task number the capability scores and the utility use: accuracy, length-normalised
 * accuracy, or the probability the model puts on the right answer among the choices
 * (softmax of summed log-likelihoods) — a smoother, lower-variance score for weak models
 * whose accuracies sit near chance. All three are 1/k for a model that cannot tell choices apart.
 */
export type SuiteMetric = "acc" | "acc_norm" | "prob";
