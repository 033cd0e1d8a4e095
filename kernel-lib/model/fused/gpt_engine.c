/*
 * mixlab fused GPT engine: the forward and backward pass of kernel-lib/model/gpt.ts written out
 * by hand over one flat parameter buffer, compiled to WebAssembly with 128-bit SIMD
 * (build: `npx tsx kernel-lib/model/fused/build.ts`, needs Debian clang + lld).
 *
 * Why: in tfjs every op is a dispatch, an allocation and a pass over memory; here a training
 * step is ~40 calls of one tuned matrix-multiply kernel plus a handful of fused element-wise
 * loops over preallocated buffers. All four matmul orientations (A·B, A·Bᵀ, Aᵀ·B) go through
 * the same kernel: A is read through (row, column) strides and B is packed into 8-wide panels
 * from either layout, so nothing is ever transposed in memory.
 *
 * Notation: B batch, T sequence, N = B·T rows, d model width, H heads, hd = d/H, m MLP width,
 * V vocabulary, L layers. Matrices are [in, out] row-major (y = x·W + b), as in config.ts.
 * One engine per WebAssembly instance; all state lives in the globals below.
 */
#include <stdint.h>
#include <stddef.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

/* Profiling build only (clang … -DMX_PROFILE -Wl,--allow-undefined, instantiated with an env.now
 * import returning milliseconds): time per section, read through mx_prof(). */
#ifdef MX_PROFILE
__attribute__((import_module("env"), import_name("now"))) double mx_now(void);
static double prof_t[32];
#define PROF(id, stmt) { double t0_ = mx_now(); stmt; prof_t[id] += mx_now() - t0_; }
EXPORT(mx_prof) double *mx_prof(void) { return prof_t; }
#else
#define PROF(id, stmt) stmt;
#endif
#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* ------------------------------------------------------------------------------------------ */
/* memory: a bump allocator over the instance's linear memory (nothing is ever freed; an engine */
/* that needs bigger buffers is a new instance)                                                  */
extern unsigned char __heap_base;
static uintptr_t heap_top;

static void *alloc_floats(size_t n) {
  if (!heap_top) heap_top = (uintptr_t)&__heap_base;
  uintptr_t p = (heap_top + 63) & ~(uintptr_t)63;
  if (n > (size_t)0x3fffffff) return 0;
  uintptr_t end = p + n * 4;
  if (end < p) return 0; /* past 4 GiB */
  size_t have = __builtin_wasm_memory_size(0) * 65536;
  if (end > have) {
    size_t pages = (end - have + 65535) / 65536;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return 0;
  }
  heap_top = end;
  return (void *)p;
}

/* ------------------------------------------------------------------------------------------ */
/* exp: Cephes expf (range reduction by ln2, degree-6 polynomial), |rel err| < 2e-7            */
static const float EXP_HI = 88.0f, /* e^88 < FLT_MAX; 2^⌊88·log2e⌉ = 2^127 stays finite */ EXP_LO = -87.3365447504019f;
static const float LOG2EF = 1.44269504088896341f, C1 = 0.693359375f, C2 = -2.12194440e-4f;
static const float P0 = 1.9875691500E-4f, P1 = 1.3981999507E-3f, P2 = 8.3334519073E-3f;
static const float P3 = 4.1665795894E-2f, P4 = 1.6666665459E-1f, P5 = 5.0000001201E-1f;

static inline v128_t exp4(v128_t x) {
  x = wasm_f32x4_min(wasm_f32x4_max(x, wasm_f32x4_splat(EXP_LO)), wasm_f32x4_splat(EXP_HI));
  v128_t fx = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(LOG2EF)));
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(fx, wasm_f32x4_splat(C1)));
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(fx, wasm_f32x4_splat(C2)));
  v128_t z = wasm_f32x4_mul(x, x);
  v128_t y = wasm_f32x4_splat(P0);
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(P1));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(P2));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(P3));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(P4));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(P5));
  y = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(y, z), x), wasm_f32x4_splat(1.0f));
  v128_t e = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(fx), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(y, e);
}

static inline float exp1(float x) { return wasm_f32x4_extract_lane(exp4(wasm_f32x4_splat(x)), 0); }

/* tanh(x) = 1 − 2/(e^{2x}+1); exp4 saturates, so large |x| gives ±1 */
static inline v128_t tanh4(v128_t x) {
  v128_t e = exp4(wasm_f32x4_add(x, x));
  return wasm_f32x4_sub(wasm_f32x4_splat(1.0f), wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(e, wasm_f32x4_splat(1.0f))));
}

