/**
 * Flag parsing shared by the CLI commands: Node's `util.parseArgs`, with its TypeError (unknown
 * flag, missing value, stray positional) turned into a named MixlabError that ends with the
 * command's usage — main.ts prints it and exits 2, like every other bad-input error.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { MixlabError } from "../util/errors.js";

/**
 * `parseArgs(config)`, or a `MixlabError(code)` naming the bad flag followed by `usage`.
 *
 * @example
 * const { values } = parseCommandArgs({ args: ["--steps", "5"], options: { steps: { type: "string" } } }, "usage: …");
 * values.steps; // "5"
 * parseCommandArgs({ args: ["--bogus"], options: {} }, "usage: …"); // throws error[BAD_ARGS]: Unknown option '--bogus' …
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T, usage: string, code = "BAD_ARGS"): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new MixlabError(code, `${e instanceof Error ? e.message : String(e)}\n${usage}`);
  }
}

/**
 * A numeric flag's value: `fallback` when absent, else a finite number (BAD_ARGS naming the
 * flag otherwise).
 *
 * @example
 * numberFlag(values.lambda, "--lambda", 10); // 10 when --lambda is not given
 */
export function numberFlag(value: string | undefined, flag: string, fallback: number): number;
export function numberFlag(value: string | undefined, flag: string): number | undefined;
export function numberFlag(value: string | undefined, flag: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const v = value.trim() === "" ? NaN : Number(value);
  if (!Number.isFinite(v)) throw new MixlabError("BAD_ARGS", `${flag}: "${value}" is not a number`);
  return v;
}

/**
 * An integer flag (≥ `min` when given): `fallback` when absent (BAD_FLAG naming the flag otherwise).
 *
 * @example
 * intFlag(values.workers, "--workers", { min: 0 }); // undefined when absent
 * intFlag(values.steps, "--steps", { min: 1, fallback: 300 });
 */
export function intFlag(value: string | undefined, flag: string, o: { min?: number; fallback: number }): number;
export function intFlag(value: string | undefined, flag: string, o: { min?: number }): number | undefined;
export function intFlag(value: string | undefined, flag: string, o: { min?: number; fallback?: number }): number | undefined {
  if (value === undefined) return o.fallback;
  const n = value.trim() === "" ? NaN : Number(value);
  const min = o.min ?? -Infinity;
  if (!Number.isInteger(n) || n < min) throw new MixlabError("BAD_FLAG", `${flag} must be an integer${o.min === undefined ? "" : ` ≥ ${o.min}`}, got "${value}"`);
  return n;
}
