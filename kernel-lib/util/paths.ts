import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { MixlabError } from "./errors.js";

/**
 * The mixlab project root: the nearest ancestor of `from` (default: the working directory)
 * whose package.json is named "mixlab". Works from notebooks (tslab runs in the project root),
 * the CLI and tests alike, without `import.meta` (kernel-lib also runs as CommonJS in tslab).
 *
 * @example
 * projectRoot(); // "/home/me/mixlab"
 */
export function projectRoot(from: string = process.cwd()): string {
  if (process.env.MIXLAB_ROOT) return resolve(process.env.MIXLAB_ROOT);
  let dir = resolve(from);
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "mixlab") return dir;
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) return resolve(from);
    dir = up;
  }
}

/**
 * Where the built default corpus lives (`MIXLAB_CORPUS` overrides).
 *
 * @example
 * defaultCorpusDir(); // "<root>/data/corpus"
 */
export function defaultCorpusDir(): string {
  return process.env.MIXLAB_CORPUS ? resolve(process.env.MIXLAB_CORPUS) : join(projectRoot(), "data", "corpus");
}

/**
 * The committed fixture corpus (a few KB per domain) used by tests and the CI profile.
 *
 * @example
 * fixtureCorpusDir(); // "<root>/test/fixtures/corpus"
 */
export function fixtureCorpusDir(): string {
  return join(projectRoot(), "test", "fixtures", "corpus");
}

/**
 * True when path `p` is `dir` or lies under it (compared as written, after resolving `.` and
 * `..`; pass real paths to compare through symlinks).
 *
 * @example
 * isInside("/a/b", "/a/b/c/d"); // true
 * isInside("/a/b", "/a/bc"); // false
 */
export function isInside(dir: string, p: string): boolean {
  const r = relative(resolve(dir), resolve(p));
  return r === "" || (!isAbsolute(r) && r.split(/[\\/]/)[0] !== "..");
}

/**
 * `dir/rel` when `rel` (a path read from a file: a manifest, a plan, a run record) stays inside
 * `dir`; otherwise the named error `code` (PATH_ESCAPES by default).
 *
 * @example
 * pathInside("/store", "models/base.f32", "model file"); // "/store/models/base.f32"
 * pathInside("/store", "../../etc/passwd", "model file"); // throws PATH_ESCAPES
 */
export function pathInside(dir: string, rel: string, what: string, code = "PATH_ESCAPES"): string {
  if (typeof rel !== "string" || rel === "" || isAbsolute(rel) || !isInside(dir, join(dir, rel)) || resolve(dir, rel) === resolve(dir)) {
    throw new MixlabError(code, `${what} ${JSON.stringify(rel)} leaves ${dir}; paths read from it must stay inside it`);
  }
  return join(dir, rel);
}