/* ------------------------------------------------------------------------------------------ */
/* GEMM: C[M,N] (row stride ldc) = (acc ? C : 0) + bias[j] + Σ_k A(i,k)·B(k,j)                 */
/* A(i,k) = A[i·ars + k·acs], B(k,j) = B[k·brs + j·bcs]. `tri` exploits causal attention:       */
/*   TRI_OUT   skip 4×8 tiles wholly above the diagonal (j > i): those scores are masked;       */
/*   TRI_A_LO  A is lower-triangular (A(i,k) = 0 for k > i): stop each row block at k = i+3;    */
/*   TRI_A_UP  A is upper-triangular (A(i,k) = 0 for k < i): start each row block at k = i.     */
/* (the A_LO/A_UP shortcuts apply when K fits one k-block, as attention's K = T ≤ 256 does)     */
enum { TRI_NONE = 0, TRI_OUT = 1, TRI_A_LO = 2, TRI_A_UP = 3 };
#define KC 256
#define NCB 256
static float *packbuf; /* [NCB/8][KC][8] */

/* B block (kc × nc) → 8-column panels, zero-padded: dst[p][k][0..7] */
static void pack_b(int kc, int nc, const float *B, int brs, int bcs, float *dst) {
  for (int p = 0; p < nc; p += 8) {
    int w = MIN(8, nc - p);
    float *d = dst + (size_t)p * kc;
    if (bcs == 1 && w == 8) {
      for (int k = 0; k < kc; k++) {
        const float *s = B + (size_t)k * brs + p;
        wasm_v128_store(d + k * 8, wasm_v128_load(s));
        wasm_v128_store(d + k * 8 + 4, wasm_v128_load(s + 4));
      }
    } else {
      for (int jj = 0; jj < 8; jj++) {
        if (jj < w) {
          const float *s = B + (size_t)(p + jj) * bcs;
          for (int k = 0; k < kc; k++) d[k * 8 + jj] = s[(size_t)k * brs];
        } else {
          for (int k = 0; k < kc; k++) d[k * 8 + jj] = 0.0f;
        }
      }
    }
  }
}

/* A rows i..i+mr-1, columns k0..k0+kc-1 → one 4-row panel, zero-padded: dst[k][0..3] */
static void pack_a(int kc, int mr, const float *A, int ars, int acs, float *dst) {
  for (int r = 0; r < 4; r++) {
    if (r < mr) {
      const float *s = A + (size_t)r * ars;
      if (acs == 1) for (int k = 0; k < kc; k++) dst[k * 4 + r] = s[k];
      else for (int k = 0; k < kc; k++) dst[k * 4 + r] = s[(size_t)k * acs];
    } else {
      for (int k = 0; k < kc; k++) dst[k * 4 + r] = 0.0f;
    }
  }
}

/* A stored transposed (A(i,k) = A[i + k·acs], rows contiguous along i): pack up to 16 rows as
 * four 4-row panels, dst + q·KC·4, reading each k's 16 values at once. Packing one 4-row panel
 * at a time would touch every k-line once per panel, and with power-of-two strides (2 KB at
 * M = 512) those lines fall in a couple of L1 sets and thrash. */
static void pack_a_t(int kc, int rows, const float *A, int acs, float *dst) {
  int full = rows / 4, rest = rows % 4;
  for (int k = 0; k < kc; k++) {
    const float *s = A + (size_t)k * acs;
    for (int q = 0; q < full; q++) wasm_v128_store(dst + (size_t)q * KC * 4 + k * 4, wasm_v128_load(s + 4 * q));
    if (rest) {
      float *d = dst + (size_t)full * KC * 4 + k * 4;
      for (int r = 0; r < 4; r++) d[r] = r < rest ? s[4 * full + r] : 0.0f;
    }
  }
}

