/*
 * Node-API wrapper of gpt_engine.c for the native build (see native-build.ts):
 *   cc -O3 -march=native -ffast-math -fopenmp -fPIC -I<node headers> -c native-addon.c; cc -shared -fopenmp …
 * Each engine lives in one JavaScript ArrayBuffer the caller allocates: its State struct first,
 * then every buffer, so the JavaScript side reads parameters, gradients and logits through
 * views on that ArrayBuffer exactly as it reads a WebAssembly instance's memory, and the
 * garbage collector frees an engine like any other buffer. Pointers cross as byte offsets.
 *
 *   bytes(V, Tm, L, H, d, m, capN, capT, threads) → bytes the ArrayBuffer needs (-1: config out of range)
 *   init(mem, V, Tm, L, H, d, m, capN, capT, threads) → 0, or -1
 *   ptr(mem, which, layer) → byte offset of a buffer (which: 0 params, 1 grads, 2 inputs,
 *     3 targets, 4 logits, 5 rowmax, 6 rowsum, 7 tlogit, 8 hidden state `layer`)
 *   nparams(mem); forward(mem, B, T, nblocks, logits); backward(mem, B, T)
 *   adamw(mem, params, grad, m, v, mask, [b1, b2, stepSize, sqrtBc2, eps, decay]) — the AdamW update
 *     of train/optimizer.ts (same double-precision expression, same roundings, so bit-identical
 *     to it), elements split over the engine's threads
 *   clip(mem, grad, maxNorm, block) → the norm before clipping; train/optimizer.ts clipGradNorm
 *     bit for bit, blocks of `block` elements split over the engine's threads
 *   info() → { vectorWidth, mr, nr, openmp }
 * The engine code reaches its state through one global (SP, which the OpenMP threads read too),
 * so calls are serialised by a mutex: engines in different worker_threads stay correct.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gpt_engine.c"

#define ALIGN 64

static pthread_mutex_t engine_lock = PTHREAD_MUTEX_INITIALIZER;

static napi_value throw_msg(napi_env env, const char *msg) {
  napi_throw_error(env, "MIXLAB_NATIVE", msg);
  return NULL;
}

/* argv[0..n) as int32 (argv[first..]) */
static int ints(napi_env env, napi_value *argv, int first, int n, int *out) {
  for (int i = 0; i < n; i++)
    if (napi_get_value_int32(env, argv[first + i], &out[i]) != napi_ok) return 0;
  return 1;
}

/* the engine whose ArrayBuffer is `v`: sets SP (NULL when `v` is not one) */
static State *engine_of(napi_env env, napi_value v) {
  void *data;
  size_t len;
  if (napi_get_arraybuffer_info(env, v, &data, &len) != napi_ok || len < sizeof(State) + ALIGN) return NULL;
  uintptr_t base = ((uintptr_t)data + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
  SP = (State *)base;
  return SP;
}

static napi_value num(napi_env env, double x) {
  napi_value r;
  napi_create_double(env, x, &r);
  return r;
}

static napi_value js_bytes(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  int a[9];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 9 || !ints(env, argv, 0, 9, a)) return throw_msg(env, "bytes(V, Tm, L, H, d, m, capN, capT, threads)");
  static State probe;
  pthread_mutex_lock(&engine_lock);
  SP = &probe;
  memset(&probe, 0, sizeof probe);
  arena_base = NULL;
  arena_used = sizeof(State);
  int rc = engine_init(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
  size_t need = arena_used + 2 * ALIGN;
  pthread_mutex_unlock(&engine_lock);
  return num(env, rc == 0 ? (double)need : -1.0);
}

static napi_value js_init(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  int a[9];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 10 || !ints(env, argv, 1, 9, a)) return throw_msg(env, "init(mem, V, Tm, L, H, d, m, capN, capT, threads)");
  void *data;
  size_t len;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &len) != napi_ok) return throw_msg(env, "init: mem must be an ArrayBuffer");
  pthread_mutex_lock(&engine_lock);
  State *s = engine_of(env, argv[0]);
  int rc = -1;
  if (s) {
    memset(s, 0, sizeof *s);
    arena_base = (unsigned char *)s;
    arena_cap = len - ((uintptr_t)s - (uintptr_t)data);
    arena_used = sizeof(State);
    rc = engine_init(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
    arena_base = NULL;
  }
  pthread_mutex_unlock(&engine_lock);
  return num(env, rc);
}

