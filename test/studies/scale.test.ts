// scale.csv (issue 25 part 3): one row per model size × training length a study trains. A
// hand-counted tiny model, the grouping rules, and each committed store's scale.csv equal to what
// the study's plan gives (so a miscounted stage, or a stale file, fails).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openCorpusRef } from "../../kernel-lib/data/corpus-ref.js";
import { loadChameleonStudyResults, loadMergeMixStudyResults, loadRegmixStudyResults } from "../../kernel-lib/experiment/results.js";
import { studyTasks as chameleonTasks } from "../../kernel-lib/studies/chameleon/plan.js";
import { studyTrainings as chameleonTrainings } from "../../kernel-lib/studies/chameleon/scale.js";
import { studyTasks as mergemixTasks } from "../../kernel-lib/studies/mergemix/plan.js";
import { studyTrainings as mergemixTrainings } from "../../kernel-lib/studies/mergemix/scale.js";
import { studyTasks as regmixTasks } from "../../kernel-lib/studies/regmix/plan.js";
import { studyTrainings as regmixTrainings } from "../../kernel-lib/studies/regmix/scale.js";
import { loadPaperScale, scaleComparison } from "../../kernel-lib/studies/paper-scale.js";
import { scaleCsv, scaleRows } from "../../kernel-lib/studies/scale.js";
import { defaultCorpusDir, projectRoot } from "../../kernel-lib/util/paths.js";

const tiny = { preset: "tiny" as const, steps: 500, batchSize: 16, seqLen: 64 };

describe("scaleRows", () => {
  it("counts non-embedding parameters and steps × batch × T tokens (tiny by hand: 100,096 and 512,000)", () => {
    // tiny: d 64, MLP 256, 2 blocks; per block LN 128 + QKV 64·192+192 + proj 64·64+64 + LN 128
    // + fc 64·256+256 + fc2 256·64+64 = 49,984; 2 blocks + final LN 128 = 100,096
    const [r] = scaleRows([{ stage: "sweep", recipe: tiny }]);
    expect(r).toEqual({ rung: "tiny, 500 × 16 × 64 (sweep)", parameters: 100_096, training_tokens: 512_000, tokens_per_parameter: 512_000 / 100_096, models: 1 });
  });

  it("merges one size × length across stages, keeps other lengths apart, and counts a continued model's base tokens", () => {
    const rows = scaleRows([
      { stage: "sweep", recipe: tiny }, { stage: "seed repeats", recipe: tiny }, { stage: "sweep", recipe: tiny },
      { stage: "4× tokens", recipe: { ...tiny, steps: 2000 } },
      { stage: "experts", recipe: { ...tiny, steps: 100 }, continues: tiny },
    ]);
    expect(rows.map((r) => [r.rung, r.training_tokens, r.models])).toEqual([
      ["tiny, 500 × 16 × 64 (sweep, seed repeats)", 512_000, 3],
      ["tiny, 2000 × 16 × 64 (4× tokens)", 2_048_000, 1],
      ["tiny, 500 × 16 × 64 then 100 × 16 × 64 continued (experts)", 614_400, 1],
    ]);
    expect(scaleCsv(rows).split("\n")[0]).toBe("rung,parameters,training_tokens,tokens_per_parameter,models");
  });
});

const store = (name: string) => join(projectRoot(), "results", "studies", name);
// the plans open the corpus the stores were trained on: skipped on a clone that has not built it (npm run data)
const corpusBuilt = existsSync(join(defaultCorpusDir(), "manifest.json"));
const has = (name: string) => corpusBuilt && existsSync(join(store(name), "manifest.json")) && existsSync(join(store(name), "scale.csv"));
const committed = (name: string) => readFileSync(join(store(name), "scale.csv"), "utf8");

describe.skipIf(!has("regmix"))("the RegMix store's scale.csv", () => {
  it("is what the plan gives: every task one model (460), the 1M scale and the finals one rung", () => {
    const r = loadRegmixStudyResults(store("regmix"));
    const rows = scaleRows(regmixTrainings(r.config, regmixTasks(r.config, r.domains, r.prior, r.seed), r.seed));
    expect(rows.reduce((s, x) => s + x.models, 0)).toBe(460);
    expect(rows.find((x) => x.rung.includes("final models"))!.models).toBe(24 + 12);
    expect(scaleCsv(rows)).toBe(committed("regmix"));
  });
});

describe.skipIf(!has("chameleon"))("the Chameleon store's scale.csv", () => {
  it("is what the plan gives: 128 tasks, 139 models (DoReMi's reference and proxy, each finetuning repeat a base and two finetunes)", () => {
    const r = loadChameleonStudyResults(store("chameleon"));
    const rows = scaleRows(chameleonTrainings(r.config, chameleonTasks(r.config, openCorpusRef(r.config.corpus), r.seed)));
    expect(rows.reduce((s, x) => s + x.models, 0)).toBe(128 + 1 + 2 * 5);
    expect(scaleCsv(rows)).toBe(committed("chameleon"));
  });
});

describe.skipIf(!has("mergemix"))("the MergeMix store's scale.csv", () => {
  it("is what the plan gives (merges and searches train nothing), and the 1M finals table is finals-larger.csv", () => {
    const r = loadMergeMixStudyResults(store("mergemix"));
    const rows = scaleRows(mergemixTrainings(r.config, mergemixTasks(r.config, openCorpusRef(r.config.corpus), r.seed)));
    expect(rows.map((x) => x.models)).toEqual([1, 13 + 4 + 48, 5 * 8, 4 * 6]);
    expect(scaleCsv(rows)).toBe(committed("mergemix"));
    expect(readFileSync(join(store("mergemix"), "finals-larger.csv"), "utf8").split("\n")[0]).toMatch(/^arm,seeds,judge utility/);
  });
});

describe("the paper's scale beside the study's", () => {
  it("reads each method's paper-scale.json; RegMix's abstract: 512 × 1M parameters × 1B tokens, 1B × 25B", () => {
    const r = loadPaperScale("regmix");
    expect(r.rungs.slice(0, 2).map((x) => [x.parameters, x.training_tokens, x.models, x.verified])).toEqual([[1e6, 1e9, 512, true], [1e9, 25e9, 64, true]]);
    for (const m of ["chameleon", "mergemix"] as const) expect(loadPaperScale(m).rungs.length).toBeGreaterThan(0);
  });

  it("puts the paper's rungs first, computes tokens per parameter (1,000 for 1B tokens on 1M) and marks what is not verified", () => {
    const t = scaleComparison(loadPaperScale("regmix"), scaleRows([{ stage: "sweep", recipe: tiny }]), { tokenizer: "bytes", domains: 13, seeds: "1" });
    expect(t.rungs[0]).toMatchObject({ side: "paper", parameters: "1,000,000", "training tokens": "1,000,000,000", "tokens per parameter": "1,000", models: "512" });
    expect(t.rungs.at(-1)).toMatchObject({ side: "this study", parameters: "100,096", "training tokens": "512,000", "tokens per parameter": "5.12", models: "1" });
    expect(t.settings.find((s) => s.setting === "tokenizer")!.paper).toMatch(/^not verified/);
    const cham = scaleComparison(loadPaperScale("chameleon"), [], { tokenizer: "bytes", domains: 13, seeds: "5" });
    expect(cham.rungs[0].source).toMatch(/^\(not verified\) /);
    expect(cham.rungs[1]["tokens per parameter"]).toBe("not verified");
  });
});