/* 4×8 register tile over packed panels: 8 accumulators, two B vectors, one broadcast A value */
static inline void kern4x8(int kc, const float *ap, const float *bp, float *c, int ldc, int mr, int nr, int acc, const float *bias) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int k = 0; k < kc; k++) {
    v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
    v128_t x0 = wasm_v128_load32_splat(ap), x1 = wasm_v128_load32_splat(ap + 1);
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(x0, b0));
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(x0, b1));
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(x1, b0));
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(x1, b1));
    v128_t x2 = wasm_v128_load32_splat(ap + 2), x3 = wasm_v128_load32_splat(ap + 3);
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(x2, b0));
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(x2, b1));
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(x3, b0));
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(x3, b1));
    ap += 4;
    bp += 8;
  }
  if (bias) {
    v128_t q0, q1;
    if (nr == 8) { q0 = wasm_v128_load(bias); q1 = wasm_v128_load(bias + 4); }
    else {
      float t[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      for (int j = 0; j < nr; j++) t[j] = bias[j];
      q0 = wasm_v128_load(t); q1 = wasm_v128_load(t + 4);
    }
    c00 = wasm_f32x4_add(c00, q0); c01 = wasm_f32x4_add(c01, q1);
    c10 = wasm_f32x4_add(c10, q0); c11 = wasm_f32x4_add(c11, q1);
    c20 = wasm_f32x4_add(c20, q0); c21 = wasm_f32x4_add(c21, q1);
    c30 = wasm_f32x4_add(c30, q0); c31 = wasm_f32x4_add(c31, q1);
  }
  if (mr == 4 && nr == 8) {
#define ROW(r, lo, hi)                                                                     \
  {                                                                                        \
    float *cr = c + (size_t)(r) * ldc;                                                     \
    if (acc) { lo = wasm_f32x4_add(lo, wasm_v128_load(cr)); hi = wasm_f32x4_add(hi, wasm_v128_load(cr + 4)); } \
    wasm_v128_store(cr, lo); wasm_v128_store(cr + 4, hi);                                  \
  }
    ROW(0, c00, c01) ROW(1, c10, c11) ROW(2, c20, c21) ROW(3, c30, c31)
#undef ROW
  } else {
    float t[32];
    wasm_v128_store(t, c00); wasm_v128_store(t + 4, c01); wasm_v128_store(t + 8, c10); wasm_v128_store(t + 12, c11);
    wasm_v128_store(t + 16, c20); wasm_v128_store(t + 20, c21); wasm_v128_store(t + 24, c30); wasm_v128_store(t + 28, c31);
    for (int r = 0; r < mr; r++)
      for (int j = 0; j < nr; j++) {
        float *cr = c + (size_t)r * ldc + j;
        *cr = acc ? *cr + t[r * 8 + j] : t[r * 8 + j];
      }
  }
}

static float *packa; /* up to four [KC][4] panels */

static void gemm(int M, int N, int K, const float *A, int ars, int acs, const float *B, int brs, int bcs, float *C, int ldc,
                 int accumulate, const float *bias, int tri) {
  for (int j0 = 0; j0 < N; j0 += NCB) {
    int nc = MIN(NCB, N - j0);
    for (int k0 = 0; k0 < K; k0 += KC) {
      int kc = MIN(KC, K - k0);
      pack_b(kc, nc, B + (size_t)k0 * brs + (size_t)j0 * bcs, brs, bcs, packbuf);
      int acc = accumulate || k0 > 0;
      const float *bj = (k0 == 0 && bias) ? bias + j0 : 0;
      const int tpack = acs != 1 && ars == 1 && tri != TRI_A_LO && tri != TRI_A_UP;
      for (int i0 = 0; i0 < M; i0 += 16) {
        const int rows = MIN(16, M - i0);
        if (tpack) pack_a_t(kc, rows, A + i0 + (size_t)k0 * acs, acs, packa);
        for (int i = i0; i < i0 + rows; i += 4) {
          int mr = MIN(4, M - i);
          int pend = tri == TRI_OUT ? MIN(nc, i + mr - j0) : nc; /* only panels with j0+p ≤ i+mr−1 */
          if (pend <= 0) continue;
          int ks = 0, ke = kc; /* nonzero range of A's row block inside this k-block */
          if (tri == TRI_A_LO && K <= KC) ke = MIN(kc, i + mr);
          if (tri == TRI_A_UP && K <= KC) ks = MIN(kc, i);
          const float *pa = packa + (size_t)((i - i0) / 4) * KC * 4;
          if (!tpack) { pack_a(ke - ks, mr, A + (size_t)i * ars + (size_t)(k0 + ks) * acs, ars, acs, packa); pa = packa; }
          for (int p = 0; p < pend; p += 8)
            kern4x8(ke - ks, pa, packbuf + (size_t)p * kc + (size_t)ks * 8, C + (size_t)i * ldc + j0 + p, ldc, mr, MIN(8, nc - p), acc,
                    bj ? bj + p : 0);
        }
      }
    }
  }
}

/* ------------------------------------------------------------------------------------------ */
/* element-wise pieces                                                                         */

/* out = LN(x)·g + b per row of d; saves mean and 1/σ for the backward pass */
static void layernorm_fwd(int N, int d, const float *x, const float *g, const float *b, float *out, float *mean, float *rstd) {
  for (int i = 0; i < N; i++) {
    const float *xi = x + (size_t)i * d;
    float *oi = out + (size_t)i * d;
    float s = 0;
    for (int j = 0; j < d; j++) s += xi[j];
    float mu = s / d, v = 0;
    for (int j = 0; j < d; j++) { float t = xi[j] - mu; v += t * t; }
    float r = 1.0f / __builtin_sqrtf(v / d + 1e-5f);
    for (int j = 0; j < d; j++) oi[j] = (xi[j] - mu) * r * g[j] + b[j];
    mean[i] = mu;
    rstd[i] = r;
  }
}

