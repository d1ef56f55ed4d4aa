/*
 * Kiln runtime, GEMM kernels: a template instantiated by kiln_gemm.h once per vector ISA (kiln_simd.h's protocol:
 * KS_VB, KS_REGS, KS_FMA, KS_SFX, KS_ATTR, KS_L1, KS_L2, KS_L3) and, inside, once per element type (this file
 * includes itself with KG_T set). No include guard, on purpose. Design: docs/design/numpy-kernels.md.
 *
 * The algorithm is Goto's (as in GotoBLAS, OpenBLAS and BLIS), written for row-major C with vectors along N:
 *   for each block of MC rows of A (jc)            A block packed: MC x KC, in MR-row slivers   (L3)
 *     for each block of KC steps of K (pc)
 *       for each block of NC columns of B (ic)     B block packed: KC x NC, in NR-column panels (L2)
 *         for each sliver of MR rows (jr)          one sliver, KC x MR, stays in L1
 *           for each panel of NR columns (ir)      micro-kernel: an MR x NR tile of C in registers
 * The micro-kernel keeps MR x NR accumulators in vector registers; per step of k it loads NR values of B (NV
 * vectors) and broadcasts MR values of A. Packing makes any strides contiguous (transposed and strided inputs) and
 * pads edges with zeros; edge tiles run the same kernel on a copy of the tile, so every element of C is computed
 * by the same operations in the same order wherever it lies: for each K block in order, c = c + a[i,k]*b[k,j] for
 * k in order (fused where the ISA has FMA), starting from 0. Threads split the jr/ir loops (rows or columns of C),
 * never K, so the result is bit-identical for any thread count.
 */
#ifndef KG_T
/* ---- first inclusion for this ISA: instantiate each element type ---- */
#define KG_T double
#define KG_N f64
#define KG_FLOAT 1
#include "kiln_gemm_kernels.h"
#undef KG_T
#undef KG_N
#undef KG_FLOAT
#define KG_T float
#define KG_N f32
#define KG_FLOAT 1
#include "kiln_gemm_kernels.h"
#undef KG_T
#undef KG_N
#undef KG_FLOAT
/* Integers wrap (NumPy's integer matmul): unsigned arithmetic, the same bits for signed operands. */
#define KG_T uint64_t
#define KG_N u64
#define KG_FLOAT 0
#include "kiln_gemm_kernels.h"
#undef KG_T
#undef KG_N
#undef KG_FLOAT
#define KG_T uint32_t
#define KG_N u32
#define KG_FLOAT 0
#include "kiln_gemm_kernels.h"
#undef KG_T
#undef KG_N
#undef KG_FLOAT
#else
/* ---- one (ISA, element type) instance ---- */
#define KG_FN(name) KS_CAT(KS_CAT(KS_CAT(name, _), KG_N), KS_SFX)
#define KG_V KG_FN(kg_v)
typedef KG_T KG_V __attribute__((vector_size(KS_VB)));
#define KG_VL (KS_VB / (int)sizeof(KG_T))

/* Register tile: MR rows (broadcast) x NV vectors (NR = NV * VL columns). Accumulators MR*NV, plus NV loads of B,
   one broadcast of A, and one temporary where multiply and add are separate instructions. */
#if KS_REGS >= 32 && KS_VB >= 64
/* Floats: 8 x 2 vectors (16 accumulators). 14 x 2 fills the registers, but on Zen 4 (512-bit operations in two
   halves) 8 x 2 is 5-15% faster at 64-512 and fills 64-row products without an edge sliver. */
#define KG_NV 2
#define KG_MR ((KG_FLOAT && KS_FMA) ? 8 : 12)
#elif KS_REGS >= 32
#define KG_NV 4
#define KG_MR 6
#elif KG_FLOAT && KS_FMA
#define KG_NV 2
#define KG_MR 6
#else
#define KG_NV 2
#define KG_MR 4
#endif
#define KG_NR (KG_NV * KG_VL)
/* Cache blocks: a sliver of A (MR x KC) fills about KS_L1 bytes, a block of B (KC x NC) about KS_L2, a block of A
   (MC x KC) about KS_L3. Each may be set with -DKG_KC=... for tuning (all types at once). */
