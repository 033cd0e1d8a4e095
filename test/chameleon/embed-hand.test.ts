/**
 * Chameleon step 2 — the embedding step itself (window → middle layer → mean → unique → domain
 * mean) against a hand computation on a tiny model, not only the algebra after it.
 *
 * The hand forward below reads the model's flat parameters by name (`getParams`, layout
 * `paramLayout`: matrices [in, out], y = x·W + b) and recomputes, in float64 with explicit loops,
 * nanoGPT's forward up to the layer Chameleon reads: token + position embedding, then for each
 * block x ← x + Attn(LN1(x)), x ← x + MLP(LN2(x)) (LayerNorm eps 1e-5 with the biased variance,
 * causal softmax attention per head over columns h·hd … (h+1)·hd − 1 scaled by 1/√hd, tanh GELU).
 * Nothing of the engine is used for it.
 */
import { describe, expect, it } from "vitest";
import { chameleonLayer, embedDomainWindows, windowEmbeddings } from "../../kernel-lib/chameleon/embed.js";
import type { DomainWindows } from "../../kernel-lib/chameleon/windows.js";
import { EOS_BYTE } from "../../kernel-lib/data/format.js";
import { FusedEngine } from "../../kernel-lib/model/engine-fused.js";
import { getParams, type GptModel } from "../../kernel-lib/model/params.js";
import { perturbedModel, randomTokens, smallConfig } from "../model/helpers.js";

// tiny: L = 2 blocks, d = 64, 4 heads, MLP 256; blockSize 16. Perturbed so LayerNorm gains and
// every bias differ from 1/0 and a wrong parameter would show.
const cfg = smallConfig();
const model = perturbedModel(cfg, 3);
const engine = new FusedEngine(cfg);
const d = cfg.dModel;
const T = 12;
const LAYER = chameleonLayer(cfg.nLayer); // len(hidden_states) // 2 = 3 // 2 = 1: the state after block 0

/** x [n] · W [n, m] (row-major, [in, out]) + b [m] → [m] in float64. */
function linear(x: ArrayLike<number>, W: Float32Array, b: Float32Array, m: number): Float64Array {
  const y = Float64Array.from(b);
  for (let i = 0; i < x.length; i++) for (let j = 0; j < m; j++) y[j] += x[i] * W[i * m + j];
  return y;
}

/** LayerNorm over one row: (x − mean)/√(var + 1e-5)·g + b, biased variance (torch). */
function layerNorm(x: Float64Array, g: Float32Array, b: Float32Array): Float64Array {
  let mean = 0;
  for (const v of x) mean += v / x.length;
  let variance = 0;
  for (const v of x) variance += (v - mean) ** 2 / x.length;
  const inv = 1 / Math.sqrt(variance + 1e-5);
  return Float64Array.from(x, (v, j) => (v - mean) * inv * g[j] + b[j]);
}

/** GPT-2's tanh GELU. */
const gelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

/**
 * Residual stream after `layer` blocks for one sequence `tokens` [W] → rows [W][d], by hand.
 * Causal: row t depends on tokens 0..t only.
 */
function handHidden(m: GptModel, tokens: ArrayLike<number>, layer: number): Float64Array[] {
  const P = getParams(m);
  const get = (name: string) => P.get(name) as Float32Array;
  const { dModel: D, nHead: H, dMlp: M } = m.config;
  const hd = D / H;
  const W = tokens.length;
  const wte = get("wte"), wpe = get("wpe");
  // x[t] = wte[token_t] + wpe[t]   [W, d]
  let x = Array.from({ length: W }, (_, t) => Float64Array.from({ length: D }, (_, j) => wte[tokens[t] * D + j] + wpe[t * D + j]));
  for (let l = 0; l < layer; l++) {
    const p = (n: string) => get(`h${l}.${n}`);
    const a = x.map((r) => layerNorm(r, p("ln1.g"), p("ln1.b")));
    const q = a.map((r) => linear(r, p("attn.wq"), p("attn.bq"), D));
    const k = a.map((r) => linear(r, p("attn.wk"), p("attn.bk"), D));
    const v = a.map((r) => linear(r, p("attn.wv"), p("attn.bv"), D));
    const y = x.map(() => new Float64Array(D)); // heads merged back: [W, d]
    for (let h = 0; h < H; h++) {
      const o = h * hd;
      for (let t = 0; t < W; t++) {
        // scores over the past s = 0..t only (causal), softmax, weighted sum of values
        const s = Array.from({ length: t + 1 }, (_, u) => {
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += q[t][o + i] * k[u][o + i];
          return dot / Math.sqrt(hd);
        });
        const mx = Math.max(...s);
        const e = s.map((z) => Math.exp(z - mx));
        const Z = e.reduce((acc, z) => acc + z, 0);
        for (let u = 0; u <= t; u++) for (let i = 0; i < hd; i++) y[t][o + i] += (e[u] / Z) * v[u][o + i];
      }
    }
    x = x.map((r, t) => {
      const att = linear(y[t], p("attn.wo"), p("attn.bo"), D);
      return Float64Array.from(r, (val, j) => val + att[j]);
    });
    x = x.map((r) => {
      const u = linear(layerNorm(r, p("ln2.g"), p("ln2.b")), p("mlp.w1"), p("mlp.b1"), M).map(gelu);
      const out = linear(u, p("mlp.w2"), p("mlp.b2"), D);
      return Float64Array.from(r, (val, j) => val + out[j]);
    });
  }
  return x;
}

