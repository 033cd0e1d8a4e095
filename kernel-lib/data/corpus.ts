import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CORPUS_FORMAT_VERSION, SPLITS, type CorpusManifest, type DomainManifest, type SplitName } from "./format.js";
import { MixlabError } from "../util/errors.js";
import { defaultCorpusDir } from "../util/paths.js";

export type { CorpusManifest, DomainManifest, SplitName };

/**
 * A built corpus on disk: the manifest plus lazily-read byte-token splits per domain.
 * Split files are read once and cached (the default corpus is ~100 MB: fine in memory).
 */
export interface Corpus {
  dir: string;
  manifest: CorpusManifest;
  /** domain names in manifest order */
  domains: string[];
  /** The uint8 token bytes of one split of one domain (documents separated by byte 0). */
  split(domain: string, split: SplitName): Uint8Array;
  /** Manifest entry of one domain. */
  info(domain: string): DomainManifest;
}

/**
 * Open a corpus directory written by `datasets/build.ts` (default: the built default corpus).
 * Checks the manifest format and that every split file exists with the recorded size; use
 * `verifyCorpus` for a full sha256 check.
 *
 * @example
 * const corpus = loadCorpus(fixtureCorpusDir());
 * corpus.domains; // ["books", "speeches", ...]
 * corpus.split("books", "train").length; // bytes
 */
export function loadCorpus(dir: string = defaultCorpusDir()): Corpus {
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new MixlabError("CORPUS_NOT_FOUND", `no corpus at ${dir} (missing manifest.json); build it with \`npm run data\``);
  }
  let manifest: CorpusManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as CorpusManifest;
  } catch (e) {
    throw new MixlabError("CORPUS_BAD_MANIFEST", `${manifestPath}: not valid JSON (${(e as Error).message})`);
  }
  if (manifest.format !== CORPUS_FORMAT_VERSION || !Array.isArray(manifest.domains)) {
    throw new MixlabError("CORPUS_BAD_MANIFEST", `${manifestPath}: format ${manifest.format}, expected ${CORPUS_FORMAT_VERSION}; rebuild with \`npm run data\``);
  }
  const byName = new Map<string, DomainManifest>();
  for (const d of manifest.domains) {
    for (const s of SPLITS) {
      const f = join(dir, d.files[s]);
      if (!existsSync(f)) throw new MixlabError("CORPUS_INCOMPLETE", `${f} is missing; rebuild with \`npm run data\``);
      const size = statSync(f).size;
      if (size !== d.bytes[s]) throw new MixlabError("CORPUS_INCOMPLETE", `${f} has ${size} bytes, manifest says ${d.bytes[s]}; rebuild with \`npm run data\``);
    }
    byName.set(d.domain, d);
  }
  const cache = new Map<string, Uint8Array>();
  const info = (domain: string): DomainManifest => {
    const d = byName.get(domain);
    if (!d) throw new MixlabError("CORPUS_UNKNOWN_DOMAIN", `unknown domain "${domain}" (corpus has: ${[...byName.keys()].join(", ")})`);
    return d;
  };
  return {
    dir,
    manifest,
    domains: manifest.domains.map((d) => d.domain),
    info,
    split(domain: string, split: SplitName): Uint8Array {
      const key = `${domain}/${split}`;
      let bytes = cache.get(key);
      if (!bytes) {
        const buf = readFileSync(join(dir, info(domain).files[split]));
        bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
        cache.set(key, bytes);
      }
      return bytes;
    },
  };
}

/**
 * Recompute the sha256 of every split file and compare with the manifest. Returns the list of
 * mismatching files (empty when the corpus is intact).
 *
 * @example
 * verifyCorpus(loadCorpus()); // []
 */
export function verifyCorpus(corpus: Corpus): string[] {
  const bad: string[] = [];
  for (const d of corpus.manifest.domains) {
    for (const s of SPLITS) {
      const sha = createHash("sha256").update(corpus.split(d.domain, s)).digest("hex");
      if (sha !== d.sha256[s]) bad.push(d.files[s]);
    }
  }
  return bad;
}
