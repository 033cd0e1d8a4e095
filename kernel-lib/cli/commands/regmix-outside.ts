/**
 * RegMix on runs trained outside mixlab (any framework): `regmix propose` writes the mixtures
 * to train proxies on, `regmix choose` turns their losses into the mixture. Thin callers of
 * kernel-lib/regmix: `sampleRegmixMixtures`, and `analyseDesign` (the library's steps 3–5, the
 * path `analyseSweep` takes): fitted on every row of A/B, scored on C/D when given.
 *
 *   mixlab regmix propose (--corpus DIR | --prior prior.csv) --count N --seed S --out mixtures.csv
 *   mixlab regmix choose --train-mixtures A.csv --train-losses B.csv --target COL|mean|COL+COL
 *                        --model gbdt|linear --candidates 1000000 --top-k 128 --out DIR
 *                        [--eval-mixtures C.csv --eval-losses D.csv] [--corpus DIR | --prior prior.csv]
 */
import { join } from "node:path";
import { intFlag, numberFlag, parseCommandArgs } from "../args.js";
import { loadCorpus } from "../../data/corpus.js";
import { formatMixture } from "../../data/export.js";
import { Mixture } from "../../data/mixture.js";
import { tokenPrior } from "../../data/prior.js";
import { weightTableDesign, type SimplexTolerance } from "../../regression/design.js";
import { analyseDesign, type RegmixDesign } from "../../regmix/choose.js";
import { REGMIX_SAMPLER_DEFAULTS, sampleRegmixMixtures } from "../../regmix/mixtures.js";
import { SIMULATE_DEFAULTS } from "../../regmix/simulate.js";
import { mixtureColumn, targetLosses } from "../../regmix/sweep.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { checkRowsAligned, readNumericCsvFile, toCsv } from "../../util/csv.js";
import { MixlabError } from "../../util/errors.js";
import { readMixtureSource } from "./mixture.js";

export const PROPOSE_USAGE = `usage: mixlab regmix propose (--corpus DIR | --prior prior.csv) --count N --seed S --out mixtures.csv
         [--temperature ${REGMIX_SAMPLER_DEFAULTS.temperature}] [--max-usage ${REGMIX_SAMPLER_DEFAULTS.maxUsage}] [--minimum ${REGMIX_SAMPLER_DEFAULTS.minimum}] [--sample-multiplier ${REGMIX_SAMPLER_DEFAULTS.sampleMultiplier}]
  RegMix's sampler (mixture_config/synthesize_mixture.py) around the prior: the corpus's token
  prior (--corpus), or prior.csv (domain,weight). Writes RegMix's schema: index,train_<domain>,…
  (index from 1) — one mixture per proxy to train in any framework.`;

export const CHOOSE_USAGE = `usage: mixlab regmix choose --train-mixtures A.csv --train-losses B.csv --target COL|mean|COL+COL
         --out DIR [--model gbdt|linear] [--candidates 1000000] [--top-k 128] [--seed 42] [--rounds 1000]
         [--eval-mixtures C.csv --eval-losses D.csv] [--corpus DIR | --prior prior.csv]
  A.csv  [index,]train_<domain>,… or [index,]<domain>,…   the proxies' mixtures (regmix propose's file)
  B.csv  [index,]<loss columns>                            their losses, same rows
  --target  a loss column (or a domain d for metric/d_val_loss), "mean" of every loss column, or a+b (sum)
  fit (GBDT, RegMix's LightGBM defaults, or linear) → simulate --candidates Dirichlet(prior) mixtures
  → average the --top-k with the lowest predicted loss → the mixture. Prior: the corpus token prior,
  prior.csv, or by default the mean of A's mixtures. With C/D: held-out Spearman of the fit.
  Refused (exit 2, nothing written): an index value twice, < 2 runs, losses all equal, a fit
  that predicts one loss for every run (a GBDT too small to split: more runs or --model linear).
  DIR gets mixture.json (for mixture export), mixture.csv, top_k.csv.`;

