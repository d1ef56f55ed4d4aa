/*
 * Kiln runtime, the portable vector layer shared by the NumPy kernels (kiln_gemm.h, kiln_vmath.h).
 * Design: docs/design/numpy-kernels.md.
 *
 * Kernels are written once with the compiler's generic vector types (__attribute__((vector_size(N)))), which
 * Zig's clang lowers to SSE2/AVX2/AVX-512 on x86-64, NEON on arm64, SIMD128 on wasm32 (with -msimd128) and
 * to plain scalar code elsewhere (armv6/armv7 without NEON, wasm32 without SIMD128): the same C everywhere.
 *
 * Two things are decided here:
 *  1. The vector ISA of this translation unit (KILN_SIMD_BYTES, KILN_SIMD_REGS, KILN_SIMD_FMA, KILN_SIMD_NAME),
 *     from the compiler's predefined macros (-march/-mavx2/-msimd128 and the target's baseline).
 *  2. The template protocol of the kernel files: a kernel template (kiln_gemm_kernels.h, kiln_vmath_kernels.h)
 *     has no include guard and reads KS_VB (vector bytes), KS_REGS (vector registers), KS_FMA (1: fused
 *     multiply-add in hardware), KS_SFX (a name suffix), KS_ATTR (attributes of every function it defines, e.g.
 *     __attribute__((target("avx2,fma")))) and, for GEMM, KS_L1/KS_L2/KS_L3 (cache budgets in bytes). It is
 *     included once with this unit's own ISA (suffix _nat), and, for x86-64 libraries that dispatch at load
 *     time (KILN_DISPATCH), once more per extra ISA. Nothing in a template may test __AVX2__ and the like:
 *     with target attributes those macros describe the unit, not the function.
 *
 * Floating point: the project compiles with -ffp-contract=off (Python's rounding). Kernels whose result is only
 * bounded, not bit-exact (GEMM, transcendental functions), fuse a*b+c explicitly through small helpers
 * that switch contraction on for one expression (#pragma STDC FP_CONTRACT ON, standard C): one fused
 * multiply-add where the function's target has FMA hardware, a multiply and an add elsewhere (never a libm call).
 * GCC ignores that pragma: kiln_vmath_kernels.h, whose reductions need the fused product to be exact, calls
 * __builtin_fma per lane there instead (GEMM's sums are only bounded, and stay unfused under GCC).
 */
#ifndef KILN_SIMD_H
#define KILN_SIMD_H

#include <stdint.h>
#include <string.h>

/* ---- 1. the vector ISA of this translation unit ---- */
#if defined(__AVX512F__)
#define KILN_SIMD_BYTES 64
#define KILN_SIMD_REGS 32
#define KILN_SIMD_NAME "avx512"
#elif defined(__AVX2__)
#define KILN_SIMD_BYTES 32
#define KILN_SIMD_REGS 16
#define KILN_SIMD_NAME "avx2"
#elif defined(__AVX__)
#define KILN_SIMD_BYTES 32
#define KILN_SIMD_REGS 16
#define KILN_SIMD_NAME "avx"
#elif defined(__x86_64__) || defined(__SSE2__)
#define KILN_SIMD_BYTES 16
#define KILN_SIMD_REGS 16
#define KILN_SIMD_NAME "sse2"
#elif defined(__aarch64__)
#define KILN_SIMD_BYTES 16
#define KILN_SIMD_REGS 32
#define KILN_SIMD_NAME "neon"
#elif defined(__ARM_NEON)
#define KILN_SIMD_BYTES 16
#define KILN_SIMD_REGS 16
#define KILN_SIMD_NAME "neon32"
#elif defined(__wasm_simd128__)
#define KILN_SIMD_BYTES 16
#define KILN_SIMD_REGS 16
#define KILN_SIMD_NAME "simd128"
#else
/* No vector unit the compiler knows (armv6/v7 VFP, wasm32 without -msimd128, riscv64 without V): 16-byte vectors
   still compile; clang splits them into scalar operations. */
#define KILN_SIMD_BYTES 16
#define KILN_SIMD_REGS 16
#define KILN_SIMD_NAME "scalar"
#endif
/* Hardware fused multiply-add (then ks_fma is one instruction and rounds once). */
#if defined(__FMA__) || defined(__aarch64__) || defined(__ARM_FEATURE_FMA)
#define KILN_SIMD_FMA 1
#else
#define KILN_SIMD_FMA 0
#endif

/* ---- helpers every template uses ---- */
#if defined(__clang__)
#define KS_UNROLL _Pragma("clang loop unroll(full)")
/* A copy loop that memory bounds: not worth the compile time of vectorising and unrolling it. */
#define KS_PLAIN _Pragma("clang loop vectorize(disable) interleave(disable) unroll(disable)")
#else
#define KS_UNROLL
#define KS_PLAIN
#endif
#define KS_CAT_(a, b) a##b
#define KS_CAT(a, b) KS_CAT_(a, b)

