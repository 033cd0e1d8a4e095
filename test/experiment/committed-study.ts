// The checks every committed study store gets (issues 14, 15): each stored run verifies, the
// config file still resolves to the config the manifest holds (else `mixlab run` refuses to reopen
// the store: RESULTS_CONFIG_MISMATCH), and the verdict table recomputed from a copy of the store
// equals the committed `verdicts.csv` byte for byte. Skipped while the store has no manifest (a
// study not yet run).
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadExperimentConfig } from "../../kernel-lib/experiment/config.js";
import { canonicalJson } from "../../kernel-lib/experiment/json.js";
import { openStore, scanRuns } from "../../kernel-lib/experiment/store.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";

/**
 * @example
 * describeCommittedStudy("results/studies/regmix", "regmix-study", (dir) => tablesOf(dir)["verdicts.csv"]);
 */
export function describeCommittedStudy(dir: string, kind: string, verdictsCsv: (storeCopy: string) => string): void {
  describe.skipIf(!existsSync(join(dir, "manifest.json")))(`the committed study store ${dir}`, () => {
    const tmp = mkdtempSync(join(tmpdir(), "mixlab-committed-study-"));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it("verifies every stored run", () => {
      const store = openStore(dir);
      const scan = scanRuns(store);
      expect(scan.corrupt).toEqual([]);
      expect(scan.done.length).toBe(readdirSync(join(dir, "runs")).filter((f) => f.endsWith(".json")).length);
      expect(store.manifest.kind).toBe(kind);
    });

    it("is what its config file resolves to today (the store reopens)", () => {
      const { manifest } = openStore(dir);
      const resolved = loadExperimentConfig(join(projectRoot(), manifest.configFile), manifest.profile).resolved;
      expect(canonicalJson(resolved)).toBe(canonicalJson(manifest.config));
    });

    it("recomputes the committed verdict table byte for byte", () => {
      const copy = join(tmp, "store");
      cpSync(dir, copy, { recursive: true });
      expect(verdictsCsv(copy)).toBe(readFileSync(join(dir, "verdicts.csv"), "utf8"));
    }, 120_000);
  });
}