static napi_value js_ptr(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  void *data;
  size_t len;
  int a[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 3 || napi_get_arraybuffer_info(env, argv[0], &data, &len) != napi_ok || !ints(env, argv, 1, 2, a)) return throw_msg(env, "ptr(mem, which, layer)");
  void *p = NULL;
  pthread_mutex_lock(&engine_lock);
  if (engine_of(env, argv[0])) {
    switch (a[0]) {
      case 0: p = PRM; break;
      case 1: p = GRD; break;
      case 2: p = INP; break;
      case 3: p = TGT; break;
      case 4: p = LOGITS; break;
      case 5: p = ROWMAX; break;
      case 6: p = ROWSUM; break;
      case 7: p = TLOGIT; break;
      case 8: p = a[1] >= 0 && a[1] <= L ? RES[a[1]] : NULL; break;
    }
  }
  pthread_mutex_unlock(&engine_lock);
  if (!p) return throw_msg(env, "ptr: no such buffer");
  return num(env, (double)((uintptr_t)p - (uintptr_t)data));
}

static napi_value js_nparams(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  double n = -1;
  pthread_mutex_lock(&engine_lock);
  if (argc == 1 && engine_of(env, argv[0])) n = (double)NPARAM;
  pthread_mutex_unlock(&engine_lock);
  if (n < 0) return throw_msg(env, "nparams(mem)");
  return num(env, n);
}

static napi_value js_forward(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  int a[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 5 || !ints(env, argv, 1, 4, a)) return throw_msg(env, "forward(mem, B, T, nblocks, logits)");
  const char *err = NULL;
  pthread_mutex_lock(&engine_lock);
  if (!engine_of(env, argv[0])) err = "forward: mem is not an engine";
  else if (a[0] < 1 || a[1] < 1 || a[0] * a[1] > SP->CAP_N || a[1] > SP->CAP_T || a[2] < 0 || a[2] > L) err = "forward: shape out of range";
  else engine_forward(a[0], a[1], a[2], a[3]);
  pthread_mutex_unlock(&engine_lock);
  return err ? throw_msg(env, err) : NULL;
}

static napi_value js_backward(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int a[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 3 || !ints(env, argv, 1, 2, a)) return throw_msg(env, "backward(mem, B, T)");
  const char *err = NULL;
  pthread_mutex_lock(&engine_lock);
  if (!engine_of(env, argv[0])) err = "backward: mem is not an engine";
  else if (a[0] < 1 || a[1] < 1 || a[0] * a[1] > SP->CAP_N || a[1] > SP->CAP_T) err = "backward: shape out of range";
  else engine_backward(a[0], a[1]);
  pthread_mutex_unlock(&engine_lock);
  return err ? throw_msg(env, err) : NULL;
}

/* AdamW exactly as train/optimizer.ts computes it in JavaScript: doubles, no contraction, no
 * reassociation (fast-math off for this function), float32 stores; element-wise, so splitting
 * the range over threads changes nothing. Vectorized: no branch (p·1.0 is p exactly) and no
 * errno from √ (v ≥ 0), or gcc keeps the loop scalar (measured 7–10 ms per 1M parameters). */
#pragma GCC push_options
#pragma GCC optimize("no-fast-math", "fp-contract=off", "no-math-errno")
static void adamw_range(size_t lo, size_t hi, float *restrict p, const float *restrict g, float *restrict m, float *restrict v,
                        const uint8_t *restrict mask, const double *k) {
  const double b1 = k[0], b2 = k[1], stepSize = k[2], sqrtBc2 = k[3], eps = k[4], decay = k[5];
  const double c1 = 1 - b1, c2 = 1 - b2;
  for (size_t i = lo; i < hi; i++) {
    const double gi = g[i];
    const double mi = b1 * (double)m[i] + c1 * gi;
    m[i] = (float)mi;
    const double vi = b2 * (double)v[i] + c2 * gi * gi;
    v[i] = (float)vi;
    const double pp = (double)p[i] * (mask[i] ? decay : 1.0);
    p[i] = (float)(pp - (stepSize * mi) / (__builtin_sqrt(vi) / sqrtBc2 + eps));
  }
}
#pragma GCC pop_options

/* a typed array's data and element count (0 when `v` is not one of `type`) */
static void *typed(napi_env env, napi_value v, napi_typedarray_type type, size_t *n) {
  napi_typedarray_type t;
  void *data = NULL;
  if (napi_get_typedarray_info(env, v, &t, n, &data, NULL, NULL) != napi_ok || t != type) { *n = 0; return NULL; }
  return data;
}

static napi_value js_adamw(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  size_t np = 0, ng = 0, nm = 0, nv = 0, nk = 0, nmask = 0;
  if (argc != 7) return throw_msg(env, "adamw(mem, params, grad, m, v, mask, constants)");
  float *p = typed(env, argv[1], napi_float32_array, &np), *g = typed(env, argv[2], napi_float32_array, &ng);
  float *m = typed(env, argv[3], napi_float32_array, &nm), *v = typed(env, argv[4], napi_float32_array, &nv);
  uint8_t *mask = typed(env, argv[5], napi_uint8_array, &nmask);
  double *k = typed(env, argv[6], napi_float64_array, &nk);
  if (!p || !g || !m || !v || !mask || !k || nk != 6 || ng != np || nm != np || nv != np || nmask != np)
    return throw_msg(env, "adamw: params, grad, m, v (Float32Array), mask (Uint8Array) of one length and 6 constants (Float64Array)");
  pthread_mutex_lock(&engine_lock);
  int nt = engine_of(env, argv[0]) ? SP->NT : 1;
  const size_t n = np;
  (void)nt;
#pragma omp parallel for num_threads(nt) schedule(static) if (nt > 1 && n > 65536)
  for (int t = 0; t < nt; t++) {
    size_t per = (n + nt - 1) / nt, lo = (size_t)t * per, hi = lo + per < n ? lo + per : n;
    if (lo < hi) adamw_range(lo, hi, p, g, m, v, mask, k);
  }
  pthread_mutex_unlock(&engine_lock);
  return NULL;
}

