/**
 * Which files an import reads: paths, directories (recursively, files of a known format only)
 * and globs (`*`, `?`, `**`), expanded to a sorted list so the same inputs give the same corpus.
 */
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { MixlabError } from "../../util/errors.js";
import { isInside } from "../../util/paths.js";

export const INPUT_FORMATS = ["txt", "jsonl", "jsonl.gz", "jsonl.zst", "parquet"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** One file to read, with its format. */
export interface InputFile {
  path: string;
  format: InputFormat;
  bytes: number;
}

/**
 * The format a file name says, or undefined.
 *
 * @example
 * formatOf("shard-00.jsonl.zst"); // "jsonl.zst"
 * formatOf("notes.md"); // undefined
 */
export function formatOf(path: string): InputFormat | undefined {
  const p = path.toLowerCase();
  if (p.endsWith(".jsonl.zst") || p.endsWith(".jsonl.zstd")) return "jsonl.zst";
  if (p.endsWith(".jsonl.gz")) return "jsonl.gz";
  if (p.endsWith(".jsonl")) return "jsonl";
  if (p.endsWith(".parquet")) return "parquet";
  if (p.endsWith(".txt")) return "txt";
  return undefined;
}

/**
 * Every regular file under `root`, sorted by path, dot-files skipped. The symlink rule: a link
 * whose target lies inside `root` is followed, and each real file is listed once (the first
 * path that reaches it); a link leading outside `root`, dangling, or in a loop is skipped with a
 * warning. `root` itself may be a link (the user named it).
 */
function walk(root: string, out: string[], warnings: string[]): void {
  const rootReal = realpathSync(root);
  const seen = new Set<string>([rootReal]);
  const visit = (dir: string): void => {
    let names: string[];
    try { names = readdirSync(dir).sort(); } catch (e) {
      throw new MixlabError("IMPORT_UNREADABLE", `${dir}: cannot list this directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    for (const name of names) {
      if (name.startsWith(".")) continue;
      const p = join(dir, name);
      let real: string;
      try { real = realpathSync(p); } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        warnings.push(`${p}: ${code === "ELOOP" ? "a symlink loop" : code === "ENOENT" ? "a dangling symlink" : `unreadable (${code})`}, skipped`);
        continue;
      }
      if (!isInside(rootReal, real)) {
        warnings.push(`${p}: a symlink to ${real}, outside ${root}, skipped`);
        continue;
      }
      if (seen.has(real)) continue; // reached before through another path (or a link to an ancestor)
      seen.add(real);
      const st = statSync(real);
      if (st.isDirectory()) visit(p);
      else if (st.isFile()) out.push(p);
    }
  };
  visit(root);
}

/**
 * A glob pattern as a regular expression over `/`-separated relative paths.
 *
 * @example
 * globRegExp("**\/*.jsonl.zst").test("a/b/00.jsonl.zst"); // true
 */
export function globRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      i++;
      if (pattern[i + 1] === "/") { i++; re += "(?:.*/)?"; } else re += ".*";
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/**
 * Expand one input spec (file, directory or glob) to files of a known format, sorted.
 * An explicitly named file of unknown format is IMPORT_UNKNOWN_FORMAT; in a directory or glob,
 * files of unknown format are skipped (and counted in `skipped`), and so are symlinks that lead
 * outside the directory (the glob's base), dangle or loop (one line each in `warnings`).
 * Nothing matched is IMPORT_NO_INPUT.
 *
 * @example
 * expandInput("data/pile/*.jsonl.zst"); // { files: [{ path: "data/pile/00.jsonl.zst", format: "jsonl.zst", bytes }], skipped: [], warnings: [] }
 */
export function expandInput(spec: string): { files: InputFile[]; skipped: string[]; warnings: string[] } {
  const warnings: string[] = [];
  let candidates: string[];
  let explicit = false;
  if (/[*?]/.test(spec)) {
    const parts = spec.split("/");
    const firstGlob = parts.findIndex((p) => /[*?]/.test(p));
    const base = parts.slice(0, firstGlob).join("/") || (spec.startsWith("/") ? "/" : ".");
    const pattern = parts.slice(firstGlob).join("/");
    if (!existsSync(base) || !statSync(base).isDirectory()) throw new MixlabError("IMPORT_NO_INPUT", `${spec}: no directory ${base}`);
    const all: string[] = [];
    walk(base, all, warnings);
    const re = globRegExp(pattern);
    candidates = all.filter((p) => re.test(relative(base, p).split(sep).join("/")));
  } else if (!existsSync(spec)) {
    throw new MixlabError("IMPORT_NO_INPUT", `${spec}: no such file or directory`);
  } else if (statSync(spec).isDirectory()) {
    candidates = [];
    walk(spec, candidates, warnings);
  } else {
    candidates = [spec];
    explicit = true;
  }
  const files: InputFile[] = [];
  const skipped: string[] = [];
  for (const path of candidates) {
    const format = formatOf(path);
    if (!format) {
      if (explicit) throw new MixlabError("IMPORT_UNKNOWN_FORMAT", `${path}: unknown extension (known: ${INPUT_FORMATS.map((f) => `.${f}`).join(", ")})`);
      skipped.push(path);
      continue;
    }
    files.push({ path, format, bytes: statSync(path).size });
  }
  if (files.length === 0) {
    throw new MixlabError("IMPORT_NO_INPUT", `${spec}: no input file of a known format (${INPUT_FORMATS.map((f) => `.${f}`).join(", ")})${skipped.length ? `; skipped ${skipped.length} other file(s)` : ""}${warnings.length ? `; ${warnings[0]}${warnings.length > 1 ? ` (and ${warnings.length - 1} more)` : ""}` : ""}`);
  }
  return { files, skipped, warnings };
}

/**
 * A domain label as a file-safe domain name: lower case, runs of characters other than
 * `a-z 0-9 _ . -` become `_`, no leading dot or dash.
 *
 * @example
 * fileSafeName("Pile-CC"); // "pile-cc"
 * fileSafeName("PubMed Central"); // "pubmed_central"
 */
export function fileSafeName(label: string): string {
  const s = label.toLowerCase().replace(/[^a-z0-9_.-]+/g, "_").replace(/^[._-]+/, "").replace(/_+$/, "");
  return s === "" ? "domain" : s;
}
