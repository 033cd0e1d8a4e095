/**
 * Task dependencies: checking what a kind's `dependencies` returned, and grouping tasks into
 * levels for executors that submit work in batches (Slurm: one job array per level).
 */
import { MixlabError } from "../util/errors.js";

/**
 * Check a kind's dependency lists against a plan of `total` tasks and normalise them (sorted,
 * duplicates dropped). PLAN_BAD_DEPENDENCY when the list count differs from the plan or an
 * index is not an integer in 0..(own index − 1) — the plan order must be topological.
 *
 * @example
 * checkDependencies([[], [], [1, 0, 1]], 3, "experiments/x.json"); // [[], [], [0, 1]]
 * checkDependencies([[], [1]], 2, "x"); // throws PLAN_BAD_DEPENDENCY (task 1 waits for itself)
 */
export function checkDependencies(deps: readonly (readonly number[])[], total: number, source: string): number[][] {
  if (!Array.isArray(deps) || deps.length !== total) {
    throw new MixlabError("PLAN_BAD_DEPENDENCY", `${source}: the kind's dependencies list ${Array.isArray(deps) ? deps.length : "no"} entries for a plan of ${total} tasks (one list per task expected)`);
  }
  return deps.map((list, i) => {
    if (!Array.isArray(list)) throw new MixlabError("PLAN_BAD_DEPENDENCY", `${source}: task ${i}: dependencies must be an array of task indices`);
    for (const d of list) {
      if (!Number.isInteger(d) || d < 0 || d >= i) {
        const why = d === i ? "itself" : Number.isInteger(d) && d > i ? `a later task (${d}); the plan order must list a task after those it waits for` : `${JSON.stringify(d)}, not a task index`;
        throw new MixlabError("PLAN_BAD_DEPENDENCY", `${source}: task ${i} waits for ${why}`);
      }
    }
    return [...new Set(list)].sort((a, b) => a - b);
  });
}

/**
 * Group the tasks `indices` into levels: a task's level is 0 when none of the tasks it waits
 * for is among `indices` (finished dependencies do not count), else 1 + the highest level of
 * those that are. Level k may start once every task of levels < k has finished.
 *
 * @example
 * dependencyLevels([0, 1, 2, 3], (i) => [[], [], [0, 1], [2]][i]); // [[0, 1], [2], [3]]
 * dependencyLevels([2, 3], (i) => [[], [], [0, 1], [2]][i]);       // [[2], [3]]
 */
export function dependencyLevels(indices: readonly number[], afterOf: (index: number) => readonly number[]): number[][] {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const level = new Map<number, number>();
  const levels: number[][] = [];
  // ascending index order is topological (dependencies point to smaller indices)
  for (const i of sorted) {
    let l = 0;
    for (const d of afterOf(i)) {
      const ld = level.get(d);
      if (ld !== undefined) l = Math.max(l, ld + 1);
    }
    level.set(i, l);
    (levels[l] ??= []).push(i);
  }
  return levels;
}
