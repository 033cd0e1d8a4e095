/**
 * `verifyRetrain`: how close does a retrained run come to the committed one? N sampled runs of a
 * store are retrained in a scratch copy (the store itself is never written), each result is
 * compared number by number with its committed record, and the study's report is rebuilt in the
 * scratch copy to see whether its verdict table would change: a claim's verdict word (the verdict
 * changes) or only its value and interval (listed, not a failure).
 *
 * Tolerance, per number x (committed) and y (retrained):
 *   - the record's engine build id equals this process's: exact, |y − x| = 0 — the engine is
 *     deterministic (bit-identical across runs and thread counts), so any difference is a bug
 *     or a changed input;
 *   - otherwise (another CPU under the `native` build, another compiler, a record made before
 *     builds were recorded): |y − x| ≤ tol · max(1, |x|), tol = 5e-2 by default. Across builds a
 *     retrained run is only another sample of the same training, not a rounding of it: rounding
 *     differences grow over thousands of steps. Measured on the RegMix study (native build, this
 *     machine kind, records from an earlier engine): sweep proxies retrain within 1.4e-5–6.1e-5
 *     relative, a 1M scale model within 5.6e-3, and a 4×-tokens proxy on a 97 %-speeches
 *     mixture within 3.2e-2 — while the same proxies' seed-to-seed spread (24 repeated mixtures,
 *     largest relative difference over domains) is 2.0e-2–1.0e-1, median 5.6e-2. So the default
 *     is that median: a retrained run across builds must land within about one seed's noise; the
 *     verdict table is the check that matters, and only the same build (the portable build on any
 *     AVX2 CPU) gives exactness.
 * Strings, booleans and array lengths must match exactly under both rules.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineBuild } from "../model/engine.js";
import { MixlabError } from "../util/errors.js";
import { parseCsv } from "../util/csv.js";
import { createRng } from "../util/rng.js";
import { currentEngineBuild } from "./backend.js";
import type { Json } from "./json.js";
import type { RunRecord } from "./kind.js";
import { buildReport } from "./report.js";
import { openTaskRunner, runTaskAt } from "./run-one.js";
import { openStore, scanRuns } from "./store.js";

/** Default relative tolerance across builds (see the header). */
export const CROSS_BUILD_TOLERANCE = 5e-2;

/** One result field's comparison (`compareResults`): the largest difference among the numbers under it. */
export interface FieldDelta {
  /** top-level key of the result (e.g. "losses"), or "(result)" for a scalar result */
  field: string;
  /** numbers compared under it */
  numbers: number;
  maxAbs: number;
  /** max |Δ| / max(1, |committed|) */
  maxRel: number;
  /** non-numeric differences (strings, booleans, shapes), as JSON paths */
  mismatches: string[];
}

export interface RunCheck {
  taskId: string;
  /** "same build": exact comparison; "other build": within the tolerance */
  rule: "same build" | "other build";
  committedBuild: EngineBuild | null;
  fields: FieldDelta[];
  ok: boolean;
  seconds: number;
}

export interface VerifyResult {
  store: string;
  currentBuild: EngineBuild | null;
  tolerance: number;
  runs: RunCheck[];
  /** every claim's verdict word in verdicts.csv, rebuilt with the retrained runs, equals the committed one; null when the store has none */
  verdictsUnchanged: boolean | null;
  /** claims whose verdict changed (committed → retrained) */
  verdictChanges: string[];
  /** claims whose verdict stayed but whose value or interval moved */
  valueChanges: string[];
  ok: boolean;
}

type Leaf = { path: string; value: number | string | boolean | null };

function leaves(v: Json | undefined, path: string, out: Leaf[]): void {
  if (Array.isArray(v)) {
    out.push({ path: `${path}.length`, value: v.length });
    v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
  } else if (v !== null && typeof v === "object") {
    for (const k of Object.keys(v).sort()) leaves((v as Record<string, Json>)[k], `${path}.${k}`, out);
  } else {
    // a cast, not narrowing: tslab compiles kernel-lib non-strict, where `v !== null` above does not narrow
    out.push({ path, value: v === undefined || v === null ? null : (v as number | string | boolean) });
  }
}

