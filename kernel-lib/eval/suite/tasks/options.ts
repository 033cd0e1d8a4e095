/**
 * Size options shared by the text-based task builders. Context + longest choice must fit the
 * scoring model's window (the model scorer left-truncates the context when it does not).
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
