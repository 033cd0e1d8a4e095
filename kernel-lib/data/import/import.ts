/**
 * `importCorpus`: the user's documents → a corpus directory in the format of
 * kernel-lib/data/format.ts (the one `loadCorpus` reads and every method trains on).
 *
 * Two ways to say which document belongs to which domain:
 * - `domains`: `{label, inputs}` pairs (`--domain NAME=PATH`), every document of those inputs;
 * - `inputs` + `splitBy`: mixed inputs whose records carry their domain (`--split-by meta.pile_set_name`).
 *
 * Streaming: documents are read one at a time and appended to the split files (writer.ts), so
 * memory does not grow with the input (one record is at most MAX_RECORD_BYTES). Atomic:
 * everything is written into `<out>.partial/`, renamed to `<out>` when complete, and only then
 * is `manifest.json` written; an interrupted import leaves no directory with a manifest, and a
 * re-run removes the leftover and starts over. Locked: `<out>` is held by one import at a time
 * (util/lock.ts; a second gets IMPORT_OUT_LOCKED at once).
 *
 * What `--out` may be: absent, an empty directory, one left by an interrupted import, or — with
 * `force` — a directory holding a mixlab corpus manifest, which is replaced. Anything else
 * (a file, a directory of other things, one holding an input) is refused, force or not.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, normalize } from "node:path";
import { CORPUS_FORMAT_VERSION, EOS_BYTE, VOCAB_SIZE, type CorpusManifest, type DomainManifest } from "../format.js";
import { SPLIT_RULE } from "../split.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { MixlabError } from "../../util/errors.js";
import { withLock } from "../../util/lock.js";
import { isInside } from "../../util/paths.js";
import { expandInput, fileSafeName, type InputFile } from "./inputs.js";
import { readDocuments, type ReadOptions } from "./read.js";
import { DomainWriter, type DocumentEncoder, type DomainDropped } from "./writer.js";
import { loadTokenizerJson, tokenDtype, type TextTokenizer } from "../tokenizer.js";

export const IMPORT_VERSION = "mixlab-import 1";

/** The split rule as an import applies it (SPLIT_RULE plus what streaming changes). */
export const IMPORT_SPLIT_RULE =
  `${SPLIT_RULE} Import: NUL bytes are removed and empty documents dropped; duplicates are recognised by bytes 4–11 of the same sha256; ` +
  "documents are written in input order, except the two train documents with the largest u, which are written last (they are the fallback's candidates).";

/** Marks a directory as an import's own (in progress or left by an interrupted import). */
const MARKER = ".mixlab-import";

/** Names a domain directory cannot take: the corpus's own files beside the domains. */
const RESERVED_NAMES = new Set(["manifest.json", "tokenizer.json"]);

/** IMPORT_RESERVED_DOMAIN when a label's directory name would be one of the corpus's own files. */
function checkDomainName(label: string, how: string): void {
  const name = fileSafeName(label);
  if (RESERVED_NAMES.has(name)) {
    throw new MixlabError("IMPORT_RESERVED_DOMAIN", `${how} "${label}" would be the domain directory "${name}", which is a file of the corpus itself (${[...RESERVED_NAMES].join(", ")}); rename the domain`);
  }
}

export interface ImportOptions {
  /** the corpus directory to write */
  out: string;
  /** `--domain NAME=PATH`: label and inputs (files, directories, globs) of each domain */
  domains?: { label: string; inputs: string[] }[];
  /** `--input PATH` (with `splitBy`) */
  inputs?: string[];
  /** `--split-by FIELD`: the record field naming each document's domain */
  splitBy?: string;
  /** JSON key / Parquet column of the text (default "text") */
  textField?: string;
  /** `.txt` inputs: document separator (default: one document per file) */
  docSeparator?: string;
  /** replace an existing corpus at `out` */
  force?: boolean;
  /** a Hugging Face tokenizer.json: split files hold its ids (uint16/uint32) instead of bytes; copied into the corpus */
  tokenizer?: string;
  /** the tokenizer's end-of-document token (default: found among its special tokens) */
  eosToken?: string;
  /** progress and summary lines (the CLI prints them on stderr); default: none */
  log?: (line: string) => void;
  /** warnings (symlinks skipped, invalid UTF-8, a stale lock taken over); default: `log` */
  warn?: (line: string) => void;
  /** at most one progress line per this many ms (default 2000) */
  progressEveryMs?: number;
}

