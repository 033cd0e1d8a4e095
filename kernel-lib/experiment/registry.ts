/**
 * Experiment kinds by name. The built-in list lives in `kinds/index.ts`; a method adds its
 * kind there (one import, one array entry) so every process — the runner, each pool worker,
 * each Slurm array task — sees the same kinds without runtime registration.
 *
 * A kind defined outside kernel-lib (a test's toy kind, a user's own) registers itself with
 * `registerKind` when its module is imported; listing that module in `MIXLAB_KIND_MODULES`
 * makes every process of a run import it too (pool workers and `mixlab run-task` inherit the
 * environment).
 */
import { delimiter, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { MixlabError } from "../util/errors.js";
import type { AnyExperimentKind } from "./kind.js";
import { BUILTIN_KINDS } from "./kinds/index.js";

const registered: AnyExperimentKind[] = [];

/**
 * The kind named `name`; CONFIG_UNKNOWN_KIND (listing the known kinds) otherwise.
 *
 * @example
 * getKind("proxy-sweep").summary; // "train one proxy LM per mixture …"
 */
export function getKind(name: string, source = "config"): AnyExperimentKind {
  const kind = listKinds().find((k) => k.name === name);
  if (!kind) {
    throw new MixlabError("CONFIG_UNKNOWN_KIND", `${source}: kind: no experiment kind "${name}" (known: ${listKinds().map((k) => k.name).join(", ")})`);
  }
  return kind;
}

/**
 * Every known kind: the built-in ones in registration order, then those added by `registerKind`.
 *
 * @example
 * listKinds().map((k) => k.name); // ["proxy-sweep", "bigram-sweep", …]
 */
export function listKinds(): readonly AnyExperimentKind[] {
  return registered.length === 0 ? BUILTIN_KINDS : [...BUILTIN_KINDS, ...registered];
}

/**
 * Add a kind defined outside `kinds/index.ts`. Registering the same object twice is a no-op;
 * another kind under a taken name is KIND_ALREADY_REGISTERED.
 *
 * @example
 * registerKind(defineKind({ name: "toy", summary: "…", schema, plan, runTask, report }));
 */
export function registerKind(kind: AnyExperimentKind): void {
  const taken = listKinds().find((k) => k.name === kind.name);
  if (taken === kind) return;
  if (taken) throw new MixlabError("KIND_ALREADY_REGISTERED", `an experiment kind named "${kind.name}" already exists`);
  registered.push(kind);
}

/**
 * Import the modules listed in `MIXLAB_KIND_MODULES` (paths separated by the platform's path
 * delimiter, relative to the working directory); each is expected to call `registerKind`.
 * KIND_MODULE_FAILED names a module that cannot be imported.
 *
 * @example
 * // MIXLAB_KIND_MODULES=test/experiment/chain-kind.ts
 * await loadKindModules(); getKind("chain-test").name; // "chain-test"
 */
export async function loadKindModules(list = process.env.MIXLAB_KIND_MODULES): Promise<void> {
  for (const p of (list ?? "").split(delimiter).filter((x) => x.trim() !== "")) {
    try {
      await import(pathToFileURL(resolve(p)).href);
    } catch (e) {
      throw new MixlabError("KIND_MODULE_FAILED", `MIXLAB_KIND_MODULES: cannot import ${p} (${(e as Error).message})`);
    }
  }
}
