import { mkdtempSync, readFileSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildCorpus, ensureCorpus, parseBuildArgs } from "../../datasets/build.js";
import { SPLITS } from "../../kernel-lib/data/format.js";
import { verifyCorpusFiles } from "../../datasets/write.js";

const tmp = mkdtempSync(join(tmpdir(), "mixlab-build-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const quiet = (): void => {};
// the two smallest-to-extract real sources (≈2.5 MB tarballs each)
const domains = ["encyclopedic", "legal"];

describe("buildCorpus", () => {
  it("rebuilds byte-identically from the cache without network access", async (ctx) => {
    const first: string[] = [];
    try {
      await buildCorpus({ domains, out: join(tmp, "a"), log: quiet, onFetch: (_p, s) => first.push(s) });
    } catch (e) {
      if ((e as { code?: string }).code === "SOURCE_FETCH_FAILED") return ctx.skip(); // no cache, no registry
      throw e;
    }
    const second: string[] = [];
    const m2 = await buildCorpus({ domains, out: join(tmp, "b"), log: quiet, onFetch: (_p, s) => second.push(s) });
    expect(second).toEqual(["cached", "cached"]); // the second run reads only the cache
    const manifestA = readFileSync(join(tmp, "a", "manifest.json"));
    const manifestB = readFileSync(join(tmp, "b", "manifest.json"));
    expect(manifestB.equals(manifestA)).toBe(true);
    for (const d of m2.domains) {
      for (const s of SPLITS) expect(readFileSync(join(tmp, "b", d.files[s])).equals(readFileSync(join(tmp, "a", d.files[s])))).toBe(true);
      // a real build of these sources is megabytes with a few hundred documents per domain
      expect(d.bytes.train).toBeGreaterThan(3e6);
      expect(d.documents.validation).toBeGreaterThan(5);
      expect(d.documents.test).toBeGreaterThan(5);
    }
    expect(verifyCorpusFiles(join(tmp, "b"), m2, true)).toEqual([]);
  });

  it("ensureCorpus returns a complete corpus as is and rebuilds a damaged one", async (ctx) => {
    const dir = join(tmp, "ensure");
    const fetches: string[] = [];
    try {
      await buildCorpus({ domains: ["legal"], out: dir, log: quiet, fixture: true });
    } catch (e) {
      if ((e as { code?: string }).code === "SOURCE_FETCH_FAILED") return ctx.skip();
      throw e;
    }
    const m = await ensureCorpus(dir, { domains: ["legal"], log: quiet, onFetch: (_p, s) => fetches.push(s) });
    expect(fetches).toEqual([]); // nothing rebuilt
    expect(m.domains.map((d) => d.domain)).toEqual(["legal"]);
    truncateSync(join(dir, "legal", "train.bin"), 10);
    const m2 = await ensureCorpus(dir, { domains: ["legal"], log: quiet, fixture: true, onFetch: (_p, s) => fetches.push(s) });
    expect(fetches).toEqual(["cached"]);
    expect(m2).toEqual(m);
    expect(verifyCorpusFiles(dir, m2, true)).toEqual([]);
  });

  it("rejects unknown domains, research domains without --research, and bad flags", async () => {
    await expect(buildCorpus({ domains: ["klingon"], out: join(tmp, "x"), log: quiet })).rejects.toMatchObject({ code: "UNKNOWN_DOMAIN" });
    await expect(buildCorpus({ domains: ["news"], out: join(tmp, "x"), log: quiet })).rejects.toMatchObject({ code: "RESEARCH_TIER_REQUIRED" });
    expect(() => parseBuildArgs(["--bogus"])).toThrow(expect.objectContaining({ code: "BAD_ARGUMENT" }));
    expect(() => parseBuildArgs(["--math-seed", "abc"])).toThrow(expect.objectContaining({ code: "BAD_ARGUMENT" }));
    const opts = parseBuildArgs(["--domains", "books, legal", "--math-seed", "7", "--fixture", "--out", "/tmp/o"]);
    expect(opts).toMatchObject({ domains: ["books", "legal"], mathSeed: 7, fixture: true, out: "/tmp/o", research: false });
  });
});
