/**
 * One error type for every problem a user can cause (bad mixture, malformed CSV, unknown
 * domain, bad config). `code` is stable and machine-readable; the CLI maps a `MixlabError`
 * to exit code 2 and prints `error[CODE]: message`, anything else is a bug (exit 1).
 *
 * @example
 * throw new MixlabError("MIXTURE_NOT_ON_SIMPLEX", "weights sum to 0.97, expected 1 ± 1e-6");
 */
export class MixlabError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "MixlabError";
    this.code = code;
  }
}

/**
 * True when `e` is a user-facing error (as opposed to a bug).
 *
 * @example
 * isMixlabError(new MixlabError("X", "y")); // true
 */
export function isMixlabError(e: unknown): e is MixlabError {
  return e instanceof MixlabError || (e instanceof Error && e.name === "MixlabError" && typeof (e as { code?: unknown }).code === "string");
}
