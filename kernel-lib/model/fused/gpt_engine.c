/*
 * mixlab fused GPT engine: the forward and backward pass of kernel-lib/model/gpt.ts written out
 * by hand over one flat parameter buffer. One source, two builds:
 *   - WebAssembly with 128-bit SIMD, single-threaded (build: `npx tsx kernel-lib/model/fused/build.ts`,
 *     needs Debian clang + lld; the module is committed as engine-wasm.generated.ts);
 *   - native, for the CPU it runs on (`cc -O3 -march=native -fopenmp`, AVX2+FMA or AVX-512),
 *     multi-threaded with OpenMP, loaded through Node-API (native-addon.c, built and cached at
 *     first use by native-build.ts).
 * The two differ only in the vector primitives below (vf, VW, vload, vfma, …) and the register
 * tile of the matrix-multiply kernel (MR rows × NV vectors); the model code is shared.
 *
 * Why: in tfjs every op is a dispatch, an allocation and a pass over memory; here a training
 * step is ~40 calls of one tuned matrix-multiply kernel plus a handful of fused element-wise
 * loops over preallocated buffers. All four matmul orientations (A·B, A·Bᵀ, Aᵀ·B) go through
 * the same kernel: A is read through (row, column) strides and B is packed into NR-wide panels
 * from either layout, so nothing is ever transposed in memory.
 *
 * Layout of this file, top to bottom: vector primitives; thread chunks; engine state; memory;
 * exp/tanh; the matrix multiply (gemm, the tuned kernel, its threaded paths); then the model in
 * the shape of karpathy/llm.c's train_gpt2.c — one forward and one backward function per layer,
 * outputs first, with named tensor arguments and their shapes:
 *   encoder_forward/backward          token + position embedding
 *   layernorm_forward/backward
 *   matmul_forward/backward           x·W + b (thin names over gemm); matmul_residual_forward
 *                                     fuses the residual add into the projection; the tied output
 *                                     layer is matmul_tied_forward/backward (z·wteᵀ)
 *   attention_forward/backward        causal multi-head attention (scores, softmax, ·v)
 *   gelu_forward/backward
 *   softmax_crossentropy_forward/backward   fused: row statistics forward, dlogits backward
 * and engine_forward / engine_backward, which read one call per step of gpt.ts (embedding →
 * blocks: ln1, q/k/v, attention, projection + residual, ln2, fc, gelu, projection + residual →
 * final LayerNorm → logits → loss statistics) and the same steps in reverse.
 *
 * Threads (native build, OpenMP): element-wise loops give each thread one fixed, contiguous range
 * of rows (GELU's start on whole vectors). Matrix products pack each block of B once into a buffer
 * the threads share and split output rows the same way; weight gradients (sums over the B·T rows)
 * split those rows instead, into k-block partial products added in block order; other sums over
 * rows (bias and LayerNorm gradients) add fixed 64-row blocks' partial sums in block order; the
 * embedding scatter splits columns; attention splits (sequence, head) pairs. No value is ever
 * summed in a thread-dependent order, so the result is bit-identical run to run and for any
 * thread count (test/model/engine-checksum.test.ts pins the bits).
 *
 * Notation: B batch, T sequence, N = B·T rows, d model width, H heads, hd = d/H, m MLP width,
 * V vocabulary, L layers. Matrices are [in, out] row-major (y = x·W + b), as in config.ts.
 */
#include <stdint.h>
#include <stddef.h>

#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* ------------------------------------------------------------------------------------------ */
/* vector primitives: vf holds VW floats                                                       */
#if defined(__wasm__)
#include <wasm_simd128.h>
#define EXPORT(name) __attribute__((export_name(#name)))
typedef v128_t vf;
#define VW 4
#ifndef MR
#define MR 4 /* register tile: MR rows × NV vectors of VW = 4×8 (8 accumulators) */
#endif
#ifndef NV
#define NV 2
#endif
#define vzero() wasm_f32x4_splat(0)
#define vsplat(x) wasm_f32x4_splat(x)
#define vload(p) wasm_v128_load(p)
#define vstore(p, v) wasm_v128_store(p, v)
#define vbcast(p) wasm_v128_load32_splat(p)
#define vadd wasm_f32x4_add
#define vsub wasm_f32x4_sub
#define vmul wasm_f32x4_mul
#define vdiv wasm_f32x4_div
#define vmin wasm_f32x4_min
#define vmax wasm_f32x4_max
#define vfma(a, b, c) wasm_f32x4_add(wasm_f32x4_mul(a, b), c) /* a·b + c (SIMD128 has no FMA) */
#define vnearest wasm_f32x4_nearest
/* 2^n for integral-valued n in [-127, 127] */
#define vpow2i(n) wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23)
#define vlane0(v) wasm_f32x4_extract_lane(v, 0)
static inline float vhsum(vf v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3);
}
#elif defined(__AVX512F__) && defined(__FMA__) && !defined(MIXLAB_PORTABLE) /* the portable build keeps AVX2's width and tile on any CPU */
#include <immintrin.h>
#define EXPORT(name)
typedef __m512 vf;
#define VW 16
#ifndef MR
#define MR 8
#endif
#ifndef NV
#define NV 2
#endif
#define vzero() _mm512_setzero_ps()
#define vsplat(x) _mm512_set1_ps(x)
#define vload(p) _mm512_loadu_ps(p)
#define vstore(p, v) _mm512_storeu_ps(p, v)
#define vbcast(p) _mm512_set1_ps(*(p))
#define vadd _mm512_add_ps
#define vsub _mm512_sub_ps
#define vmul _mm512_mul_ps
#define vdiv _mm512_div_ps
#define vmin _mm512_min_ps
#define vmax _mm512_max_ps
#define vfma(a, b, c) _mm512_fmadd_ps(a, b, c)
#define vnearest(x) _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define vpow2i(n) _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_cvttps_epi32(n), _mm512_set1_epi32(127)), 23))
#define vlane0(v) _mm512_cvtss_f32(v)
#define vhsum(v) _mm512_reduce_add_ps(v)
#elif defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define EXPORT(name)
typedef __m256 vf;
#define VW 8
#ifndef MR
#define MR 8 /* 8×8: 8 accumulators leave the 16 ymm registers room (6×16 and 4×24 spilled, measured slower) */
#endif
#ifndef NV
#define NV 1
#endif
#define vzero() _mm256_setzero_ps()
#define vsplat(x) _mm256_set1_ps(x)
#define vload(p) _mm256_loadu_ps(p)
#define vstore(p, v) _mm256_storeu_ps(p, v)
#define vbcast(p) _mm256_broadcast_ss(p)
#define vadd _mm256_add_ps
#define vsub _mm256_sub_ps
#define vmul _mm256_mul_ps
#define vdiv _mm256_div_ps
#define vmin _mm256_min_ps
#define vmax _mm256_max_ps
#define vfma(a, b, c) _mm256_fmadd_ps(a, b, c)
#define vnearest(x) _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define vpow2i(n) _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(n), _mm256_set1_epi32(127)), 23))
#define vlane0(v) _mm256_cvtss_f32(v)
static inline float vhsum(vf v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}
#else
#error "gpt_engine.c needs WebAssembly SIMD128, or x86-64 with AVX2 and FMA (-march=native on such a CPU)"
#endif
#define NR (NV * VW) /* width of a packed B panel */