/**
 * Compare two run results field by field (see the header for the rule).
 *
 * @example
 * compareResults({ loss: 2.5 }, { loss: 2.5001 }); // [{ field: "loss", maxAbs: 1e-4, maxRel: 4e-5, mismatches: [] … }]
 */
export function compareResults(committed: Json, retrained: Json): FieldDelta[] {
  const fieldsOf = (r: Json): [string, Json][] => (r !== null && typeof r === "object" && !Array.isArray(r) ? Object.entries(r) : [["(result)", r]]);
  const a = new Map(fieldsOf(committed));
  const b = new Map(fieldsOf(retrained));
  const out: FieldDelta[] = [];
  for (const field of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const la: Leaf[] = [], lb: Leaf[] = [];
    leaves(a.get(field), "", la);
    leaves(b.get(field), "", lb);
    const byPath = new Map(lb.map((l) => [l.path, l.value]));
    const d: FieldDelta = { field, numbers: 0, maxAbs: 0, maxRel: 0, mismatches: [] };
    for (const { path, value } of la) {
      const other = byPath.get(path);
      byPath.delete(path);
      if (typeof value === "number" && typeof other === "number" && !path.endsWith(".length")) {
        d.numbers++;
        const abs = Math.abs(other - value);
        const diff = Number.isNaN(abs) ? (Number.isNaN(value) && Number.isNaN(other) ? 0 : Infinity) : abs;
        d.maxAbs = Math.max(d.maxAbs, diff);
        d.maxRel = Math.max(d.maxRel, diff / Math.max(1, Math.abs(value)));
      } else if (value !== other) {
        d.mismatches.push(`${field}${path}`);
      }
    }
    for (const path of byPath.keys()) d.mismatches.push(`${field}${path} (only in the retrained run)`);
    out.push(d);
  }
  return out;
}

/** verdicts.csv rows by claim: the verdict word (last column) and the value (the one before it). */
function verdictRows(text: string): Map<string, { value: string; verdict: string }> {
  const t = parseCsv(text, "verdicts.csv");
  const out = new Map<string, { value: string; verdict: string }>();
  for (const row of t.rows) out.set(row[0], { value: row.length > 2 ? row[row.length - 2] : "", verdict: row[row.length - 1] });
  return out;
}

/**
 * Two verdict tables compared claim by claim: verdict words that changed, and values that moved
 * under an unchanged verdict.
 *
 * @example
 * compareVerdicts("claim,value,verdict\n1,0.93,holds\n", "claim,value,verdict\n1,0.92,holds\n").valueChanges; // ["1: 0.93 → 0.92"]
 */
export function compareVerdicts(committed: string, rebuilt: string): { verdictChanges: string[]; valueChanges: string[] } {
  const before = verdictRows(committed), after = verdictRows(rebuilt);
  const verdictChanges: string[] = [], valueChanges: string[] = [];
  for (const [claim, b] of before) {
    const a = after.get(claim);
    if (!a || a.verdict !== b.verdict) verdictChanges.push(`${claim}: ${b.verdict} → ${a ? a.verdict : "(row gone)"}`);
    else if (a.value !== b.value) valueChanges.push(`${claim}: ${b.value} → ${a.value}`);
  }
  for (const [claim, a] of after) if (!before.has(claim)) verdictChanges.push(`${claim}: (new row) → ${a.verdict}`);
  return { verdictChanges, valueChanges };
}

/** The runs to retrain: `ids` as given, else `count` sampled with `seed` among the done runs. */
function pickRuns(done: readonly RunRecord[], count: number, seed: number, ids?: readonly string[]): RunRecord[] {
  if (ids && ids.length > 0) {
    const byId = new Map(done.map((r) => [r.taskId, r]));
    return ids.map((id) => {
      const r = byId.get(id);
      if (!r) throw new MixlabError("VERIFY_UNKNOWN_RUN", `no finished run ${id} in the store (have ${done.length} finished runs)`);
      return r;
    });
  }
  if (!Number.isInteger(count) || count < 1) throw new MixlabError("VERIFY_BAD_COUNT", `--retrain takes a positive integer, got ${count}`);
  if (count > done.length) throw new MixlabError("VERIFY_BAD_COUNT", `--retrain ${count}: the store has ${done.length} finished runs`);
  return createRng(seed).shuffle([...done]).slice(0, count).sort((x, y) => x.index - y.index);
}

