import { describe, expect, it } from "vitest";
import { heatmap, histogram, lossCurves, scatterFit, linearFit, ternary, weightBars, type BarTrace, type HeatmapTrace, type ScatterTernaryTrace, type ScatterTrace } from "../../kernel-lib/viz/index.js";
import { Mixture } from "../../kernel-lib/data/mixture.js";

describe("scatterFit", () => {
  it("plots the points, the least-squares line over the x range, and ρ in the title", () => {
    const x = new Float64Array([0, 1, 2, 3]);
    const y = [1.1, 2.9, 4.9, 7.1];
    const fig = scatterFit(x, y, { title: "proxy vs target", rho: 0.91234, xLabel: "proxy", yLabel: "target", labels: ["a", "b", "c", "d"] });
    const [pts, line] = fig.data as ScatterTrace[];
    expect(pts.x).toEqual([0, 1, 2, 3]);
    expect(Array.isArray(pts.x)).toBe(true); // plain array, not Float64Array (JSON-safe)
    expect(pts.y).toEqual(y);
    expect(pts.text).toEqual(["a", "b", "c", "d"]);
    // x̄ = 1.5, ȳ = 4; Sxy = (−1.5)(−2.9)+(−0.5)(−1.1)+(0.5)(0.9)+(1.5)(3.1) = 4.35+0.55+0.45+4.65 = 10; Sxx = 5
    expect(line.x).toEqual([0, 3]);
    expect(line.y[0]).toBeCloseTo(1, 12); // intercept = 4 − 2·1.5
    expect(line.y[1]).toBeCloseTo(7, 12);
    expect(fig.layout.title?.text).toBe("proxy vs target (ρ = 0.912)");
    expect(fig.layout.xaxis?.title?.text).toBe("proxy");
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig); // round-trips through JSON unchanged
  });

  it("draws y = x over the joint range in identity mode, nothing in none mode", () => {
    const id = scatterFit([1, 2], [0.5, 3], { line: "identity" }).data[1] as ScatterTrace;
    expect(id.x).toEqual([0.5, 3]);
    expect(id.y).toEqual([0.5, 3]);
    expect(scatterFit([1, 2], [1, 2], { line: "none" }).data).toHaveLength(1);
    expect(scatterFit([1, 2], [1, 2]).layout.title).toBeUndefined();
  });

  it("linearFit recovers an exact line and rejects degenerate / mismatched input", () => {
    const f = linearFit([0, 1, 2], [1, 3, 5]);
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.intercept).toBeCloseTo(1, 12);
    expect(() => linearFit([1, 1], [1, 2])).toThrow(/distinct/);
    expect(() => scatterFit([1, 2, 3], [1, 2])).toThrow(/lengths differ/);
    expect(() => scatterFit([1, NaN], [1, 2])).toThrow(/x\[1\] is NaN/);
  });
});

describe("histogram", () => {
  it("passes values through, one trace per series, overlaid", () => {
    const one = histogram(new Float32Array([0.5, 1.5, 1.5]), { bins: 10, xLabel: "loss" });
    expect(one.data).toHaveLength(1);
    expect(one.data[0]).toMatchObject({ type: "histogram", x: [0.5, 1.5, 1.5], nbinsx: 10 });
    const two = histogram([{ name: "a", values: [1, 2] }, { name: "b", values: [3] }]);
    expect(two.data.map((t) => t.name)).toEqual(["a", "b"]);
    expect(two.layout.barmode).toBe("overlay");
    expect(() => histogram([1], { bins: 0 })).toThrow(/bins/);
  });
});

