import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { main } from "../../kernel-lib/cli/main.js";
import { parseCsv } from "../../kernel-lib/util/csv.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";

const K = join(projectRoot(), "datasets/reference/chameleon/pipeline_figure_affinity_matrix.csv");

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const [w, e] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
  try { return { code: await main(argv), out, err }; } finally { [process.stdout.write, process.stderr.write] = [w, e]; }
}

describe("chameleon weights --pt-weight-ratio", () => {
  it("adds the fitted-τ column beside the official one: max/min = R, same order, official column unchanged", async () => {
    const plain = await capture(["chameleon", "weights", "--kernel", K]);
    const fit = await capture(["chameleon", "weights", "--kernel", K, "--pt-weight-ratio", "3"]);
    expect(plain.code).toBe(0);
    expect(fit.code).toBe(0);
    const a = parseCsv(plain.out);
    const b = parseCsv(fit.out);
    expect(b.header).toEqual([...a.header, "pt_weight_fitted"]);
    b.rows.forEach((r, i) => expect(r.slice(0, 4)).toEqual(a.rows[i]));
    const w = b.rows.map((r) => Number(r[4]));
    expect(Math.max(...w) / Math.min(...w)).toBeCloseTo(3, 9);
    expect(w.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    const official = a.rows.map((r) => Number(r[2]));
    const order = (v: number[]) => v.map((_, i) => i).sort((i, j) => v[i] - v[j]);
    expect(order(w)).toEqual(order(official));
    expect(fit.err).toMatch(/fitted τ_pt = /);
    expect((await capture(["chameleon", "weights", "--kernel", K, "--pt-weight-ratio", "1"])).code).toBe(2);
  });
});