/* dx (+)= LN backward of dout; dg, db accumulate */
static void layernorm_bwd(int N, int d, const float *x, const float *mean, const float *rstd, const float *g, const float *dout,
                          float *dx, int accumulate, float *dg, float *db) {
  for (int i = 0; i < N; i++) {
    const float *xi = x + (size_t)i * d, *doi = dout + (size_t)i * d;
    float *dxi = dx + (size_t)i * d;
    float mu = mean[i], r = rstd[i], s1 = 0, s2 = 0;
    for (int j = 0; j < d; j++) {
      float xh = (xi[j] - mu) * r, dxh = doi[j] * g[j];
      dg[j] += doi[j] * xh;
      db[j] += doi[j];
      s1 += dxh;
      s2 += dxh * xh;
    }
    s1 /= d; s2 /= d;
    for (int j = 0; j < d; j++) {
      float xh = (xi[j] - mu) * r;
      float v = r * (doi[j] * g[j] - s1 - xh * s2);
      dxi[j] = accumulate ? dxi[j] + v : v;
    }
  }
}

/* db[j] += Σ_i dy[i, j] */
static void colsum_acc(int N, int n, const float *dy, float *db) {
  for (int i = 0; i < N; i++) {
    const float *r = dy + (size_t)i * n;
    for (int j = 0; j < n; j++) db[j] += r[j];
  }
}

static const float GELU_C = 0.7978845608028654f; /* √(2/π) */

/* g = 0.5·u·(1 + tanh(c·(u + 0.044715u³))), n values, n % 4 == 0; keeps the tanh for backward */
static void gelu_fwd(size_t n, const float *u, float *g, float *th) {
  for (size_t i = 0; i < n; i += 4) {
    v128_t x = wasm_v128_load(u + i);
    v128_t inner = wasm_f32x4_mul(wasm_f32x4_splat(GELU_C),
                                  wasm_f32x4_add(x, wasm_f32x4_mul(wasm_f32x4_splat(0.044715f), wasm_f32x4_mul(x, wasm_f32x4_mul(x, x)))));
    v128_t t = tanh4(inner);
    wasm_v128_store(th + i, t);
    wasm_v128_store(g + i, wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_splat(0.5f), x), wasm_f32x4_add(wasm_f32x4_splat(1.0f), t)));
  }
}

/* dg ← dg · gelu'(u) in place, t = tanh(c·(u + 0.044715u³)) saved by the forward pass */
static void gelu_bwd(size_t n, const float *u, const float *th, float *dg) {
  for (size_t i = 0; i < n; i += 4) {
    v128_t x = wasm_v128_load(u + i);
    v128_t x2 = wasm_f32x4_mul(x, x);
    v128_t t = wasm_v128_load(th + i);
    v128_t dinner = wasm_f32x4_mul(wasm_f32x4_splat(GELU_C), wasm_f32x4_add(wasm_f32x4_splat(1.0f), wasm_f32x4_mul(wasm_f32x4_splat(3 * 0.044715f), x2)));
    v128_t sech2 = wasm_f32x4_sub(wasm_f32x4_splat(1.0f), wasm_f32x4_mul(t, t));
    v128_t dgelu = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(0.5f), wasm_f32x4_add(wasm_f32x4_splat(1.0f), t)),
                                  wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_splat(0.5f), x), wasm_f32x4_mul(sech2, dinner)));
    wasm_v128_store(dg + i, wasm_f32x4_mul(wasm_v128_load(dg + i), dgelu));
  }
}

/* x[0..n) ← exp(x·scale − shift); returns the sum */
static float exp_shift_sum(float *x, int n, float scale, float shift) {
  v128_t vs = wasm_f32x4_splat(scale), vh = wasm_f32x4_splat(shift), acc = wasm_f32x4_splat(0);
  int j = 0;
  for (; j + 4 <= n; j += 4) {
    v128_t e = exp4(wasm_f32x4_sub(wasm_f32x4_mul(wasm_v128_load(x + j), vs), vh));
    wasm_v128_store(x + j, e);
    acc = wasm_f32x4_add(acc, e);
  }
  float s = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) + wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
  for (; j < n; j++) { x[j] = exp1(x[j] * scale - shift); s += x[j]; }
  return s;
}

