/**
 * `chain-test`: a pure-arithmetic experiment kind with task dependencies, for the kit's tests.
 * It registers itself when imported; the dependency tests list this file in
 * MIXLAB_KIND_MODULES so forked pool workers (and `mixlab run-task`) import it too.
 *
 * Plan for `leaves: n`:
 *   0 … n-1   "leaf"   value = (k + 1)² + seed % 7     (no dependencies)
 *   n         "sum"    value = Σ leaves' values          (waits for every leaf)
 *   n + 1     "double" value = 2 × sum                   (waits for the sum)
 *   n + 2     "alone"  value = n                         (independent, last in plan order)
 *
 * Tasks whose id is listed in the environment variable CHAIN_TEST_FAIL (comma-separated) throw,
 * so a test can make a dependency fail and then "fix" it without changing the config.
 * CHAIN_TEST_HOLD="run-0001>run-0004" makes run-0001 wait (≤ 60 s) until run-0004's result file
 * exists: with two workers, that proves the pool runs other ready tasks while one waits.
 * `badDependency` makes `dependencies` return an invalid list (for PLAN_BAD_DEPENDENCY).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { defineKind, type ExperimentKind } from "../../kernel-lib/experiment/kind.js";
import { registerKind } from "../../kernel-lib/experiment/registry.js";
import { MixlabError } from "../../kernel-lib/util/errors.js";

export const chainSchema = z.strictObject({
  leaves: z.number().int().min(1),
  /** milliseconds each leaf sleeps (so a forked pool really has to wait for the sum's inputs) */
  sleepMs: z.number().int().min(0).default(0),
  badDependency: z.enum(["self", "forward", "count"]).optional(),
});
export type ChainConfig = z.infer<typeof chainSchema>;
export type ChainParams = { step: "leaf" | "sum" | "double" | "alone"; k: number };
/** `inputs`: the task ids `ctx.dependencies` held, in the order received */
export type ChainResult = { value: number; inputs: string[] };

export const chainKind: ExperimentKind<ChainConfig, ChainParams, ChainResult> = defineKind({
  name: "chain-test",
  summary: "test-only: leaves → sum → double, plus one independent task",
  schema: chainSchema,
  plan(config) {
    const n = config.leaves;
    const leaves = Array.from({ length: n }, (_, k): ChainParams => ({ step: "leaf", k }));
    return [...leaves, { step: "sum", k: n }, { step: "double", k: n + 1 }, { step: "alone", k: n + 2 }];
  },
  dependencies(config, params) {
    const n = config.leaves;
    const deps = params.map((p) => (p.step === "sum" ? Array.from({ length: n }, (_, k) => k) : p.step === "double" ? [n] : []));
    if (config.badDependency === "self") deps[n] = [n];
    if (config.badDependency === "forward") deps[0] = [n + 1];
    if (config.badDependency === "count") deps.pop();
    return deps;
  },
  async runTask(config, task, ctx) {
    const fail = (process.env.CHAIN_TEST_FAIL ?? "").split(",").filter(Boolean);
    if (fail.includes(task.id)) throw new MixlabError("CHAIN_TEST_FAILED", `${task.id} fails on purpose (CHAIN_TEST_FAIL)`);
    const inputs = ctx.dependencies.map((r) => r.taskId);
    const values = ctx.dependencies.map((r) => (r.result as ChainResult).value);
    const { step, k } = task.params;
    if (step === "leaf") {
      if (config.sleepMs > 0) await new Promise((r) => setTimeout(r, config.sleepMs));
      const [holder, until] = (process.env.CHAIN_TEST_HOLD ?? "").split(">");
      if (holder === task.id) {
        const t0 = Date.now();
        while (!existsSync(join(ctx.resultsDir, "runs", `${until}.json`))) {
          if (Date.now() - t0 > 60_000) throw new Error(`${task.id}: ${until} never finished while this task ran`);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      return { value: (k + 1) ** 2 + (task.seed % 7), inputs };
    }
    if (step === "sum") return { value: values.reduce((a, b) => a + b, 0), inputs };
    if (step === "double") return { value: 2 * values[0], inputs };
    return { value: k, inputs };
  },
  report(_config, runs, ctx) {
    return { markdown: `${runs.length}/${ctx.total} chain runs: ${runs.map((r) => `${r.taskId}=${r.result.value}`).join(", ")}\n` };
  },
});

registerKind(chainKind);
