/**
 * A chosen mixture out to the trainer that will use it, and back in.
 *
 * Formats (`MixtureFormat`):
 * - `json`         `{"books": 0.25, "code": 0.75}` — a plain per-domain probability map
 * - `csv`          `domain,weight` one row per domain
 * - `regmix-yaml`  RegMix's `config_1b/*.yaml`: `train:` `train_<domain>: w`, `valid:` `valid_<domain>: 1.0`
 * - `megatron`     Megatron-LM / GPT-NeoX `--data-path "w1 prefix1 w2 prefix2 …"` (prefix = `<dataPrefix><domain><dataSuffix>`)
 * - `nanogpt`      a nanoGPT config file (Python) defining `data_mixture = {...}`
 *
 * Shares (`MixtureShares`): mixlab's weights are shares of training tokens (what the sampler
 * draws). `byte` and `doc` re-express them as shares of bytes and of documents, with each
 * domain's train-split bytes, documents and tokens from the corpus manifest: a domain drawn with
 * token share w_d contributes w_d · (bytes_d / tokens_d) bytes and w_d · (docs_d / tokens_d)
 * documents. On a byte-level corpus tokens = bytes, so token and byte shares coincide.
 *
 * `parseMixture` reads every format back (numbers are printed with full round-trip precision).
 */
import { MixlabError } from "../util/errors.js";
import type { CorpusManifest } from "./format.js";
import { Mixture } from "./mixture.js";

export const MIXTURE_FORMATS = ["json", "csv", "regmix-yaml", "megatron", "nanogpt"] as const;
export type MixtureFormat = (typeof MIXTURE_FORMATS)[number];
export const MIXTURE_SHARES = ["token", "byte", "doc"] as const;
export type MixtureShares = (typeof MIXTURE_SHARES)[number];

export interface ExportOptions {
  /** megatron: path prefix before each domain (default "") */
  dataPrefix?: string;
  /** megatron: path suffix after each domain (default "_text_document", Megatron's preprocess_data output) */
  dataSuffix?: string;
  /** regmix-yaml: the `valid:` entries (default: every domain, weight 1.0) */
  validDomains?: readonly string[];
}

/** Train-split counts per domain, the basis of share conversion. */
function counts(manifest: CorpusManifest, domain: string, shares: MixtureShares): number {
  const d = manifest.domains.find((x) => x.domain === domain);
  if (!d) throw new MixlabError("MIXTURE_UNKNOWN_DOMAIN", `domain "${domain}" is not in the corpus (has: ${manifest.domains.map((x) => x.domain).join(", ")})`);
  if (shares === "doc") return d.documents.train;
  // a byte-level corpus has one token per byte; a token corpus records both counts
  if (shares === "byte") return d.textBytes?.train ?? d.bytes.train;
  return d.tokens?.train ?? d.bytes.train;
}

/**
 * Re-express a mixture given as `from` shares as `to` shares, with the corpus manifest's
 * train-split counts (see the file comment).
 *
 * @example
 * convertShares(m, "token", "doc", loadCorpus(dir).manifest).toString(); // document shares
 */
export function convertShares(m: Mixture, from: MixtureShares, to: MixtureShares, manifest: CorpusManifest): Mixture {
  if (from === to) return m;
  const raw = m.domains.map((d, i) => {
    const a = counts(manifest, d, from);
    const b = counts(manifest, d, to);
    if (m.weights[i] > 0 && !(a > 0)) throw new MixlabError("MIXTURE_EMPTY_DOMAIN", `domain "${d}" has weight ${m.weights[i]} but no ${from}s in its train split`);
    return m.weights[i] > 0 ? (m.weights[i] * b) / a : 0;
  });
  return Mixture.normalised(m.domains, raw);
}

/**
 * EXPORT_BAD_DOMAIN for a domain name the format cannot hold as one entry: a control character
 * (a newline would start a new line, or a new YAML section) in any format; in RegMix YAML also
 * `:` or `#` (they end the key) and surrounding whitespace (trimmed on reading).
 */
