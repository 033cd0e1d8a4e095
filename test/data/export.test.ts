import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { convertShares, formatMixture, MIXTURE_FORMATS, MIXTURE_SHARES, parseMixture } from "../../kernel-lib/data/export.js";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { main } from "../../kernel-lib/cli/main.js";
import { readMixtureSource } from "../../kernel-lib/cli/commands/mixture.js";
import { fixtureCorpusDir, projectRoot } from "../../kernel-lib/util/paths.js";
import { createRng } from "../../kernel-lib/util/rng.js";

const root = mkdtempSync(join(tmpdir(), "mixlab-export-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const corpus = loadCorpus(fixtureCorpusDir());
const rng = createRng(3);
const m = Mixture.normalised(corpus.domains, corpus.domains.map(() => rng.next() + 0.01));

function close(a: Mixture, b: Mixture, tol = 1e-12): void {
  expect([...a.domains]).toEqual([...b.domains]);
  a.weights.forEach((w, i) => expect(Math.abs(w - b.weights[i])).toBeLessThan(tol));
}

describe("mixture export", () => {
  it("round-trips every format (full precision)", () => {
    for (const f of MIXTURE_FORMATS) close(parseMixture(formatMixture(m, f, { dataPrefix: "/data/pile/" }), f, { dataPrefix: "/data/pile/" }), m);
  });

  it("round-trips every share conversion through the manifest", () => {
    for (const s of MIXTURE_SHARES) close(convertShares(convertShares(m, "token", s, corpus.manifest), s, "token", corpus.manifest), m);
  });

  it("converts shares by the train-split counts: doc share ∝ w · docs / bytes on a byte-level corpus", () => {
    const doc = convertShares(m, "token", "doc", corpus.manifest);
    const raw = corpus.domains.map((d, i) => (m.weights[i] * corpus.info(d).documents.train) / corpus.info(d).bytes.train);
    const sum = raw.reduce((a, b) => a + b, 0);
    raw.forEach((r, i) => expect(doc.weights[i]).toBeCloseTo(r / sum, 12));
    close(convertShares(m, "token", "byte", corpus.manifest), m); // tokens are bytes here
    // the token prior in document shares = each domain's share of train documents
    const prior = Mixture.normalised(corpus.domains, corpus.domains.map((d) => corpus.info(d).bytes.train));
    const docsTotal = corpus.domains.reduce((a, d) => a + corpus.info(d).documents.train, 0);
    convertShares(prior, "token", "doc", corpus.manifest).weights.forEach((w, i) => expect(w).toBeCloseTo(corpus.info(corpus.domains[i]).documents.train / docsTotal, 12));
  });

  it("writes RegMix's YAML layout and reads RegMix's released config_1b files", () => {
    const y = formatMixture(Mixture.fromRecord({ a: 0.25, b: 0.75 }), "regmix-yaml");
    expect(y).toBe("train:\n  train_a: 0.25\n  train_b: 0.75\nvalid:\n  valid_a: 1.0\n  valid_b: 1.0\n");
    const human = parseMixture(readFileSync(join(projectRoot(), "datasets/reference/regmix/config_1b/human.yaml"), "utf8"), "regmix-yaml");
    expect(human.domains).toContain("the_pile_pile_cc");
    expect(human.domains.length).toBe(17);
  });

  it("writes Megatron's --data-path pairs", () => {
    expect(formatMixture(Mixture.fromRecord({ a: 0.25, b: 0.75 }), "megatron", { dataPrefix: "/d/" })).toBe('--data-path "0.25 /d/a_text_document 0.75 /d/b_text_document"\n');
  });

  it("CLI: reads a results dir, a wide CSV row, a chameleon CSV column, and converts shares", async () => {
    const dir = join(root, "res");
    mkdirSync(dir);
    writeFileSync(join(dir, "mixture.json"), JSON.stringify({ mixture: m.toRecord(), target: "mean" }));
    const out = join(root, "m.yaml");
    expect(await main(["mixture", "export", dir, "--format", "regmix-yaml", "--out", out])).toBe(0);
    close(readMixtureSource(out), m);
    const outDoc = join(root, "doc.csv");
    expect(await main(["mixture", "export", dir, "--format", "csv", "--shares", "doc", "--corpus", fixtureCorpusDir(), "--out", outDoc])).toBe(0);
    close(readMixtureSource(outDoc), convertShares(m, "token", "doc", corpus.manifest));
    const wide = join(root, "mixtures.csv");
    writeFileSync(wide, `index,a,b\n0,0.5,0.5\n1,0.2,0.8\n`);
    expect(readMixtureSource(wide, { row: 1 }).get("b")).toBe(0.8);
    const cham = join(root, "cham.csv");
    writeFileSync(cham, `domain,leverage,pt_weight,ft_weight\na,0.4,0.3,0.6\nb,0.6,0.7,0.4\n`);
    expect(readMixtureSource(cham, { column: "pt_weight" }).get("b")).toBeCloseTo(0.7, 15);
    const err: string[] = [];
    const orig = console.error;
    console.error = (s: string) => { err.push(s); };
    try {
      expect(await main(["mixture", "export", wide, "--format", "json"])).toBe(2);
      expect(await main(["mixture", "export", dir, "--format", "xml"])).toBe(2);
      expect(await main(["mixture", "export", dir, "--format", "json", "--shares", "doc"])).toBe(2);
    } finally {
      console.error = orig;
    }
    expect(err[0]).toMatch(/MIXTURE_SOURCE.*--row/);
  });
});
