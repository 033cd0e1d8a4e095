/**
 * `mixlab mixture export` gives no wrong answer with exit 0 (issue 30, case 9) and writes its
 * `--out` atomically or not at all (case 12's EISDIR / leftover .tmp).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatMixture } from "../../kernel-lib/data/export.js";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";
import { expectRefusal, runCli } from "./helpers.js";

const root = mkdtempSync(join(tmpdir(), "mixlab-mixture-safety-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const refuses = (argv: string[], code: string) => expectRefusal(root, argv, code);

describe("mixture export refuses what it would get wrong", () => {
  it("a domain,weight CSV that does not sum to 1 is not rescaled silently (the chameleon column form too)", async () => {
    writeFileSync(join(root, "short.csv"), "domain,weight\nbooks,0.4\nlegal,0.2\n");
    const msg = await refuses(["mixture", "export", join(root, "short.csv"), "--format", "json", "--out", join(root, "m.json")], "MIXTURE_NOT_ON_SIMPLEX");
    expect(msg).toContain("sums to 0.6000000000000001");
    writeFileSync(join(root, "cham.csv"), "domain,leverage,pt_weight\nbooks,0.5,0.3\nlegal,0.5,0.3\n");
    await refuses(["mixture", "export", join(root, "cham.csv"), "--column", "pt_weight", "--format", "json"], "MIXTURE_NOT_ON_SIMPLEX");
    writeFileSync(join(root, "ok.csv"), "domain,weight\nbooks,0.4\nlegal,0.6\n");
    expect((await runCli(["mixture", "export", join(root, "ok.csv"), "--format", "json", "--out", join(root, "ok.json")])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, "ok.json"), "utf8"))).toEqual({ books: 0.4, legal: 0.6 });
  });

  it("with --corpus, a domain the corpus lacks is named for every --shares (not only doc)", async () => {
    writeFileSync(join(root, "nosuch.json"), JSON.stringify({ books: 0.5, nosuch: 0.5 }));
    for (const shares of [[], ["--shares", "token"], ["--shares", "byte"], ["--shares", "doc"]]) {
      const msg = await refuses(["mixture", "export", join(root, "nosuch.json"), "--format", "megatron", "--corpus", fixtureCorpusDir(), ...shares], "MIXTURE_UNKNOWN_DOMAIN");
      expect(msg).toContain('"nosuch"');
    }
  });

  it("a domain with a newline (or ':' in RegMix YAML) cannot inject lines into the output", async () => {
    writeFileSync(join(root, "inject.json"), JSON.stringify({ mixture: { "books: 0.0\nvalid:\n  valid_x": 0.5, legal: 0.5 } }));
    for (const format of ["regmix-yaml", "csv", "json", "nanogpt", "megatron"]) {
      await refuses(["mixture", "export", join(root, "inject.json"), "--format", format, "--out", join(root, `inject.${format}`)], "EXPORT_BAD_DOMAIN");
    }
    expect(() => formatMixture(Mixture.fromRecord({ "a:b": 0.5, c: 0.5 }), "regmix-yaml")).toThrow(expect.objectContaining({ code: "EXPORT_BAD_DOMAIN" }));
    expect(formatMixture(Mixture.fromRecord({ "a:b": 0.5, c: 0.5 }), "json")).toContain('"a:b": 0.5');
  });

  it("--out naming a directory, or a path through a file, is a named error and leaves no .tmp", async () => {
    mkdirSync(join(root, "adir"));
    await refuses(["mixture", "export", join(root, "ok.csv"), "--format", "json", "--out", join(root, "adir")], "OUT_IS_A_DIRECTORY");
    await refuses(["mixture", "export", join(root, "ok.csv"), "--format", "json", "--out", join(root, "ok.csv", "x.json")], "OUT_NOT_A_DIRECTORY");
  });
});
