/**
 * Flag parsing shared by the CLI commands: Node's `util.parseArgs`, with its TypeError (unknown
 * flag, missing value, stray positional) turned into a named MixlabError that ends with the
 * command's usage — main.ts prints it and exits 2, like every other bad-input error.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { MixlabError } from "../util/errors.js";

/**
 * `parseArgs(config)`, or a `MixlabError(code)` naming the bad flag followed by `usage`.
 *
 * @example
 * const { values } = parseCommandArgs({ args: ["--steps", "5"], options: { steps: { type: "string" } } }, "usage: …");
 * values.steps; // "5"
 * parseCommandArgs({ args: ["--bogus"], options: {} }, "usage: …"); // throws error[BAD_ARGS]: Unknown option '--bogus' …
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T, usage: string, code = "BAD_ARGS"): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new MixlabError(code, `${e instanceof Error ? e.message : String(e)}\n${usage}`);
  }
}
