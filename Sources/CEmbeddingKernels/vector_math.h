// 16-lane float vectors written with clang vector extensions, so one source lowers to one zmm
// (AVX-512), two ymm (AVX2) or four xmm (baseline) depending on the target of the including file.
// Everything is `static inline` and included after a per-file target pragma, so each ISA file
// gets its own copy compiled for its instruction set.
#ifndef HE_VECTOR_MATH_H
#define HE_VECTOR_MATH_H

#include <stdint.h>
#include <string.h>

// 64-byte vectors passed between functions would use a different calling convention without
// AVX-512; every helper here is always_inline, so no such call exists and the warning is moot.
#pragma clang diagnostic ignored "-Wpsabi"

typedef float v16f __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));

#define HE_INLINE static inline __attribute__((always_inline))

HE_INLINE v16f v_load(const float *p) {
    v16f v;
    memcpy(&v, p, sizeof v);  // unaligned load
    return v;
}

HE_INLINE void v_store(float *p, v16f v) { memcpy(p, &v, sizeof v); }

HE_INLINE v16f v_splat(float x) { return (v16f){x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x}; }

/// Lane-wise `mask ? a : b` for a comparison result `mask` (all-ones or all-zeros lanes).
HE_INLINE v16f v_select(v16i mask, v16f a, v16f b) {
    v16i ai, bi;
    memcpy(&ai, &a, sizeof ai);
    memcpy(&bi, &b, sizeof bi);
    v16i r = (mask & ai) | (~mask & bi);
    v16f out;
    memcpy(&out, &r, sizeof out);
    return out;
}

HE_INLINE v16f v_min(v16f a, v16f b) { return v_select(a < b, a, b); }
HE_INLINE v16f v_max(v16f a, v16f b) { return v_select(a > b, a, b); }

HE_INLINE float v_reduce_add(v16f v) {
    // Pairwise halving: the same association order on every ISA.
    float s8[8], s4[4], s2[2];
    for (int i = 0; i < 8; i++) s8[i] = v[i] + v[i + 8];
    for (int i = 0; i < 4; i++) s4[i] = s8[i] + s8[i + 4];
    for (int i = 0; i < 2; i++) s2[i] = s4[i] + s4[i + 2];
    return s2[0] + s2[1];
}

HE_INLINE float v_reduce_max(v16f v) {
    float m = v[0];
    for (int i = 1; i < 16; i++) m = v[i] > m ? v[i] : m;
    return m;
}

/// exp(x) for float32, Cephes-style: x = n·ln2 + r with |r| ≤ ln2/2, exp(r) by a degree-7
/// polynomial, 2^n by building the exponent bits. Relative error ≈ 2 ulp; inputs are clamped to
/// [-87.3, 88.7], so exp(-inf) gives ~1e-38 rather than 0 (callers never need an exact 0).
HE_INLINE v16f v_exp(v16f x) {
    x = v_min(v_max(x, v_splat(-87.33654f)), v_splat(88.72283f));
    // Round x·log2(e) to nearest with the 1.5·2^23 trick: no floor/round instruction needed,
    // which keeps the baseline (SSE2) build free of libm calls.
    const v16f magic = v_splat(12582912.0f);
    v16f n = (x * v_splat(1.44269504088896341f) + magic) - magic;
    // ln2 split in two so that n·ln2_hi is exact.
    v16f r = x - n * v_splat(0.693359375f);
    r = r - n * v_splat(-2.12194440e-4f);
    v16f p = v_splat(1.9875691500e-4f);
    p = p * r + v_splat(1.3981999507e-3f);
    p = p * r + v_splat(8.3334519073e-3f);
    p = p * r + v_splat(4.1665795894e-2f);
    p = p * r + v_splat(1.6666665459e-1f);
    p = p * r + v_splat(5.0000001201e-1f);
    p = p * (r * r) + r + v_splat(1.0f);
    v16i e = (__builtin_convertvector(n, v16i) + 127) << 23;
    v16f scale;
    memcpy(&scale, &e, sizeof scale);
    return p * scale;
}

/// erf(x) from the complementary error function of Numerical Recipes (erfcc, Chebyshev fit,
/// fractional error < 1.2e-7, the same formula as scripts/minilm_reference.py's fallback).
/// Absolute error against libm erf stays ≈ 1e-7, which GELU damps further by 0.5·|x|.
HE_INLINE v16f v_erf(v16f x) {
    v16f z = v_max(x, -x);
    v16f t = v_splat(1.0f) / (v_splat(1.0f) + v_splat(0.5f) * z);
    v16f p = v_splat(0.17087277f);
    p = p * t + v_splat(-0.82215223f);
    p = p * t + v_splat(1.48851587f);
    p = p * t + v_splat(-1.13520398f);
    p = p * t + v_splat(0.27886807f);
    p = p * t + v_splat(-0.18628806f);
    p = p * t + v_splat(0.09678418f);
    p = p * t + v_splat(0.37409196f);
    p = p * t + v_splat(1.00002368f);
    p = p * t + v_splat(-1.26551223f);
    v16f erfc = t * v_exp(p - z * z);
    return v_select(x >= v_splat(0.0f), v_splat(1.0f) - erfc, erfc - v_splat(1.0f));
}

#endif
