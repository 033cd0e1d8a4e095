import { loadCorpus } from "../kernel-lib/data/index.js";
import { buildSuite, describeSuite, evaluateSuite, modelScorer } from "../kernel-lib/eval/suite/index.js";
import { QUICK_MERGEMIX } from "../kernel-lib/mergemix/index.js";
import { createEngine, initModel, presetConfig } from "../kernel-lib/model/index.js";
import { fromUtf8 } from "../kernel-lib/eval/suite/text.js";
const corpus = loadCorpus();
let t = performance.now();
const suite = buildSuite(corpus, { seed: 1, defaults: { ...QUICK_MERGEMIX.suite.sizes, items: 40 }, taskOverrides: QUICK_MERGEMIX.suite.taskOverrides });
console.log("build s", (performance.now() - t) / 1000);
console.table(describeSuite(suite));
const cfg = presetConfig("tiny");
const { engine } = await createEngine(cfg);
t = performance.now();
const r = await evaluateSuite(suite, modelScorer(engine, initModel(cfg, 1)));
console.log("eval s", (performance.now() - t) / 1000, r.utility);
for (const name of ["cloze_books", "cloze_legal", "nextline_code_python", "dictionary_word"]) {
  const tk = suite.tasks.find((x) => x.name === name)!;
  for (const it of tk.items.slice(0, 2)) { console.log("----", name, JSON.stringify(fromUtf8(it.context))); it.choices.forEach((c, i) => console.log(i === it.answer ? " *" : "  ", JSON.stringify(fromUtf8(c)))); }
}
