/**
 * Size options shared by the text-based task builders. Context + longest choice must fit the
 * scoring model's window (the model scorer left-truncates the context when it does not).
 *
 * The unit is the UTF-8 byte of the item's text on every corpus. On a token corpus that text is
 * the decoded documents (build.ts), and the limits stay in its bytes rather than in tokens: the
 * same options then pick the same kind of passages whatever the tokenizer, and a byte-level BPE
 * (GPT-2's and most others) spends at least one byte per token, so n bytes are at most n tokens
 * (n + the moved whitespace for a choice, tokens.ts) — a suite sized for a window of
 * contextBytes + maxChoiceBytes bytes fits a token model of that many positions.
 */
export interface TextTaskOptions {
  /** items to build (fewer when the held-out text runs out) */
  items: number;
  /** choices per item (answer + numChoices-1 distractors) */
  numChoices: number;
  /** longest context in bytes */
  contextBytes: number;
  /** shortest usable context in bytes (targets too near a document start are skipped) */
  minContextBytes: number;
  /** longest continuation in bytes (longer ones are cut at a word boundary) */
  maxChoiceBytes: number;
  /** shortest continuation in bytes */
  minChoiceBytes: number;
}

/** Defaults sized for a 128-byte model window (96 context + 32 continuation). */
export const DEFAULT_TEXT_TASK_OPTIONS: Readonly<TextTaskOptions> = {
  items: 100,
  numChoices: 4,
  contextBytes: 96,
  minContextBytes: 24,
  maxChoiceBytes: 32,
  minChoiceBytes: 12,
};

/** Distractor lengths must be within this factor of the answer's (so length alone tells little). */
export const LENGTH_RATIO = 2;

/**
 * True when two byte lengths are within `LENGTH_RATIO` of each other.
 *
 * @example
 * similarLength(20, 35); // true
 */
export function similarLength(a: number, b: number): boolean {
  return a <= LENGTH_RATIO * b && b <= LENGTH_RATIO * a;
}