#ifdef KG_KC
#define KG_KC_(T) KG_KC
#else
#define KG_KC_(T) ((KS_L1 / (KG_MR * (int)sizeof(T))) / 16 * 16)
#endif
#ifdef KG_NC
#define KG_NC_(T) KG_NC
#else
#define KG_NC_(T) ((KS_L2 / (KG_KC_(T) * (int)sizeof(T))) / KG_NR * KG_NR)
#endif
#ifdef KG_MC
#define KG_MC_(T) KG_MC
#else
#define KG_MC_(T) ((KS_L3 / (KG_KC_(T) * (int)sizeof(T))) / KG_MR * KG_MR)
#endif

static KS_ATTR inline KG_V KG_FN(kg_load)(const KG_T *p) { KG_V v; memcpy(&v, p, sizeof v); return v; }
static KS_ATTR inline void KG_FN(kg_store)(KG_T *p, KG_V v) { memcpy(p, &v, sizeof v); }
/* c + b * a, fused where the target has FMA (floats), wrapping (integers). */
static KS_ATTR inline KG_V KG_FN(kg_madd)(KG_V c, KG_V b, KG_T a) {
#pragma STDC FP_CONTRACT ON
  return c + b * a;
}
static KS_ATTR inline KG_V KG_FN(kg_maddv)(KG_V c, KG_V b, KG_V a) {
#pragma STDC FP_CONTRACT ON
  return c + b * a;
}
static KS_ATTR inline KG_T KG_FN(kg_madd1)(KG_T c, KG_T b, KG_T a) {
#pragma STDC FP_CONTRACT ON
  return c + b * a;
}

/* C[MR x NR] = (load_c ? C : 0) + A * B over kc steps, C rows ldc apart, columns contiguous. A's value of row i at
   step k is a[i * ars + k * aks], B's NR values at step k start at b + k * bks (contiguous). */
static KS_ATTR KILN_ALWAYS_INLINE void KG_FN(kg_tile)(int64_t kc, const KG_T *restrict a, int64_t ars, int64_t aks, const KG_T *restrict b,
                                                      int64_t bks, KG_T *restrict c, int64_t ldc, int load_c) {
  KG_V acc[KG_MR][KG_NV];
  KS_UNROLL for (int i = 0; i < KG_MR; i++)
    KS_UNROLL for (int v = 0; v < KG_NV; v++) acc[i][v] = load_c ? KG_FN(kg_load)(c + i * ldc + v * KG_VL) : (KG_V){ 0 };
  for (int64_t k = 0; k < kc; k++) {
    KG_V bv[KG_NV];
    KS_UNROLL for (int v = 0; v < KG_NV; v++) bv[v] = KG_FN(kg_load)(b + v * KG_VL);
    KS_UNROLL for (int i = 0; i < KG_MR; i++) {
      KG_T ai = a[i * ars];
      KS_UNROLL for (int v = 0; v < KG_NV; v++) acc[i][v] = KG_FN(kg_madd)(acc[i][v], bv[v], ai);
    }
    a += aks;
    b += bks;
  }
  KS_UNROLL for (int i = 0; i < KG_MR; i++)
    KS_UNROLL for (int v = 0; v < KG_NV; v++) KG_FN(kg_store)(c + i * ldc + v * KG_VL, acc[i][v]);
}
/* The packed micro-kernel: a sliver (kc steps of MR values) times a panel (kc steps of NR values). */
static KS_ATTR __attribute__((noinline)) void KG_FN(kg_kernel)(int64_t kc, const KG_T *restrict ap, const KG_T *restrict bp, KG_T *restrict c, int64_t ldc, int load_c) {
  KG_FN(kg_tile)(kc, ap, 1, KG_MR, bp, KG_NR, c, ldc, load_c);
}
/* The same operations on operands where they lie: MR rows of A rsa apart (steps contiguous), rows of B rsb apart. */
static KS_ATTR __attribute__((noinline)) void KG_FN(kg_kernel_rows)(int64_t kc, const KG_T *restrict a, int64_t rsa, const KG_T *restrict b, int64_t rsb,
                                                                   KG_T *restrict c, int64_t ldc, int load_c) {
  KG_FN(kg_tile)(kc, a, rsa, 1, b, rsb, c, ldc, load_c);
}