/* Parallel loop over chunks t = 0..NCHUNK-1 (a plain loop without OpenMP): one contiguous chunk
 * per thread, assigned statically, so thread t always owns the same rows — rows [tN/nt, (t+1)N/nt)
 * of every [N, ·] activation, in every element-wise pass, in the row-split matrix products and
 * (sequences being contiguous rows) in attention — and finds them in its own cache. On this
 * project's 2-vCPU cloud box, dynamic hand-out of 4 chunks per thread (which lets a thread on a
 * busier core take less) scaled worse: static 1.60×, dynamic 1.47× of one thread, mean of 25
 * interleaved 1M forward+backward pairs, paired difference 0.13 ± 0.05 (95 %). The chunk
 * boundaries are fixed and no result depends on which thread computes a chunk, only the scratch
 * buffers do (indexed by WORKER). */
#if defined(_OPENMP)
#include <omp.h>
#define PARALLEL_CHUNKS _Pragma("omp parallel for num_threads(SP->NT) schedule(static) if (SP->NT > 1)")
#define WORKER omp_get_thread_num()
#else
#define PARALLEL_CHUNKS
#define WORKER 0
#endif
#define NCHUNK (SP->NT)

/* [lo, hi) of chunk t when n items are split into nt chunks of a multiple of `align` */
static inline void chunk_range(int n, int nt, int t, int align, int *lo, int *hi) {
  int per = (n + nt - 1) / nt;
  per = (per + align - 1) / align * align;
  *lo = MIN(n, t * per);
  *hi = MIN(n, *lo + per);
}

/* ------------------------------------------------------------------------------------------ */
/* engine state: one struct per engine (the wasm build has one engine per instance; the native */
/* build keeps each engine's state at the start of its own memory arena)                       */
#define MAXL 64
#define MAXT 64
typedef struct {
  size_t ln1g, ln1b, wq, bq, wk, bk, wv, bv, wo, bo, ln2g, ln2b, w1, b1, w2, b2; /* offsets */
  float *ln1_mean, *ln1_rstd, *a, *q, *k, *v, *att, *y, *mid, *ln2_mean, *ln2_rstd, *h, *u, *g, *th;
} Layer;
typedef struct {
  int V, TM, L, H, D, MH, HD; /* vocab, block size, layers, heads, width, MLP width, head width */
  int CAP_N, CAP_T;           /* capacity: B·T ≤ CAP_N, T ≤ CAP_T */
  int NT;                     /* threads (1 in the wasm build) */
  size_t NPARAM;
  float *PRM, *GRD;
  int32_t *INP, *TGT; /* [N] */
  Layer LY[MAXL];
  size_t OFF_WTE, OFF_WPE, OFF_LNFG, OFF_LNFB;
  float *RES[MAXL + 1]; /* RES[l]: residual stream entering block l, [N, d]; RES[L] leaves the last */
  float *lnf_mean, *lnf_rstd, *Z, *LOGITS, *ROWMAX, *ROWSUM, *TLOGIT;
  float *DRES, *DTMP, *DQ, *DK, *DV, *DY, *DU;
  float *packbuf[MAXT]; /* per thread: [NCB/NR][KC][NR] */
  float *packa[MAXT];   /* per thread: four [KC][MR] panels */
  float *datt[MAXT];    /* per thread: [T, T] attention gradient */
  float *shpack[2];     /* shared by the threads of one gemm: two [NCB/NR][KC][NR] halves */
  float *kpart;         /* weight-gradient partial products: [kpart_nb][kpart_mn] (threads > 1) */
  size_t kpart_mn;
  int kpart_nb;
  float *colpart;       /* partial column sums of RB-row blocks: [⌈CAP_N/RB⌉][max(2d, m)] */
} State;
static State *SP;
#define V (SP->V)
#define TM (SP->TM)
#define L (SP->L)
#define H (SP->H)
#define D (SP->D)
#define MH (SP->MH)
#define HD (SP->HD)
#define NPARAM (SP->NPARAM)
#define PRM (SP->PRM)
#define GRD (SP->GRD)
#define INP (SP->INP)
#define TGT (SP->TGT)
#define LY (SP->LY)
#define RES (SP->RES)
#define Z (SP->Z)
#define LOGITS (SP->LOGITS)
#define ROWMAX (SP->ROWMAX)
#define ROWSUM (SP->ROWSUM)
#define TLOGIT (SP->TLOGIT)
#define DRES (SP->DRES)
#define DTMP (SP->DTMP)
#define DQ (SP->DQ)
#define DK (SP->DK)
#define DV (SP->DV)
#define DY (SP->DY)
#define DU (SP->DU)

/* ------------------------------------------------------------------------------------------ */
/* memory: a bump allocator (nothing is ever freed; an engine that needs bigger buffers is a   */
/* new instance / arena)                                                                        */
#if defined(__wasm__)
extern unsigned char __heap_base;
static uintptr_t heap_top;
static State state0;

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
#else
/* The arena is memory the caller owns (native-addon.c: a JavaScript ArrayBuffer). With
 * arena_base = 0 the allocator only measures: it hands out fake non-null addresses that the
 * init code stores but never dereferences, and arena_used ends as the bytes needed. */
static unsigned char *arena_base;
static size_t arena_used, arena_cap;

static void *alloc_floats(size_t n) {
  size_t p = (arena_used + 63) & ~(size_t)63;
  if (n > ((size_t)1 << 40)) return 0;
  size_t end = p + n * 4;
  if (arena_base && end > arena_cap) return 0;
  arena_used = end;
  return arena_base ? (void *)(arena_base + p) : (void *)(uintptr_t)(p + 64);
}
#endif

/* ------------------------------------------------------------------------------------------ */
/* exp: Cephes expf (range reduction by ln2, degree-6 polynomial), |rel err| < 2e-7            */
static const float EXP_HI = 88.0f, /* e^88 < FLT_MAX; 2^⌊88·log2e⌉ = 2^127 stays finite */ EXP_LO = -87.3365447504019f;
static const float LOG2EF = 1.44269504088896341f, C1 = 0.693359375f, C2 = -2.12194440e-4f;
static const float P0 = 1.9875691500E-4f, P1 = 1.3981999507E-3f, P2 = 8.3334519073E-3f;
static const float P3 = 4.1665795894E-2f, P4 = 1.6666665459E-1f, P5 = 5.0000001201E-1f;

static inline vf vexp(vf x) {
  x = vmin(vmax(x, vsplat(EXP_LO)), vsplat(EXP_HI));
  vf fx = vnearest(vmul(x, vsplat(LOG2EF)));
  x = vsub(x, vmul(fx, vsplat(C1)));
  x = vsub(x, vmul(fx, vsplat(C2)));
  vf z = vmul(x, x);
  vf y = vsplat(P0);
  y = vfma(y, x, vsplat(P1));
  y = vfma(y, x, vsplat(P2));
  y = vfma(y, x, vsplat(P3));
  y = vfma(y, x, vsplat(P4));
  y = vfma(y, x, vsplat(P5));
  y = vadd(vfma(y, z, x), vsplat(1.0f));
  return vmul(y, vpow2i(fx));
}

static inline float exp1(float x) { return vlane0(vexp(vsplat(x))); }

/* tanh(x) = 1 − 2/(e^{2x}+1); vexp saturates, so large |x| gives ±1 */
static inline vf vtanh(vf x) {
  vf e = vexp(vadd(x, x));
  return vsub(vsplat(1.0f), vdiv(vsplat(2.0f), vadd(e, vsplat(1.0f))));
}

