/**
 * Turn zod issues into one `MixlabError` whose code names the first problem and whose message
 * lists every problem with its path, e.g.
 *   error[CONFIG_UNKNOWN_KEY]: experiments/x.json (profile "ci"): train: unknown key "stepz"
 */
import type { z } from "zod";
import { MixlabError } from "../util/errors.js";

/** The stable codes a config can fail with (besides CONFIG_NOT_FOUND / CONFIG_NOT_JSON). */
export type ConfigErrorCode = "CONFIG_UNKNOWN_KEY" | "CONFIG_MISSING_FIELD" | "CONFIG_WRONG_TYPE" | "CONFIG_INVALID";

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i > 0 ? "." : ""}${String(k)}`)).join("");
}

/** Code and one-line description of one issue; `input` is the object that was parsed. */
function describe(issue: z.core.$ZodIssue, input: unknown): [ConfigErrorCode, string] {
  const where = pathText(issue.path);
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `"${k}"`).join(", ");
    return ["CONFIG_UNKNOWN_KEY", `${where}: unknown key${issue.keys.length > 1 ? "s" : ""} ${keys}`];
  }
  if (issue.code === "invalid_type" || issue.code === "invalid_union") {
    const value = valueAt(input, issue.path);
    if (value === undefined) return ["CONFIG_MISSING_FIELD", `${where}: required field is missing`];
    if (issue.code === "invalid_type") {
      const got = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
      return ["CONFIG_WRONG_TYPE", `${where}: expected ${issue.expected}, got ${got} ${JSON.stringify(value)}`];
    }
  }
  return ["CONFIG_INVALID", `${where}: ${issue.message}`];
}

/**
 * Build the error for a failed `safeParse`: the code of the first issue, every issue listed.
 *
 * @example
 * const r = schema.safeParse(obj);
 * if (!r.success) throw configError(r.error.issues, obj, "experiments/x.json");
 */
export function configError(issues: readonly z.core.$ZodIssue[], input: unknown, source: string): MixlabError {
  const described = issues.map((i) => describe(i, input));
  const lines = described.map(([, text]) => text);
  const code = described[0]?.[0] ?? "CONFIG_INVALID";
  return new MixlabError(code, `${source}: ${lines.join("; ")}`);
}
