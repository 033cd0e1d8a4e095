// `npx tsx notebooks/kernel/new.ts 01-regmix "RegMix: regression on proxy runs"`
// Creates notebooks/<name>.ipynb with the mixlab kernel selected, a title cell and the usual
// setup cell (imports relative to the project root, sizes by MIXLAB_PROFILE). Refuses to
// overwrite an existing notebook.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import { notebookMetadata } from "./spec.js";

/**
 * The JSON of a fresh mixlab notebook.
 *
 * @example
 * newNotebook("RegMix"); // { nbformat: 4, cells: [markdown, code], metadata: { kernelspec: { name: "mixlab-ts" … } } }
 */
export function newNotebook(title: string): Record<string, unknown> {
  const lines = (s: string) => s.split("\n").map((l, i, a) => (i < a.length - 1 ? `${l}\n` : l));
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: notebookMetadata(),
    cells: [
      { cell_type: "markdown", id: "title", metadata: {}, source: lines(`# ${title}\n\nWhat the paper does, what this notebook shows, and what to look at in each plot.`) },
      {
        cell_type: "code", id: "setup", metadata: {}, execution_count: null, outputs: [],
        source: lines([
          `import { loadCorpus, Mixture } from "./kernel-lib/data/index.js";`,
          `import { defaultCorpusDir, fixtureCorpusDir } from "./kernel-lib/util/paths.js";`,
          `import { profile, byProfile, show, showTable } from "./kernel-lib/viz/index.js";`,
          ``,
          `const sizes = byProfile({ ci: { corpusDir: fixtureCorpusDir() }, full: { corpusDir: defaultCorpusDir() } });`,
          `const corpus = loadCorpus(sizes.corpusDir);`,
          `console.log(\`profile \${profile()}: \${corpus.domains.length} domains\`);`,
        ].join("\n")),
      },
    ],
  };
}

if (process.argv[1]?.endsWith("new.ts")) {
  const [name, ...title] = process.argv.slice(2);
  if (!name) {
    console.error("usage: npx tsx notebooks/kernel/new.ts NAME [TITLE…]");
    process.exit(2);
  }
  const path = join(projectRoot(), "notebooks", `${name.replace(/\.ipynb$/, "")}.ipynb`);
  if (existsSync(path)) {
    console.error(`error[NOTEBOOK_EXISTS]: ${path} exists`);
    process.exit(2);
  }
  writeFileSync(path, JSON.stringify(newNotebook(title.join(" ") || name), null, 1) + "\n");
  console.log(`created ${path}`);
}
