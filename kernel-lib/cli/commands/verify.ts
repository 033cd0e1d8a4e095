/**
 * `mixlab verify STORE --retrain N [--seed S] [--runs id,id] [--tolerance T]` — retrain N sampled
 * runs of a result store in a scratch directory (the store is not touched), print the largest
 * difference per result field against the committed records and whether the verdict table would
 * change. Exit 0 when every run is within its tolerance (exact on the same engine build; a
 * relative 5e-2 across builds, about one seed's noise: kernel-lib/experiment/verify.ts) and the verdicts are unchanged,
 * 1 otherwise, 2 on bad input.
 */
import { parseCommandArgs, numberFlag } from "../args.js";
import { shown } from "../../experiment/progress.js";
import { CROSS_BUILD_TOLERANCE, verifyRetrain } from "../../experiment/verify.js";
import { describeEngineBuild } from "../../model/engine.js";
import { MixlabError } from "../../util/errors.js";

const USAGE = `usage: mixlab verify STORE --retrain N [--seed S] [--runs run-0003,run-0010] [--tolerance T]
  retrains N runs (sampled with seed S, default 0; or the --runs given) in a scratch copy of STORE
  and compares each result with the committed record: exact when the record was made by this
  engine build (same build id), else |Δ| ≤ T·max(1, |x|) per number (T default ${CROSS_BUILD_TOLERANCE}).
  Then rebuilds the report in the scratch copy and compares verdicts.csv. STORE is never written.`;

const fmt = (x: number) => (x === 0 ? "0" : x.toExponential(2));

/**
 * `mixlab verify …`; returns the exit code.
 *
 * @example
 * await run(["results/studies/regmix", "--retrain", "2"]); // 0 when within tolerance
 */
export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseCommandArgs({
    args: argv, allowPositionals: true,
    options: { help: { type: "boolean", short: "h" }, retrain: { type: "string" }, seed: { type: "string" }, runs: { type: "string" }, tolerance: { type: "string" } },
  }, USAGE, "BAD_FLAG");
  if (values.help) { console.log(USAGE); return 0; }
  if (positionals.length !== 1) throw new MixlabError("BAD_FLAG", USAGE);
  const ids = values.runs ? values.runs.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
  if (!ids && values.retrain === undefined) throw new MixlabError("BAD_FLAG", `--retrain N or --runs is required\n${USAGE}`);
  const count = ids ? ids.length : numberFlag(values.retrain, "--retrain", 0);
  const r = await verifyRetrain(positionals[0], {
    count, ids, seed: numberFlag(values.seed, "--seed", 0), tolerance: numberFlag(values.tolerance, "--tolerance", CROSS_BUILD_TOLERANCE),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  const b = r.currentBuild;
  console.log(`${shown(r.store)}: ${r.runs.length} run(s) retrained with ${b ? describeEngineBuild(b) : "a tfjs engine (no build id)"}`);
  for (const c of r.runs) {
    const cb = c.committedBuild;
    const rule = c.rule === "same build" ? "same build: exact" : `other build (${cb ? `${cb.flavour} ${cb.buildId}` : "not recorded"}): relative ≤ ${r.tolerance}`;
    console.log(`\n${c.taskId}  ${c.ok ? "within tolerance" : "PAST TOLERANCE"}  [${rule}; ${c.seconds.toFixed(1)} s]`);
    console.log(`  ${"field".padEnd(28)} ${"numbers".padStart(7)} ${"max |Δ|".padStart(10)} ${"max rel".padStart(10)}`);
    for (const f of c.fields) {
      console.log(`  ${f.field.padEnd(28)} ${String(f.numbers).padStart(7)} ${fmt(f.maxAbs).padStart(10)} ${fmt(f.maxRel).padStart(10)}${f.mismatches.length ? `  differs: ${f.mismatches.slice(0, 3).join(", ")}${f.mismatches.length > 3 ? ", …" : ""}` : ""}`);
    }
  }
  if (r.verdictsUnchanged === null) console.log("\nverdicts: the store has no verdicts.csv");
  else if (r.verdictsUnchanged) console.log("\nverdicts unchanged");
  else console.log(`\nverdicts CHANGED:\n${r.verdictChanges.map((l) => `  ${l}`).join("\n")}`);
  if (r.valueChanges.length) console.log(`values moved, verdict kept:\n${r.valueChanges.map((l) => `  ${l}`).join("\n")}`);
  return r.ok ? 0 : 1;
}
