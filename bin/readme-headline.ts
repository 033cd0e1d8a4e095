// `npm run readme:headline`: rewrite the README's headline table from the committed studies'
// verdicts.csv and scale.csv (kernel-lib/studies/headline.ts). `--check` only says whether it is current.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { headlineBlock, spliceHeadline } from "../kernel-lib/studies/headline.js";
import { projectRoot } from "../kernel-lib/util/paths.js";

const file = join(projectRoot(), "README.md");
const before = readFileSync(file, "utf8");
const after = spliceHeadline(before, headlineBlock());
if (process.argv.includes("--check")) {
  console.log(before === after ? "README headline is current" : "README headline is stale: run npm run readme:headline");
  process.exit(before === after ? 0 : 1);
}
if (after !== before) writeFileSync(file, after);
console.log(after === before ? "README headline unchanged" : "README headline rewritten");
