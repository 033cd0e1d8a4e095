/**
 * Experiment kinds by name. The built-in list lives in `kinds/index.ts`; a method adds its
 * kind there (one import, one array entry) so every process — the runner, each pool worker,
 * each Slurm array task — sees the same kinds without runtime registration.
 */
import { MixlabError } from "../util/errors.js";
import type { AnyExperimentKind } from "./kind.js";
import { BUILTIN_KINDS } from "./kinds/index.js";

/**
 * The kind named `name`; CONFIG_UNKNOWN_KIND (listing the known kinds) otherwise.
 *
 * @example
 * getKind("proxy-sweep").summary; // "train one proxy LM per mixture …"
 */
export function getKind(name: string, source = "config"): AnyExperimentKind {
  const kind = BUILTIN_KINDS.find((k) => k.name === name);
  if (!kind) {
    throw new MixlabError("CONFIG_UNKNOWN_KIND", `${source}: kind: no experiment kind "${name}" (known: ${listKinds().map((k) => k.name).join(", ")})`);
  }
  return kind;
}

/**
 * Every registered kind, in registration order.
 *
 * @example
 * listKinds().map((k) => k.name); // ["proxy-sweep", "bigram-sweep"]
 */
export function listKinds(): readonly AnyExperimentKind[] {
  return BUILTIN_KINDS;
}
