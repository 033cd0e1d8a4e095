/**
 * The MergeMix quick profile: runs `runMergeMix(QUICK_MERGEMIX)` (tiny proxy, fixture corpus)
 * and prints every table; writes the result JSON to results/mergemix-bench.json.
 * `MERGEMIX_CORPUS=default` runs it on the built corpus instead.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { mergeMixConfig, mergeMixReport, runMergeMix } from "../kernel-lib/mergemix/index.js";
import { writeFileAtomic } from "../kernel-lib/util/atomic.js";
import { projectRoot } from "../kernel-lib/util/paths.js";

async function main(): Promise<void> {
  const cfg = mergeMixConfig(process.env.MERGEMIX_CORPUS ? { corpus: process.env.MERGEMIX_CORPUS } : {});
  const t0 = performance.now();
  const result = await runMergeMix(cfg, { log: (l) => console.error(`[${((performance.now() - t0) / 1000).toFixed(0)}s] ${l}`) });
  console.log(mergeMixReport(result));
  console.log(`\nquick profile wall time: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const dir = join(projectRoot(), "results");
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, "mergemix-bench.json"), JSON.stringify(result, null, 1));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
