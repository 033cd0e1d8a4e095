/** Shared test helpers for the Chameleon tests: seeded random embeddings and the reference data. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRng } from "../../kernel-lib/util/rng.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";

/** k × d standard-normal embeddings, deterministic by seed. */
export function randomEmbeddings(k: number, d: number, seed: number): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: k }, () => Float64Array.from({ length: d }, () => rng.normal()));
}

/** Text of a file in datasets/reference/chameleon/. */
export function referenceText(name: string): string {
  return readFileSync(referencePath(name), "utf8");
}

/** Absolute path of a file in datasets/reference/chameleon/. */
export function referencePath(name: string): string {
  return join(projectRoot(), "datasets", "reference", "chameleon", name);
}

/** The worked example: quantity → values in figure order, and the figure's domain order. */
export function workedExample(): { domains: string[]; rows: Record<string, number[]> } {
  const [head, ...lines] = referenceText("worked_example_from_figure_matrix.csv").trim().split(/\r?\n/);
  const rows: Record<string, number[]> = {};
  for (const l of lines) {
    const [q, ...v] = l.split(",");
    rows[q] = v.map(Number);
  }
  return { domains: head.split(",").slice(1), rows };
}

/** The figure's 7 × 7 affinity matrix and its row names. */
export function figureMatrix(): { domains: string[]; columns: string[]; K: number[][] } {
  const [head, ...lines] = referenceText("pipeline_figure_affinity_matrix.csv").trim().split(/\r?\n/);
  const cells = lines.map((l) => l.split(","));
  return { columns: head.split(",").slice(1), domains: cells.map((c) => c[0]), K: cells.map((c) => c.slice(1).map(Number)) };
}

/** Expect a MixlabError with this code from fn. */
export function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}