/* Pause inside a spin loop (x86 PAUSE, ARM YIELD); nothing elsewhere. */
static inline void kr_cpu_relax(void) {
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
  __builtin_ia32_pause();
#elif (defined(__aarch64__) || (defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH >= 7)) && (defined(__GNUC__) || defined(__clang__))
  __asm__ __volatile__("yield");
#endif
}

/* A cheap tick counter for bounding spin loops by time (a count of PAUSEs is not: PAUSE takes 5 to 140 cycles across
   x86 generations, and a hypervisor may trap spinning): the TSC on x86, the virtual counter on arm64 (readable from
   user space on Linux, Android, macOS and iOS); 0 elsewhere (then loops fall back to counting). kr_ticks_per_ms()
   is an estimate (TSC: 2.5 GHz; arm64: the counter's own frequency). */
static inline uint64_t kr_ticks(void) {
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
  return __builtin_ia32_rdtsc();
#elif defined(__aarch64__) && (defined(__GNUC__) || defined(__clang__))
  uint64_t v;
  __asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(v));
  return v;
#else
  return 0;
#endif
}
static inline uint64_t kr_ticks_per_ms(void) {
#if defined(__aarch64__) && (defined(__GNUC__) || defined(__clang__))
  uint64_t f;
  __asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(f));
  return f / 1000 ? f / 1000 : 1;
#else
  return 2500000;
#endif
}

/* ---- x86-64 CPU features, for load-time dispatch (KILN_DISPATCH) ----
 * cpuid says what the processor has; xgetbv says what the operating system saves on a context switch (AVX
 * needs the YMM state, AVX-512 also the opmask and ZMM states): both must agree before a path is used. Inline
 * assembly, not <cpuid.h> or __builtin_cpu_supports (which needs libgcc's or compiler-rt's __cpu_model, absent
 * from some Zig targets); the same code on Linux, macOS and Windows. */
enum { KILN_ISA_BASE = 0, KILN_ISA_AVX2 = 1, KILN_ISA_AVX512 = 2 };
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
static inline void kr_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
  __asm__ __volatile__("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static inline uint64_t kr_xgetbv0(void) {
  uint32_t lo, hi;
  __asm__ __volatile__(".byte 0x0f, 0x01, 0xd0" /* xgetbv: no -mxsave needed */ : "=a"(lo), "=d"(hi) : "c"(0));
  return ((uint64_t)hi << 32) | lo;
}
/* The best of KILN_ISA_* this CPU and OS can run: AVX2 means AVX2+FMA; AVX512 means F+DQ+BW+VL (Skylake-SP and
   later, Zen 4). A test or a user forces a lower path with KILN_ISA (kiln_gemm.h). */
static inline int kr_isa_detect(void) {
  uint32_t r[4];
  kr_cpuid(0, 0, r);
  uint32_t max_leaf = r[0];
  kr_cpuid(1, 0, r);
  int fma = (r[2] >> 12) & 1, osxsave = (r[2] >> 27) & 1, avx = (r[2] >> 28) & 1;
  if (!osxsave || !avx || max_leaf < 7) return KILN_ISA_BASE;
  uint64_t xcr0 = kr_xgetbv0();
  if ((xcr0 & 0x6) != 0x6) return KILN_ISA_BASE; /* XMM and YMM state */
  kr_cpuid(7, 0, r);
  int avx2 = (r[1] >> 5) & 1;
  int f = (r[1] >> 16) & 1, dq = (r[1] >> 17) & 1, bw = (r[1] >> 30) & 1, vl = (r[1] >> 31) & 1;
  if (f && dq && bw && vl && fma && avx2 && (xcr0 & 0xe6) == 0xe6) return KILN_ISA_AVX512; /* + opmask, ZMM */
  if (avx2 && fma) return KILN_ISA_AVX2;
  return KILN_ISA_BASE;
}
#else
static inline int kr_isa_detect(void) { return KILN_ISA_BASE; }
#endif

/* The dispatched path a unit built with KILN_DISPATCH uses (the GEMM, the vector math): the best the CPU allows,
   detected once, capped by KILN_ISA=base|avx2 in the environment (tests, and a user who wants the baseline's bits). */
#if defined(KILN_DISPATCH) && defined(__x86_64__) && !defined(__AVX2__) && defined(__clang__)
#include <stdatomic.h>
#include <stdlib.h>
KR_STATE atomic_int kr_isa_cached KR_STATE_INIT(-1);
static inline int kr_isa_selected(void) {
  int isa = atomic_load_explicit(&kr_isa_cached, memory_order_relaxed);
  if (isa < 0) {
    isa = kr_isa_detect();
    const char *cap = getenv("KILN_ISA");
    if (cap && strcmp(cap, "base") == 0) isa = KILN_ISA_BASE;
    else if (cap && strcmp(cap, "avx2") == 0 && isa > KILN_ISA_AVX2) isa = KILN_ISA_AVX2;
    atomic_store_explicit(&kr_isa_cached, isa, memory_order_relaxed);
  }
  return isa;
}
#endif

#endif /* KILN_SIMD_H */
