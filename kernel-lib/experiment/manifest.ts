/**
 * `results/<name>/manifest.json`: everything needed to say how a result directory was made —
 * the resolved config and seed, package versions, backend, git commit, machine. Written once
 * when the directory is created; each run record adds its own host/backend/timing.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { arch, cpus, hostname, platform, release, totalmem } from "node:os";
import { join, relative, isAbsolute } from "node:path";
import { MixlabError } from "../util/errors.js";
import { projectRoot } from "../util/paths.js";
import { currentBackend, currentEngineBuild } from "./backend.js";
import type { EngineBuild } from "../model/engine.js";
import { sha256Hex, type Json } from "./json.js";

export const MANIFEST_FORMAT = 1;

export interface GitInfo {
  /** `git rev-parse HEAD`, or "unknown" outside a repository / before the first commit */
  commit: string;
  /** uncommitted changes present; null when unknown */
  dirty: boolean | null;
}

export interface MachineInfo {
  os: string;
  release: string;
  arch: string;
  hostname: string;
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
}

export interface Manifest {
  format: number;
  name: string;
  kind: string;
  profile: string;
  /** config file path relative to the project root (absolute when outside it) */
  configFile: string;
  /** the resolved config (see `LoadedExperiment.resolved`) */
  config: Record<string, Json>;
  /** the seed every task seed derives from */
  resolvedSeed: number;
  /** "config" when the file gave it, "drawn" when it was drawn at creation */
  seedSource: "config" | "drawn";
  /** number of planned tasks (`plan.json`) */
  tasks: number;
  createdAt: string;
  /** kind-specific facts about inputs (e.g. corpus path and manifest checksum) */
  inputs: Json;
  /** the engine of the creating process (`currentBackend()`); each run records its own */
  backend: string;
  /** that engine's compiled build (absent in stores made before builds were recorded; null for tfjs) */
  engineBuild?: EngineBuild | null;
  git: GitInfo;
  /** mixlab and every direct dependency: name → installed version */
  packages: Record<string, string>;
  /** sha256 of package-lock.json (pins transitive versions), null when absent */
  packageLockSha256: string | null;
  machine: MachineInfo;
}

/**
 * Git commit and dirty flag of the project (never throws).
 *
 * @example
 * gitInfo(); // { commit: "3f2a…", dirty: false }  or { commit: "unknown", dirty: null }
 */
export function gitInfo(root: string = projectRoot()): GitInfo {
  const git = (args: string[]): string => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 });
  let commit: string;
  try {
    commit = git(["rev-parse", "HEAD"]).trim();
  } catch {
    return { commit: "unknown", dirty: null };
  }
  let dirty: boolean | null;
  try {
    dirty = git(["status", "--porcelain", "--untracked-files=no"]).trim().length > 0;
  } catch {
    dirty = null;
  }
  return { commit, dirty };
}

/**
 * Installed versions of mixlab and its direct dependencies (from node_modules, falling back
 * to package-lock.json; "missing" when neither knows).
 *
 * @example
 * packageVersions().zod; // "4.6.7"
 */
export function packageVersions(root: string = projectRoot()): Record<string, string> {
  const readJson = (p: string): Record<string, unknown> | null => {
    try { return JSON.parse(readFileSync(p, "utf8")) as Record<string, unknown>; } catch { return null; }
  };
  const pkg = readJson(join(root, "package.json")) ?? {};
  const lock = readJson(join(root, "package-lock.json"));
  const lockPackages = (lock?.packages ?? {}) as Record<string, { version?: string }>;
  const out: Record<string, string> = { mixlab: String(pkg.version ?? "unknown") };
  const names = [...Object.keys((pkg.dependencies ?? {}) as object), ...Object.keys((pkg.devDependencies ?? {}) as object)].sort();
  for (const name of names) {
    const installed = readJson(join(root, "node_modules", name, "package.json"));
    out[name] = String(installed?.version ?? lockPackages[`node_modules/${name}`]?.version ?? "missing");
  }
  return out;
}

/**
 * Facts about this machine.
 *
 * @example
 * machineInfo().cpus; // 2
 */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    os: platform(),
    release: release(),
    arch: arch(),
    hostname: hostname(),
    cpus: list.length,
    cpuModel: list[0]?.model?.trim() ?? "unknown",
    memoryBytes: totalmem(),
    node: process.version,
  };
}

/**
 * Assemble a manifest for a new results directory.
 *
 * @example
 * const m = await buildManifest({ name: "x", kind: "bigram-sweep", profile: "ci", configFile: "/p/experiments/x.json",
 *   config, resolvedSeed: 42, seedSource: "config", tasks: 4, inputs: null });
 */
export async function buildManifest(parts: Pick<Manifest, "name" | "kind" | "profile" | "configFile" | "config" | "resolvedSeed" | "seedSource" | "tasks" | "inputs">): Promise<Manifest> {
  const root = projectRoot();
  const rel = relative(root, parts.configFile);
  const lockPath = join(root, "package-lock.json");
  return {
    format: MANIFEST_FORMAT,
    ...parts,
    configFile: rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : parts.configFile,
    createdAt: new Date().toISOString(),
    backend: await currentBackend(),
    engineBuild: await currentEngineBuild(),
    git: gitInfo(root),
    packages: packageVersions(root),
    packageLockSha256: existsSync(lockPath) ? sha256Hex(readFileSync(lockPath, "utf8")) : null,
    machine: machineInfo(),
  };
}

/**
 * Read `<dir>/manifest.json` (RESULTS_NOT_FOUND / RESULTS_BAD_MANIFEST otherwise).
 *
 * @example
 * readManifest("results/proxy-sweep-tiny").resolvedSeed; // 42
 */
export function readManifest(dir: string): Manifest {
  const p = join(dir, "manifest.json");
  if (!existsSync(p)) throw new MixlabError("RESULTS_NOT_FOUND", `${dir} is not a results directory (no manifest.json)`);
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(p, "utf8")) as Manifest;
  } catch (e) {
    throw new MixlabError("RESULTS_BAD_MANIFEST", `${p}: not valid JSON (${(e as Error).message})`);
  }
  if (m.format !== MANIFEST_FORMAT || typeof m.kind !== "string" || typeof m.resolvedSeed !== "number") {
    throw new MixlabError("RESULTS_BAD_MANIFEST", `${p}: not a mixlab manifest of format ${MANIFEST_FORMAT}`);
  }
  return m;
}