/* ------------------------------------------------------------------------------------------ */
/* GEMM: C[M,N] (row stride ldc) = (acc ? C : 0) + bias[j] + Σ_k A(i,k)·B(k,j)                 */
/* A(i,k) = A[i·ars + k·acs], B(k,j) = B[k·brs + j·bcs]. `tri` exploits causal attention:       */
/*   TRI_OUT   skip MR×NR tiles wholly above the diagonal (j > i): those scores are masked;     */
/*   TRI_A_LO  A is lower-triangular (A(i,k) = 0 for k > i): stop each row block at k = i+MR-1;  */
/*   TRI_A_UP  A is upper-triangular (A(i,k) = 0 for k < i): start each row block at k = i.     */
/* (the A_LO/A_UP shortcuts apply when K fits one k-block, as attention's K = T ≤ 256 does)     */
enum { TRI_NONE = 0, TRI_OUT = 1, TRI_A_LO = 2, TRI_A_UP = 3 };
#define KC 256
#define NCB 256
#define MC (4 * MR) /* rows packed at once from a transposed A */

/* B block (kc × nc) → NR-column panels, zero-padded: dst[p][k][0..NR-1] */
static void pack_b(int kc, int nc, const float *B, int brs, int bcs, float *dst) {
  for (int p = 0; p < nc; p += NR) {
    int w = MIN(NR, nc - p);
    float *d = dst + (size_t)p * kc;
    if (bcs == 1 && w == NR) {
      for (int k = 0; k < kc; k++) {
        const float *s = B + (size_t)k * brs + p;
        for (int v = 0; v < NV; v++) vstore(d + k * NR + v * VW, vload(s + v * VW));
      }
    } else {
      for (int jj = 0; jj < NR; jj++) {
        if (jj < w) {
          const float *s = B + (size_t)(p + jj) * bcs;
          for (int k = 0; k < kc; k++) d[k * NR + jj] = s[(size_t)k * brs];
        } else {
          for (int k = 0; k < kc; k++) d[k * NR + jj] = 0.0f;
        }
      }
    }
  }
}

/* A rows i..i+mr-1, columns k0..k0+kc-1 → one MR-row panel, zero-padded: dst[k][0..MR-1] */
static void pack_a(int kc, int mr, const float *A, int ars, int acs, float *dst) {
  for (int r = 0; r < MR; r++) {
    if (r < mr) {
      const float *s = A + (size_t)r * ars;
      if (acs == 1) for (int k = 0; k < kc; k++) dst[k * MR + r] = s[k];
      else for (int k = 0; k < kc; k++) dst[k * MR + r] = s[(size_t)k * acs];
    } else {
      for (int k = 0; k < kc; k++) dst[k * MR + r] = 0.0f;
    }
  }
}

/* A stored transposed (A(i,k) = A[i + k·acs], rows contiguous along i): pack up to MC rows as
 * four MR-row panels, dst + q·KC·MR, reading each k's MC values at once. Packing one panel at a
 * time would touch every k-line once per panel, and with power-of-two strides (2 KB at M = 512)
 * those lines fall in a couple of L1 sets and thrash. */
static void pack_a_t(int kc, int rows, const float *A, int acs, float *dst) {
  int full = rows / MR, rest = rows % MR;
  for (int k = 0; k < kc; k++) {
    const float *s = A + (size_t)k * acs;
    for (int q = 0; q < full; q++) {
      float *d = dst + (size_t)q * KC * MR + k * MR;
#if MR % VW == 0
      for (int r = 0; r < MR; r += VW) vstore(d + r, vload(s + MR * q + r));
#else
      for (int r = 0; r < MR; r++) d[r] = s[MR * q + r];
#endif
    }
    if (rest) {
      float *d = dst + (size_t)full * KC * MR + k * MR;
      for (int r = 0; r < MR; r++) d[r] = r < rest ? s[MR * full + r] : 0.0f;
    }
  }
}

/* MR×NR register tile over packed panels: MR·NV accumulators, NV B vectors, one broadcast A value */
static inline void kernel(int kc, const float *ap, const float *bp, float *c, int ldc, int mr, int nr, int acc, const float *bias) {
  vf cc[MR][NV];
#pragma GCC unroll 16
  for (int r = 0; r < MR; r++)
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) cc[r][v] = vzero();
  for (int k = 0; k < kc; k++) {
    vf b[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) b[v] = vload(bp + v * VW);
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
      vf x = vbcast(ap + r);
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) cc[r][v] = vfma(x, b[v], cc[r][v]);
    }
    ap += MR;
    bp += NR;
  }
  if (bias) {
    vf q[NV];
    if (nr == NR) {
      for (int v = 0; v < NV; v++) q[v] = vload(bias + v * VW);
    } else {
      float t[NR];
      for (int j = 0; j < NR; j++) t[j] = j < nr ? bias[j] : 0.0f;
      for (int v = 0; v < NV; v++) q[v] = vload(t + v * VW);
    }
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) cc[r][v] = vadd(cc[r][v], q[v]);
  }
  if (mr == MR && nr == NR) {
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
      float *cr = c + (size_t)r * ldc;
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) {
        vf o = cc[r][v];
        if (acc) o = vadd(o, vload(cr + v * VW));
        vstore(cr + v * VW, o);
      }
    }
  } else {
    float t[MR * NR];
    for (int r = 0; r < MR; r++)
      for (int v = 0; v < NV; v++) vstore(t + r * NR + v * VW, cc[r][v]);
    for (int r = 0; r < mr; r++)
      for (int j = 0; j < nr; j++) {
        float *cr = c + (size_t)r * ldc + j;
        *cr = acc ? *cr + t[r * NR + j] : t[r * NR + j];
      }
  }
}

/* one thread's GEMM, with thread `w`'s packing buffers */
static void gemm1(int w, int M, int N, int K, const float *A, int ars, int acs, const float *B, int brs, int bcs, float *C, int ldc,
                  int accumulate, const float *bias, int tri) {
  float *packbuf = SP->packbuf[w], *packa = SP->packa[w];
  for (int j0 = 0; j0 < N; j0 += NCB) {
    int nc = MIN(NCB, N - j0);
    for (int k0 = 0; k0 < K; k0 += KC) {
      int kc = MIN(KC, K - k0);
      pack_b(kc, nc, B + (size_t)k0 * brs + (size_t)j0 * bcs, brs, bcs, packbuf);
      int acc = accumulate || k0 > 0;
      const float *bj = (k0 == 0 && bias) ? bias + j0 : 0;
      const int tpack = acs != 1 && ars == 1 && tri != TRI_A_LO && tri != TRI_A_UP;
      for (int i0 = 0; i0 < M; i0 += MC) {
        const int rows = MIN(MC, M - i0);
        if (tpack) pack_a_t(kc, rows, A + i0 + (size_t)k0 * acs, acs, packa);
        for (int i = i0; i < i0 + rows; i += MR) {
          int mr = MIN(MR, M - i);
          int pend = tri == TRI_OUT ? MIN(nc, i + mr - j0) : nc; /* only panels with j0+p ≤ i+mr−1 */
          if (pend <= 0) continue;
          int ks = 0, ke = kc; /* nonzero range of A's row block inside this k-block */
          if (tri == TRI_A_LO && K <= KC) ke = MIN(kc, i + mr);
          if (tri == TRI_A_UP && K <= KC) ks = MIN(kc, i);
          const float *pa = packa + (size_t)((i - i0) / MR) * KC * MR;
          if (!tpack) { pack_a(ke - ks, mr, A + (size_t)i * ars + (size_t)(k0 + ks) * acs, ars, acs, packa); pa = packa; }
          for (int p = 0; p < pend; p += NR)
            kernel(ke - ks, pa, packbuf + (size_t)p * kc + (size_t)ks * NR, C + (size_t)i * ldc + j0 + p, ldc, mr, MIN(NR, nc - p), acc,
                   bj ? bj + p : 0);
        }
      }
    }
  }
}

