/**
 * Experiment config files: `experiments/<name>.json`, format documented in
 * experiments/README.md. Loading validates the envelope, the kind's fields and every profile's
 * overrides before any work starts, so a typo in the `full` profile is caught by a `ci` run.
 */
import { readFileSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import { z } from "zod";
import { MixlabError } from "../util/errors.js";
import { configError } from "./config-errors.js";
import { isPlainObject, type Json } from "./json.js";
import type { AnyExperimentKind } from "./kind.js";
import { getKind } from "./registry.js";

/** The config format version this code reads. */
export const CONFIG_VERSION = 1;
/** Profile name used when no profile is applied. */
export const BASE_PROFILE = "base";

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Fields that belong to the kit, not the kind. */
const ENVELOPE_KEYS = ["kind", "version", "name", "description", "seed", "results", "engineBuild", "profiles"] as const;
/** Envelope fields a profile may override (the rest would change what the experiment is). */
const PROFILE_OVERRIDABLE = new Set(["seed", "description", "results", "engineBuild"]);
/** `results`: a results directory relative to the project root, inside it (a committed study's store) */
const resultsDirSchema = z.string().regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$)).+$/, "a relative path inside the project, without '..'");
/**
 * `engineBuild`: the native engine build a profile's runs are (to be) made with — "native" (tuned
 * for the CPU) or "portable" (bit-exact on every AVX2 CPU; model/fused/native-build.ts). A kit
 * field, not part of `resolved`: it says how the store's runs were computed, not what they are.
 */
const engineBuildSchema = z.enum(["native", "portable"]);

const envelopeSchema = z.looseObject({
  kind: z.string().min(1),
  version: z.number(),
  name: z.string().regex(NAME_RE, "letters, digits, '.', '_' and '-' only").optional(),
  description: z.string().optional(),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  results: resultsDirSchema.optional(),
  engineBuild: engineBuildSchema.optional(),
  profiles: z.record(z.string().regex(NAME_RE, "letters, digits, '.', '_' and '-' only"), z.record(z.string(), z.unknown())).optional(),
});

/** A validated experiment config with one profile applied. */
export interface LoadedExperiment {
  /** absolute path of the config file ("(inline)" for `parseExperimentConfig` without a source) */
  file: string;
  /** `name` from the file, else the file's basename without extension */
  name: string;
  kind: AnyExperimentKind;
  /** the applied profile, or "base" */
  profile: string;
  /** every profile the file defines */
  profiles: string[];
  /** the seed as written (after the profile); undefined → drawn once and recorded */
  seed: number | undefined;
  description: string | undefined;
  /** the default results directory the file names (relative to the project root), if any; not part of `resolved`, so a store can move */
  results: string | undefined;
  /** the native engine build the profile names (see `engineBuildSchema`), if any */
  engineBuild: "native" | "portable" | undefined;
  /** the kind's fields after the profile, parsed by the kind's schema (defaults filled) */
  fields: unknown;
  /**
   * The config as the manifest records it and resumption compares it:
   * `{ kind, version, name, profile, seed?, description?, ...fields }`.
   */
  resolved: Record<string, Json>;
}

/**
 * Deep-merge a profile's overrides onto a base: objects merge key by key, anything else
 * (numbers, strings, arrays) replaces.
 *
 * @example
 * mergeOverrides({ train: { steps: 100, lr: 1 } }, { train: { steps: 5 } }); // { train: { steps: 5, lr: 1 } }
 */