describe("weightBars", () => {
  it("aligns every mixture to the same domain order, missing domains as 0", () => {
    const prior = Mixture.fromRecord({ books: 0.2, code: 0.5, math: 0.3 });
    const fig = weightBars([
      { name: "prior", weights: prior },
      { name: "regmix", weights: { math: 0.6, books: 0.4 } },
      { name: "raw", weights: [0.1, 0.1, 0.8] },
    ], { domains: ["math", "books", "code"], title: "weights" });
    const [a, b, c] = fig.data as BarTrace[];
    expect(a.x).toEqual(["math", "books", "code"]);
    expect(a.y).toEqual([0.3, 0.2, 0.5]);
    expect(b.y).toEqual([0.6, 0.4, 0]);
    expect(c.y).toEqual([0.1, 0.1, 0.8]); // bare arrays follow opts.domains
    expect(a.text).toEqual(["0.30", "0.20", "0.50"]);
    expect(fig.layout.barmode).toBe("group");
  });

  it("takes the domain order from the first series and names bad input", () => {
    const fig = weightBars([{ name: "m", weights: { b: 0.5, a: 0.5 } }, { name: "n", weights: { c: 1 } }]);
    expect((fig.data[0] as BarTrace).x).toEqual(["b", "a", "c"]);
    expect((fig.data[1] as BarTrace).y).toEqual([0, 0, 1]);
    expect(() => weightBars([{ name: "m", weights: [0.5, 0.5] }])).toThrow(/opts.domains/);
    expect(() => weightBars([{ name: "m", weights: { z: 1 } }], { domains: ["a"] })).toThrow(/"z"/);
  });
});

describe("heatmap", () => {
  it("keeps z row-major with labels, rows top-down, values annotated", () => {
    const z = [new Float64Array([1, 0.25]), new Float64Array([0.25, 1])];
    const fig = heatmap(z, { xLabels: ["a", "b"], yLabels: ["a", "b"], title: "affinity", digits: 3 });
    const t = fig.data[0] as HeatmapTrace;
    expect(t.z).toEqual([[1, 0.25], [0.25, 1]]);
    expect(t.x).toEqual(["a", "b"]);
    expect(t.texttemplate).toBe("%{z:.3f}");
    expect(fig.layout.yaxis?.autorange).toBe("reversed");
    expect(() => heatmap([[1, 2]], { xLabels: ["a"], yLabels: ["r"] })).toThrow(/row 0 has 2/);
    expect(() => heatmap([[1]], { xLabels: ["a"], yLabels: ["r", "s"] })).toThrow(/1 rows but 2 yLabels/);
  });
});

describe("ternary", () => {
  it("splits each point into a/b/c, colours by value, adds highlighted markers", () => {
    const fig = ternary([[0.2, 0.3, 0.5], new Float64Array([1, 0, 0])], {
      labels: ["books", "code", "math"], values: [3.1, 2.9], colorTitle: "loss",
      markers: [{ name: "best", point: [0.1, 0.1, 0.8] }],
    });
    const [pts, best] = fig.data as ScatterTernaryTrace[];
    expect(pts.a).toEqual([0.2, 1]);
    expect(pts.b).toEqual([0.3, 0]);
    expect(pts.c).toEqual([0.5, 0]);
    expect(pts.marker?.color).toEqual([3.1, 2.9]);
    expect(best).toMatchObject({ name: "best", a: [0.1], b: [0.1], c: [0.8] });
    expect((fig.layout.ternary?.aaxis as { title: { text: string } }).title.text).toBe("books");
    expect(() => ternary([[0.5, 0.5]], { labels: ["a", "b", "c"] })).toThrow(/3/);
    expect(() => ternary([[1, -0.1, 0.1]], { labels: ["a", "b", "c"] })).toThrow(/negative/);
    expect(() => ternary([[1, 0, 0]], { labels: ["a", "b", "c"], values: [1, 2] })).toThrow(/1 points but 2 values/);
  });
});

describe("lossCurves", () => {
  it("uses given steps or 0..n-1, log axis on request", () => {
    const fig = lossCurves([
      { name: "train", values: new Float32Array([4, 3, 2.5]) },
      { name: "val", steps: [0, 10], values: [4.2, 3.3] },
    ], { logY: true });
    const [a, b] = fig.data as ScatterTrace[];
    expect(a.x).toEqual([0, 1, 2]);
    expect(a.y).toEqual([4, 3, 2.5]);
    expect(b.x).toEqual([0, 10]);
    expect(fig.layout.yaxis?.type).toBe("log");
    expect(() => lossCurves([{ name: "x", steps: [0], values: [1, 2] }])).toThrow(/lengths differ/);
    expect(() => lossCurves([{ name: "x", values: [1, Infinity] }])).toThrow(/Infinity/);
  });
});
