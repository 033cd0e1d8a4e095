/**
 * `mixlab data [--out DIR --cache DIR --domains a,b --research --fixture --math-seed N]` —
 * build the offline corpus; a thin caller of datasets/build.ts (same as `npm run data`).
 */
import { runDataCommand } from "../../../datasets/build.js";

/**
 * Run the data command; returns the exit code.
 *
 * @example
 * await run(["--fixture"]); // 0, writes test/fixtures/corpus
 */
export async function run(argv: string[]): Promise<number> {
  return runDataCommand(argv);
}