/* ------------------------------------------------------------------------------------------ */
/* engine state                                                                                */
static int V, TM, L, H, D, MH, HD; /* vocab, block size, layers, heads, width, MLP width, head width */
static int CAP_N, CAP_T;           /* capacity: B·T ≤ CAP_N, T ≤ CAP_T */
static size_t NPARAM;
static float *PRM, *GRD;
static int32_t *INP, *TGT; /* [N] */

typedef struct {
  size_t ln1g, ln1b, wq, bq, wk, bk, wv, bv, wo, bo, ln2g, ln2b, w1, b1, w2, b2; /* offsets */
  float *ln1_mean, *ln1_rstd, *a, *q, *k, *v, *att, *y, *mid, *ln2_mean, *ln2_rstd, *h, *u, *g, *th;
} Layer;
static Layer LY[64];
static size_t OFF_WTE, OFF_WPE, OFF_LNFG, OFF_LNFB;
static float **RES; /* RES[l]: residual stream entering block l, [N, d]; RES[L] leaves the last */
static float *lnf_mean, *lnf_rstd, *Z, *LOGITS, *ROWMAX, *ROWSUM, *TLOGIT;
static float *DRES, *DTMP, *DQ, *DK, *DV, *DY, *DU, *DATT;

/* create an engine; returns 0, or -1 when memory runs out / the config is out of range */
EXPORT(mx_init) int mx_init(int vocab, int blockSize, int nLayer, int nHead, int dModel, int dMlp, int capN, int capT) {
  V = vocab; TM = blockSize; L = nLayer; H = nHead; D = dModel; MH = dMlp; HD = D / H; CAP_N = capN; CAP_T = capT;
  if (L > 64 || (D % 4) || (MH % 4) || (V % 4)) return -1;
  size_t off = 0;
  OFF_WTE = off; off += (size_t)V * D;
  OFF_WPE = off; off += (size_t)TM * D;
  for (int l = 0; l < L; l++) {
    Layer *y = &LY[l];
    y->ln1g = off; off += D; y->ln1b = off; off += D;
    y->wq = off; off += (size_t)D * D; y->bq = off; off += D;
    y->wk = off; off += (size_t)D * D; y->bk = off; off += D;
    y->wv = off; off += (size_t)D * D; y->bv = off; off += D;
    y->wo = off; off += (size_t)D * D; y->bo = off; off += D;
    y->ln2g = off; off += D; y->ln2b = off; off += D;
    y->w1 = off; off += (size_t)D * MH; y->b1 = off; off += MH;
    y->w2 = off; off += (size_t)MH * D; y->b2 = off; off += D;
  }
  OFF_LNFG = off; off += D; OFF_LNFB = off; off += D;
  NPARAM = off;
  size_t N = (size_t)capN, Nd = N * D, Nm = N * MH;
  size_t att = (size_t)capN * capT * H; /* B·H·T·T ≤ capN·capT·H since B·T ≤ capN, T ≤ capT */
  int ok = 1;
#define A(p, n) ok = ok && ((p) = alloc_floats(n)) != 0
  A(PRM, NPARAM); A(GRD, NPARAM); A(packbuf, (size_t)KC * NCB); A(packa, (size_t)KC * 16);
  A(INP, N); A(TGT, N);
  A(RES, L + 1);
  for (int l = 0; ok && l <= L; l++) A(RES[l], Nd);
  for (int l = 0; ok && l < L; l++) {
    Layer *y = &LY[l];
    A(y->ln1_mean, N); A(y->ln1_rstd, N); A(y->a, Nd); A(y->q, Nd); A(y->k, Nd); A(y->v, Nd);
    A(y->att, att); A(y->y, Nd); A(y->mid, Nd); A(y->ln2_mean, N); A(y->ln2_rstd, N); A(y->h, Nd);
    A(y->u, Nm); A(y->g, Nm); A(y->th, Nm);
  }
  A(lnf_mean, N); A(lnf_rstd, N); A(Z, Nd); A(LOGITS, N * V); A(ROWMAX, N); A(ROWSUM, N); A(TLOGIT, N);
  A(DRES, Nd); A(DTMP, Nd); A(DQ, Nd); A(DK, Nd); A(DV, Nd); A(DY, Nd); A(DU, Nm); A(DATT, (size_t)capT * capT);
#undef A
  return ok ? 0 : -1;
}

