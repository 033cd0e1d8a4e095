import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

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
