import type { Corpus } from "../data/corpus.js";
import { Mixture } from "../data/mixture.js";
import { trainAndScore, type TrainedModel } from "./train-and-score.js";

export interface TinyDemoOptions {
  corpus: Corpus;
  /** default 300 */
  steps?: number;
  seed?: number;
  /** where lines go (default console.log) */
  print?: (line: string) => void;
}

/**
 * The `npm run demo` training step: a `tiny` proxy on the uniform mixture, per-domain validation
 * loss (bits/byte) before and after. Returns the run and whether the loss fell on every domain.
 *
 * @example
 * const { improvedEverywhere } = await runTinyProxyDemo({ corpus: loadCorpus() });
 */
export async function runTinyProxyDemo(o: TinyDemoOptions): Promise<{ result: TrainedModel; improvedEverywhere: boolean }> {
  const print = o.print ?? ((l: string) => console.log(l));
  const steps = o.steps ?? 300;
  const result = await trainAndScore(o.corpus, Mixture.uniform(o.corpus.domains), { preset: "tiny", steps, batchSize: 16, seqLen: 64, lr: 3e-3, schedule: "cosine" }, o.seed ?? 0, {
    eval: { windowsPerDomain: 16 }, scoreAtStart: true, progress: true,
  });
  const before = result.initialValidation!.domains, after = result.validation.domains;
  print(`tiny proxy (${result.engine}), ${steps} steps on the uniform mixture, ${Math.round(result.tokens / result.seconds)} tokens/s`);
  print(`${"domain".padEnd(18)} ${"before".padStart(8)} ${"after".padStart(8)}  (bits/byte)`);
  let improvedEverywhere = true;
  for (const d of o.corpus.domains) {
    const b = before[d].bitsPerByte, a = after[d].bitsPerByte;
    if (!(a < b)) improvedEverywhere = false;
    print(`${d.padEnd(18)} ${b.toFixed(3).padStart(8)} ${a.toFixed(3).padStart(8)}${a < b ? "" : "  (did not fall!)"}`);
  }
  print(improvedEverywhere ? "validation loss fell on every domain" : "validation loss did NOT fall on every domain");
  return { result, improvedEverywhere };
}
