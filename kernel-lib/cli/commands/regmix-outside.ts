/**
 * RegMix on runs trained outside mixlab (any framework): `regmix propose` writes the mixtures
 * to train proxies on, `regmix choose` turns their losses into the mixture. Thin callers of
 * kernel-lib/regmix (`sampleRegmixMixtures`, `simulateRegmix`) and kernel-lib/regression.
 *
 *   mixlab regmix propose (--corpus DIR | --prior prior.csv) --count N --seed S --out mixtures.csv
 *   mixlab regmix choose --train-mixtures A.csv --train-losses B.csv --target COL|mean|COL+COL
 *                        --model gbdt|linear --candidates 1000000 --top-k 128 --out DIR
 *                        [--eval-mixtures C.csv --eval-losses D.csv] [--corpus DIR | --prior prior.csv]
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { intFlag, numberFlag, parseCommandArgs } from "../args.js";
import { loadCorpus } from "../../data/corpus.js";
import { formatMixture } from "../../data/export.js";
import { Mixture } from "../../data/mixture.js";
import { tokenPrior } from "../../data/prior.js";
import { fitGbdt } from "../../regression/gbdt/index.js";
import { regmixLeafSize } from "../../regmix/choose.js";
import { fitLinear } from "../../regression/linear.js";
import { mse, pearson, spearman } from "../../regression/metrics.js";
import { REGMIX_SAMPLER_DEFAULTS, sampleRegmixMixtures } from "../../regmix/mixtures.js";
import { simulateRegmix, SIMULATE_DEFAULTS } from "../../regmix/simulate.js";
import { mixtureColumn } from "../../regmix/sweep.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { parseNumericCsv, toCsv, type NumericTable } from "../../util/csv.js";
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
  DIR gets mixture.json (for mixture export), mixture.csv, top_k.csv.`;

function readTable(path: string): NumericTable {
  if (!existsSync(path)) throw new MixlabError("FILE_NOT_FOUND", `${path}: no such file`);
  const t = parseNumericCsv(readFileSync(path, "utf8"), path);
  if (t.rows.length === 0) throw new MixlabError("CSV_EMPTY", `${path}: header but no data rows`);
  return t;
}

/** Same rows: same count and, when both have `index`, the same index values. */
function checkAligned(a: NumericTable, aName: string, b: NumericTable, bName: string): void {
  if (a.rows.length !== b.rows.length) throw new MixlabError("ROW_COUNT_MISMATCH", `${aName} has ${a.rows.length} rows but ${bName} has ${b.rows.length}`);
  const ia = a.columns.indexOf("index");
  const ib = b.columns.indexOf("index");
  if (ia < 0 || ib < 0) return;
  a.rows.forEach((r, i) => {
    if (r[ia] !== b.rows[i][ib]) throw new MixlabError("INDEX_MISMATCH", `row ${i + 1}: ${aName} has index ${r[ia]} but ${bName} has ${b.rows[i][ib]}`);
  });
}

/** Mixture columns of a table: domain names (a `train_` prefix on every column is stripped) and row-major weights. */
export function mixtureMatrix(t: NumericTable, source: string, domains?: readonly string[]): { domains: string[]; X: Float64Array } {
  const cols = t.columns.map((c, j) => [c, j] as const).filter(([c]) => c !== "index");
  if (cols.length === 0) throw new MixlabError("CSV_MISSING_COLUMN", `${source}: no mixture columns besides "index"`);
  const prefixed = cols.every(([c]) => c.startsWith("train_"));
  const names = cols.map(([c]) => (prefixed ? c.slice("train_".length) : c));
  if (domains && (names.length !== domains.length || names.some((n) => !domains.includes(n)))) {
    throw new MixlabError("CSV_MISSING_COLUMN", `${source}: mixture columns ${names.join(", ")} differ from the training mixtures' ${domains.join(", ")}`);
  }
  const order = domains ?? names;
  const idx = order.map((d) => cols[names.indexOf(d)][1]);
  const X = new Float64Array(t.rows.length * order.length);
  t.rows.forEach((r, i) => {
    let sum = 0;
    idx.forEach((j, k) => {
      if (r[j] < -1e-9) throw new MixlabError("MIXTURE_NOT_ON_SIMPLEX", `${source}: row ${i + 1}, "${order[k]}" = ${r[j]} is negative`);
      X[i * order.length + k] = r[j];
      sum += r[j];
    });
    if (Math.abs(sum - 1) > 0.01) throw new MixlabError("MIXTURE_NOT_ON_SIMPLEX", `${source}: row ${i + 1} weights sum to ${sum}, expected 1 ± 0.01`);
  });
  return { domains: [...order], X };
}