/* Weight gradients, C (+)= Aᵀ·B summed over K = B·T rows in k-blocks of KC: each thread computes
 * whole k-blocks — the rows it owns in the activations — into partial products P_b [M, N], then
 * C's rows are split and C (+)= P_0 + P_1 + … added in block order. gemm1 adds the same partials
 * to C in the same order (its kernel sums each k-block from zero, then adds C), so the result is
 * bit-identical to it. Splitting C's rows instead makes every thread read every row of both
 * operands, half of them from the other thread's cache. */
static void gemm_ksplit(int M, int N, int K, const float *A, int acs, const float *B, int brs, int bcs, float *C, int ldc, int accumulate) {
  const int nkb = (K + KC - 1) / KC;
  const size_t mn = (size_t)M * N;
  float *P = SP->kpart;
#if defined(_OPENMP)
#pragma omp parallel num_threads(SP->NT)
#endif
  {
#if defined(_OPENMP)
#pragma omp for schedule(static)
#endif
    for (int b = 0; b < nkb; b++)
      gemm1(WORKER, M, N, MIN(KC, K - b * KC), A + (size_t)b * KC * acs, 1, acs, B + (size_t)b * KC * brs, brs, bcs, P + b * mn, N, 0, 0, TRI_NONE);
#if defined(_OPENMP)
#pragma omp for schedule(static)
#endif
    for (int i = 0; i < M; i++) {
      float *restrict c = C + (size_t)i * ldc;
      const float *restrict p0 = P + (size_t)i * N;
      if (!accumulate) for (int j = 0; j < N; j++) c[j] = p0[j];
      else for (int j = 0; j < N; j++) c[j] += p0[j];
      for (int b = 1; b < nkb; b++) { /* element-wise over j, block by block: no sum is reassociated */
        const float *restrict pb = P + b * mn + (size_t)i * N;
        for (int j = 0; j < N; j++) c[j] += pb[j];
      }
    }
  }
}

/* GEMM over all threads, BLIS-style: for each (column block j0, k-block k0) the threads first
 * pack B's block once into a shared buffer (panels split among them), then split the rows of C
 * in MC-row blocks, each thread packing its own A. Splitting C instead — each thread running
 * gemm1 on its chunk — packs B once per chunk; for the weight gradients (K = B·T = 2048) that
 * repacking cost 2 threads a quarter of their speed-up (measured). The shared buffer alternates
 * between two halves, so one barrier per block suffices: a thread can only start packing block
 * p+1 into the half block p−1 used after every thread has passed block p's barrier, i.e. has
 * finished block p−1. Every C element is summed over k in the same order as gemm1 alone, so the
 * result is bit-identical for any thread count. Weight gradients go to gemm_ksplit. */
static void gemm(int M, int N, int K, const float *A, int ars, int acs, const float *B, int brs, int bcs, float *C, int ldc,
                 int accumulate, const float *bias) {
  if (SP->NT <= 1 || (double)M * N * K < 65536.0) { gemm1(0, M, N, K, A, ars, acs, B, brs, bcs, C, ldc, accumulate, bias, TRI_NONE); return; }
  if (ars == 1 && acs != 1 && !bias && K >= 2 * KC && (size_t)M * N <= SP->kpart_mn && (K + KC - 1) / KC <= SP->kpart_nb) {
    gemm_ksplit(M, N, K, A, acs, B, brs, bcs, C, ldc, accumulate);
    return;
  }
  const int tpack = acs != 1 && ars == 1;
  const int nblk = (M + MC - 1) / MC;
#if defined(_OPENMP)
#pragma omp parallel num_threads(SP->NT)
#endif
  {
    const int w = WORKER;
    float *packa = SP->packa[w];
    int phase = 0;
    for (int j0 = 0; j0 < N; j0 += NCB) {
      const int nc = MIN(NCB, N - j0), npan = (nc + NR - 1) / NR;
      for (int k0 = 0; k0 < K; k0 += KC, phase++) {
        const int kc = MIN(KC, K - k0);
        float *pb = SP->shpack[phase & 1];
#if defined(_OPENMP)
#pragma omp for schedule(static)
#endif
        for (int q = 0; q < npan; q++)
          pack_b(kc, MIN(NR, nc - q * NR), B + (size_t)k0 * brs + (size_t)(j0 + q * NR) * bcs, brs, bcs, pb + (size_t)q * NR * kc);
        const int acc = accumulate || k0 > 0;
        const float *bj = (k0 == 0 && bias) ? bias + j0 : 0;
#if defined(_OPENMP)
#pragma omp for schedule(static) nowait
#endif
        for (int ib = 0; ib < nblk; ib++) {
          const int i0 = ib * MC, rows = MIN(MC, M - i0);
          if (tpack) pack_a_t(kc, rows, A + i0 + (size_t)k0 * acs, acs, packa);
          for (int i = i0; i < i0 + rows; i += MR) {
            const int mr = MIN(MR, M - i);
            const float *pa = packa + (size_t)((i - i0) / MR) * KC * MR;
            if (!tpack) { pack_a(kc, mr, A + (size_t)i * ars + (size_t)k0 * acs, ars, acs, packa); pa = packa; }
            for (int p = 0; p < nc; p += NR)
              kernel(kc, pa, pb + (size_t)p * kc, C + (size_t)i * ldc + j0 + p, ldc, mr, MIN(NR, nc - p), acc, bj ? bj + p : 0);
          }
        }
      }
    }
  }
}

/* ------------------------------------------------------------------------------------------ */
/* helpers of the layers below                                                                 */

/* Sums over rows (bias and LayerNorm γ/β gradients) go in two passes: each block of RB rows sums
 * into its own partial row (blocks split over threads), then the partials are added in block
 * order. The blocks are fixed, so the order of every sum is the same for any thread count. Split
 * by columns instead, each thread strides over all N rows for a few columns; on 2 threads that
 * was slower than 1 (measured: bias sums 0.44–0.53×, LayerNorm backward 0.70–0.98×). */
#define RB 64

/* dst[j] (+)= Σ_b part[b·stride + j] over nb partial rows, in b order; part[0..n) is overwritten */
static void add_partials(int nb, int n, float *restrict part, size_t stride, float *restrict dst) {
  for (int b = 1; b < nb; b++) {
    const float *restrict pb = part + (size_t)b * stride;
    for (int j = 0; j < n; j++) part[j] += pb[j];
  }
  for (int j = 0; j < n; j++) dst[j] += part[j];
}

/* db[j] += Σ_i dy[i, j]; dy [N, n], db [n] */
static void colsum_acc(int N, int n, const float *dy, float *db) {
  const int nb = (N + RB - 1) / RB;
  float *part = SP->colpart; /* [nb][n] */
  PARALLEL_CHUNKS
  for (int blk = 0; blk < nb; blk++) {
    float *restrict pr = part + (size_t)blk * n;
    for (int j = 0; j < n; j++) pr[j] = 0.0f;
    for (int i = blk * RB; i < MIN(N, blk * RB + RB); i++) {
      const float *restrict r = dy + (size_t)i * n;
      for (int j = 0; j < n; j++) pr[j] += r[j];
    }
  }
  add_partials(nb, n, part, (size_t)n, db);
}

/* dst[0..n) = src[0..n) */
static void copy_par(size_t n, const float *src, float *dst) {
  const int nt = NCHUNK;
  PARALLEL_CHUNKS
  for (int t = 0; t < nt; t++) {
    int lo, hi;
    chunk_range((int)(n / 16), nt, t, 1, &lo, &hi);
    size_t a = (size_t)lo * 16, b = t == nt - 1 ? n : (size_t)hi * 16;
    for (size_t i = a; i < b; i++) dst[i] = src[i];
  }
}

