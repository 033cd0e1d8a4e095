/**
 * The `corpus` field of every experiment config and CLI flag — the one place a corpus
 * reference is resolved: "default" (the built corpus, `npm run data`),
 * "fixture" (the small committed test corpus) or a directory relative to the project root.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { z } from "zod";
import { loadCorpus, type Corpus } from "./corpus.js";
import { MixlabError } from "../util/errors.js";
import { defaultCorpusDir, fixtureCorpusDir, projectRoot } from "../util/paths.js";

export const corpusRefSchema = z.string().min(1).default("default");

/**
 * Directory a corpus reference points at.
 *
 * @example
 * corpusDir("fixture"); // "<root>/test/fixtures/corpus"
 */
export function corpusDir(ref: string): string {
  if (ref === "default") return defaultCorpusDir();
  if (ref === "fixture") return fixtureCorpusDir();
  return isAbsolute(ref) ? ref : join(projectRoot(), ref);
}

/** Opened corpora by directory: a pool worker opens each corpus once, not once per task. */
const opened = new Map<string, Corpus>();

/**
 * Open (once per process) the corpus a reference points at.
 *
 * @example
 * openCorpusRef("fixture").domains; // ["books", …]
 */
export function openCorpusRef(ref: string): Corpus {
  const dir = corpusDir(ref);
  let c = opened.get(dir);
  if (!c) {
    c = loadCorpus(dir);
    opened.set(dir, c);
  }
  return c;
}

/**
 * Manifest facts about the corpus: where it is and the sha256 of its manifest.json (which
 * holds every split file's sha256, so it pins the data).
 *
 * @example
 * describeCorpus("fixture"); // { ref: "fixture", dir: "test/fixtures/corpus", manifestSha256: "…", tier: "fixture" }
 */
export type CorpusDescription = { ref: string; dir: string; tier: string; domains: string[]; manifestSha256: string };

export function describeCorpus(ref: string): CorpusDescription {
  const c = openCorpusRef(ref);
  const dir = corpusDir(ref);
  const root = projectRoot();
  return {
    ref,
    dir: dir.startsWith(root + "/") ? dir.slice(root.length + 1) : dir,
    tier: c.manifest.tier,
    domains: c.domains,
    manifestSha256: createHash("sha256").update(readFileSync(join(dir, "manifest.json"))).digest("hex"),
  };
}

/**
 * The domains a sweep covers: the config's `domains` (each must exist) or all of the corpus.
 *
 * @example
 * sweepDomains(corpus, ["books", "code_c"]); // ["books", "code_c"]
 */
export function sweepDomains(corpus: Corpus, domains: readonly string[] | undefined): string[] {
  if (!domains) return [...corpus.domains];
  for (const d of domains) corpus.info(d); // CORPUS_UNKNOWN_DOMAIN names the bad one
  if (new Set(domains).size !== domains.length) throw new MixlabError("CONFIG_INVALID", "domains: a domain is listed twice");
  return [...domains];
}