/**
 * The target vector of a loss table: one column (by name, or `metric/<d>_val_loss` for a
 * domain d), `mean` of every loss column, or `a+b` (the sum of the named columns).
 *
 * @example
 * targetValues(table, "metric/books_val_loss+metric/code_val_loss", "B.csv");
 */
export function targetValues(t: NumericTable, target: string, source: string): Float64Array {
  const col = (name: string): number => {
    for (const c of [name, `metric/${name}_val_loss`]) {
      const j = t.columns.indexOf(c);
      if (j >= 0 && c !== "index") return j;
    }
    throw new MixlabError("CSV_MISSING_COLUMN", `${source}: no loss column "${name}" (has: ${t.columns.filter((c) => c !== "index").join(", ")})`);
  };
  const js = target === "mean" ? t.columns.map((c, j) => [c, j] as const).filter(([c]) => c !== "index").map(([, j]) => j) : target.split("+").map((p) => col(p.trim()));
  if (js.length === 0) throw new MixlabError("CSV_MISSING_COLUMN", `${source}: no loss columns`);
  const scale = target === "mean" ? 1 / js.length : 1;
  return Float64Array.from(t.rows, (r) => js.reduce((s, j) => s + r[j], 0) * scale);
}

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

  const A = readTable(values["train-mixtures"]!);
  const B = readTable(values["train-losses"]!);
  checkAligned(A, values["train-mixtures"]!, B, values["train-losses"]!);
  const { domains, X } = mixtureMatrix(A, values["train-mixtures"]!);
  const y = targetValues(B, values.target!, values["train-losses"]!);
  const prior = priorFrom(values, domains) ?? Mixture.normalised(domains, domains.map((_, j) => {
    let s = 0;
    for (let i = 0; i < A.rows.length; i++) s += X[i * domains.length + j];
    return s;
  }));
  const priorSource = values.corpus ? `token prior of ${values.corpus}` : values.prior ? values.prior : "mean of the training mixtures";

  // the library path of analyseSweep with no held-out rows: fit on every row, simulate with that regressor
  const fitted = model === "gbdt" ? fitGbdt(X, y, { seed, numRounds: rounds, earlyStoppingRounds: 0, minDataInLeaf: regmixLeafSize(y.length) }) : fitLinear(X, y);
  const sim = simulateRegmix(fitted, prior, { numCandidates, topK, seed, keepPredictions: false });

  let heldOut: { n: number; spearman: number; pearson: number; mse: number } | undefined;
  if (values["eval-mixtures"]) {
    const C = readTable(values["eval-mixtures"]);
    const D = readTable(values["eval-losses"]!);
    checkAligned(C, values["eval-mixtures"], D, values["eval-losses"]!);
    const Xc = mixtureMatrix(C, values["eval-mixtures"], domains).X;
    const obs = targetValues(D, values.target!, values["eval-losses"]!);
    const pred = fitted.predict(Xc);
    heldOut = { n: obs.length, spearman: obs.length >= 2 ? spearman(pred, obs) : NaN, pearson: obs.length >= 2 ? pearson(pred, obs) : NaN, mse: mse(pred, obs) };
  }

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