/* ------------------------------------------------------------------------------------------ */
/* the layers, in llm.c's shape (karpathy/llm.c train_gpt2.c): one forward and one backward    */
/* per layer type, outputs first, then inputs, then sizes. Element-wise passes give each thread */
/* a fixed range of rows; sums over rows go through colsum_acc's fixed blocks.                 */

/* encoder: out [N, d] = wte[inp[i]] + wpe[i mod T] for the N = B·T tokens inp [N] (B sequences
 * of T, row-major); wte [V, d], wpe [Tmax, d] */
static void encoder_forward(float *out, const int32_t *inp, const float *wte, const float *wpe, int N, int T, int d) {
  const int nt = NCHUNK;
  PARALLEL_CHUNKS
  for (int t = 0; t < nt; t++) {
    int lo, hi;
    chunk_range(N, nt, t, 1, &lo, &hi);
    for (int i = lo; i < hi; i++) {
      const float *e = wte + (size_t)inp[i] * d, *p = wpe + (size_t)(i % T) * d;
      float *x = out + (size_t)i * d;
      for (int j = 0; j < d; j++) x[j] = e[j] + p[j];
    }
  }
}

/* dwte [V, d] += dout[i] at row inp[i], dwpe [Tmax, d] += dout[i] at row i mod T, for i in row
 * order; dout [N, d]. A token repeats across rows, so threads split the columns (16 at a time)
 * rather than the rows: every sum stays in row order. */
static void encoder_backward(float *dwte, float *dwpe, const float *dout, const int32_t *inp, int N, int T, int d) {
  const int nt = NCHUNK;
  PARALLEL_CHUNKS
  for (int t = 0; t < nt; t++) {
    int lo, hi;
    chunk_range(d, nt, t, 16, &lo, &hi);
    for (int i = 0; i < N; i++) {
      const float *dx = dout + (size_t)i * d;
      float *e = dwte + (size_t)inp[i] * d, *p = dwpe + (size_t)(i % T) * d;
      for (int j = lo; j < hi; j++) { e[j] += dx[j]; p[j] += dx[j]; }
    }
  }
}

/* LayerNorm over the last dimension (eps 1e-5, biased variance, as torch): out [N, C] =
 * (inp − μ)·rstd·weight + bias per row, rstd = 1/√(σ² + eps); saves mean [N] and rstd [N] for
 * the backward pass; weight, bias [C] */
static void layernorm_forward(float *out, float *mean, float *rstd, const float *inp, const float *weight, const float *bias, int N, int C) {
  const int nt = NCHUNK;
  PARALLEL_CHUNKS
  for (int t = 0; t < nt; t++) {
    int lo, hi;
    chunk_range(N, nt, t, 1, &lo, &hi);
    for (int i = lo; i < hi; i++) {
      const float *xi = inp + (size_t)i * C;
      float *oi = out + (size_t)i * C;
      float s = 0;
      for (int j = 0; j < C; j++) s += xi[j];
      float mu = s / C, v = 0;
      for (int j = 0; j < C; j++) { float q = xi[j] - mu; v += q * q; }
      float r = 1.0f / __builtin_sqrtf(v / C + 1e-5f);
      for (int j = 0; j < C; j++) oi[j] = (xi[j] - mu) * r * weight[j] + bias[j];
      mean[i] = mu;
      rstd[i] = r;
    }
  }
}

/* backward of layernorm_forward: dinp [N, C] (+)= ∂/∂inp of dout [N, C] (accumulate: onto the
 * residual stream's gradient, which is how the residual branches join), dweight, dbias [C] +=
 * Σ_rows dout·x̂ and Σ_rows dout in colsum_acc's fixed 64-row blocks */
static void layernorm_backward(float *dinp, float *dweight, float *dbias, const float *dout, const float *inp, const float *weight,
                               const float *mean, const float *rstd, int N, int C, int accumulate) {
  const int nb = (N + RB - 1) / RB;
  float *part = SP->colpart; /* block b: dweight partial at part + 2bC, dbias partial at part + 2bC + C */
  PARALLEL_CHUNKS
  for (int blk = 0; blk < nb; blk++) {
    float *restrict pg = part + (size_t)blk * 2 * C, *restrict pb = pg + C;
    for (int j = 0; j < C; j++) pg[j] = pb[j] = 0.0f;
    for (int i = blk * RB; i < MIN(N, blk * RB + RB); i++) {
      const float *restrict xi = inp + (size_t)i * C, *restrict doi = dout + (size_t)i * C;
      float *restrict dxi = dinp + (size_t)i * C;
      const float mu = mean[i], r = rstd[i];
      float s1 = 0, s2 = 0;
      for (int j = 0; j < C; j++) {
        float xh = (xi[j] - mu) * r, dxh = doi[j] * weight[j];
        s1 += dxh;
        s2 += dxh * xh;
      }
      s1 /= C; s2 /= C;
      /* two loops rather than one with `accumulate ?` inside: gcc vectorizes neither branch of the fused one (measured) */
      if (accumulate) for (int j = 0; j < C; j++) dxi[j] += r * (doi[j] * weight[j] - s1 - (xi[j] - mu) * r * s2);
      else for (int j = 0; j < C; j++) dxi[j] = r * (doi[j] * weight[j] - s1 - (xi[j] - mu) * r * s2);
      for (int j = 0; j < C; j++) {
        pg[j] += doi[j] * ((xi[j] - mu) * r);
        pb[j] += doi[j];
      }
    }
  }
  add_partials(nb, C, part, (size_t)2 * C, dweight);
  add_partials(nb, C, part + C, (size_t)2 * C, dbias);
}

/* Linear layers are thin names over gemm (which picks the threaded path), so each product says
 * which tensor is which. Weights are mixlab's [in, out] (y = x·W + b, config.ts). */

/* out [N, OC] = inp [N, C]·weight [C, OC] + bias [OC] */
static inline void matmul_forward(float *out, const float *inp, const float *weight, const float *bias, int N, int C, int OC) {
  gemm(N, OC, C, inp, C, 1, weight, OC, 1, out, OC, 0, bias);
}

/* A projection and the residual add after it, fused: out [N, OC] = residual [N, OC] + inp [N, C]·
 * weight [C, OC] + bias [OC]. The residual is copied into out and the kernel accumulates onto it
 * (the first k-block's product plus bias, then each later k-block's), so no pass adds two [N, OC]
 * arrays. Its backward is matmul_backward with dout = ∂out, which is also ∂residual: the residual
 * stream's gradient passes through unchanged. */
static void matmul_residual_forward(float *out, const float *residual, const float *inp, const float *weight, const float *bias, int N, int C, int OC) {
  copy_par((size_t)N * OC, residual, out);
  gemm(N, OC, C, inp, C, 1, weight, OC, 1, out, OC, 1, bias);
}

/* backward of out = inp·weight + bias for dout [N, OC]: dbias [OC] += Σ_rows dout; dweight
 * [C, OC] += inpᵀ·dout (a sum over the N rows: gemm_ksplit's k-blocks when threaded);
 * dinp [N, C] (+)= dout·weightᵀ (accumulate: several products feeding one input) */
static void matmul_backward(float *dinp, float *dweight, float *dbias, const float *dout, const float *inp, const float *weight, int N, int C, int OC,
                            int accumulate) {
  colsum_acc(N, OC, dout, dbias);
  gemm(C, OC, N, inp, 1, C, dout, OC, 1, dweight, OC, 1, 0);
  gemm(N, C, OC, dout, OC, 1, weight, 1, OC, dinp, C, accumulate, 0);
}

/* The tied output layer, weight stored [OC, C] (torch's nn.Linear layout) and read as stored:
 * logits [N, V] = z [N, d]·wteᵀ, wte [V, d]; no bias */
