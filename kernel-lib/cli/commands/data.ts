/**
 * `mixlab data [--out DIR --cache DIR --domains a,b --research --fixture --math-seed N]` —
 * build the offline corpus; a thin caller of datasets/build.ts (same as `npm run data`).
 * `mixlab data import …` imports the user's own documents (data-import.ts).
 */
import { runDataCommand } from "../../../datasets/build.js";

/**
 * Run the data command; returns the exit code.
 *
 * @example
 * await run(["--fixture"]); // 0, writes test/fixtures/corpus
 */
export async function run(argv: string[]): Promise<number> {
  if (argv[0] === "import") return (await import("./data-import.js")).run(argv.slice(1));
  return runDataCommand(argv);
}
