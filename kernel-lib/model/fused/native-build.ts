/**
 * The native build of the fused engine: gpt_engine.c + native-addon.c compiled by the system C
 * compiler for the CPU this process runs on (`-O3 -march=native -fopenmp`, AVX2+FMA or AVX-512)
 * into a Node-API module, built at first use and cached under `<project>/.cache/native-engine/`
 * by a hash of (both C sources, compiler version, compile flags, the CPU's model and feature
 * flags, Node-API version). A different CPU or compiler gets a different file, so a stale build
 * from another machine is never loaded.
 *
 * Everything that can go wrong (no compiler, no Node headers, no AVX2/FMA, a compile or load
 * error, `MIXLAB_NATIVE=0`) makes `nativeEngineStatus()` return `{ ok: false, reason }`; callers
 * then use the WebAssembly engine. Nothing here throws.
 *
 * Two flavours (`MIXLAB_NATIVE_BUILD`):
 *   - `native` (default): `-march=native -ffast-math`, the AVX-512 primitives where the CPU has
 *     them. Fastest, and results follow the CPU: the vector width sets the matmul tile and the
 *     compiler may reassociate sums per target, so two CPUs of one kind can differ in the last
 *     bits, and those differences grow over a training run (5th digit of a loss after 1000 steps).
 *   - `portable`: one fixed ISA level (`-march=x86-64-v3`: AVX2 + FMA, every x86-64 CPU since
 *     2015 / 2017), the AVX2 primitives even where AVX-512 exists (`-DMIXLAB_PORTABLE`), no
 *     `-ffast-math` and `-ffp-contract=off`, so every float operation is the one the source
 *     writes, in the source's order. The binary's arithmetic then depends only on the source,
 *     the compiler version and these flags — not on the CPU — and a run retrains bit for bit on
 *     any CPU with AVX2 + FMA given the same compiler. `buildId` names exactly that triple.
 *     `MIXLAB_PORTABLE_MARCH` (x86-64-v3 | x86-64-v4) compiles the same portable code for another
 *     ISA level: the tests use it to show the result does not depend on the instructions the
 *     compiler may pick.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { projectRoot } from "../../util/paths.js";
import type { EngineBuild } from "../engine.js";

/** What a native build is (an `EngineBuild` of flavour native or portable). */
export type NativeBuild = EngineBuild & { flavour: NativeFlavour };

/** The functions native-addon.c exports (pointers are byte offsets into `mem`). */
export interface NativeModule {
  bytes(V: number, Tm: number, L: number, H: number, d: number, m: number, capN: number, capT: number, threads: number): number;
  init(mem: ArrayBuffer, V: number, Tm: number, L: number, H: number, d: number, m: number, capN: number, capT: number, threads: number): number;
  ptr(mem: ArrayBuffer, which: number, layer: number): number;
  nparams(mem: ArrayBuffer): number;
  forward(mem: ArrayBuffer, B: number, T: number, nblocks: number, logits: number): void;
  backward(mem: ArrayBuffer, B: number, T: number): void;
  adamw(mem: ArrayBuffer | null, params: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, mask: Uint8Array, k: Float64Array): void;
  clip(mem: ArrayBuffer | null, grad: Float32Array, maxNorm: number, block: number): number;
  info(): { vectorWidth: number; mr: number; nr: number; openmp: number };
}

/** Which native build: tuned for this CPU, or one fixed ISA level with bit-exact arithmetic everywhere. */
export type NativeFlavour = "native" | "portable";

export type NativeStatus =
  | { ok: true; module: NativeModule; path: string; built: boolean; detail: string; build: NativeBuild }
  | { ok: false; reason: string };

/** Compile flags of the `native` flavour (one step: -c; the link step has no -ffast-math, so FTZ/DAZ never leak into Node). */
export const NATIVE_CFLAGS = ["-O3", "-march=native", "-ffast-math", "-fno-finite-math-only", "-fopenmp", "-fPIC", "-Wno-unknown-pragmas"];

/** Compile flags of the `portable` flavour at ISA level `march` (see the header). */
export function portableCflags(march: "x86-64-v3" | "x86-64-v4" = "x86-64-v3"): string[] {
  return ["-O3", `-march=${march}`, "-mtune=generic", "-ffp-contract=off", "-DMIXLAB_PORTABLE=1", "-fopenmp", "-fPIC", "-Wno-unknown-pragmas"];
}