static inline void matmul_tied_forward(float *out, const float *inp, const float *weight, int N, int C, int OC) {
  gemm(N, OC, C, inp, C, 1, weight, 1, C, out, OC, 0, 0);
}

/* backward of matmul_tied_forward: dinp [N, C] = dout [N, OC]·weight [OC, C]; dweight [OC, C] +=
 * doutᵀ·inp (wte's gradient from the output layer; encoder_backward adds the embedding's) */
static void matmul_tied_backward(float *dinp, float *dweight, const float *dout, const float *inp, const float *weight, int N, int C, int OC) {
  gemm(N, C, OC, dout, OC, 1, weight, C, 1, dinp, C, 0, 0);
  gemm(OC, C, N, dout, 1, OC, inp, C, 1, dweight, C, 1, 0);
}

/* x[0..n) ← exp(x·scale − shift); returns the sum */
static float exp_shift_sum(float *x, int n, float scale, float shift) {
  vf vs = vsplat(scale), vh = vsplat(shift), acc = vzero();
  int j = 0;
  for (; j + VW <= n; j += VW) {
    vf e = vexp(vsub(vmul(vload(x + j), vs), vh));
    vstore(x + j, e);
    acc = vadd(acc, e);
  }
  float s = vhsum(acc);
  for (; j < n; j++) { x[j] = exp1(x[j] * scale - shift); s += x[j]; }
  return s;
}

/* Causal multi-head attention over B sequences of T rows, nh heads of hd = d/nh. q, k, v, y
 * [N, d]: head h of sequence b is the [T, hd] block at rows b·T.., columns h·hd.. (read and
 * written in place through strides, never transposed or copied). For each (b, h):
 *   att_bh [T, T] = softmax over j ≤ i of q_bh·k_bhᵀ/√hd (zero above the diagonal), saved for
 *   the backward pass (att [B, nh, T, T]); y_bh [T, hd] = att_bh·v_bh.
 * Threads split the B·nh pairs; each pair runs on one thread with that thread's gemm buffers. */
static void attention_forward(float *y, float *att, const float *q, const float *k, const float *v, int Bn, int T, int d, int nh) {
  const int nt = NCHUNK, nbh = Bn * nh, hd = d / nh;
  const float scale = 1.0f / __builtin_sqrtf((float)hd);
  PARALLEL_CHUNKS
  for (int t = 0; t < nt; t++) {
    int lo, hi;
    chunk_range(nbh, nt, t, 1, &lo, &hi);
    for (int bh = lo; bh < hi; bh++) {
      const int b = bh / nh, h = bh % nh;
      size_t ro = (size_t)b * T * d + (size_t)h * hd; /* head h of sequence b inside [N, d] */
      float *S = att + (size_t)bh * T * T;             /* [T, T] */
      /* S = q·kᵀ (causal tiles only), then row softmax of S·scale over j ≤ i */
      gemm1(WORKER, T, T, hd, q + ro, d, 1, k + ro, 1, d, S, T, 0, 0, TRI_OUT);
      for (int i = 0; i < T; i++) {
        float *s = S + (size_t)i * T, mx = s[0];
        for (int j = 1; j <= i; j++) mx = s[j] > mx ? s[j] : mx;
        float sum = exp_shift_sum(s, i + 1, scale, mx * scale), inv = 1.0f / sum;
        for (int j = 0; j <= i; j++) s[j] *= inv;
        for (int j = i + 1; j < T; j++) s[j] = 0.0f;
      }
      /* y_bh = P·v_bh [T, hd] */
      gemm1(WORKER, T, hd, T, S, T, 1, v + ro, d, 1, y + ro, d, 0, 0, TRI_A_LO);
    }
  }
}

/* backward of attention_forward: dq, dk, dv [N, d] = ∂/∂q, k, v of dy [N, d], from the saved
 * att; per (b, h), with dS in this thread's [T, T] scratch:
 *   dP = dy·vᵀ, dv = Pᵀ·dy, dS = P ⊙ (dP − rowsum(dP ⊙ P))/√hd, dq = dS·k, dk = dSᵀ·q */
static void attention_backward(float *dq, float *dk, float *dv, const float *dy, const float *att, const float *q, const float *k, const float *v,
                               int Bn, int T, int d, int nh) {
  const int nt = NCHUNK, nbh = Bn * nh, hd = d / nh;
  const float scale = 1.0f / __builtin_sqrtf((float)hd);
  PARALLEL_CHUNKS
  for (int t = 0; t < nt; t++) {
    int lo, hi;
    chunk_range(nbh, nt, t, 1, &lo, &hi);
    float *DATT = SP->datt[WORKER];
    for (int bh = lo; bh < hi; bh++) {
      const int b = bh / nh, h = bh % nh;
      size_t ro = (size_t)b * T * d + (size_t)h * hd;
      const float *P = att + (size_t)bh * T * T;
      gemm1(WORKER, T, T, hd, dy + ro, d, 1, v + ro, 1, d, DATT, T, 0, 0, TRI_OUT); /* dP = dy·vᵀ */
      gemm1(WORKER, T, hd, T, P, 1, T, dy + ro, d, 1, dv + ro, d, 0, 0, TRI_A_UP);  /* dv = Pᵀ·dy */
      for (int i = 0; i < T; i++) {                                            /* dS = P⊙(dP − ⟨dP,P⟩)·scale */
        float *dp = DATT + (size_t)i * T;
        const float *p = P + (size_t)i * T;
        float s = 0;
        for (int j = 0; j <= i; j++) s += dp[j] * p[j];
        for (int j = 0; j <= i; j++) dp[j] = p[j] * (dp[j] - s) * scale;
        for (int j = i + 1; j < T; j++) dp[j] = 0.0f;
      }
      gemm1(WORKER, T, hd, T, DATT, T, 1, k + ro, d, 1, dq + ro, d, 0, 0, TRI_A_LO); /* dq = dS·k */
      gemm1(WORKER, T, hd, T, DATT, 1, T, q + ro, d, 1, dk + ro, d, 0, 0, TRI_A_UP); /* dk = dSᵀ·q */
    }
  }
}

static const float GELU_C = 0.7978845608028654f; /* √(2/π) */

static inline vf gelu_inner(vf x) { return vmul(vsplat(GELU_C), vadd(x, vmul(vsplat(0.044715f), vmul(x, vmul(x, x))))); }

/* g = 0.5·u·(1 + tanh(c·(u + 0.044715u³))) for elements [a, b) of the flat array; keeps the tanh for backward */
static void gelu_forward_span(size_t a, size_t b, const float *u, float *g, float *th) {
  size_t i = a;
  for (; i + VW <= b; i += VW) {
    vf x = vload(u + i);
    vf t = vtanh(gelu_inner(x));
    vstore(th + i, t);
    vstore(g + i, vmul(vmul(vsplat(0.5f), x), vadd(vsplat(1.0f), t)));
  }
  if (i < b) { /* tail: through a zero-padded vector */
    float xs[VW], ts[VW];
    for (int j = 0; j < VW; j++) xs[j] = i + j < b ? u[i + j] : 0.0f;
    vstore(ts, vtanh(gelu_inner(vload(xs))));
    for (int j = 0; i + j < b; j++) { th[i + j] = ts[j]; g[i + j] = 0.5f * xs[j] * (1.0f + ts[j]); }
  }
}