/* Packs rows [0, mc) x columns [0, kc) of A into MR-row slivers: sliver s holds kc steps of MR values. */
static KS_ATTR void KG_FN(kg_pack_a)(int64_t mc, int64_t kc, const KG_T *a, int64_t rsa, int64_t csa, KG_T *restrict ap) {
  for (int64_t s = 0; s < mc; s += KG_MR) {
    int64_t mr = mc - s < KG_MR ? mc - s : KG_MR;
    KG_T *dst = ap + s * kc;
    const KG_T *src = a + s * rsa;
    if (mr == KG_MR && csa == 1) {
      /* MR rows read in step, the sliver written in order (one stream of stores instead of MR strided ones). */
      KS_PLAIN for (int64_t k = 0; k < kc; k++) KS_UNROLL for (int i = 0; i < KG_MR; i++) dst[k * KG_MR + i] = src[i * rsa + k];
    } else if (mr == KG_MR && rsa == 1) {
      for (int64_t k = 0; k < kc; k++) KS_UNROLL for (int i = 0; i < KG_MR; i++) dst[k * KG_MR + i] = src[k * csa + i];
    } else {
      KS_PLAIN for (int64_t k = 0; k < kc; k++)
        KS_PLAIN for (int i = 0; i < KG_MR; i++) dst[k * KG_MR + i] = i < mr ? src[i * rsa + k * csa] : (KG_T)0;
    }
  }
}

/* Packs rows [0, kc) x columns [0, nc) of B into NR-column panels: panel q holds kc steps of NR values. */
static KS_ATTR void KG_FN(kg_pack_b)(int64_t kc, int64_t nc, const KG_T *b, int64_t rsb, int64_t csb, KG_T *restrict bp) {
  for (int64_t q = 0; q < nc; q += KG_NR) {
    int64_t nr = nc - q < KG_NR ? nc - q : KG_NR;
    KG_T *dst = bp + q * kc;
    const KG_T *src = b + q * csb;
    if (nr == KG_NR && csb == 1) {
      for (int64_t k = 0; k < kc; k++)
        KS_UNROLL for (int v = 0; v < KG_NV; v++) KG_FN(kg_store)(dst + k * KG_NR + v * KG_VL, KG_FN(kg_load)(src + k * rsb + v * KG_VL));
    } else if (nr == KG_NR && rsb == 1) {
      /* NR columns read in step, the panel written in order. */
      KS_PLAIN for (int64_t k = 0; k < kc; k++) KS_UNROLL for (int j = 0; j < KG_NR; j++) dst[k * KG_NR + j] = src[j * csb + k];
    } else {
      KS_PLAIN for (int64_t k = 0; k < kc; k++)
        KS_PLAIN for (int j = 0; j < KG_NR; j++) dst[k * KG_NR + j] = j < nr ? src[k * rsb + j * csb] : (KG_T)0;
    }
  }
}

/* Slivers [s0, s1) of the packed A block times the packed B block (kc x nc) into C (at the block's origin). */
static KS_ATTR void KG_FN(kg_macro)(int64_t mc, int64_t s0, int64_t s1, int64_t nc, int64_t kc, const KG_T *ap, const KG_T *bp,
                                     KG_T *c, int64_t rsc, int64_t csc, int load_c) {
  for (int64_t s = s0; s < s1; s += KG_MR) {
    int64_t mr = mc - s < KG_MR ? mc - s : KG_MR;
    for (int64_t q = 0; q < nc; q += KG_NR) {
      int64_t nr = nc - q < KG_NR ? nc - q : KG_NR;
      KG_T *ct = c + s * rsc + q * csc;
      if (mr == KG_MR && nr == KG_NR && csc == 1) {
        KG_FN(kg_kernel)(kc, ap + s * kc, bp + q * kc, ct, rsc, load_c);
      } else {
        /* An edge or strided tile: the same kernel on a copy, so the same operations as anywhere else. */
        KG_T tile[KG_MR * KG_NR];
        if (load_c)
          KS_PLAIN for (int64_t i = 0; i < mr; i++) KS_PLAIN for (int64_t j = 0; j < nr; j++) tile[i * KG_NR + j] = ct[i * rsc + j * csc];
        KG_FN(kg_kernel)(kc, ap + s * kc, bp + q * kc, tile, KG_NR, load_c);
        KS_PLAIN for (int64_t i = 0; i < mr; i++) KS_PLAIN for (int64_t j = 0; j < nr; j++) ct[i * rsc + j * csc] = tile[i * KG_NR + j];
      }
    }
  }
}

