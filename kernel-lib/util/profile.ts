import { MixlabError } from "./errors.js";

/**
 * Size profile of a notebook or experiment run: "ci" (small, minutes), "full" (paper scale), or
 * "study" (read a committed study's result store and train nothing; a notebook without a study
 * uses its `full` sizes).
 */
export type Profile = "ci" | "full" | "study";

/**
 * The run profile from `MIXLAB_PROFILE` ("ci" when unset). The notebook runner sets it; a
 * notebook picks its sizes with `byProfile`. Any other value is a MixlabError, so a typo
 * cannot silently start a paper-scale run.
 *
 * @example
 * process.env.MIXLAB_PROFILE = "full";
 * profile(); // "full"
 */
export function profile(env: Record<string, string | undefined> = process.env): Profile {
  const raw = (env.MIXLAB_PROFILE ?? "").trim().toLowerCase();
  if (raw === "" || raw === "ci") return "ci";
  if (raw === "full") return "full";
  if (raw === "study") return "study";
  throw new MixlabError("BAD_PROFILE", `MIXLAB_PROFILE="${env.MIXLAB_PROFILE}": expected "ci", "full" or "study"`);
}

/**
 * Pick the value for the current profile (`study` falls back to `full` when not given).
 *
 * @example
 * const steps = byProfile({ ci: 40, full: 2000 }); // 40 unless MIXLAB_PROFILE=full
 */
export function byProfile<T>(choices: { ci: T; full: T; study?: T }, env: Record<string, string | undefined> = process.env): T {
  const p = profile(env);
  return p === "study" ? (choices.study ?? choices.full) : choices[p];
}