/* dg ← dg · gelu'(u) in place, t = tanh(c·(u + 0.044715u³)) saved by the forward pass */
static inline vf gelu_grad(vf x, vf t) {
  vf x2 = vmul(x, x);
  vf dinner = vmul(vsplat(GELU_C), vadd(vsplat(1.0f), vmul(vsplat(3 * 0.044715f), x2)));
  vf sech2 = vsub(vsplat(1.0f), vmul(t, t));
  return vadd(vmul(vsplat(0.5f), vadd(vsplat(1.0f), t)), vmul(vmul(vsplat(0.5f), x), vmul(sech2, dinner)));
}
static void gelu_backward_span(size_t a, size_t b, const float *u, const float *th, float *dg) {
  size_t i = a;
  for (; i + VW <= b; i += VW) vstore(dg + i, vmul(vload(dg + i), gelu_grad(vload(u + i), vload(th + i))));
  if (i < b) {
    float xs[VW], ts[VW], gs[VW];
    for (int j = 0; j < VW; j++) { xs[j] = i + j < b ? u[i + j] : 0.0f; ts[j] = i + j < b ? th[i + j] : 0.0f; }
    vstore(gs, gelu_grad(vload(xs), vload(ts)));
    for (int j = 0; i + j < b; j++) dg[i + j] *= gs[j];
  }
}

/* Rows of m floats per whole number of vectors. The GELU passes run over the N·m values of
 * their rows as one flat array, VW at a time, and finish a chunk that does not end on a whole
 * vector through the zero-padded tail, whose scalar arithmetic rounds differently from the
 * vector body. Chunks start on a multiple of this many rows, so every element takes the same
 * path on any thread count (one thread: the only tail is the array's end). */
static inline int rows_per_vector(int m) {
  int r = 1;
  while (((size_t)r * m) % VW) r++;
  return r;
}

/* GELU (tanh approximation, GPT-2's): out [N, m] = gelu(inp [N, m]); th [N, m] keeps the tanh
 * for the backward pass */
static void gelu_forward(float *out, float *th, const float *inp, int N, int m) {
  const int nt = NCHUNK, align = rows_per_vector(m);
  PARALLEL_CHUNKS
  for (int t = 0; t < nt; t++) {
    int lo, hi;
    chunk_range(N, nt, t, align, &lo, &hi);
    if (hi > lo) gelu_forward_span((size_t)lo * m, (size_t)hi * m, inp, out, th);
  }
}

/* backward of gelu_forward, in place: d [N, m] holds ∂out on entry and ∂inp on return */
static void gelu_backward(float *d, const float *inp, const float *th, int N, int m) {
  const int nt = NCHUNK, align = rows_per_vector(m);
  PARALLEL_CHUNKS
  for (int t = 0; t < nt; t++) {
    int lo, hi;
    chunk_range(N, nt, t, align, &lo, &hi);
    if (hi > lo) gelu_backward_span((size_t)lo * m, (size_t)hi * m, inp, th, d);
  }
}

/* Softmax and cross-entropy, fused. Forward: per row of logits [N, V], the statistics the loss
 * and the backward pass need — rowmax [N], rowsum [N] = Σ_j exp(logit − max), tlogit [N] =
 * logit[target] (targets [N]). The row loss max + log Σ − tlogit is formed in float64 by the
 * caller (engine-fused.ts), so no log is needed here; logits stay as they are (logits() reads them). */
static void softmax_crossentropy_forward(float *rowmax, float *rowsum, float *tlogit, const float *logits, const int32_t *targets, int N, int vocab) {
  const int nt = NCHUNK;
  PARALLEL_CHUNKS
  for (int t = 0; t < nt; t++) {
    int lo, hi;
    chunk_range(N, nt, t, 1, &lo, &hi);
    for (int i = lo; i < hi; i++) {
      const float *r = logits + (size_t)i * vocab;
      float mx = r[0];
      for (int j = 1; j < vocab; j++) mx = r[j] > mx ? r[j] : mx;
      vf acc = vzero(), vm = vsplat(mx);
      int j = 0;
      for (; j + VW <= vocab; j += VW) acc = vadd(acc, vexp(vsub(vload(r + j), vm)));
      float s = vhsum(acc);
      for (; j < vocab; j++) s += exp1(r[j] - mx);
      rowmax[i] = mx;
      rowsum[i] = s;
      tlogit[i] = r[targets[i]];
    }
  }
}

/* backward of the mean cross-entropy over the N rows: dlogits [N, V] = (softmax − onehot(target))
 * / N, computed from the forward statistics and written over the logits in place */
static void softmax_crossentropy_backward(float *dlogits, const float *rowmax, const float *rowsum, const int32_t *targets, int N, int vocab) {
  const int nt = NCHUNK;
  const float invN = 1.0f / N;
  PARALLEL_CHUNKS
  for (int t = 0; t < nt; t++) {
    int lo, hi;
    chunk_range(N, nt, t, 1, &lo, &hi);
    for (int i = lo; i < hi; i++) {
      float *r = dlogits + (size_t)i * vocab;
      const float mx = rowmax[i], sc = invN / rowsum[i];
      vf vm = vsplat(mx), vs = vsplat(sc);
      int j = 0;
      for (; j + VW <= vocab; j += VW) vstore(r + j, vmul(vexp(vsub(vload(r + j), vm)), vs));
      for (; j < vocab; j++) r[j] = exp1(r[j] - mx) * sc;
      r[targets[i]] -= invN;
    }
  }
}

/* ------------------------------------------------------------------------------------------ */
/* create an engine; returns 0, or -1 when memory runs out / the config is out of range        */
static int engine_init(int vocab, int blockSize, int nLayer, int nHead, int dModel, int dMlp, int capN, int capT, int threads) {
  V = vocab; TM = blockSize; L = nLayer; H = nHead; D = dModel; MH = dMlp; HD = dModel / nHead;
  SP->CAP_N = capN; SP->CAP_T = capT; SP->NT = threads;
  if (L > MAXL || (D % 4) || (MH % 4) || (V % 4) || threads < 1 || threads > MAXT) return -1;
  size_t off = 0;
  SP->OFF_WTE = off; off += (size_t)V * D;
  SP->OFF_WPE = off; off += (size_t)TM * D;
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
  SP->OFF_LNFG = off; off += D; SP->OFF_LNFB = off; off += D;
  NPARAM = off;
  size_t N = (size_t)capN, Nd = N * D, Nm = N * MH;
  size_t att = (size_t)capN * capT * H; /* B·H·T·T ≤ capN·capT·H since B·T ≤ capN, T ≤ capT */
  int ok = 1;
#define A(p, n) ok = ok && ((p) = alloc_floats(n)) != 0
  A(PRM, NPARAM); A(GRD, NPARAM);
  for (int t = 0; t < threads; t++) { A(SP->packbuf[t], (size_t)KC * NCB); A(SP->packa[t], (size_t)KC * MC); A(SP->datt[t], (size_t)capT * capT); }
  A(SP->colpart, (size_t)((capN + RB - 1) / RB) * (2 * D > MH ? 2 * D : MH));
  if (threads > 1) {
    A(SP->shpack[0], (size_t)KC * NCB); A(SP->shpack[1], (size_t)KC * NCB);
    size_t mn = (size_t)D * MH; /* the largest weight: W1/W2 [d, m], Wq…Wo [d, d], wte [V, d] */
    if ((size_t)D * D > mn) mn = (size_t)D * D;
    if ((size_t)V * D > mn) mn = (size_t)V * D;
    SP->kpart_mn = mn; SP->kpart_nb = (capN + KC - 1) / KC;
    A(SP->kpart, (size_t)SP->kpart_nb * mn);
  }
  A(INP, N); A(TGT, N);
  for (int l = 0; ok && l <= L; l++) A(RES[l], Nd);
  for (int l = 0; ok && l < L; l++) {
    Layer *y = &LY[l];
    A(y->ln1_mean, N); A(y->ln1_rstd, N); A(y->a, Nd); A(y->q, Nd); A(y->k, Nd); A(y->v, Nd);
    A(y->att, att); A(y->y, Nd); A(y->mid, Nd); A(y->ln2_mean, N); A(y->ln2_rstd, N); A(y->h, Nd);
    A(y->u, Nm); A(y->g, Nm); A(y->th, Nm);
  }
  A(SP->lnf_mean, N); A(SP->lnf_rstd, N); A(Z, Nd); A(LOGITS, N * V); A(ROWMAX, N); A(ROWSUM, N); A(TLOGIT, N);
  A(DRES, Nd); A(DTMP, Nd); A(DQ, Nd); A(DK, Nd); A(DV, Nd); A(DY, Nd); A(DU, Nm);
#undef A
  return ok ? 0 : -1;
}