/* ---- small products: no packing ----
   When A and B fit in the L2 budget together and their rows are contiguous, packing (a transposing copy of A, a copy
   of B) costs a fifth of the product (64 x 64). The kernel then reads them where they lie; only an edge (fewer than MR
   rows, fewer than NR columns) is copied, zero-padded, into the same row layout. The same kernel steps in the same
   order as the blocked product: the same bits. Returns 0, or -1 (MemoryError). */
static KS_ATTR int KG_FN(kg_gemm_rows)(int64_t m, int64_t n, int64_t k, const KG_T *a, int64_t rsa, const KG_T *b, int64_t rsb, KG_T *c,
                                        int64_t rsc, int64_t csc) {
  int64_t kc_block = KG_KC_(KG_T) < 16 ? 16 : KG_KC_(KG_T), kk = k < kc_block ? k : kc_block;
  int64_t m_full = m / KG_MR * KG_MR, n_full = n / KG_NR * KG_NR;
  KG_T *edge_a = NULL, *edge_b = NULL;
  if (m_full < m || n_full < n) {
    edge_a = (KG_T *)malloc((size_t)(KG_MR + KG_NR) * (size_t)kk * sizeof(KG_T));
    if (!edge_a) return kr_raise_memory();
    edge_b = edge_a + KG_MR * kk;
  }
  for (int64_t pc = 0; pc < k; pc += kc_block) {
    int64_t kc = k - pc < kc_block ? k - pc : kc_block;
    int load_c = pc > 0;
    if (n_full < n)
      KS_PLAIN for (int64_t p = 0; p < kc; p++)
        KS_PLAIN for (int64_t j = 0; j < KG_NR; j++) edge_b[p * KG_NR + j] = n_full + j < n ? b[(pc + p) * rsb + n_full + j] : (KG_T)0;
    for (int64_t s = 0; s < m; s += KG_MR) {
      const KG_T *as = a + s * rsa + pc;
      int64_t ars = rsa, mr = m - s < KG_MR ? m - s : KG_MR;
      if (mr < KG_MR) {
        KS_PLAIN for (int64_t i = 0; i < KG_MR; i++)
          KS_PLAIN for (int64_t p = 0; p < kc; p++) edge_a[i * kc + p] = i < mr ? as[i * rsa + p] : (KG_T)0;
        as = edge_a;
        ars = kc;
      }
      for (int64_t q = 0; q < n; q += KG_NR) {
        int64_t nr = n - q < KG_NR ? n - q : KG_NR;
        const KG_T *bq = q < n_full ? b + pc * rsb + q : edge_b;
        int64_t brs = q < n_full ? rsb : KG_NR;
        KG_T *ct = c + s * rsc + q * csc;
        if (mr == KG_MR && nr == KG_NR && csc == 1) {
          KG_FN(kg_kernel_rows)(kc, as, ars, bq, brs, ct, rsc, load_c);
        } else {
          KG_T tile[KG_MR * KG_NR];
          if (load_c)
            KS_PLAIN for (int64_t i = 0; i < mr; i++) KS_PLAIN for (int64_t j = 0; j < nr; j++) tile[i * KG_NR + j] = ct[i * rsc + j * csc];
          KG_FN(kg_kernel_rows)(kc, as, ars, bq, brs, tile, KG_NR, load_c);
          KS_PLAIN for (int64_t i = 0; i < mr; i++) KS_PLAIN for (int64_t j = 0; j < nr; j++) ct[i * rsc + j * csc] = tile[i * KG_NR + j];
        }
      }
    }
  }
  free(edge_a);
  return 0;
}