EXPORT(mx_params) float *mx_params(void) { return PRM; }
EXPORT(mx_grads) float *mx_grads(void) { return GRD; }
EXPORT(mx_inputs) int32_t *mx_inputs(void) { return INP; }
EXPORT(mx_targets) int32_t *mx_targets(void) { return TGT; }
EXPORT(mx_logits) float *mx_logits(void) { return LOGITS; }
EXPORT(mx_rowmax) float *mx_rowmax(void) { return ROWMAX; }
EXPORT(mx_rowsum) float *mx_rowsum(void) { return ROWSUM; }
EXPORT(mx_tlogit) float *mx_tlogit(void) { return TLOGIT; }
EXPORT(mx_hidden) float *mx_hidden(int l) { return RES[l]; }
EXPORT(mx_nparams) int mx_nparams(void) { return (int)NPARAM; }

/* ------------------------------------------------------------------------------------------ */
/* forward: residual states RES[0..nblocks]; with `logits`, also LN_f, logits and the          */
/* cross-entropy statistics (row max, Σexp, target logit) the loss and backward pass need      */
EXPORT(mx_forward) void mx_forward(int Bn, int T, int nblocks, int logits) {
  const int N = Bn * T;
  const float *wte = PRM + OFF_WTE, *wpe = PRM + OFF_WPE;
  const float scale = 1.0f / __builtin_sqrtf((float)HD);
  /* x0 = wte[token] + wpe[position] */
  for (int i = 0; i < N; i++) {
    const float *e = wte + (size_t)INP[i] * D, *p = wpe + (size_t)(i % T) * D;
    float *x = RES[0] + (size_t)i * D;
    for (int j = 0; j < D; j++) x[j] = e[j] + p[j];
  }
  for (int l = 0; l < nblocks; l++) {
    Layer *ly = &LY[l];
    const float *x = RES[l];
    PROF(1, layernorm_fwd(N, D, x, PRM + ly->ln1g, PRM + ly->ln1b, ly->a, ly->ln1_mean, ly->ln1_rstd);)
    PROF(2, gemm(N, D, D, ly->a, D, 1, PRM + ly->wq, D, 1, ly->q, D, 0, PRM + ly->bq, 0);)
    PROF(2, gemm(N, D, D, ly->a, D, 1, PRM + ly->wk, D, 1, ly->k, D, 0, PRM + ly->bk, 0);)
    PROF(2, gemm(N, D, D, ly->a, D, 1, PRM + ly->wv, D, 1, ly->v, D, 0, PRM + ly->bv, 0);)
    for (int b = 0; b < Bn; b++)
      for (int h = 0; h < H; h++) {
        size_t ro = (size_t)b * T * D + (size_t)h * HD; /* head h of sequence b inside [N, d] */
        float *S = ly->att + ((size_t)b * H + h) * T * T; /* [T, T] */
        /* S = q·kᵀ (causal tiles only), then row softmax of S·scale over j ≤ i */
        PROF(3, gemm(T, T, HD, ly->q + ro, D, 1, ly->k + ro, 1, D, S, T, 0, 0, TRI_OUT);)
        for (int i = 0; i < T; i++) {
          float *s = S + (size_t)i * T, mx = s[0];
          for (int j = 1; j <= i; j++) mx = s[j] > mx ? s[j] : mx;
          float sum = exp_shift_sum(s, i + 1, scale, mx * scale), inv = 1.0f / sum;
          for (int j = 0; j <= i; j++) s[j] *= inv;
          for (int j = i + 1; j < T; j++) s[j] = 0.0f;
        }
        /* y_bh = P·v_bh [T, hd] */
        PROF(5, gemm(T, HD, T, S, T, 1, ly->v + ro, D, 1, ly->y + ro, D, 0, 0, TRI_A_LO);)
      }
    /* mid = x + y·Wo + bo */
    for (size_t i = 0; i < (size_t)N * D; i++) ly->mid[i] = x[i];
    PROF(6, gemm(N, D, D, ly->y, D, 1, PRM + ly->wo, D, 1, ly->mid, D, 1, PRM + ly->bo, 0);)
    PROF(1, layernorm_fwd(N, D, ly->mid, PRM + ly->ln2g, PRM + ly->ln2b, ly->h, ly->ln2_mean, ly->ln2_rstd);)
    PROF(7, gemm(N, MH, D, ly->h, D, 1, PRM + ly->w1, MH, 1, ly->u, MH, 0, PRM + ly->b1, 0);)
    PROF(8, gelu_fwd((size_t)N * MH, ly->u, ly->g, ly->th);)
    /* out = mid + g·W2 + b2 */
    float *out = RES[l + 1];
    for (size_t i = 0; i < (size_t)N * D; i++) out[i] = ly->mid[i];
    PROF(9, gemm(N, D, MH, ly->g, MH, 1, PRM + ly->w2, D, 1, out, D, 1, PRM + ly->b2, 0);)
  }
  if (!logits) return;
  PROF(1, layernorm_fwd(N, D, RES[L], PRM + OFF_LNFG, PRM + OFF_LNFB, Z, lnf_mean, lnf_rstd);)
  /* logits = z·wteᵀ [N, V] */
  PROF(10, gemm(N, V, D, Z, D, 1, wte, 1, D, LOGITS, V, 0, 0, 0);)
  for (int i = 0; i < N; i++) {
    const float *r = LOGITS + (size_t)i * V;
    float mx = r[0];
    for (int j = 1; j < V; j++) mx = r[j] > mx ? r[j] : mx;
    v128_t acc = wasm_f32x4_splat(0), vm = wasm_f32x4_splat(mx);
    for (int j = 0; j < V; j += 4) acc = wasm_f32x4_add(acc, exp4(wasm_f32x4_sub(wasm_v128_load(r + j), vm)));
    ROWMAX[i] = mx;
    ROWSUM[i] = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) + wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
    TLOGIT[i] = r[TGT[i]];
  }
}

