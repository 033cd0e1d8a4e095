/** `mixlab chameleon weights` through its exported run(): temp files in, CSV on stdout, exit codes. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { chameleonWeights } from "../../kernel-lib/chameleon/index.js";
import { run } from "../../kernel-lib/cli/commands/chameleon.js";
import { main } from "../../kernel-lib/cli/main.js";
import { randomEmbeddings, referencePath, workedExample } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "mixlab-chameleon-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Run the command, capturing what it writes to stdout and stderr. */
async function capture(argv: string[], entry: (a: string[]) => Promise<number> = run) {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const errLog = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void (stderr += a.join(" ") + "\n"));
  try {
    const code = await entry(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    errLog.mockRestore();
  }
}

function parseOutput(csv: string): { header: string[]; rows: Record<string, number[]> } {
  const [head, ...lines] = csv.trim().split("\n");
  const rows: Record<string, number[]> = {};
  for (const l of lines) {
    const [d, ...v] = l.split(",");
    rows[d] = v.map(Number);
  }
  return { header: head.split(","), rows };
}

describe("mixlab chameleon weights", () => {
  it("--kernel on the figure matrix reproduces the worked example (1e-3) and --out writes the same CSV", async () => {
    const out = join(dir, "sub", "w.csv");
    const r = await capture(["weights", "--kernel", referencePath("pipeline_figure_affinity_matrix.csv"), "--out", out]);
    expect(r.code).toBe(0);
    const { header, rows } = parseOutput(r.stdout);
    expect(header).toEqual(["domain", "leverage", "pt_weight", "ft_weight"]);
    const ref = workedExample();
    expect(Object.keys(rows)).toEqual(ref.domains);
    ref.domains.forEach((d, i) => {
      expect(Math.abs(rows[d][0] - ref.rows.krls_normalized[i])).toBeLessThan(1e-3);
      expect(Math.abs(rows[d][1] - ref.rows.weights_pretrain_tau5[i])).toBeLessThan(1e-3);
      expect(Math.abs(rows[d][2] - ref.rows["weights_finetune_tau0.2"][i])).toBeLessThan(1e-3);
    });
    expect(readFileSync(out, "utf8")).toBe(r.stdout);
    expect(readdirSync(join(dir, "sub"))).toEqual(["w.csv"]); // no temp file left behind
  });

  it("--embeddings gives full-precision numbers equal to the library call; flags reach the options", async () => {
    const X = randomEmbeddings(5, 4, 99);
    const domains = ["web", "code", "math", "books", "wiki"];
    const p = file("X.csv", "domain,e1,e2,e3,e4\n" + X.map((r, i) => [domains[i], ...Array.from(r, (v) => v.toPrecision(17))].join(",")).join("\n") + "\n");
    const r = await capture(["weights", "--embeddings", p, "--lambda", "2", "--tau-pt", "3", "--tau-ft", "0.5"]);
    expect(r.code).toBe(0);
    const lib = chameleonWeights({ domains, embeddings: X }, { lambda: 2, tauPt: 3, tauFt: 0.5 });
    const { rows } = parseOutput(r.stdout);
    domains.forEach((d, i) => {
      expect(rows[d][0]).toBe(lib.leverage[i]);
      expect(rows[d][1]).toBe(lib.ptWeights[i]);
      expect(rows[d][2]).toBe(lib.ftWeights[i]);
    });
    const defaults = parseOutput((await capture(["weights", "--embeddings", p])).stdout);
    expect(defaults.rows.web[1]).not.toBe(rows.web[1]); // the flags changed something
  });

  it("a kernel CSV may use a `domain` first column; main() dispatches to the command", async () => {
    const p = file("K.csv", "domain,a,b,c\na,2,1,0\nb,1,2,1\nc,0,1,2\n");
    const r = await capture(["chameleon", "weights", "--kernel", p], main);
    expect(r.code).toBe(0);
    const { rows } = parseOutput(r.stdout);
    expect(Object.keys(rows)).toEqual(["a", "b", "c"]);
    // symmetric ends a and c get equal weights
    expect(rows.a[1]).toBeCloseTo(rows.c[1], 14);
  });

  const bad: [string, string, () => string[]][] = [
    ["no subcommand flags", "BAD_ARGS", () => ["weights"]],
    ["both inputs", "BAD_ARGS", () => ["weights", "--kernel", file("k1.csv", "domain,a,b\na,1,0\nb,0,1\n"), "--embeddings", file("x1.csv", "domain,e\na,1\nb,2\n")]],
    ["unknown flag", "BAD_ARGS", () => ["weights", "--kernel", "x.csv", "--temperature", "3"]],
    ["unknown subcommand", "UNKNOWN_SUBCOMMAND", () => ["leverage"]],
    ["missing file", "FILE_NOT_FOUND", () => ["weights", "--embeddings", join(dir, "nope.csv")]],
    ["non-numeric lambda", "BAD_ARGS", () => ["weights", "--embeddings", file("x2.csv", "domain,e\na,1\nb,2\n"), "--lambda", "ten"]],
    ["lambda ≤ 0", "BAD_LAMBDA", () => ["weights", "--embeddings", file("x3.csv", "domain,e\na,1\nb,2\n"), "--lambda", "0"]],
    ["tau ≤ 0", "BAD_TEMPERATURE", () => ["weights", "--embeddings", file("x4.csv", "domain,e\na,1\nb,2\n"), "--tau-ft=-1"]],
    ["NaN cell", "CSV_NOT_NUMERIC", () => ["weights", "--embeddings", file("x5.csv", "domain,e1,e2\na,1,NaN\nb,2,3\n")]],
    ["empty cell", "CSV_NOT_NUMERIC", () => ["weights", "--embeddings", file("x6.csv", "domain,e1,e2\na,1,\nb,2,3\n")]],
    ["ragged row", "CSV_MALFORMED", () => ["weights", "--embeddings", file("x7.csv", "domain,e1,e2\na,1,2\nb,2\n")]],
    ["wrong first column", "CSV_MISSING_COLUMN", () => ["weights", "--embeddings", file("x8.csv", "name,e1\na,1\nb,2\n")]],
    ["header only", "CSV_EMPTY", () => ["weights", "--embeddings", file("x9.csv", "domain,e1\n")]],
    ["one domain", "TOO_FEW_DOMAINS", () => ["weights", "--embeddings", file("x10.csv", "domain,e1\na,1\n")]],
    ["duplicate domain", "DUPLICATE_DOMAIN", () => ["weights", "--embeddings", file("x11.csv", "domain,e1\na,1\na,2\nb,0\n")]],
    ["identical embeddings", "DEGENERATE_KERNEL", () => ["weights", "--embeddings", file("x12.csv", "domain,e1\na,1\nb,1\n")]],
    ["kernel not square", "KERNEL_NOT_SQUARE", () => ["weights", "--kernel", file("k2.csv", "domain,a,b\na,1,0\nb,0,1\nc,0,0\n")]],
    ["kernel labels out of order", "KERNEL_LABEL_MISMATCH", () => ["weights", "--kernel", file("k3.csv", "domain,b,a\na,1,0\nb,0,1\n")]],
    ["kernel not symmetric", "KERNEL_NOT_SYMMETRIC", () => ["weights", "--kernel", file("k4.csv", "row_domain,a,b\na,2,1\nb,0,2\n")]],
  ];
  it.each(bad)("bad input: %s → exit 2, error[%s]", async (_label, code, argv) => {
    const r = await capture(argv());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[${code}]`);
    expect(r.stdout).toBe("");
  });

  it("bad input through main() is also exit 2", async () => {
    const r = await capture(["chameleon", "weights", "--kernel", file("k5.csv", "domain,a\na,1\n")], main);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error[TOO_FEW_DOMAINS]");
  });
});
