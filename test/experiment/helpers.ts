/** Shared fixtures of the experiment-kit tests: temp dirs and small real configs. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/** A fresh temporary directory, removed when the current test finishes. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mixlab-${label}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Write `config` as JSON to `<dir>/<name>.json` and return the path. */
export function writeConfig(dir: string, name: string, config: unknown): string {
  const p = join(dir, `${name}.json`);
  writeFileSync(p, JSON.stringify(config, null, 2));
  return p;
}

/** A cheap real sweep: byte-bigram models on the fixture corpus (milliseconds per run). */
export function bigramConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: "bigram-sweep",
    version: 1,
    seed: 11,
    corpus: "fixture",
    domains: ["books", "code_c", "math", "legal"],
    mixtures: [{ source: "uniform" }, { source: "prior" }, { source: "dirichlet", count: 4, prior: "token", strength: 1 }],
    tokens: 4000,
    seqLen: 32,
    windowsPerDomain: 4,
    ...extra,
  };
}

/** A real tiny-preset proxy sweep on the fixture corpus (about a second per run). */
export function proxyConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: "proxy-sweep",
    version: 1,
    seed: 5,
    corpus: "fixture",
    domains: ["books", "code_c", "math"],
    mixtures: [{ source: "uniform" }, { source: "dirichlet", count: 5, prior: "uniform", strength: 1 }],
    preset: "tiny",
    train: { steps: 12, batchSize: 4, seqLen: 32, lr: 0.003 },
    eval: { windowsPerDomain: 2 },
    ...extra,
  };
}
