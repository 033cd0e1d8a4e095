/**
 * `mixlab mixture export SRC --format json|csv|regmix-yaml|megatron|nanogpt [--shares token|byte|doc]`
 * — the chosen mixture out to the trainer that uses it. A thin caller of kernel-lib/data/export.ts.
 *
 * SRC: a results directory holding `mixture.json` (what `regmix choose` and `mergemix search`
 * write), a mixture file in any export format (.json, .csv, .yaml/.yml, .py, .txt/.sh megatron
 * line), a CSV with a `domain` column and a weight column (`--column`, e.g. chameleon's
 * `pt_weight`), a wide CSV with one column per domain (`--row N` when it has several rows, e.g.
 * `regmix propose`'s mixtures.csv), or `-` for a CLI's output on stdin.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseCommandArgs, intFlag } from "../args.js";
import { loadCorpus } from "../../data/corpus.js";
import { convertShares, formatMixture, MIXTURE_FORMATS, MIXTURE_SHARES, parseMixture, type MixtureFormat, type MixtureShares } from "../../data/export.js";
import { Mixture } from "../../data/mixture.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { parseCsv } from "../../util/csv.js";
import { MixlabError } from "../../util/errors.js";

export const USAGE = `usage: mixlab mixture export SRC --format ${MIXTURE_FORMATS.join("|")}
         [--shares token|byte|doc --corpus DIR] [--from-shares token] [--out FILE]
         [--column NAME] [--row N] [--data-prefix P] [--data-suffix _text_document]
  SRC            results dir with mixture.json | mixture file (.json .csv .yaml .py) | CSV with domain + --column |
                 wide CSV (one column per domain; --row N picks a row, default the only one) | - (stdin)
  --shares       express weights as shares of tokens (default), bytes or documents (needs --corpus)
  --corpus       the corpus the mixture is for: every domain must be one of its domains
  --from-shares  what SRC's weights are shares of (default token)
  --data-prefix  megatron: path before each domain name; --data-suffix after it
  writes FILE atomically, or prints to stdout`;

/** Options for reading a mixture source. */
export interface SourceOptions {
  column?: string;
  row?: number;
}

function fromCsv(text: string, src: string, opts: SourceOptions): Mixture {
  const { header, rows } = parseCsv(text, src);
  if (header[0] === "domain" && header.length >= 2) {
    const col = opts.column ?? (header.includes("weight") ? "weight" : header.length === 2 ? header[1] : undefined);
    if (col === undefined) throw new MixlabError("MIXTURE_SOURCE", `${src}: several weight columns (${header.slice(1).join(", ")}); pick one with --column`);
    const j = header.indexOf(col);
    if (j < 0) throw new MixlabError("CSV_MISSING_COLUMN", `${src}: no column "${col}" (has: ${header.join(", ")})`);
    const w = rows.map((r, k) => num(r[j], `${src}: row ${k + 1}`));
    const total = w.reduce((a, b) => a + b, 0);
    if (Math.abs(total - 1) > 1e-3) throw new MixlabError("MIXTURE_NOT_ON_SIMPLEX", `${src}: column ${col} sums to ${total}, expected 1 ± 1e-3 (mixlab does not rescale weights silently)`);
    return Mixture.normalised(rows.map((r) => r[0]), w);
  }
  // wide: one column per domain (an `index` column is ignored)
  const cols = header.map((h, j) => [h, j] as const).filter(([h]) => h !== "index" && h !== "");
  if (rows.length === 0) throw new MixlabError("CSV_EMPTY", `${src}: header but no data rows`);
  if (opts.row === undefined && rows.length > 1) throw new MixlabError("MIXTURE_SOURCE", `${src}: ${rows.length} mixtures; pick one with --row N (0-based)`);
  const r = rows[opts.row ?? 0];
  if (!r) throw new MixlabError("MIXTURE_SOURCE", `${src}: no row ${opts.row} (has ${rows.length})`);
  const w = cols.map(([h, j]) => num(r[j], `${src}: column ${h}`));
  const sum = w.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-3) throw new MixlabError("MIXTURE_NOT_ON_SIMPLEX", `${src}: row sums to ${sum}, expected 1 ± 1e-3`);
  return Mixture.normalised(cols.map(([h]) => h), w);
}

function num(s: string, where: string): number {
  const v = s.trim() === "" ? NaN : Number(s);
  if (!Number.isFinite(v)) throw new MixlabError("CSV_NOT_NUMERIC", `${where}: "${s}" is not a finite number`);
  return v;
}

