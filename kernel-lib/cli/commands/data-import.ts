/**
 * `mixlab data import` — the user's documents → a corpus directory every method trains on.
 * A thin caller of `importCorpus` (kernel-lib/data/import/import.ts).
 *
 *   mixlab data import --domain NAME=PATH [--domain NAME=PATH …] --out DIR
 *   mixlab data import --input PATH [--input PATH …] --split-by FIELD --out DIR
 *
 * PATH: a file, a directory (recursively) or a glob; formats .txt, .jsonl, .jsonl.gz,
 * .jsonl.zst, .parquet. Progress on stderr; bad input → `error[IMPORT_…]: …`, exit 2, nothing written.
 */
import { parseCommandArgs } from "../args.js";
import { importCorpus } from "../../data/import/import.js";
import { MixlabError } from "../../util/errors.js";

export const USAGE = `usage: mixlab data import (--domain NAME=PATH [--domain …] | --input PATH [--input …] --split-by FIELD)
         --out DIR [--text-field text] [--doc-separator SEP] [--tokenizer tokenizer.json [--eos-token T]] [--force] [--quiet]
  PATH           a file, directory (recursive) or glob (*, ?, **) of .txt .jsonl .jsonl.gz .jsonl.zst .parquet
  --domain       every document of PATH belongs to domain NAME (repeat NAME to add paths)
  --split-by     record field naming each document's domain, e.g. meta.pile_set_name (the Pile),
                 meta.redpajama_set_name (SlimPajama); names are made file-safe, labels kept in the manifest
  --text-field   JSON key / Parquet column holding the text (default text)
  --doc-separator  .txt: cut documents at SEP (escapes \\n \\t; default: one document per file)
  --tokenizer    store ids of this Hugging Face tokenizer.json (uint16/uint32) instead of bytes; copied into DIR
  --force        replace an existing corpus at DIR (only a directory holding a mixlab corpus manifest.json)
  DIR is locked while the import runs (a second import into it: error[IMPORT_OUT_LOCKED]); symlinks in a
  directory input are followed when they point inside it, skipped with a warning otherwise; invalid UTF-8
  is stored as U+FFFD with a warning; one record (a JSON line, a .txt document) is at most 128 MiB
  split: sha256(domain 0x00 document) → train 90% / validation 5% / test 5% (manifest.json: splitRule)`;

/**
 * \`\\n\`, \`\\t\`, \`\\r\`, \`\\\\\` in a flag value → the characters.
 *
 * @example
 * unescapeFlag("\\\\n\\\\n"); // "\n\n"
 */
export function unescapeFlag(s: string): string {
  return s.replace(/\\(n|t|r|\\)/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : "\\"));
}

/**
 * Run `mixlab data import …`; returns the exit code.
 *
 * @example
 * await run(["--input", "pile/*.jsonl.zst", "--split-by", "meta.pile_set_name", "--out", "data/pile"]); // 0
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      domain: { type: "string", multiple: true },
      input: { type: "string", multiple: true },
      "split-by": { type: "string" },
      "text-field": { type: "string" },
      "doc-separator": { type: "string" },
      out: { type: "string" },
      force: { type: "boolean" },
      tokenizer: { type: "string" },
      "eos-token": { type: "string" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
  }, USAGE);
  if (values.help) { console.log(USAGE); return 0; }
  if (!values.out) throw new MixlabError("BAD_ARGS", `--out DIR is required\n${USAGE}`);
  const domains = values.domain?.map((d) => {
    const eq = d.indexOf("=");
    if (eq <= 0 || eq === d.length - 1) throw new MixlabError("BAD_ARGS", `--domain "${d}": expected NAME=PATH\n${USAGE}`);
    return { label: d.slice(0, eq), inputs: [d.slice(eq + 1)] };
  });
  const stderr = (line: string) => process.stderr.write(`${line}\n`);
  const log = values.quiet ? undefined : stderr;
  const res = await importCorpus({
    out: values.out,
    domains,
    inputs: values.input,
    splitBy: values["split-by"],
    textField: values["text-field"],
    docSeparator: values["doc-separator"] === undefined ? undefined : unescapeFlag(values["doc-separator"]),
    force: values.force,
    tokenizer: values.tokenizer,
    eosToken: values["eos-token"],
    log,
    warn: stderr, // warnings even with --quiet
  });
  console.log(`${values.out}: ${res.manifest.domains.length} domain(s): ${res.manifest.domains.map((d) => d.domain).join(", ")}`);
  return 0;
}