/** How close to the simplex the mixture rows of A and C must be: weights ≥ −1e-9, sums 1 ± 0.01 (RegMix's released weights are rounded to 3 decimals). */
const CHOOSE_SIMPLEX: SimplexTolerance = { sum: 0.01, negative: 1e-9 };

function priorFrom(values: { corpus?: string; prior?: string }, domains?: readonly string[]): Mixture | undefined {
  if (values.corpus && values.prior) throw new MixlabError("BAD_ARGS", "give --corpus or --prior, not both");
  if (values.corpus) return tokenPrior(loadCorpus(values.corpus), domains ?? loadCorpus(values.corpus).domains);
  if (values.prior) {
    const p = readMixtureSource(values.prior);
    return domains ? p.over(domains) : p;
  }
  return undefined;
}

async function propose(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      corpus: { type: "string" }, prior: { type: "string" }, count: { type: "string" }, seed: { type: "string" }, out: { type: "string" },
      temperature: { type: "string" }, "max-usage": { type: "string" }, minimum: { type: "string" }, "sample-multiplier": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
  }, PROPOSE_USAGE);
  if (values.help) { console.log(PROPOSE_USAGE); return 0; }
  if (!values.count || !values.out || (!values.corpus && !values.prior)) throw new MixlabError("BAD_ARGS", `need --count, --out and --corpus or --prior\n${PROPOSE_USAGE}`);
  const prior = priorFrom(values)!;
  const count = intFlag(values.count, "--count", { fallback: 0 });
  const seed = intFlag(values.seed, "--seed", { fallback: 42 });
  const mixtures = sampleRegmixMixtures(prior, {
    numSamples: count,
    seed,
    temperature: numberFlag(values.temperature, "--temperature", REGMIX_SAMPLER_DEFAULTS.temperature),
    maxUsage: numberFlag(values["max-usage"], "--max-usage", REGMIX_SAMPLER_DEFAULTS.maxUsage),
    minimum: numberFlag(values.minimum, "--minimum", REGMIX_SAMPLER_DEFAULTS.minimum),
    sampleMultiplier: intFlag(values["sample-multiplier"], "--sample-multiplier", { fallback: REGMIX_SAMPLER_DEFAULTS.sampleMultiplier }),
  });
  writeFileAtomic(values.out, toCsv(["index", ...prior.domains.map(mixtureColumn)], mixtures.map((m, i) => [i + 1, ...m.weights])));
  console.log(`wrote ${mixtures.length} mixtures over ${prior.domains.length} domains to ${values.out} (RegMix sampler, seed ${seed}; prior ${prior.toString()})`);
  return 0;
}

