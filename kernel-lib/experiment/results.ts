/**
 * Reading a results directory back as plain data: the kind's config (from the manifest, parsed
 * with the kind's schema, so defaults match the run), the resolved seed, the planned tasks and
 * the verified runs. Notebooks and the kinds' loaders use this; nothing is recomputed.
 */
import type { z } from "zod";
import { MixlabError } from "../util/errors.js";
import type { RunRecord, Task } from "./kind.js";
import { openStore, scanRuns } from "./store.js";

/** The envelope keys of a stored config (not the kind's fields). */
const ENVELOPE = new Set(["kind", "version", "name", "profile", "seed", "description"]);

export interface StoredResults<C> {
  config: C;
  seed: number;
  tasks: Task[];
  /** verified finished runs, in plan order */
  runs: RunRecord[];
}

/**
 * Open the results of a `kind` experiment (RESULTS_WRONG_KIND for another kind's directory).
 *
 * @example
 * const r = readResults("results/compare-ci", "compare", compareSchema);
 * r.runs.length; r.config.methods;
 */
export function readResults<C>(dir: string, kind: string, schema: z.ZodType<C>): StoredResults<C> {
  const store = openStore(dir);
  if (store.manifest.kind !== kind) throw new MixlabError("RESULTS_WRONG_KIND", `${dir} holds a "${store.manifest.kind}" experiment, not ${kind}`);
  const config = schema.parse(Object.fromEntries(Object.entries(store.manifest.config).filter(([k]) => !ENVELOPE.has(k))));
  const runs = scanRuns(store).done.sort((a, b) => a.index - b.index);
  return { config, seed: store.manifest.resolvedSeed, tasks: store.tasks, runs };
}
