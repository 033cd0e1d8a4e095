import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireLock, lockPathFor, withLock } from "../../kernel-lib/util/lock.js";
import { MixlabError } from "../../kernel-lib/util/errors.js";

const root = mkdtempSync(join(tmpdir(), "mixlab-lock-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function codeOf(f: () => unknown): string {
  try { f(); } catch (e) { if (e instanceof MixlabError) return e.code; throw e; }
  return "no error";
}

/** The pid of a process that has exited (a stale lock's holder). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", ""]);
  expect(r.status).toBe(0);
  return r.pid!;
}

describe("directory lock", () => {
  it("lives beside the directory and records pid, host and command", () => {
    const dir = join(root, "a");
    expect(lockPathFor(dir)).toBe(join(root, ".a.lock"));
    const lock = acquireLock(dir, { code: "X_LOCKED", command: "test a" });
    const rec = JSON.parse(readFileSync(lockPathFor(dir), "utf8"));
    expect(rec).toMatchObject({ pid: process.pid, host: hostname(), command: "test a" });
    expect(existsSync(dir)).toBe(false); // the lock does not create the directory itself
    lock.release();
    expect(existsSync(lockPathFor(dir))).toBe(false);
  });

  it("a second holder gets the named error at once, naming the first; after release it gets the lock", () => {
    const dir = join(root, "b");
    const first = acquireLock(dir, { code: "X_LOCKED", command: "first" });
    let message = "";
    try { acquireLock(dir, { code: "X_LOCKED" }); } catch (e) { message = (e as Error).message; expect((e as MixlabError).code).toBe("X_LOCKED"); }
    expect(message).toContain(`pid ${process.pid}`);
    expect(message).toContain("(first)");
    first.release();
    const second = acquireLock(dir, { code: "X_LOCKED" });
    second.release();
  });

  it("a stale lock of a dead pid on this host is taken over, with a message", () => {
    const dir = join(root, "c");
    const pid = deadPid();
    writeFileSync(lockPathFor(dir), JSON.stringify({ pid, host: hostname(), since: "2026-01-01T00:00:00Z", command: "killed", token: "old" }));
    const lines: string[] = [];
    const lock = acquireLock(dir, { code: "X_LOCKED", log: (l) => lines.push(l) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`took over the stale lock`);
    expect(lines[0]).toContain(`pid ${pid}`);
    expect(JSON.parse(readFileSync(lockPathFor(dir), "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("a lock from another host, or an unreadable lock file, is never taken over", () => {
    const dir = join(root, "d");
    writeFileSync(lockPathFor(dir), JSON.stringify({ pid: deadPid(), host: `not-${hostname()}`, since: "x", command: "elsewhere", token: "t" }));
    expect(codeOf(() => acquireLock(dir, { code: "X_LOCKED" }))).toBe("X_LOCKED");
    writeFileSync(lockPathFor(dir), "garbage");
    expect(codeOf(() => acquireLock(dir, { code: "X_LOCKED" }))).toBe("X_LOCKED");
    expect(readFileSync(lockPathFor(dir), "utf8")).toBe("garbage");
  });

  it("release removes only its own lock file; withLock releases on a throw; parents made for the lock go again", async () => {
    const dir = join(root, "e");
    const lock = acquireLock(dir, { code: "X_LOCKED" });
    writeFileSync(lockPathFor(dir), JSON.stringify({ pid: process.pid, host: hostname(), since: "x", command: "another", token: "other" }));
    lock.release();
    expect(existsSync(lockPathFor(dir))).toBe(true); // not ours any more: kept
    rmSync(lockPathFor(dir));
    const deep = join(root, "new", "parents", "f");
    await expect(withLock(deep, { code: "X_LOCKED" }, () => { throw new MixlabError("BOOM", "no"); })).rejects.toMatchObject({ code: "BOOM" });
    expect(existsSync(lockPathFor(deep))).toBe(false);
    expect(existsSync(join(root, "new"))).toBe(false);
    writeFileSync(join(root, "file"), "x");
    expect(codeOf(() => acquireLock(join(root, "file", "g"), { code: "X_LOCKED" }))).toBe("OUT_NOT_A_DIRECTORY");
  });
});