async function choose(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      "train-mixtures": { type: "string" }, "train-losses": { type: "string" }, target: { type: "string" },
      model: { type: "string" }, candidates: { type: "string" }, "top-k": { type: "string" }, seed: { type: "string" }, rounds: { type: "string" },
      "eval-mixtures": { type: "string" }, "eval-losses": { type: "string" }, corpus: { type: "string" }, prior: { type: "string" },
      out: { type: "string" }, help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
  }, CHOOSE_USAGE);
  if (values.help) { console.log(CHOOSE_USAGE); return 0; }
  for (const f of ["train-mixtures", "train-losses", "target", "out"] as const) if (!values[f]) throw new MixlabError("BAD_ARGS", `missing --${f}\n${CHOOSE_USAGE}`);
  if (!!values["eval-mixtures"] !== !!values["eval-losses"]) throw new MixlabError("BAD_ARGS", "--eval-mixtures and --eval-losses go together");
  const model = values.model ?? "gbdt";
  if (model !== "gbdt" && model !== "linear") throw new MixlabError("BAD_ARGS", `--model must be gbdt or linear, got "${model}"`);
  const seed = intFlag(values.seed, "--seed", { fallback: 42 });
  const rounds = intFlag(values.rounds, "--rounds", { fallback: 1000 });
  const numCandidates = intFlag(values.candidates, "--candidates", { fallback: SIMULATE_DEFAULTS.numCandidates });
  const topK = intFlag(values["top-k"], "--top-k", { fallback: SIMULATE_DEFAULTS.topK });
  if (numCandidates < 1 || topK < 1 || topK > numCandidates) throw new MixlabError("BAD_ARGS", `need 1 ≤ --top-k (${topK}) ≤ --candidates (${numCandidates})`);

  const aPath = values["train-mixtures"]!;
  const bPath = values["train-losses"]!;
  const A = readNumericCsvFile(aPath);
  const B = readNumericCsvFile(bPath);
  checkRowsAligned(A, aPath, B, bPath);
  const { columns: domains, X } = weightTableDesign(A, aPath, { prefix: "train_", simplex: CHOOSE_SIMPLEX });
  const y = targetLosses(B, values.target!, bPath);
  const prior = priorFrom(values, domains) ?? Mixture.normalised(domains, domains.map((_, j) => {
    let s = 0;
    for (let i = 0; i < A.rows.length; i++) s += X[i * domains.length + j];
    return s;
  }));
  const priorSource = values.corpus ? `token prior of ${values.corpus}` : values.prior ? values.prior : "mean of the training mixtures";
  let evalRows: RegmixDesign | null = null;
  if (values["eval-mixtures"]) {
    const [cPath, dPath] = [values["eval-mixtures"], values["eval-losses"]!];
    const C = readNumericCsvFile(cPath);
    const D = readNumericCsvFile(dPath);
    checkRowsAligned(C, cPath, D, dPath);
    evalRows = { X: weightTableDesign(C, cPath, { prefix: "train_", simplex: CHOOSE_SIMPLEX, columns: domains }).X, y: targetLosses(D, values.target!, dPath) };
  }

  // analyseSweep's path: fit on every training row (all rounds), score on C/D, simulate with --model
  const analysis = analyseDesign({ X, y }, evalRows, prior, values.target!, {
    gbdt: { seed, numRounds: rounds },
    simulateWith: model,
    simulate: { numCandidates, topK, seed, keepPredictions: false },
  });
  const sim = analysis.simulation;
  const scored = analysis.scores.find((s) => s.model === model);
  const heldOut = scored ? { n: scored.n, spearman: scored.spearman, pearson: scored.pearson, mse: scored.mse } : undefined;

  const out = values.out!;
  const record = {
    mixture: sim.mixture.toRecord(),
    shares: "token",
    method: "regmix",
    target: values.target,
    model,
    trainRows: A.rows.length,
    candidates: numCandidates,
    topK,
    seed,
    prior: { source: priorSource, weights: prior.toRecord() },
    predictedLoss: { topKMean: sim.stats.topKMean, best: sim.top.predictions[0] },
    ...(heldOut ? { heldOut } : {}),
  };
  writeFileAtomic(join(out, "mixture.json"), `${JSON.stringify(record, null, 2)}\n`);
  writeFileAtomic(join(out, "mixture.csv"), formatMixture(sim.mixture, "csv"));
  const d = domains.length;
  writeFileAtomic(join(out, "top_k.csv"), toCsv(["rank", "predicted", ...domains], Array.from(sim.top.predictions, (p, r) => [r + 1, p, ...sim.top.candidates.subarray(r * d, (r + 1) * d)])));
  console.log(`regmix choose: ${model} on ${A.rows.length} runs → "${values.target}"; ${numCandidates} candidates, top ${topK}; prior: ${priorSource}`);
  if (heldOut) console.log(`held-out (${heldOut.n} runs): spearman ${heldOut.spearman.toFixed(4)}  pearson ${heldOut.pearson.toFixed(4)}  mse ${heldOut.mse.toExponential(4)}`);
  console.log(`mixture: ${sim.mixture.toString()}`);
  console.log(`wrote ${join(out, "mixture.json")}, mixture.csv, top_k.csv`);
  return 0;
}

/**
 * `mixlab regmix propose|choose …` (see the file comment); returns the exit code.
 *
 * @example
 * await run(["propose", "--corpus", "data/pile", "--count", "64", "--seed", "1", "--out", "mixtures.csv"]); // 0
 */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "propose") return propose(rest);
  if (sub === "choose") return choose(rest);
  throw new MixlabError("UNKNOWN_COMMAND", `regmix: no subcommand "${sub}"`);
}
