import { main } from "../../kernel-lib/cli/main.js";

/** Run `mixlab ARGV…` in-process with stdout silenced; the exit code and the lines written to stderr. */
export async function runCli(argv: string[]): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = () => {};
  console.error = (s: string) => { err.push(s); };
  try { return { code: await main(argv), err }; } finally { [console.log, console.error] = [log, error]; }
}
