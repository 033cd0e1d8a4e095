/**
 * The shipped copy of Olmix's DCLM swarm (datasets/reference/olmix): the CSVs hash to the
 * sha256 of SOURCE.md, the derived domain table and families agree with the copied
 * dclm_baseline.yaml, and the loader gives 127 runs × 24 domains with families of 7/19/27.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOlmixDclmSwarm, olmixReferenceDir } from "../../kernel-lib/olmix/released.js";
import { familyTargets } from "../../kernel-lib/regression/swarm.js";

const dir = olmixReferenceDir();
const read = (f: string) => readFileSync(join(dir, f), "utf8");

/** `key:` blocks of the yaml's `priors` section → name → number (the file's plain layout). */
function yamlBlock(yaml: string, key: string): Record<string, number> {
  const m = new RegExp(`\\n  ${key}:\\n((?:    [a-z_]+: [0-9._]+\\n)+)`).exec(yaml);
  if (!m) throw new Error(`no ${key} block`);
  return Object.fromEntries(m[1].trim().split("\n").map((l) => { const [k, v] = l.trim().split(": "); return [k, Number(v.replace(/_/g, ""))]; }));
}

describe("datasets/reference/olmix", () => {
  it("the CSVs are the recorded bytes", () => {
    const source = read("SOURCE.md");
    for (const f of ["dclm_ratios.csv", "dclm_metrics.csv", "dclm_baseline.yaml"]) {
      const sha = createHash("sha256").update(readFileSync(join(dir, f))).digest("hex");
      expect(source).toContain(`${f} ${sha}`);
    }
  });

  it("dclm_domains.csv and dclm_families.json agree with dclm_baseline.yaml", () => {
    const yaml = read("dclm_baseline.yaml");
    const tokens = yamlBlock(yaml, "token_counts");
    const rel = yamlBlock(yaml, "relative_sizes");
    const { swarm, availableTokens, prior, families } = loadOlmixDclmSwarm();
    expect(availableTokens).toEqual(tokens);
    const relSum = Object.values(rel).reduce((a, b) => a + b, 0);
    swarm.domains.forEach((d, j) => expect(prior.weights[j]).toBeCloseTo(rel[d] / relSum, 15));
    // the yaml's families, with qa's 57 MMLU subjects left out (what Olmix's fit averages)
    const listed: Record<string, string[]> = {};
    let fam = "";
    for (const line of yaml.split("tasks:\n")[1].split("\n")) {
      const head = /^    ([a-z]+):$/.exec(line), item = /^      - "(.*)"$/.exec(line);
      if (head) listed[(fam = head[1])] = [];
      else if (item) listed[fam].push(item[1]);
      else break;
    }
    expect(Object.keys(listed)).toEqual(["math", "code", "qa"]);
    expect(families.math).toEqual(listed.math);
    expect(families.code).toEqual(listed.code);
    expect(listed.qa.length).toBe(84);
    expect(families.qa).toEqual(listed.qa.filter((t) => !t.startsWith("mmlu_")));
  });

  it("loads 127 runs × 24 domains and the three family targets", () => {
    const { swarm, families } = loadOlmixDclmSwarm();
    expect(swarm.runs.length).toBe(127);
    expect(swarm.domains.length).toBe(24);
    expect(swarm.metrics.length).toBe(110);
    const t = familyTargets(swarm, families);
    expect(t.names).toEqual(["math", "code", "qa"]);
    expect(Object.values(families).map((f) => f.length)).toEqual([7, 19, 27]);
    // math: the mean of the 7 minerva_math columns of the first run
    const first = families.math.reduce((s, m) => s + swarm.values[m][0], 0) / 7;
    expect(t.values.math[0]).toBeCloseTo(first, 14);
  });
});
