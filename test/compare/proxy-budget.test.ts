// Search cost at one proxy budget (issue 27): every arm against Chameleon's proxy.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dogeArmSearch, proxyBudgetTable, type CompareConfig, type ComparisonArm } from "../../kernel-lib/compare/index.js";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { dogeSpecSchema, runDoge } from "../../kernel-lib/doge/index.js";
import { loadChameleonStudyResults } from "../../kernel-lib/experiment/results.js";
import { chameleonStudySchema, comparisonArmsOf, studyCompareConfig } from "../../kernel-lib/studies/chameleon/index.js";
import { trainRecipeSchema } from "../../kernel-lib/train/recipe.js";
import { corpusDir } from "../../kernel-lib/data/corpus-ref.js";
import { fixtureCorpusDir, projectRoot } from "../../kernel-lib/util/paths.js";

const row = (rows: ReturnType<typeof proxyBudgetTable>, label: string) => rows.find((r) => r.method === label)!;

describe("proxyBudgetTable", () => {
  it("on the committed Chameleon study: DoGE's and DoReMi's batch-26 proxies are not Chameleon's, and cost 26/16 of it", () => {
    const s = loadChameleonStudyResults(join(projectRoot(), "results", "studies", "chameleon"));
    const config = studyCompareConfig(s.config);
    const rows = proxyBudgetTable(config, comparisonArmsOf(s.runs, 0), loadCorpus(corpusDir(s.config.corpus)));
    expect(row(rows, "Chameleon (fitted τ)")["reference proxy"]).toBe("yes");
    expect(Number(row(rows, "Chameleon (fitted τ)")["÷ reference proxy"])).toBeGreaterThan(1); // + the embedding passes
    expect(row(rows, "DoGE")["reference proxy"]).toBe("no");
    // the stored DoGE cost is one 445k proxy of 26 windows per step: exactly 26/16 of Chameleon's 16-window proxy
    expect(row(rows, "DoGE")["÷ reference proxy"]).toBe((26 / 16).toFixed(2));
    expect(row(rows, "RegMix")["reference proxy"]).toBe("no");
    expect(row(rows, "Uniform")["reference proxy"]).toBe("—");
    expect(row(rows, "Uniform")["÷ reference proxy"]).toBe("0.00");
  });

  it("a DoGE proxy with Chameleon's recipe is at the reference budget: 13 of 16 windows per step on 13 domains", async () => {
    const corpus = loadCorpus(fixtureCorpusDir());
    const proxy = trainRecipeSchema().parse({ preset: "tiny", steps: 2, batchSize: 16, seqLen: 16, lr: 3e-3, warmupSteps: 1 });
    const doge = await runDoge(corpus, dogeSpecSchema.parse({ proxy, update: "official" }), 1);
    const config = { methods: ["doge"], chameleon: { proxy }, doge: dogeSpecSchema.parse({ proxy, update: "official" }) } as unknown as CompareConfig;
    const arm = { method: "doge", label: "DoGE", cost: doge.cost, final: { trainFlops: doge.cost.flops } } as unknown as ComparisonArm;
    const [r] = proxyBudgetTable(config, [arm], corpus);
    expect(r["reference proxy"]).toBe("yes");
    expect(r["÷ reference proxy"]).toBe((13 / 16).toFixed(2));
    expect(r.proxies).toBe("proxy tiny 2×13 (batchSize 16)×16");
    // the arm says which update it ran; a paper-form choice carries no such field (stored runs unchanged)
    expect(doge.update).toBe("official");
    expect(dogeArmSearch(doge, 0).label).toBe("DoGE (official update)");
    expect(dogeArmSearch({ ...doge, update: undefined }, 0).label).toBeUndefined();
  }, 60_000);

  it("the Chameleon study accepts DoGE-official at Chameleon's proxy budget (the second edition's arm), and its rows say so", () => {
    const s = loadChameleonStudyResults(join(projectRoot(), "results", "studies", "chameleon"));
    const pre = s.config.pretrain;
    const second = chameleonStudySchema.parse({ ...s.config, pretrain: { ...pre, doge: { proxy: pre.chameleon!.proxy, update: "official" } } });
    expect(second.pretrain.doge!.update).toBe("official");
    const arms = comparisonArmsOf(s.runs, 0);
    const rows = proxyBudgetTable(studyCompareConfig(second), arms, loadCorpus(corpusDir(s.config.corpus)));
    expect(row(rows, "DoGE")["reference proxy"]).toBe("yes");
  });
});