/* ------------------------------------------------------------------------------------------ */
/* forward, one call per step of gpt.ts: residual states RES[0..nblocks]; with `logits`, also  */
/* LN_f, the logits and the cross-entropy statistics the loss and the backward pass need       */
static void engine_forward(int Bn, int T, int nblocks, int logits) {
  const int N = Bn * T;
  const float *wte = PRM + SP->OFF_WTE, *wpe = PRM + SP->OFF_WPE;
  encoder_forward(RES[0], INP, wte, wpe, N, T, D); /* x0 = wte[token] + wpe[position] */
  for (int l = 0; l < nblocks; l++) {
    Layer *ly = &LY[l];
    const float *x = RES[l]; /* [N, d] */
    /* attention: mid = x + Attn(LN1(x)) */
    layernorm_forward(ly->a, ly->ln1_mean, ly->ln1_rstd, x, PRM + ly->ln1g, PRM + ly->ln1b, N, D);
    matmul_forward(ly->q, ly->a, PRM + ly->wq, PRM + ly->bq, N, D, D);
    matmul_forward(ly->k, ly->a, PRM + ly->wk, PRM + ly->bk, N, D, D);
    matmul_forward(ly->v, ly->a, PRM + ly->wv, PRM + ly->bv, N, D, D);
    attention_forward(ly->y, ly->att, ly->q, ly->k, ly->v, Bn, T, D, H);
    matmul_residual_forward(ly->mid, x, ly->y, PRM + ly->wo, PRM + ly->bo, N, D, D); /* mid = x + y·Wo + bo */
    /* MLP: out = mid + gelu(LN2(mid)·W1 + b1)·W2 + b2 */
    layernorm_forward(ly->h, ly->ln2_mean, ly->ln2_rstd, ly->mid, PRM + ly->ln2g, PRM + ly->ln2b, N, D);
    matmul_forward(ly->u, ly->h, PRM + ly->w1, PRM + ly->b1, N, D, MH); /* [N, m] */
    gelu_forward(ly->g, ly->th, ly->u, N, MH);
    matmul_residual_forward(RES[l + 1], ly->mid, ly->g, PRM + ly->w2, PRM + ly->b2, N, MH, D);
  }
  if (!logits) return;
  layernorm_forward(Z, SP->lnf_mean, SP->lnf_rstd, RES[L], PRM + SP->OFF_LNFG, PRM + SP->OFF_LNFB, N, D);
  matmul_tied_forward(LOGITS, Z, wte, N, D, V); /* logits = z·wteᵀ [N, V] */
  softmax_crossentropy_forward(ROWMAX, ROWSUM, TLOGIT, LOGITS, TGT, N, V);
}

/* ------------------------------------------------------------------------------------------ */
/* backward of the mean cross-entropy after engine_forward(B, T, L, 1), engine_forward's steps  */
/* in reverse: fills GRD. DRES carries ∂/∂(residual stream) down the blocks; DTMP takes the     */
/* gradient of a LayerNorm's output, DU the MLP's hidden, DY/DQ/DK/DV attention's.             */
static void engine_backward(int Bn, int T) {
  const int N = Bn * T;
  float *gwte = GRD + SP->OFF_WTE, *gwpe = GRD + SP->OFF_WPE;
  __builtin_memset(GRD, 0, NPARAM * sizeof(float));
  softmax_crossentropy_backward(LOGITS, ROWMAX, ROWSUM, TGT, N, V);                /* dlogits, in place */
  matmul_tied_backward(DTMP, gwte, LOGITS, Z, PRM + SP->OFF_WTE, N, D, V);         /* dz, dwte += dlogitsᵀ·z */
  layernorm_backward(DRES, GRD + SP->OFF_LNFG, GRD + SP->OFF_LNFB, DTMP, RES[L], PRM + SP->OFF_LNFG, SP->lnf_mean, SP->lnf_rstd, N, D, 0);
  for (int l = L - 1; l >= 0; l--) {
    Layer *ly = &LY[l];
    /* MLP: DRES = ∂out is also ∂mid's residual share (the residual's backward is the identity) */
    matmul_backward(DU, GRD + ly->w2, GRD + ly->b2, DRES, ly->g, PRM + ly->w2, N, MH, D, 0); /* ∂g */
    gelu_backward(DU, ly->u, ly->th, N, MH);                                                 /* ∂u */
    matmul_backward(DTMP, GRD + ly->w1, GRD + ly->b1, DU, ly->h, PRM + ly->w1, N, D, MH, 0); /* ∂h */
    layernorm_backward(DRES, GRD + ly->ln2g, GRD + ly->ln2b, DTMP, ly->mid, PRM + ly->ln2g, ly->ln2_mean, ly->ln2_rstd, N, D, 1); /* ∂mid */
    /* attention: DRES = ∂mid, also ∂x's residual share */
    matmul_backward(DY, GRD + ly->wo, GRD + ly->bo, DRES, ly->y, PRM + ly->wo, N, D, D, 0); /* ∂y */
    attention_backward(DQ, DK, DV, DY, ly->att, ly->q, ly->k, ly->v, Bn, T, D, H);
    matmul_backward(DTMP, GRD + ly->wq, GRD + ly->bq, DQ, ly->a, PRM + ly->wq, N, D, D, 0); /* ∂a = dq·Wqᵀ + dk·Wkᵀ + dv·Wvᵀ */
    matmul_backward(DTMP, GRD + ly->wk, GRD + ly->bk, DK, ly->a, PRM + ly->wk, N, D, D, 1);
    matmul_backward(DTMP, GRD + ly->wv, GRD + ly->bv, DV, ly->a, PRM + ly->wv, N, D, D, 1);
    layernorm_backward(DRES, GRD + ly->ln1g, GRD + ly->ln1b, DTMP, RES[l], PRM + ly->ln1g, ly->ln1_mean, ly->ln1_rstd, N, D, 1); /* ∂x */
  }
  encoder_backward(gwte, gwpe, DRES, INP, N, T, D); /* dwte[token] += ∂x0, dwpe[position] += ∂x0 */
}

/* ------------------------------------------------------------------------------------------ */
/* WebAssembly exports (pointers are byte offsets into the instance's memory); the native      */
/* build's entry points are in native-addon.c, which includes this file                        */
#if defined(__wasm__)
EXPORT(mx_init) int mx_init(int vocab, int blockSize, int nLayer, int nHead, int dModel, int dMlp, int capN, int capT) {
  SP = &state0;
  return engine_init(vocab, blockSize, nLayer, nHead, dModel, dMlp, capN, capT, 1);
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
EXPORT(mx_forward) void mx_forward(int Bn, int T, int nblocks, int logits) { engine_forward(Bn, T, nblocks, logits); }
EXPORT(mx_backward) void mx_backward(int Bn, int T) { engine_backward(Bn, T); }
#endif