/**
 * The flavour and flags `env` asks for (MIXLAB_NATIVE_BUILD, MIXLAB_PORTABLE_MARCH), or why not.
 *
 * @example
 * nativeBuildFlags({ MIXLAB_NATIVE_BUILD: "portable" }); // { flavour: "portable", flags: ["-O3", "-march=x86-64-v3", …] }
 */
export function nativeBuildFlags(env: NodeJS.ProcessEnv = process.env): { flavour: NativeFlavour; flags: string[] } | { error: string } {
  const flavour = (env.MIXLAB_NATIVE_BUILD ?? "native").trim() || "native";
  if (flavour === "native") return { flavour, flags: NATIVE_CFLAGS };
  if (flavour !== "portable") return { error: `MIXLAB_NATIVE_BUILD must be "native" or "portable", got "${env.MIXLAB_NATIVE_BUILD}"` };
  const march = env.MIXLAB_PORTABLE_MARCH ?? "x86-64-v3";
  if (march !== "x86-64-v3" && march !== "x86-64-v4") return { error: `MIXLAB_PORTABLE_MARCH must be x86-64-v3 or x86-64-v4, got "${march}"` };
  return { flavour, flags: portableCflags(march) };
}

/** The CPU's model and feature flags (Linux /proc/cpuinfo), or null elsewhere. */
function cpuFeatures(): { model: string; flags: string[] } | null {
  try {
    const text = readFileSync("/proc/cpuinfo", "utf8");
    const flags = /^flags\s*:\s*(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
    const model = /^model name\s*:\s*(.*)$/m.exec(text)?.[1]?.trim() ?? "unknown CPU";
    return { model, flags };
  } catch {
    return null;
  }
}

function nodeHeaders(env: NodeJS.ProcessEnv): string | null {
  const candidates = [env.MIXLAB_NODE_INCLUDE, join(dirname(dirname(process.execPath)), "include", "node"), "/usr/include/node", "/usr/local/include/node"];
  for (const c of candidates) if (c && existsSync(join(c, "node_api.h"))) return c;
  return null;
}

function firstLine(s: string): string {
  return s.split("\n")[0].trim();
}

/**
 * Build (or reuse) and load the native module, reading MIXLAB_NATIVE, CC and MIXLAB_NODE_INCLUDE
 * from `env`; the reason why not otherwise. Not memoised (nativeEngineStatus is).
 *
 * @example
 * probeNativeBuild({ ...process.env, CC: "clang" });
 */
export function probeNativeBuild(env: NodeJS.ProcessEnv = process.env): NativeStatus {
  if (env.MIXLAB_NATIVE === "0") return { ok: false, reason: "MIXLAB_NATIVE=0" };
  if (process.arch !== "x64") return { ok: false, reason: `no native build for ${process.arch} (the engine's native vector code is x86-64 AVX2/AVX-512)` };
  const cpu = cpuFeatures();
  if (!cpu) return { ok: false, reason: "cannot read the CPU's features (/proc/cpuinfo)" };
  if (!cpu.flags.includes("avx2") || !cpu.flags.includes("fma")) return { ok: false, reason: `${cpu.model} has no AVX2+FMA` };
  const want = nativeBuildFlags(env);
  if ("error" in want) return { ok: false, reason: want.error };
  if (want.flags.includes("-march=x86-64-v4") && !cpu.flags.includes("avx512f")) return { ok: false, reason: `${cpu.model} has no AVX-512 (MIXLAB_PORTABLE_MARCH=x86-64-v4)` };
  const cc = env.CC ?? "cc";
  let ccVersion: string;
  try {
    ccVersion = firstLine(execFileSync(cc, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
  } catch {
    return { ok: false, reason: `no C compiler (${cc}; apt-get install gcc libc6-dev)` };
  }
  const include = nodeHeaders(env);
  if (!include) return { ok: false, reason: "no Node-API headers (node_api.h; Debian: apt-get install libnode-dev, or set MIXLAB_NODE_INCLUDE)" };
  const fusedDir = join(projectRoot(), "kernel-lib", "model", "fused");
  const sources = ["gpt_engine.c", "native-addon.c"].map((f) => join(fusedDir, f));
  if (!sources.every((f) => existsSync(f))) return { ok: false, reason: `C sources not found under ${fusedDir}` };
  const flags = want.flags;
  const sourceHash = createHash("sha256");
  for (const f of sources) sourceHash.update(readFileSync(f));
  const sourceDigest = sourceHash.digest("hex");
  // The arithmetic's identity: sources + compiler + flags (+ the CPU for `native`, whose code follows it).
  const buildId = createHash("sha256").update(JSON.stringify([sourceDigest, ccVersion, flags, want.flavour === "native" ? [cpu.model, cpu.flags] : null])).digest("hex").slice(0, 16);
  // The cache file: also everything the loaded module depends on.
  const key = createHash("sha256").update(JSON.stringify([sourceDigest, cc, ccVersion, flags, cpu.model, cpu.flags, process.versions.napi, process.arch])).digest("hex").slice(0, 20);
  const dir = join(projectRoot(), ".cache", "native-engine");
  const path = join(dir, `gpt-engine-${key}.node`);
  let built = false;
  if (!existsSync(path)) {
    const tmp = join(dir, `.build-${process.pid}-${Date.now()}`);
    try {
      mkdirSync(tmp, { recursive: true });
    } catch (e) {
      return { ok: false, reason: `cannot write the build cache ${dir}: ${(e as Error).message}` };
    }
    try {
      const obj = join(tmp, "engine.o"), so = join(tmp, "engine.node");
      execFileSync(cc, [...flags, `-I${include}`, "-c", sources[1], "-o", obj], { stdio: ["ignore", "pipe", "pipe"] });
      execFileSync(cc, ["-shared", "-fopenmp", "-o", so, obj], { stdio: ["ignore", "pipe", "pipe"] });
      renameSync(so, path); // atomic: a concurrent process sees the whole file or none
      built = true;
    } catch (e) {
      const err = e as { stderr?: Buffer | string; message?: string };
      const msg = err.stderr ? firstLine(String(err.stderr)) : err.message ?? String(e);
      return { ok: false, reason: `the C compiler failed (${cc}): ${msg}` };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  // libgomp reads its settings when it loads. Its default (spin ~300k iterations at every barrier
  // before sleeping) is fast on an idle machine and collapses when other processes share the
  // cores (measured 0.2–0.4× of one thread on a busy 2-core box); a short spin keeps most of
  // the idle-machine speed and degrades gracefully. The user's own OMP_WAIT_POLICY/GOMP_SPINCOUNT win.
  if (!process.env.OMP_WAIT_POLICY && !process.env.GOMP_SPINCOUNT) process.env.GOMP_SPINCOUNT = "1000";
  try {
    const m = { exports: {} as unknown };
    process.dlopen(m as unknown as NodeJS.Module, path);
    const mod = m.exports as NativeModule;
    const info = mod.info();
    const isa = info.vectorWidth === 16 ? "AVX-512" : "AVX2";
    const tile = `${info.mr}×${info.nr}`;
    const build: NativeBuild = { flavour: want.flavour, isa, vectorWidth: info.vectorWidth, tile, compiler: ccVersion, flags, buildId };
    const detail = `${want.flavour === "portable" ? "portable build, " : ""}${isa}+FMA, ${tile} tile, ${info.openmp ? "OpenMP threads" : "one thread"}; ${cpu.model}; ${ccVersion}`;
    return { ok: true, module: mod, path, built, detail, build };
  } catch (e) {
    rmSync(path, { force: true }); // a damaged cache entry: the next process rebuilds it
    return { ok: false, reason: `the native build did not load: ${(e as Error).message}` };
  }
}

const statusByFlavour = new Map<string, NativeStatus>();

/**
 * The native engine module, built and loaded once per process and flavour (default: the one
 * MIXLAB_NATIVE_BUILD names, else "native"), or why it is unavailable.
 *
 * @example
 * const s = nativeEngineStatus();
 * if (s.ok === false) console.log(`native engine: ${s.reason}`);
 * nativeEngineStatus("portable"); // the portable build, whatever MIXLAB_NATIVE_BUILD says
 */
export function nativeEngineStatus(flavour?: NativeFlavour): NativeStatus {
  const env = flavour ? { ...process.env, MIXLAB_NATIVE_BUILD: flavour } : process.env;
  const key = `${env.MIXLAB_NATIVE_BUILD ?? "native"}|${env.MIXLAB_PORTABLE_MARCH ?? ""}`;
  let s = statusByFlavour.get(key);
  if (!s) statusByFlavour.set(key, (s = probeNativeBuild(env)));
  return s;
}
