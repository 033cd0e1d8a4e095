import { loadCorpus } from "./kernel-lib/data/corpus.js";
import { runTinyProxyDemo } from "./kernel-lib/train/demo.js";
import { fixtureCorpusDir } from "./kernel-lib/util/paths.js";
const t0 = performance.now();
runTinyProxyDemo({ corpus: loadCorpus(process.argv[2] === "fixture" ? fixtureCorpusDir() : undefined) }).then((r) => { console.log(r.improvedEverywhere, ((performance.now()-t0)/1000).toFixed(1), "s"); r.result.dispose(); });