/** Mean of the first n rows. */
function meanRowsOf(rows: readonly Float64Array[], n: number): Float64Array {
  const out = new Float64Array(rows[0].length);
  for (let t = 0; t < n; t++) for (let j = 0; j < out.length; j++) out[j] += rows[t][j] / n;
  return out;
}

/** max |a − b| / max |b|: a relative error on the vector's own scale. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

/**
 * The engine runs in float32 (unit roundoff u = 2⁻²⁴ ≈ 6e-8), so a 1e-9 agreement with a float64
 * hand computation is impossible: float32 cannot even store the answer that closely. Up to layer 1
 * the longest reduction is the MLP's 256-term dot product: its float32 error is at most ≈ 256·u ≈
 * 1.5e-5 of the magnitude of its terms when every rounding goes the same way, typically √256·u ≈
 * 1e-6; LayerNorm rescales by ≈ 1/σ without amplifying relative error much. Measured here: ≤ 4e-7
 * of the vector's largest component. TOL = 1e-5 (25× that, under the worst case). Every wrong
 * answer checked below (padding in the mean, padding to T instead of the batch's longest window,
 * another layer, a duplicate counted) moves the vector by more than 1000× TOL (measured ≥ 0.16),
 * which the test asserts too. The pooling after the engine is float64 and is held to 1e-12 in the
 * last test.
 */
const TOL = 1e-5;

/**
 * Windows of one domain with given real lengths: random bytes 1..255 (never EOS) on the real
 * positions, EOS on the padding, mask 1…1 0…0. `same[i] = j` makes window i a copy of window j.
 */
function makeWindows(domain: string, lengths: number[], seed: number, same: Record<number, number> = {}): DomainWindows {
  const n = lengths.length;
  const tokens = new Int32Array(n * T).fill(EOS_BYTE);
  const mask = new Uint8Array(n * T);
  const rnd = randomTokens(n * T, seed);
  lengths.forEach((len, i) => {
    const src = same[i] ?? i;
    for (let t = 0; t < len; t++) tokens[i * T + t] = 1 + (rnd[src * T + t] % 255);
    mask.fill(1, i * T, i * T + len);
  });
  return { domain, windows: n, seqLen: T, tokens, mask };
}

const row = (w: DomainWindows, i: number, len: number) => Array.from(w.tokens.subarray(i * T, i * T + len));