/* ---- the blocked product, threaded over rows or columns of C ---- */
typedef struct {
  int64_t n, nc_block;
  const KG_T *a, *b;
  int64_t rsa, csa, rsb, csb, rsc, csc;
  KG_T *c, *ap, *bp; /* ap: the shared A block; bp: one B block per worker */
  int64_t bp_stride;
  int64_t jc, mc, pc, kc; /* the current A block */
  int by_rows;            /* tasks are ranges of slivers (else ranges of NR-column panels) */
} KG_FN(kg_job);

static KS_ATTR int KG_FN(kg_pack_a_task)(void *p, int64_t lo, int64_t hi, int worker) {
  KG_FN(kg_job) *j = (KG_FN(kg_job) *)p;
  (void)worker;
  int64_t s0 = lo * KG_MR, s1 = hi * KG_MR < j->mc ? hi * KG_MR : j->mc;
  KG_FN(kg_pack_a)(s1 - s0, j->kc, j->a + (j->jc + s0) * j->rsa + j->pc * j->csa, j->rsa, j->csa, j->ap + s0 * j->kc);
  return 0;
}
/* Tasks: by_rows, slivers [lo, hi) of the A block times all of B; else panels [lo, hi) of B times the A block. */
static KS_ATTR int KG_FN(kg_compute_task)(void *p, int64_t lo, int64_t hi, int worker) {
  KG_FN(kg_job) *j = (KG_FN(kg_job) *)p;
  KG_T *bp = j->bp + worker * j->bp_stride;
  int64_t s0 = 0, s1 = j->mc, n0 = 0, n1 = j->n;
  if (j->by_rows) { s0 = lo * KG_MR; s1 = hi * KG_MR < j->mc ? hi * KG_MR : j->mc; }
  else { n0 = lo * KG_NR; n1 = hi * KG_NR < j->n ? hi * KG_NR : j->n; }
  for (int64_t ic = n0; ic < n1; ic += j->nc_block) {
    int64_t nc = n1 - ic < j->nc_block ? n1 - ic : j->nc_block;
    KG_FN(kg_pack_b)(j->kc, nc, j->b + j->pc * j->rsb + ic * j->csb, j->rsb, j->csb, bp);
    KG_FN(kg_macro)(j->mc, s0, s1, nc, j->kc, j->ap, bp, j->c + j->jc * j->rsc + ic * j->csc, j->rsc, j->csc, j->pc > 0);
  }
  return 0;
}

