// The README's headline table (issue 25 part 5) is generated from the committed studies'
// verdicts.csv and scale.csv: the block in README.md must equal what headlineBlock() gives now,
// so a recomputed verdict that the README does not show fails here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HEADLINE_BEGIN, HEADLINE_END, HEADLINE_STUDIES, headlineBlock, headlineValue, spliceHeadline, studyScale } from "../../kernel-lib/studies/headline.js";
import { parseCsv } from "../../kernel-lib/util/csv.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";

const root = projectRoot();

describe("the README headline table", () => {
  it("equals what headlineBlock() generates from the committed verdicts.csv and scale.csv", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const a = readme.indexOf(HEADLINE_BEGIN), b = readme.indexOf(HEADLINE_END);
    expect(a, "README.md has no headline block (npm run readme:headline)").toBeGreaterThanOrEqual(0);
    expect(readme.slice(a, b + HEADLINE_END.length)).toBe(headlineBlock(root));
  });

  it("has one row per claim of every study, each with the verdict word of its verdicts.csv", () => {
    const block = headlineBlock(root);
    for (const s of HEADLINE_STUDIES) {
      const t = parseCsv(readFileSync(join(root, s.store, "verdicts.csv"), "utf8"));
      const rows = block.split("\n").filter((l) => l.startsWith(`| [${s.name}](${s.notebook}) |`));
      expect(rows.length).toBe(t.rows.length);
      rows.forEach((l, i) => expect(l).toContain(`| **${t.rows[i][t.header.indexOf("verdict")]}** |`));
    }
  });

  it("sits above the quick start (above the fold)", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    expect(readme.indexOf(HEADLINE_BEGIN)).toBeLessThan(readme.indexOf("## Quick start"));
  });
});

describe("headline cells", () => {
  it("drops the Holm step annotations and cuts a long value at a separator", () => {
    expect(headlineValue("vs a: 0.1 [0.0, 0.2] (97.5 %, Holm p = 0.43); vs b: -1 [-2, -0.5] (95.0 %)")).toBe("vs a: 0.1 [0.0, 0.2]; vs b: -1 [-2, -0.5]");
    const long = Array.from({ length: 30 }, (_, i) => `part ${i} [0, 1]`).join("; ");
    const cut = headlineValue(long);
    expect(cut.endsWith(" …")).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(202);
    expect(long.startsWith(cut.slice(0, -2))).toBe(true);
  });

  it("summarises scale.csv: models summed, parameter and token ranges", () => {
    const csv = "rung,parameters,training_tokens,tokens_per_parameter,models\na,100096,512000,5.1,368\nb,991616,2048000,2.1,36\n";
    expect(studyScale(csv)).toBe("404 models: 100k–992k params, 512k–2.05M bytes");
  });

  it("refuses a README without the markers (named error), and replaces only the block", () => {
    expect(() => spliceHeadline("# x\n", "block")).toThrow(/HEADLINE_NO_MARKERS|markers/);
    expect(spliceHeadline(`a\n${HEADLINE_BEGIN}\nold\n${HEADLINE_END}\nb`, "NEW")).toBe("a\nNEW\nb");
  });
});