describe("the embedding step against a hand computation (tiny model)", () => {
  // Domain A in batches of 2: [A0 12, A1 7] → padded to 12; [A2 4, A3 6] → padded to 6 (< T:
  // the batch's longest, not T); [A4 = copy of A0] alone. Domain B: [B0 9, B1 12] → 12; [B2 3] → 3.
  const batchSize = 2;
  const A = makeWindows("A", [12, 7, 4, 6, 12], 101, { 4: 0 });
  const B = makeWindows("B", [9, 12, 3], 202);
  const widthA = [12, 12, 6, 6, 12];
  const widthB = [12, 12, 3];

  it("reads layer ⌊(L+1)/2⌋ = 1 of the 2-block proxy", () => {
    expect(LAYER).toBe(1);
  });

  it("masked mean per window = the mean of the hand-computed layer-1 states of its real tokens", () => {
    for (const [w, lens] of [[A, [12, 7, 4, 6, 12]], [B, [9, 12, 3]]] as const) {
      const got = windowEmbeddings(engine, model, w, { batchSize });
      lens.forEach((len, i) => {
        // the hand forward sees the real tokens only: padding cannot enter it
        const want = meanRowsOf(handHidden(model, row(w, i, len), LAYER), len);
        expect(relErr(got[i], want), `${w.domain}${i}`).toBeLessThan(TOL);
      });
    }
  });

  it("includePadding (official) per window = the hand mean over its row padded to the batch's longest window", () => {
    for (const [w, widths] of [[A, widthA], [B, widthB]] as const) {
      const got = windowEmbeddings(engine, model, w, { batchSize, includePadding: true });
      widths.forEach((W, i) => {
        const want = meanRowsOf(handHidden(model, row(w, i, W), LAYER), W);
        expect(relErr(got[i], want), `${w.domain}${i}`).toBeLessThan(TOL);
      });
    }
  });

  it("the domain embedding = the mean of the unique windows' hand embeddings", () => {
    const hand = (w: DomainWindows, i: number, len: number) => meanRowsOf(handHidden(model, row(w, i, len), LAYER), len);
    const a = [hand(A, 0, 12), hand(A, 1, 7), hand(A, 2, 4), hand(A, 3, 6)]; // A4 = A0 is kept once
    const b = [hand(B, 0, 9), hand(B, 1, 12), hand(B, 2, 3)];
    const mean = (rows: Float64Array[]) => Float64Array.from(rows[0], (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
    const eA = embedDomainWindows(engine, model, A, { batchSize });
    const eB = embedDomainWindows(engine, model, B, { batchSize });
    expect(eA.uniqueWindows).toBe(4);
    expect(eA.realTokens).toBe(12 + 7 + 4 + 6 + 12);
    expect(eA.forwardTokens).toBe(2 * 12 + 2 * 6 + 12); // each batch padded to its longest window
    expect(relErr(eA.embedding, mean(a))).toBeLessThan(TOL);
    expect(relErr(eB.embedding, mean(b))).toBeLessThan(TOL);

    // The check can tell the wrong answers apart (each ≫ TOL away from the right one):
    const far = (x: ArrayLike<number>, y: ArrayLike<number>) => expect(relErr(x, y)).toBeGreaterThan(1000 * TOL);
    // a mean over the padded positions too,
    far(meanRowsOf(handHidden(model, row(A, 1, 12), LAYER), 12), a[1]);
    // padding to T (max_length) instead of the batch's longest window (A2 in a batch of width 6),
    far(meanRowsOf(handHidden(model, row(A, 2, 12), LAYER), 12), meanRowsOf(handHidden(model, row(A, 2, 6), LAYER), 6));
    // another layer (the embedding output, or the last block),
    for (const wrong of [0, 2]) far(mean([0, 1, 2, 3].map((i) => meanRowsOf(handHidden(model, row(A, i, [12, 7, 4, 6][i]), wrong), [12, 7, 4, 6][i]))), mean(a));
    // the duplicate counted twice.
    far(mean([...a, a[0]]), mean(a));
  });

  it("pooling is exact on the engine's own states: window and domain means to 1e-12", () => {
    // Past the engine the step is float64 arithmetic on the engine's float32 states, so it can be
    // held to 1e-12: re-run the engine on each padded batch [B, W] and pool by hand.
    const got = windowEmbeddings(engine, model, A, { batchSize });
    const lens = [12, 7, 4, 6, 12];
    const pooled: Float64Array[] = [];
    for (const [start, count, W] of [[0, 2, 12], [2, 2, 6], [4, 1, 12]]) {
      const inputs = new Int32Array(count * W);
      for (let b = 0; b < count; b++) inputs.set(A.tokens.subarray((start + b) * T, (start + b) * T + W), b * W);
      const h = engine.hidden(model.params, inputs, count, W, LAYER); // [B, W, d]
      for (let b = 0; b < count; b++) {
        const len = lens[start + b];
        const p = new Float64Array(d);
        for (let t = 0; t < len; t++) for (let j = 0; j < d; j++) p[j] += h[(b * W + t) * d + j];
        pooled.push(p.map((v) => v / len));
      }
    }
    pooled.forEach((p, i) => expect(relErr(got[i], p)).toBeLessThan(1e-12));
    const unique = pooled.slice(0, 4);
    const domain = Float64Array.from(unique[0], (_, j) => unique.reduce((s, r) => s + r[j], 0) / unique.length);
    expect(relErr(embedDomainWindows(engine, model, A, { batchSize }).embedding, domain)).toBeLessThan(1e-12);
  });
});