export function mergeOverrides(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeOverrides(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

/**
 * Read and validate a config file and apply `profile` (omitted: none, "base").
 * Throws a `MixlabError` naming the problem: CONFIG_NOT_FOUND, CONFIG_NOT_JSON,
 * CONFIG_UNKNOWN_KEY, CONFIG_MISSING_FIELD, CONFIG_WRONG_TYPE, CONFIG_INVALID,
 * CONFIG_VERSION, CONFIG_UNKNOWN_KIND, CONFIG_UNKNOWN_PROFILE.
 *
 * @example
 * const exp = loadExperimentConfig("experiments/proxy-sweep-tiny.json", "ci");
 * exp.kind.name; // "proxy-sweep"
 */
export function loadExperimentConfig(path: string, profile?: string): LoadedExperiment {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new MixlabError("CONFIG_NOT_FOUND", `no config file at ${path}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new MixlabError("CONFIG_NOT_JSON", `${path}: not valid JSON (${(e as Error).message})`);
  }
  return parseExperimentConfig(raw, { source: path, file, profile });
}

/**
 * Validate an already-parsed config object (from a notebook, a test, a file).
 *
 * @example
 * parseExperimentConfig({ kind: "bigram-sweep", version: 1, seed: 1, corpus: "fixture", mixtures: { source: "uniform" } }).name; // "experiment"
 */
export function parseExperimentConfig(raw: unknown, opts: { source?: string; file?: string; profile?: string } = {}): LoadedExperiment {
  const source = opts.source ?? "config";
  if (!isPlainObject(raw)) throw new MixlabError("CONFIG_WRONG_TYPE", `${source}: (top level): expected an object`);
  const env = envelopeSchema.safeParse(raw);
  if (!env.success) throw configError(env.error.issues, raw, source);
  const { kind: kindName, version, name, description, seed, results, engineBuild, profiles = {} } = env.data;
  if (version !== CONFIG_VERSION) {
    throw new MixlabError("CONFIG_VERSION", `${source}: version ${version} is not supported (this mixlab reads version ${CONFIG_VERSION})`);
  }
  const kind = getKind(kindName, source);
  if (BASE_PROFILE in profiles) throw new MixlabError("CONFIG_INVALID", `${source}: profiles.${BASE_PROFILE}: "${BASE_PROFILE}" is reserved for "no profile"`);

  const kindFields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!(ENVELOPE_KEYS as readonly string[]).includes(k)) kindFields[k] = v;

  // Validate the base and every profile up front: a broken profile is an error whichever runs.
  const parsed = new Map<string, { fields: unknown; seed: number | undefined; description: string | undefined; results: string | undefined; engineBuild: "native" | "portable" | undefined }>();
  const base = kind.schema.safeParse(kindFields);
  if (!base.success) throw configError(base.error.issues, kindFields, source);
  parsed.set(BASE_PROFILE, { fields: base.data, seed, description, results, engineBuild });
  for (const [pname, overrides] of Object.entries(profiles)) {
    const where = `${source} (profile "${pname}")`;
    const own: Record<string, unknown> = {};
    let pseed = seed;
    let pdesc = description;
    let presults = results;
    let pbuild = engineBuild;
    for (const [k, v] of Object.entries(overrides)) {
      if (PROFILE_OVERRIDABLE.has(k)) continue;
      if ((ENVELOPE_KEYS as readonly string[]).includes(k)) throw new MixlabError("CONFIG_INVALID", `${where}: a profile cannot override "${k}"`);
      own[k] = v;
    }
    if ("seed" in overrides) {
      const s = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).safeParse(overrides.seed);
      if (!s.success) throw configError(s.error.issues.map((i) => ({ ...i, path: ["seed", ...i.path] })), overrides, where);
      pseed = s.data;
    }
    if ("description" in overrides) {
      if (typeof overrides.description !== "string") throw new MixlabError("CONFIG_WRONG_TYPE", `${where}: description: expected string`);
      pdesc = overrides.description;
    }
    if ("results" in overrides) {
      const r = resultsDirSchema.safeParse(overrides.results);
      if (!r.success) throw configError(r.error.issues.map((i) => ({ ...i, path: ["results", ...i.path] })), overrides, where);
      presults = r.data;
    }
    if ("engineBuild" in overrides) {
      const b = engineBuildSchema.safeParse(overrides.engineBuild);
      if (!b.success) throw configError(b.error.issues.map((i) => ({ ...i, path: ["engineBuild", ...i.path] })), overrides, where);
      pbuild = b.data;
    }
    const merged = mergeOverrides(kindFields, own);
    const r = kind.schema.safeParse(merged);
    if (!r.success) throw configError(r.error.issues, merged, where);
    parsed.set(pname, { fields: r.data, seed: pseed, description: pdesc, results: presults, engineBuild: pbuild });
  }

  const profileName = opts.profile ?? BASE_PROFILE;
  const chosen = parsed.get(profileName);
  if (!chosen) {
    const known = Object.keys(profiles);
    throw new MixlabError("CONFIG_UNKNOWN_PROFILE", `${source}: no profile "${profileName}" (defined: ${known.length ? known.join(", ") : "none"})`);
  }
  const expName = name ?? (opts.file ? basename(opts.file, extname(opts.file)) : "experiment");
  const resolved: Record<string, Json> = { kind: kind.name, version, name: expName, profile: profileName };
  if (chosen.seed !== undefined) resolved.seed = chosen.seed;
  if (chosen.description !== undefined) resolved.description = chosen.description;
  Object.assign(resolved, chosen.fields as Record<string, Json>);
  return {
    file: opts.file ?? "(inline)",
    name: expName,
    kind,
    profile: profileName,
    profiles: Object.keys(profiles),
    seed: chosen.seed,
    description: chosen.description,
    results: chosen.results,
    engineBuild: chosen.engineBuild,
    fields: chosen.fields,
    resolved,
  };
}