/* C (m x n) = A (m x k) @ B (k x n), m, n, k >= 1; threads: how many may work on it. 0, or -1 (MemoryError). */
static KS_ATTR int KG_FN(kg_gemm)(int64_t m, int64_t n, int64_t k, const KG_T *a, int64_t rsa, int64_t csa, const KG_T *b, int64_t rsb,
                                   int64_t csb, KG_T *c, int64_t rsc, int64_t csc, int threads) {
  if (threads <= 1 && csa == 1 && csb == 1 && (double)(m * k + k * n) * sizeof(KG_T) <= KS_L2)
    return KG_FN(kg_gemm_rows)(m, n, k, a, rsa, b, rsb, c, rsc, csc);
  KG_FN(kg_job) j;
  j.n = n; j.a = a; j.b = b; j.c = c;
  j.rsa = rsa; j.csa = csa; j.rsb = rsb; j.csb = csb; j.rsc = rsc; j.csc = csc;
  int64_t kc_block = KG_KC_(KG_T), mc_block = KG_MC_(KG_T), nc_block = KG_NC_(KG_T);
  if (kc_block < 16) kc_block = 16;
  if (mc_block < KG_MR) mc_block = KG_MR;
  if (nc_block < KG_NR) nc_block = KG_NR;
  int64_t slivers_m = (m + KG_MR - 1) / KG_MR, panels_n = (n + KG_NR - 1) / KG_NR;
  /* Rows or columns for the threads: columns while there are enough panels for everyone. */
  j.by_rows = threads > 1 && panels_n < 2 * threads && slivers_m > panels_n;
  /* Buffers: the A block, and one B block (KC x NC at most) per thread. */
  int64_t a_rows = (m < mc_block ? slivers_m * KG_MR : mc_block), kk = k < kc_block ? k : kc_block;
  int64_t b_cols = n < nc_block ? panels_n * KG_NR : nc_block;
  j.nc_block = nc_block;
  j.bp_stride = (kk * b_cols + 63) / 64 * 64 + 64 / (int64_t)sizeof(KG_T);
  int64_t a_elems = (a_rows * kk + 63) / 64 * 64; /* the B blocks start 64-byte aligned too */
  void *mem = malloc((size_t)(a_elems + threads * j.bp_stride) * sizeof(KG_T) + 64);
  if (!mem) return kr_raise_memory();
  j.ap = (KG_T *)(((uintptr_t)mem + 63) & ~(uintptr_t)63);
  j.bp = j.ap + a_elems;
  int rc = 0;
  for (j.jc = 0; j.jc < m && !rc; j.jc += mc_block) {
    j.mc = m - j.jc < mc_block ? m - j.jc : mc_block;
    int64_t slivers = (j.mc + KG_MR - 1) / KG_MR;
    for (j.pc = 0; j.pc < k && !rc; j.pc += kc_block) {
      j.kc = k - j.pc < kc_block ? k - j.pc : kc_block;
      if (threads > 1) {
        rc = kr_parallel_for_n(0, slivers, (slivers + threads - 1) / threads, KG_FN(kg_pack_a_task), &j, threads);
        if (!rc) {
          int64_t units = j.by_rows ? slivers : panels_n;
          /* Twice as many chunks as threads when there is enough work: an idle thread takes the rest. */
          int64_t chunks = units >= 4 * threads ? 2 * threads : threads;
          rc = kr_parallel_for_n(0, units, (units + chunks - 1) / chunks, KG_FN(kg_compute_task), &j, threads);
        }
      } else {
        KG_FN(kg_pack_a_task)(&j, 0, slivers, 0);
        KG_FN(kg_compute_task)(&j, 0, panels_n, 0);
      }
    }
  }
  free(mem);
  return rc;
}

/* The blocking this instance uses: MR, NR, KC, NC, MC (docs/design/numpy-kernels.md prints them per ISA). */
static inline void KG_FN(kg_params)(int64_t p[5]) {
  p[0] = KG_MR; p[1] = KG_NR; p[2] = KG_KC_(KG_T); p[3] = KG_NC_(KG_T); p[4] = KG_MC_(KG_T);
}

/* ---- matrix-vector and vector-vector products ---- */
/* x . y in a fixed order: four vector accumulators over the multiples of 4*VL, added pairwise, then lane by lane,
   then the rest in order; strided, four scalar accumulators. */
static KS_ATTR KG_T KG_FN(kg_dot)(int64_t n, const KG_T *x, int64_t incx, const KG_T *y, int64_t incy) {
  KG_T s = 0;
  int64_t i = 0;
  if (incx == 1 && incy == 1) {
    if (n >= 4 * KG_VL) {
      KG_V acc[4] = { { 0 }, { 0 }, { 0 }, { 0 } };
      for (; i + 4 * KG_VL <= n; i += 4 * KG_VL)
        KS_UNROLL for (int u = 0; u < 4; u++)
          acc[u] = KG_FN(kg_maddv)(acc[u], KG_FN(kg_load)(x + i + u * KG_VL), KG_FN(kg_load)(y + i + u * KG_VL));
      KG_V t = (acc[0] + acc[1]) + (acc[2] + acc[3]);
      KS_UNROLL for (int l = 0; l < KG_VL; l++) s += t[l];
    }
    for (; i < n; i++) s = KG_FN(kg_madd1)(s, x[i], y[i]);
    return s;
  }
  KG_T r[4] = { 0, 0, 0, 0 };
  for (; i + 4 <= n; i += 4)
    KS_UNROLL for (int u = 0; u < 4; u++) r[u] = KG_FN(kg_madd1)(r[u], x[(i + u) * incx], y[(i + u) * incy]);
  s = (r[0] + r[1]) + (r[2] + r[3]);
  for (; i < n; i++) s = KG_FN(kg_madd1)(s, x[i * incx], y[i * incy]);
  return s;
}