/* ------------------------------------------------------------------------------------------ */
/* backward of the mean cross-entropy after mx_forward(B, T, L, 1): fills GRD                  */
EXPORT(mx_backward) void mx_backward(int Bn, int T) {
  const int N = Bn * T;
  const float scale = 1.0f / __builtin_sqrtf((float)HD);
  for (size_t i = 0; i < NPARAM; i++) GRD[i] = 0.0f;
  /* dlogits = (softmax − onehot(target)) / N, in place */
  const float invN = 1.0f / N;
  for (int i = 0; i < N; i++) {
    float *r = LOGITS + (size_t)i * V;
    v128_t vm = wasm_f32x4_splat(ROWMAX[i]), vs = wasm_f32x4_splat(invN / ROWSUM[i]);
    for (int j = 0; j < V; j += 4) wasm_v128_store(r + j, wasm_f32x4_mul(exp4(wasm_f32x4_sub(wasm_v128_load(r + j), vm)), vs));
    r[TGT[i]] -= invN;
  }
  float *gwte = GRD + OFF_WTE;
  /* dz = dlogits·wte [N, d]; dwte += dlogitsᵀ·z [V, d] */
  PROF(13, gemm(N, D, V, LOGITS, V, 1, PRM + OFF_WTE, D, 1, DTMP, D, 0, 0, 0);)
  PROF(13, gemm(V, D, N, LOGITS, 1, V, Z, D, 1, gwte, D, 1, 0, 0);)
  PROF(14, layernorm_bwd(N, D, RES[L], lnf_mean, lnf_rstd, PRM + OFF_LNFG, DTMP, DRES, 0, GRD + OFF_LNFG, GRD + OFF_LNFB);)
  for (int l = L - 1; l >= 0; l--) {
    Layer *ly = &LY[l];
    /* MLP: out = mid + gelu(h·W1 + b1)·W2 + b2; DRES is ∂/∂out and flows on to mid unchanged */
    PROF(17, colsum_acc(N, D, DRES, GRD + ly->b2);)
    PROF(15, gemm(MH, D, N, ly->g, 1, MH, DRES, D, 1, GRD + ly->w2, D, 1, 0, 0);) /* dW2 += gᵀ·dout */
    PROF(15, gemm(N, MH, D, DRES, D, 1, PRM + ly->w2, 1, D, DU, MH, 0, 0, 0);) /* dg = dout·W2ᵀ */
    PROF(16, gelu_bwd((size_t)N * MH, ly->u, ly->th, DU);) /* du */
    PROF(17, colsum_acc(N, MH, DU, GRD + ly->b1);)
    PROF(15, gemm(D, MH, N, ly->h, 1, D, DU, MH, 1, GRD + ly->w1, MH, 1, 0, 0);) /* dW1 += hᵀ·du */
    PROF(15, gemm(N, D, MH, DU, MH, 1, PRM + ly->w1, 1, MH, DTMP, D, 0, 0, 0);) /* dh = du·W1ᵀ */
    PROF(14, layernorm_bwd(N, D, ly->mid, ly->ln2_mean, ly->ln2_rstd, PRM + ly->ln2g, DTMP, DRES, 1, GRD + ly->ln2g, GRD + ly->ln2b);)
    /* attention: mid = x + y·Wo + bo */
    PROF(17, colsum_acc(N, D, DRES, GRD + ly->bo);)
    PROF(18, gemm(D, D, N, ly->y, 1, D, DRES, D, 1, GRD + ly->wo, D, 1, 0, 0);) /* dWo += yᵀ·dmid */
    PROF(18, gemm(N, D, D, DRES, D, 1, PRM + ly->wo, 1, D, DY, D, 0, 0, 0);) /* dy = dmid·Woᵀ */
    for (int b = 0; b < Bn; b++)
      for (int h = 0; h < H; h++) {
        size_t ro = (size_t)b * T * D + (size_t)h * HD;
        const float *P = ly->att + ((size_t)b * H + h) * T * T;
        PROF(19, gemm(T, T, HD, DY + ro, D, 1, ly->v + ro, 1, D, DATT, T, 0, 0, TRI_OUT);) /* dP = dy·vᵀ */
        PROF(19, gemm(T, HD, T, P, 1, T, DY + ro, D, 1, DV + ro, D, 0, 0, TRI_A_UP);) /* dv = Pᵀ·dy */
        for (int i = 0; i < T; i++) {                                        /* dS = P⊙(dP − ⟨dP,P⟩)·scale */
          float *dp = DATT + (size_t)i * T;
          const float *p = P + (size_t)i * T;
          float s = 0;
          for (int j = 0; j <= i; j++) s += dp[j] * p[j];
          for (int j = 0; j <= i; j++) dp[j] = p[j] * (dp[j] - s) * scale;
          for (int j = i + 1; j < T; j++) dp[j] = 0.0f;
        }
        PROF(19, gemm(T, HD, T, DATT, T, 1, ly->k + ro, D, 1, DQ + ro, D, 0, 0, TRI_A_LO);) /* dq = dS·k */
        PROF(19, gemm(T, HD, T, DATT, 1, T, ly->q + ro, D, 1, DK + ro, D, 0, 0, TRI_A_UP);) /* dk = dSᵀ·q */
      }
    PROF(17, colsum_acc(N, D, DQ, GRD + ly->bq);)
    PROF(17, colsum_acc(N, D, DK, GRD + ly->bk);)
    PROF(17, colsum_acc(N, D, DV, GRD + ly->bv);)
    PROF(21, gemm(D, D, N, ly->a, 1, D, DQ, D, 1, GRD + ly->wq, D, 1, 0, 0);)
    PROF(21, gemm(D, D, N, ly->a, 1, D, DK, D, 1, GRD + ly->wk, D, 1, 0, 0);)
    PROF(21, gemm(D, D, N, ly->a, 1, D, DV, D, 1, GRD + ly->wv, D, 1, 0, 0);)
    PROF(21, gemm(N, D, D, DQ, D, 1, PRM + ly->wq, 1, D, DTMP, D, 0, 0, 0);) /* da = dq·Wqᵀ + dk·Wkᵀ + dv·Wvᵀ */
    PROF(21, gemm(N, D, D, DK, D, 1, PRM + ly->wk, 1, D, DTMP, D, 1, 0, 0);)
    PROF(21, gemm(N, D, D, DV, D, 1, PRM + ly->wv, 1, D, DTMP, D, 1, 0, 0);)
    PROF(14, layernorm_bwd(N, D, RES[l], ly->ln1_mean, ly->ln1_rstd, PRM + ly->ln1g, DTMP, DRES, 1, GRD + ly->ln1g, GRD + ly->ln1b);)
  }
  /* embeddings: dwte[token] += dx0, dwpe[position] += dx0 */
  float *gwpe = GRD + OFF_WPE;
  for (int i = 0; i < N; i++) {
    const float *dx = DRES + (size_t)i * D;
    float *e = gwte + (size_t)INP[i] * D, *p = gwpe + (size_t)(i % T) * D;
    for (int j = 0; j < D; j++) { e[j] += dx[j]; p[j] += dx[j]; }
  }
}

#ifdef MX_PROFILE
/* profiling builds: time one GEMM shape in isolation (A [M,K], B [K,N], both row-major) */
EXPORT(mx_gemm_test) void mx_gemm_test(int M, int N, int K, int reps, int mode) {
  static float *a, *b, *c;
  if (!a) { a = alloc_floats((size_t)4096 * 1024); b = alloc_floats((size_t)4096 * 1024); c = alloc_floats((size_t)4096 * 1024); }
  for (int r = 0; r < reps; r++) {
    if (mode == 0) gemm(M, N, K, a, K, 1, b, N, 1, c, N, 0, 0, 0);      /* A·B */
    else if (mode == 1) gemm(M, N, K, a, 1, M, b, N, 1, c, N, 1, 0, 0); /* Aᵀ·B, A stored [K,M] */
    else gemm(M, N, K, a, K, 1, b, 1, K, c, N, 0, 0, 0);                /* A·Bᵀ, B stored [N,K] */
  }
}
#endif