export interface ImportResult {
  manifest: CorpusManifest;
  /** per domain: documents dropped as empty or duplicate */
  dropped: Record<string, DomainDropped>;
  inputBytes: number;
  seconds: number;
  /** records that were not valid UTF-8 (stored with U+FFFD for each bad sequence) */
  invalidUtf8: number;
  /** one line per symlink skipped in a directory input (outside the tree, dangling, looping) */
  skippedLinks: string[];
}

function mb(n: number): string {
  return (n / 1e6).toFixed(1);
}

/** Progress line: bytes read of the total, documents, MB/s, ETA. */
class Progress {
  private bytes = 0;
  private docs = 0;
  private last = 0;
  private readonly t0 = Date.now();
  constructor(private readonly total: number, private readonly log: ((line: string) => void) | undefined, private readonly every: number) {}
  addBytes(n: number): void { this.bytes += n; }
  addDoc(): void {
    this.docs++;
    if ((this.docs & 255) === 0) this.maybe();
  }
  maybe(force = false): void {
    if (!this.log) return;
    const now = Date.now();
    if (!force && now - this.last < this.every) return;
    this.last = now;
    const secs = Math.max(1e-3, (now - this.t0) / 1000);
    const rate = this.bytes / secs;
    const eta = rate > 0 ? Math.max(0, (this.total - this.bytes) / rate) : NaN;
    const pct = this.total > 0 ? ` (${((100 * this.bytes) / this.total).toFixed(0)}%)` : "";
    this.log(`import: ${mb(this.bytes)}/${mb(this.total)} MB${pct} · ${this.docs.toLocaleString("en-US")} docs · ${(rate / 1e6).toFixed(1)} MB/s · ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)}s` : "?"}`);
  }
  get seconds(): number { return (Date.now() - this.t0) / 1000; }
}

/** True when `dir/manifest.json` is a mixlab corpus manifest (what `--force` may replace). */
function holdsCorpus(dir: string): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Partial<CorpusManifest>;
    return m.format === CORPUS_FORMAT_VERSION && typeof m.builderVersion === "string" && Array.isArray(m.domains);
  } catch {
    return false;
  }
}

/**
 * Check `out` may be (re)written; returns whether a directory is there to be replaced. Refuses
 * (IMPORT_OUT_NOT_DIR, IMPORT_OUT_EXISTS, IMPORT_OUT_NOT_CORPUS) everything but an absent or
 * empty directory, one an interrupted import left, or — with `force` — a corpus.
 */
function checkOut(out: string, force: boolean): boolean {
  if (!existsSync(out)) return false;
  checkNotAFile(out);
  if (holdsCorpus(out)) {
    if (!force) throw new MixlabError("IMPORT_OUT_EXISTS", `${out} already holds a corpus; pass --force to replace it`);
    return true;
  }
  if (existsSync(join(out, MARKER))) return true; // left by an interrupted import: restart
  if (readdirSync(out).length > 0) {
    throw new MixlabError("IMPORT_OUT_NOT_CORPUS", `${out} exists, is not empty and holds no mixlab corpus; an import writes only into a new or empty directory (--force replaces only a directory holding a corpus manifest.json); choose another --out`);
  }
  return true;
}

/** IMPORT_OUT_NOT_DIR when `out` is a file. */
function checkNotAFile(out: string): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new MixlabError("IMPORT_OUT_NOT_DIR", `--out ${out} is a file, not a directory; choose another --out`);
}

/** IMPORT_OUT_HOLDS_INPUT when an input file lies inside `out` (replacing `out` would delete it). */
function checkInputsOutside(out: string, files: readonly InputFile[]): void {
  if (!existsSync(out)) return;
  const outReal = realpathSync(out);
  const inside = files.find((f) => isInside(outReal, realpathSync(f.path)));
  if (inside) throw new MixlabError("IMPORT_OUT_HOLDS_INPUT", `--out ${out} holds the input ${inside.path}; write the corpus to a directory of its own`);
}

/**
 * Import documents into a corpus directory; returns its manifest. Every bad input is a named
 * MixlabError (IMPORT_*) and leaves nothing behind.
 *
 * @example
 * await importCorpus({ inputs: ["pile/00.jsonl.zst"], splitBy: "meta.pile_set_name", out: "data/pile" });
 * loadCorpus("data/pile").domains; // ["arxiv", "github", "pile-cc", …]
 */
export async function importCorpus(options: ImportOptions): Promise<ImportResult> {
  if (options.out.trim() === "") throw new MixlabError("IMPORT_BAD_ARGS", "--out DIR is empty");
  const out = normalize(options.out).replace(/(.)[\\/]+$/, "$1"); // "data/x/" → "data/x": <out>.partial must be its sibling
  const byDomain = options.domains !== undefined && options.domains.length > 0;
  const byField = options.inputs !== undefined && options.inputs.length > 0;
  if (byDomain === byField) throw new MixlabError("IMPORT_BAD_ARGS", "give either --domain NAME=PATH (one or more) or --input PATH with --split-by FIELD");
  if (byField && !options.splitBy) throw new MixlabError("IMPORT_BAD_ARGS", "--input needs --split-by FIELD (the record field naming each document's domain); or use --domain NAME=PATH");
  if (byDomain && options.splitBy) throw new MixlabError("IMPORT_BAD_ARGS", "--split-by goes with --input, not --domain");

  // 1. resolve every input before writing anything
  const plan: { label?: string; files: InputFile[]; specs: string[] }[] = [];
  const skipped: string[] = [];
  const links: string[] = [];
  if (byDomain) {
    const merged = new Map<string, string[]>();
    for (const d of options.domains!) {
      if (d.label.trim() === "") throw new MixlabError("IMPORT_BAD_ARGS", "--domain needs NAME=PATH with a non-empty NAME");
      checkDomainName(d.label, "--domain");
      merged.set(d.label, [...(merged.get(d.label) ?? []), ...d.inputs]);
    }
    const names = new Map<string, string>();
    for (const [label, specs] of merged) {
      const name = fileSafeName(label);
      if (names.has(name)) throw new MixlabError("IMPORT_BAD_ARGS", `domains "${names.get(name)}" and "${label}" both become the directory name "${name}"`);
      names.set(name, label);
      const files = specs.flatMap((s) => { const r = expandInput(s); skipped.push(...r.skipped); links.push(...r.warnings); return r.files; });
      plan.push({ label, files, specs });
    }
  } else {
    const files = options.inputs!.flatMap((s) => { const r = expandInput(s); skipped.push(...r.skipped); links.push(...r.warnings); return r.files; });
    plan.push({ files, specs: options.inputs! });
  }
  const allFiles = plan.flatMap((p) => p.files);
  checkNotAFile(out); // checked again under the lock; here to fail before the tokenizer loads
  checkInputsOutside(out, allFiles);
  const total = allFiles.reduce((t, f) => t + f.bytes, 0);
  const log = options.log;
  const warn = options.warn ?? log;
  if (skipped.length) log?.(`import: skipped ${skipped.length} file(s) of unknown format, e.g. ${skipped[0]}`);
  if (links.length) warn?.(`import: warning: skipped ${links.length} symlink(s) that lead outside the input directory, dangle or loop (symlinks inside it are followed), e.g. ${links[0]}`);

  const tokenizer: TextTokenizer | undefined = options.tokenizer ? await loadTokenizerJson(options.tokenizer, { eosToken: options.eosToken }) : undefined;
  const encode: DocumentEncoder | undefined = tokenizer ? encoderOf(tokenizer) : undefined;

  return withLock(out, { code: "IMPORT_OUT_LOCKED", command: `mixlab data import --out ${out}`, log: warn }, () =>
    importLocked({ options, out, plan, byDomain, byField, tokenizer, encode, total, links, log, warn }));
}

/** What `importCorpus` resolved before taking the lock on `out`. */
interface ResolvedImport {
  options: ImportOptions;
  out: string;
  plan: { label?: string; files: InputFile[]; specs: string[] }[];
  byDomain: boolean;
  byField: boolean;
  tokenizer: TextTokenizer | undefined;
  encode: DocumentEncoder | undefined;
  total: number;
  links: string[];
  log: ((line: string) => void) | undefined;
  warn: ((line: string) => void) | undefined;
}

/** The import proper, holding the lock on `out`: check `out`, stream into `<out>.partial`, publish. */
async function importLocked(r: ResolvedImport): Promise<ImportResult> {
  const { options, out, plan, byDomain, byField, tokenizer, encode, total, log, warn } = r;
  const replace = checkOut(out, options.force ?? false);
  const tmp = `${out}.partial`;
  rmSync(tmp, { recursive: true, force: true }); // a leftover of an interrupted import
  writeFileAtomic(join(tmp, MARKER), `${JSON.stringify({ version: IMPORT_VERSION, pid: process.pid }, null, 2)}\n`);

  const writers = new Map<string, DomainWriter>();
  const labelToName = new Map<string, string>();
  const sourcesOf = new Map<string, Set<string>>();
  const progress = new Progress(total, log, options.progressEveryMs ?? 2000);
  let invalidUtf8 = 0;
  let firstInvalid = "";
  const readOpts: ReadOptions = {
    textField: options.textField ?? "text",
    splitBy: options.splitBy,
    docSeparator: options.docSeparator,
    onBytes: (n) => progress.addBytes(n),
    onInvalidUtf8: (where) => { if (invalidUtf8++ === 0) firstInvalid = where; },
  };
  const writerFor = (label: string): DomainWriter => {
    let name = labelToName.get(label);
    if (name === undefined) {
      checkDomainName(label, `--split-by ${options.splitBy} value`);
      const base = fileSafeName(label);
      name = base;
      for (let k = 2; [...labelToName.values()].includes(name); k++) name = `${base}_${k}`;
      labelToName.set(label, name);
      writers.set(name, new DomainWriter(tmp, name, label, encode));
      sourcesOf.set(name, new Set());
    }
    return writers.get(name)!;
  };

  try {
    for (const p of plan) {
      if (p.label !== undefined) writerFor(p.label);
      for (const file of p.files) {
        for await (const doc of readDocuments(file, readOpts)) {
          const w = writerFor(p.label ?? doc.label!);
          w.add(doc.text);
          sourcesOf.get(w.domain)!.add(basename(file.path));
          progress.addDoc();
        }
      }
    }
    progress.maybe(true);

    // 2. close every domain (applies the split fallback; too few documents is an error)
    const names = byDomain ? [...writers.keys()] : [...writers.keys()].sort();
    const domains: DomainManifest[] = names.map((name) => {
      const w = writers.get(name)!;
      const files = [...sourcesOf.get(name)!].sort();
      const specs = plan.find((p) => p.label === w.label)?.specs ?? plan[0].specs;
      const formats = [...new Set(plan.flatMap((p) => p.files).filter((f) => files.includes(basename(f.path))).map((f) => f.format))].sort();
      return w.finish(
        [{ package: "user-files", version: IMPORT_VERSION, paths: `${specs.join(" ")}${byField ? ` (records with ${options.splitBy} = ${JSON.stringify(w.label)})` : ""}` }],
        `imported from ${files.length} file(s) (${formats.join(", ")})${byField ? `, ${options.splitBy} = ${JSON.stringify(w.label)}` : ""}`,
      );
    });
    const manifest: CorpusManifest = {
      format: CORPUS_FORMAT_VERSION,
      builderVersion: IMPORT_VERSION,
      eosByte: tokenizer ? tokenizer.eosId : EOS_BYTE,
      vocabSize: tokenizer ? tokenizer.vocabSize : VOCAB_SIZE,
      splitRule: IMPORT_SPLIT_RULE,
      tier: "import",
      ...(tokenizer ? { tokenizer: { file: "tokenizer.json", sha256: tokenizer.sha256!, dtype: tokenDtype(tokenizer.vocabSize), eosToken: tokenizer.eosToken } } : {}),
      domains,
    };
    if (tokenizer) copyFileSync(tokenizer.path!, join(tmp, "tokenizer.json"));

    // 3. publish: <out> aside, <out>.partial → <out> (still no manifest), then the manifest,
    // then drop the marker and the old directory; a failure on the way puts both back
    const old = `${out}.old-${process.pid}`;
    let movedOld = false;
    let movedNew = false;
    try {
      if (replace) { renameSync(out, old); movedOld = true; }
      renameSync(tmp, out);
      movedNew = true;
      writeFileAtomic(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    } catch (e) {
      if (movedNew) renameSync(out, tmp);
      if (movedOld) renameSync(old, out);
      throw e;
    }
    rmSync(join(out, MARKER), { force: true });
    if (movedOld) rmSync(old, { recursive: true, force: true });
    if (invalidUtf8 > 0) warn?.(`import: warning: ${invalidUtf8} record(s) were not valid UTF-8 (first: ${firstInvalid}); each invalid byte sequence is stored as U+FFFD`);

    const dropped = Object.fromEntries([...writers.values()].map((w) => [w.domain, w.dropped]));
    for (const d of domains) {
      const dr = dropped[d.domain];
      log?.(`  ${d.domain.padEnd(24)} train ${d.documents.train} / val ${d.documents.validation} / test ${d.documents.test} docs, ${mb(d.bytes.train + d.bytes.validation + d.bytes.test)} MB${dr.duplicates ? `, ${dr.duplicates} duplicate(s) dropped` : ""}${dr.empty ? `, ${dr.empty} empty dropped` : ""}`);
    }
    log?.(`import: ${domains.length} domain(s) → ${out} in ${progress.seconds.toFixed(1)}s`);
    return { manifest, dropped, inputBytes: total, seconds: progress.seconds, invalidUtf8, skippedLinks: r.links };
  } catch (e) {
    for (const w of writers.values()) w.abort();
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Documents → little-endian uint16/uint32 ids followed by the EOS id. */
function encoderOf(tok: TextTokenizer): DocumentEncoder {
  const width = tokenDtype(tok.vocabSize) === "uint16" ? 2 : 4;
  return (doc) => {
    const ids = tok.encode(Buffer.from(doc.buffer, doc.byteOffset, doc.byteLength).toString("utf8"));
    const payload = Buffer.allocUnsafe((ids.length + 1) * width);
    ids.forEach((id, i) => (width === 2 ? payload.writeUInt16LE(id, 2 * i) : payload.writeUInt32LE(id, 4 * i)));
    if (width === 2) payload.writeUInt16LE(tok.eosId, 2 * ids.length); else payload.writeUInt32LE(tok.eosId, 4 * ids.length);
    return { payload, tokens: ids.length + 1 };
  };
}

/** Where an interrupted import's partial directory for `out` would be. */
export function partialDirOf(out: string): string {
  return join(dirname(out), `${basename(out)}.partial`);
}