/**
 * Retrain `count` sampled runs (or the runs `ids`) of the store at `dir` in a scratch copy and
 * compare them with the committed records; rebuild the report there and compare verdicts.csv.
 *
 * @example
 * const r = await verifyRetrain("results/studies/regmix", { count: 2, seed: 1 });
 * r.ok; r.runs.map((c) => c.fields);
 */
export async function verifyRetrain(dir: string, opts: { count: number; seed?: number; ids?: readonly string[]; tolerance?: number; log?: (line: string) => void }): Promise<VerifyResult> {
  const log = opts.log ?? (() => {});
  const store = openStore(dir);
  const scan = scanRuns(store);
  const picked = pickRuns(scan.done, opts.count, opts.seed ?? 0, opts.ids);
  const tolerance = opts.tolerance ?? CROSS_BUILD_TOLERANCE;
  if (!(tolerance >= 0)) throw new MixlabError("VERIFY_BAD_TOLERANCE", `--tolerance must be ≥ 0, got ${tolerance}`);
  const currentBuild = await currentEngineBuild();

  const scratch = mkdtempSync(join(tmpdir(), "mixlab-verify-"));
  try {
    // The scratch store: manifest, plan and every run but the picked ones; the models kept beside
    // a store (MergeMix's) are copied so dependencies need not be retrained.
    cpSync(join(store.dir, "manifest.json"), join(scratch, "manifest.json"));
    cpSync(join(store.dir, "plan.json"), join(scratch, "plan.json"));
    mkdirSync(join(scratch, "runs"));
    const pickedIds = new Set(picked.map((r) => r.taskId));
    for (const r of scan.done) if (!pickedIds.has(r.taskId)) cpSync(join(store.dir, "runs", `${r.taskId}.json`), join(scratch, "runs", `${r.taskId}.json`));
    if (existsSync(join(store.dir, "models"))) cpSync(join(store.dir, "models"), join(scratch, "models"), { recursive: true });

    const runner = openTaskRunner(scratch);
    const runs: RunCheck[] = [];
    for (const committed of picked) {
      log(`retraining ${committed.taskId} …`);
      const out = await runTaskAt(runner, committed.index, { executor: "inline", log: (l) => log(`  ${committed.taskId}: ${l}`) });
      const committedBuild = committed.meta.engineBuild ?? null;
      const same = committedBuild !== null && currentBuild !== null && committedBuild.buildId === currentBuild.buildId;
      const fields = compareResults(committed.result, out.record.result);
      const limit = same ? 0 : tolerance;
      const ok = fields.every((f) => f.mismatches.length === 0 && (same ? f.maxAbs === 0 : f.maxRel <= limit));
      runs.push({ taskId: committed.taskId, rule: same ? "same build" : "other build", committedBuild, fields, ok, seconds: out.seconds });
    }

    let verdictsUnchanged: boolean | null = null;
    const verdictChanges: string[] = [];
    const valueChanges: string[] = [];
    const committedVerdicts = join(store.dir, "verdicts.csv");
    if (existsSync(committedVerdicts)) {
      await buildReport(scratch, { png: false });
      const rebuilt = join(scratch, "verdicts.csv");
      const c = compareVerdicts(readFileSync(committedVerdicts, "utf8"), existsSync(rebuilt) ? readFileSync(rebuilt, "utf8") : "claim,verdict\n");
      verdictChanges.push(...c.verdictChanges);
      valueChanges.push(...c.valueChanges);
      verdictsUnchanged = verdictChanges.length === 0;
    }
    return { store: store.dir, currentBuild, tolerance, runs, verdictsUnchanged, verdictChanges, valueChanges, ok: runs.every((r) => r.ok) && verdictsUnchanged !== false };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