function checkDomainNames(domains: readonly string[], format: MixtureFormat): void {
  for (const d of domains) {
    if (/[\u0000-\u001f\u007f]/.test(d)) throw new MixlabError("EXPORT_BAD_DOMAIN", `domain ${JSON.stringify(d)} holds a control character (a newline?); no export format can hold it`);
    if (format === "regmix-yaml" && (/[:#]/.test(d) || d.trim() !== d)) {
      throw new MixlabError("EXPORT_BAD_DOMAIN", `domain ${JSON.stringify(d)}: a RegMix YAML key cannot hold ":" or "#" or begin or end with spaces`);
    }
  }
}

/** Shortest text that reads back as the same double. */
function num(x: number): string {
  return String(x);
}

/**
 * A mixture as text in one format.
 *
 * @example
 * formatMixture(Mixture.fromRecord({ a: 0.25, b: 0.75 }), "megatron", { dataPrefix: "/data/" });
 * // '--data-path "0.25 /data/a_text_document 0.75 /data/b_text_document"\n'
 */
export function formatMixture(m: Mixture, format: MixtureFormat, opts: ExportOptions = {}): string {
  checkDomainNames([...m.domains, ...(opts.validDomains ?? [])], format);
  const pairs = m.domains.map((d, i) => [d, m.weights[i]] as const);
  switch (format) {
    case "json":
      return `${JSON.stringify(m.toRecord(), null, 2)}\n`;
    case "csv":
      return `domain,weight\n${pairs.map(([d, w]) => `${/[",\n\r]/.test(d) ? `"${d.replace(/"/g, '""')}"` : d},${num(w)}`).join("\n")}\n`;
    case "regmix-yaml": {
      const valid = opts.validDomains ?? m.domains;
      return `train:\n${pairs.map(([d, w]) => `  train_${d}: ${num(w)}`).join("\n")}\nvalid:\n${valid.map((d) => `  valid_${d}: 1.0`).join("\n")}\n`;
    }
    case "megatron": {
      const pre = opts.dataPrefix ?? "";
      const suf = opts.dataSuffix ?? "_text_document";
      for (const [d] of pairs) if (/\s|"/.test(pre + d + suf)) throw new MixlabError("EXPORT_BAD_PATH", `megatron --data-path entries cannot hold spaces or quotes: "${pre}${d}${suf}"`);
      return `--data-path "${pairs.map(([d, w]) => `${num(w)} ${pre}${d}${suf}`).join(" ")}"\n`;
    }
    case "nanogpt":
      return `# nanoGPT config override (python train.py config/this_file.py): per-domain sampling probabilities\ndata_mixture = {\n${pairs.map(([d, w]) => `    ${JSON.stringify(d)}: ${num(w)},`).join("\n")}\n}\n`;
    default:
      throw new MixlabError("EXPORT_BAD_FORMAT", `unknown format "${String(format)}" (known: ${MIXTURE_FORMATS.join(", ")})`);
  }
}

function toNumber(s: string, where: string): number {
  const v = s.trim() === "" ? NaN : Number(s.trim());
  if (!Number.isFinite(v)) throw new MixlabError("MIXTURE_PARSE", `${where}: "${s}" is not a number`);
  return v;
}

/**
 * Read a mixture written by `formatMixture` (any format) back. The weights must sum to 1 within
 * `tol` (default 1e-3; unchecked for RegMix YAML, whose trainer renormalises) and are
 * renormalised to sum exactly 1.
 *
 * @example
 * parseMixture('--data-path "0.25 a_text_document 0.75 b_text_document"', "megatron").get("b"); // 0.75
 */
export function parseMixture(text: string, format: MixtureFormat, opts: ExportOptions & { source?: string; tol?: number } = {}): Mixture {
  const src = opts.source ?? format;
  const names: string[] = [];
  const weights: number[] = [];
  const add = (d: string, w: number) => { names.push(d); weights.push(w); };
  switch (format) {
    case "json": {
      let obj: unknown;
      try { obj = JSON.parse(text); } catch (e) { throw new MixlabError("MIXTURE_PARSE", `${src}: not JSON (${(e as Error).message})`); }
      const rec = obj !== null && typeof obj === "object" && "mixture" in (obj as object) ? (obj as { mixture: unknown }).mixture : obj;
      if (rec === null || typeof rec !== "object" || Array.isArray(rec)) throw new MixlabError("MIXTURE_PARSE", `${src}: expected {"domain": weight, …} or {"mixture": {…}}`);
      for (const [d, w] of Object.entries(rec as Record<string, unknown>)) {
        if (typeof w !== "number") throw new MixlabError("MIXTURE_PARSE", `${src}: weight of "${d}" is not a number`);
        add(d, w);
      }
      break;
    }
    case "csv": {
      const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
      if (lines[0]?.trim() !== "domain,weight") throw new MixlabError("MIXTURE_PARSE", `${src}: expected header "domain,weight"`);
      for (const [k, l] of lines.slice(1).entries()) {
        const at = l.lastIndexOf(",");
        let d = l.slice(0, at);
        if (d.startsWith('"') && d.endsWith('"')) d = d.slice(1, -1).replace(/""/g, '"');
        add(d, toNumber(l.slice(at + 1), `${src}: row ${k + 1}`));
      }
      break;
    }
    case "regmix-yaml": {
      let section = "";
      for (const raw of text.split(/\r?\n/)) {
        const l = raw.replace(/#.*$/, "");
        if (l.trim() === "") continue;
        const top = /^(\S[^:]*):\s*(.*)$/.exec(l);
        if (top) { section = top[1].trim(); continue; }
        const entry = /^\s+([^:]+):\s*(\S+)\s*$/.exec(l);
        if (section === "train" && entry) add(entry[1].trim().replace(/^train_/, ""), toNumber(entry[2], `${src}: ${entry[1].trim()}`));
      }
      break;
    }
    case "megatron": {
      const m = /--data-path\s+"([^"]*)"/.exec(text) ?? /--data-path\s+(.*)$/m.exec(text);
      const body = (m ? m[1] : text).trim().split(/\s+/);
      if (body.length % 2 !== 0) throw new MixlabError("MIXTURE_PARSE", `${src}: --data-path needs weight/prefix pairs`);
      const pre = opts.dataPrefix ?? "";
      const suf = opts.dataSuffix ?? "_text_document";
      for (let i = 0; i < body.length; i += 2) {
        let p = body[i + 1];
        if (pre && p.startsWith(pre)) p = p.slice(pre.length);
        if (suf && p.endsWith(suf)) p = p.slice(0, -suf.length);
        add(p, toNumber(body[i], `${src}: pair ${i / 2 + 1}`));
      }
      break;
    }
    case "nanogpt": {
      const body = /data_mixture\s*=\s*\{([\s\S]*?)\}/.exec(text);
      if (!body) throw new MixlabError("MIXTURE_PARSE", `${src}: no "data_mixture = {…}"`);
      for (const m of body[1].matchAll(/("(?:[^"\\]|\\.)*")\s*:\s*([^,\s}]+)/g)) add(JSON.parse(m[1]) as string, toNumber(m[2], `${src}: ${m[1]}`));
      break;
    }
    default:
      throw new MixlabError("EXPORT_BAD_FORMAT", `unknown format "${String(format)}" (known: ${MIXTURE_FORMATS.join(", ")})`);
  }
  if (names.length === 0) throw new MixlabError("MIXTURE_PARSE", `${src}: no domain weights found`);
  // RegMix's trainer renormalises its YAML weights (the released human.yaml sums to 0.787), so they are not checked
  const tol = opts.tol ?? (format === "regmix-yaml" ? Infinity : 1e-3);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > tol) throw new MixlabError("MIXTURE_NOT_ON_SIMPLEX", `${src}: weights sum to ${sum}, expected 1 ± ${tol}`);
  return Mixture.normalised(names, weights);
}
