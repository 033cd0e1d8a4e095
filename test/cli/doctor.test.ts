import { afterEach, describe, expect, it, vi } from "vitest";
import { formatDoctorReport, gatherDoctorReport, run, type DoctorReport } from "../../kernel-lib/cli/commands/doctor.js";
import { chooseEngine } from "../../kernel-lib/model/backend.js";
import { fusedEngineAvailable, nativeEngineCheck } from "../../kernel-lib/model/engine-fused.js";
import { adapterSummary, probeWebgpu } from "../../kernel-lib/model/webgpu.js";

const NAMES = ["tfjs-node-gpu", "tfjs-node", "webgpu", "fused-native", "fused-wasm", "tfjs-wasm", "tfjs-cpu"];

afterEach(() => vi.restoreAllMocks());

/** throughput invariants that a wrong timer or a broken model would break */
function checkThroughput(r: DoctorReport): void {
  for (const t of r.throughput) {
    expect(t.tokensPerSecond).toBeGreaterThan(0);
    // with 2 timed steps the median is the mean, so tokens/s = B·T·1000 / (ms/step) exactly
    if (t.steps === 2) expect(t.tokensPerSecond).toBeCloseTo((t.B * t.T * 1000) / t.msPerStep, 6);
    // a freshly initialised byte model on random bytes predicts ≈ uniformly: loss ≈ ln 256
    expect(Math.abs(t.lastLoss - Math.log(256))).toBeLessThan(0.3);
  }
}

describe("mixlab doctor", () => {
  it("reports the auto choice, every backend, and the chosen engine's throughput", async () => {
    const r = await gatherDoctorReport({ steps: 2, batch: 2, seq: 16 });
    expect(r.node).toBe(process.version);
    expect(r.choice.engine).toBe((await chooseEngine()).engine);
    expect(r.backends.map((b) => b.name)).toEqual(NAMES);
    const byName = Object.fromEntries(r.backends.map((b) => [b.name, b]));
    expect(byName["fused-wasm"].available).toBe(fusedEngineAvailable());
    expect(byName["fused-native"].available).toBe(nativeEngineCheck().ok);
    // WebGPU is opt-in: auto never picks it
    expect(r.choice.engine === "tfjs-webgpu").toBe(process.env.MIXLAB_BACKEND === "webgpu");
    if (byName.webgpu.available) expect(byName.webgpu.detail).toContain("MIXLAB_BACKEND=webgpu");
    if (!process.env.MIXLAB_BACKEND) expect(r.choice.engine).toBe(nativeEngineCheck().ok ? "fused-native" : "fused-wasm");
    expect(byName["tfjs-cpu"].available).toBe(true);
    const gpu = await probeWebgpu();
    expect(byName.webgpu.available).toBe(gpu.available);
    if (gpu.adapter) {
      expect(byName.webgpu.detail).toContain(adapterSummary(gpu.adapter));
      expect(byName.webgpu.detail.startsWith(gpu.adapter.software ? "software" : "hardware")).toBe(true);
    }
    expect(r.throughput.map((t) => t.engine)).toEqual([r.choice.engine]);
    checkThroughput(r);
    const text = formatDoctorReport(r);
    expect(text).toContain(`engine      ${r.choice.engine}`);
    for (const n of NAMES) expect(text).toMatch(new RegExp(`^  ${n} +(yes|no )`, "m"));
    expect(text).toMatch(/tokens\/s/);
  });

  it("--all times every available backend (webgpu included when an adapter exists)", async () => {
    const logs: string[] = [];
    vi.spyOn(console, "log").mockImplementation((s: unknown) => void logs.push(String(s)));
    expect(await run(["--all", "--json", "--steps", "2", "--batch", "1", "--seq", "8"])).toBe(0);
    const r = JSON.parse(logs.join("\n")) as DoctorReport;
    const expected = r.backends.filter((b) => b.available).map((b) => b.info!.engine);
    expect(r.throughput.map((t) => t.engine)).toEqual(expected);
    expect(expected).toContain("tfjs-cpu");
    checkThroughput(r);
  }, 120_000);

  it("rejects bad flags with a MixlabError", async () => {
    await expect(run(["--steps", "0"])).rejects.toMatchObject({ code: "BAD_FLAG" });
    await expect(run(["--seq", "999"])).rejects.toMatchObject({ code: "TRAIN_BAD_CONFIG" });
  });
});