/* Gradient clipping exactly as train/optimizer.ts clipGradNorm computes it: Σ g² in double, each
 * `block` elements in index order, then the blocks' sums in block order (blocks split over the
 * engine's threads, so the sum is the same double for any thread count), norm = √Σ, and when
 * norm > maxNorm every element scaled by maxNorm / (norm + 1e-6) in double, stored as float32. */
#pragma GCC push_options
#pragma GCC optimize("no-fast-math", "fp-contract=off")
static double sumsq_range(const float *g, size_t lo, size_t hi) {
  double s = 0;
  for (size_t i = lo; i < hi; i++) { const double x = g[i]; s += x * x; }
  return s;
}
static void scale_range(float *g, size_t lo, size_t hi, double k) {
  for (size_t i = lo; i < hi; i++) g[i] = (float)((double)g[i] * k);
}
/* returns the norm before clipping, or -1 when the per-block sums cannot be allocated */
static double clip_norm(float *g, size_t n, size_t block, double maxNorm, int nt) {
  const long nb = (long)((n + block - 1) / block);
  double *part = malloc((size_t)(nb > 0 ? nb : 1) * sizeof(double)), s = 0;
  if (!part) return -1;
#pragma omp parallel for num_threads(nt) schedule(static) if (nt > 1 && nb > 1)
  for (long b = 0; b < nb; b++) part[b] = sumsq_range(g, (size_t)b * block, MIN(n, (size_t)(b + 1) * block));
  for (long b = 0; b < nb; b++) s += part[b];
  free(part);
  const double norm = __builtin_sqrt(s);
  if (maxNorm > 0 && norm > maxNorm) {
    const double k = maxNorm / (norm + 1e-6);
#pragma omp parallel for num_threads(nt) schedule(static) if (nt > 1 && nb > 1)
    for (long b = 0; b < nb; b++) scale_range(g, (size_t)b * block, MIN(n, (size_t)(b + 1) * block), k);
  }
  return norm;
}
#pragma GCC pop_options

static napi_value js_clip(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  size_t n = 0;
  double maxNorm = 0, block = 0;
  float *g = argc == 4 ? typed(env, argv[1], napi_float32_array, &n) : NULL;
  if (!g || napi_get_value_double(env, argv[2], &maxNorm) != napi_ok || napi_get_value_double(env, argv[3], &block) != napi_ok || !(block >= 1))
    return throw_msg(env, "clip(mem, grad (Float32Array), maxNorm, block ≥ 1)");
  pthread_mutex_lock(&engine_lock);
  const int nt = engine_of(env, argv[0]) ? SP->NT : 1;
  const double norm = clip_norm(g, n, (size_t)block, maxNorm, nt);
  pthread_mutex_unlock(&engine_lock);
  return norm < 0 ? throw_msg(env, "clip: out of memory") : num(env, norm);
}

static napi_value js_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value o;
  napi_create_object(env, &o);
  napi_set_named_property(env, o, "vectorWidth", num(env, VW));
  napi_set_named_property(env, o, "mr", num(env, MR));
  napi_set_named_property(env, o, "nr", num(env, NR));
#if defined(_OPENMP)
  napi_set_named_property(env, o, "openmp", num(env, 1));
#else
  napi_set_named_property(env, o, "openmp", num(env, 0));
#endif
  return o;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
    {"bytes", NULL, js_bytes, NULL, NULL, NULL, napi_default, NULL},
    {"init", NULL, js_init, NULL, NULL, NULL, napi_default, NULL},
    {"ptr", NULL, js_ptr, NULL, NULL, NULL, napi_default, NULL},
    {"nparams", NULL, js_nparams, NULL, NULL, NULL, napi_default, NULL},
    {"forward", NULL, js_forward, NULL, NULL, NULL, napi_default, NULL},
    {"backward", NULL, js_backward, NULL, NULL, NULL, napi_default, NULL},
    {"adamw", NULL, js_adamw, NULL, NULL, NULL, napi_default, NULL},
    {"clip", NULL, js_clip, NULL, NULL, NULL, napi_default, NULL},
    {"info", NULL, js_info, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
