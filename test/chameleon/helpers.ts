/** Shared test helpers for the Chameleon tests: seeded random embeddings, the reference data, tiny corpora. */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CORPUS_FORMAT_VERSION } from "../../kernel-lib/data/format.js";
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

/** One domain's three split files: bytes (uint8) or token ids (uint16). */
export type TinyDomain = Record<"train" | "validation" | "test", Uint8Array | Uint16Array>;

/**
 * Write a corpus of the given domains into `dir` (manifest + split files) for `loadCorpus`.
 * Byte domains (Uint8Array) make a byte corpus (EOS 0, vocabulary 256); Uint16Array domains a
 * token corpus with `eos` and `vocabSize`.
 */
export function writeTinyCorpus(dir: string, domains: Record<string, TinyDomain>, tokens?: { eos: number; vocabSize: number }): void {
  const splits = ["train", "validation", "test"] as const;
  const entries = Object.entries(domains).map(([domain, files]) => {
    mkdirSync(join(dir, domain), { recursive: true });
    const bytes = Object.fromEntries(splits.map((s) => [s, new Uint8Array(files[s].buffer, files[s].byteOffset, files[s].byteLength)])) as Record<(typeof splits)[number], Uint8Array>;
    for (const s of splits) writeFileSync(join(dir, domain, `${s}.bin`), bytes[s]);
    const per = <T>(f: (s: (typeof splits)[number]) => T) => Object.fromEntries(splits.map((s) => [s, f(s)]));
    return {
      domain, description: "", sources: [], licence: "",
      documents: per(() => 1), bytes: per((s) => bytes[s].length), sha256: per((s) => createHash("sha256").update(bytes[s]).digest("hex")),
      files: per((s) => `${domain}/${s}.bin`), tokens: per((s) => files[s].length),
    };
  });
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({
    format: CORPUS_FORMAT_VERSION, builderVersion: "test", eosByte: tokens?.eos ?? 0, vocabSize: tokens?.vocabSize ?? 256, splitRule: "test", tier: "test",
    ...(tokens ? { tokenizer: { file: "tokenizer.json", sha256: "", dtype: "uint16", eosToken: "<eos>" } } : {}),
    domains: entries,
  }));
}