typedef struct {
  int64_t k;
  const KG_T *a, *x;
  int64_t rsa, csa, incx, incy;
  KG_T *y;
} KG_FN(kg_gemv_job);
/* Rows [lo, hi) of y = A x: a dot product per row (rows of A contiguous, or anything else). */
static KS_ATTR int KG_FN(kg_gemv_rows)(void *p, int64_t lo, int64_t hi, int worker) {
  KG_FN(kg_gemv_job) *j = (KG_FN(kg_gemv_job) *)p;
  (void)worker;
  for (int64_t i = lo; i < hi; i++) j->y[i * j->incy] = KG_FN(kg_dot)(j->k, j->a + i * j->rsa, j->csa, j->x, j->incx);
  return 0;
}
/* Blocks [lo, hi) of 4*VL rows of y = A x with the columns of A contiguous (rsa == 1): y_block += A[block, k] x[k]
   for k in order, in registers. */
static KS_ATTR int KG_FN(kg_gemv_cols)(void *p, int64_t lo, int64_t hi, int worker) {
  KG_FN(kg_gemv_job) *j = (KG_FN(kg_gemv_job) *)p;
  (void)worker;
  for (int64_t blk = lo; blk < hi; blk++) {
    int64_t i0 = blk * 4 * KG_VL;
    KG_V acc[4] = { { 0 }, { 0 }, { 0 }, { 0 } };
    const KG_T *col = j->a + i0;
    for (int64_t kk = 0; kk < j->k; kk++, col += j->csa) {
      KG_T xv = j->x[kk * j->incx];
      KS_UNROLL for (int u = 0; u < 4; u++) acc[u] = KG_FN(kg_madd)(acc[u], KG_FN(kg_load)(col + u * KG_VL), xv);
    }
    KS_UNROLL for (int u = 0; u < 4; u++)
      KS_UNROLL for (int l = 0; l < KG_VL; l++) j->y[(i0 + u * KG_VL + l) * j->incy] = acc[u][l];
  }
  return 0;
}
/* y (m) = A (m x k) @ x (k), m, k >= 1. Column-contiguous A runs as a sum of columns (the rows left over at the end,
   fewer than 4*VL, as dot products); anything else as a dot product per row. */
static KS_ATTR int KG_FN(kg_gemv)(int64_t m, int64_t k, const KG_T *a, int64_t rsa, int64_t csa, const KG_T *x, int64_t incx, KG_T *y,
                                   int64_t incy, int threads) {
  KG_FN(kg_gemv_job) j = { k, a, x, rsa, csa, incx, incy, y };
  int rc = 0;
  int64_t done = 0;
  if (rsa == 1 && csa != 1 && m >= 4 * KG_VL) {
    int64_t blocks = m / (4 * KG_VL);
    rc = threads > 1 ? kr_parallel_for_n(0, blocks, 0, KG_FN(kg_gemv_cols), &j, threads) : KG_FN(kg_gemv_cols)(&j, 0, blocks, 0);
    done = blocks * 4 * KG_VL;
  }
  if (!rc && done < m)
    rc = threads > 1 && m - done > 1 ? kr_parallel_for_n(done, m, 0, KG_FN(kg_gemv_rows), &j, threads) : KG_FN(kg_gemv_rows)(&j, done, m, 0);
  return rc;
}

#undef KG_FN
#undef KG_V
#undef KG_VL
#undef KG_NV
#undef KG_MR
#undef KG_NR
#undef KG_KC_
#undef KG_NC_
#undef KG_MC_
#endif