/**
 * Read a mixture from any SRC the command accepts (see the file comment).
 *
 * @example
 * readMixtureSource("results/choose"); // the Mixture in results/choose/mixture.json
 */
export function readMixtureSource(src: string, opts: SourceOptions = {}, stdin?: string): Mixture {
  let path = src;
  let text: string;
  if (src === "-") {
    text = stdin ?? readFileSync(0, "utf8");
  } else {
    if (!existsSync(src)) throw new MixlabError("FILE_NOT_FOUND", `${src}: no such file or directory`);
    if (statSync(src).isDirectory()) {
      path = join(src, "mixture.json");
      if (!existsSync(path)) throw new MixlabError("MIXTURE_SOURCE", `${src}: no mixture.json in this directory (written by regmix choose / mergemix search)`);
    }
    text = readFileSync(path, "utf8");
  }
  const lower = path.toLowerCase();
  const trimmed = text.trimStart();
  if (lower.endsWith(".yaml") || lower.endsWith(".yml") || /^train:\s*$/m.test(text)) return parseMixture(text, "regmix-yaml", { source: path });
  if (lower.endsWith(".py") || /data_mixture\s*=/.test(text)) return parseMixture(text, "nanogpt", { source: path });
  if (/--data-path/.test(text)) return parseMixture(text, "megatron", { source: path });
  if (lower.endsWith(".json") || trimmed.startsWith("{")) return parseMixture(text, "json", { source: path });
  return fromCsv(text, path, opts);
}

/**
 * Run `mixlab mixture export …`; returns the exit code.
 *
 * @example
 * await run(["export", "results/choose", "--format", "megatron", "--data-prefix", "/data/pile/"]); // 0
 */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "--help" || sub === "-h" || sub === undefined) { console.log(USAGE); return sub ? 0 : 2; }
  if (sub !== "export") throw new MixlabError("BAD_ARGS", `unknown subcommand "mixture ${sub}"\n${USAGE}`);
  const { values, positionals } = parseCommandArgs({
    args: rest,
    options: {
      format: { type: "string" },
      shares: { type: "string" },
      "from-shares": { type: "string" },
      corpus: { type: "string" },
      out: { type: "string" },
      column: { type: "string" },
      row: { type: "string" },
      "data-prefix": { type: "string" },
      "data-suffix": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  }, USAGE);
  if (values.help) { console.log(USAGE); return 0; }
  if (positionals.length !== 1) throw new MixlabError("BAD_ARGS", `expected one SRC, got ${positionals.length}\n${USAGE}`);
  const format = (values.format ?? "") as MixtureFormat;
  if (!MIXTURE_FORMATS.includes(format)) throw new MixlabError("BAD_ARGS", `--format must be one of ${MIXTURE_FORMATS.join(", ")}\n${USAGE}`);
  const shares = (values.shares ?? "token") as MixtureShares;
  const from = (values["from-shares"] ?? "token") as MixtureShares;
  for (const [flag, v] of [["--shares", shares], ["--from-shares", from]] as const) {
    if (!MIXTURE_SHARES.includes(v)) throw new MixlabError("BAD_ARGS", `${flag} must be one of ${MIXTURE_SHARES.join(", ")}`);
  }
  const row = intFlag(values.row, "--row (0-based)", { min: 0 });
  let m = readMixtureSource(positionals[0], { column: values.column, row });
  if (shares !== from && !values.corpus) throw new MixlabError("BAD_ARGS", `--shares ${shares} from ${from} shares needs --corpus DIR (its manifest has each domain's bytes and documents)`);
  if (values.corpus) {
    // with a corpus, every domain must be one of its domains, whatever the shares
    const manifest = loadCorpus(values.corpus).manifest;
    const known = new Set(manifest.domains.map((d) => d.domain));
    const unknown = m.domains.filter((d) => !known.has(d));
    if (unknown.length) throw new MixlabError("MIXTURE_UNKNOWN_DOMAIN", `${positionals[0]}: domain(s) ${unknown.map((d) => JSON.stringify(d)).join(", ")} not in the corpus ${values.corpus} (has: ${[...known].join(", ")})`);
    m = convertShares(m, from, shares, manifest);
  }
  const text = formatMixture(m, format, { dataPrefix: values["data-prefix"], dataSuffix: values["data-suffix"] });
  if (values.out) writeFileAtomic(values.out, text);
  else process.stdout.write(text);
  return 0;
}
