import type { Corpus } from "../data/corpus.js";
import { Mixture } from "../data/mixture.js";
import { trainProxy, type TrainProxyResult } from "./loop.js";

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
export async function runTinyProxyDemo(o: TinyDemoOptions): Promise<{ result: TrainProxyResult; improvedEverywhere: boolean }> {
  const print = o.print ?? ((l: string) => console.log(l));
  const steps = o.steps ?? 300;
  const result = await trainProxy({
    corpus: o.corpus, mixture: Mixture.uniform(o.corpus.domains), preset: "tiny", steps, batchSize: 16, seqLen: 64,
    lr: 3e-3, schedule: "cosine", seed: o.seed ?? 0, evalAtStart: true, evalWindows: 16, progress: true,
  });
  const before = result.initialValidation!.domains, after = result.validation.domains;
  print(`tiny proxy (${result.engine.engine}), ${steps} steps on the uniform mixture, ${Math.round(result.tokensPerSecond)} tokens/s`);
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
