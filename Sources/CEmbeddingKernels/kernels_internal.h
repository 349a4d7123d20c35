// Declarations of the per-ISA entry points that dispatch.c routes to.
#ifndef HE_KERNELS_INTERNAL_H
#define HE_KERNELS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "CEmbeddingKernels.h"

#define HE_DECLARE_VARIANT(suffix)                                                                              \
    void he_linear_##suffix(const float *x, size_t rows, size_t x_stride, size_t in, const float *packed,     \
                            const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin,     \
                            size_t panel_end);                                                                \
    void he_linear_f16_##suffix(const float *x, size_t rows, size_t x_stride, size_t in,                     \
                                const uint16_t *packed, const float *bias, size_t out, float *y,              \
                                size_t y_stride, size_t panel_begin, size_t panel_end);                       \
    void he_add_layer_norm_##suffix(const float *a, const float *residual, size_t rows, size_t dim,          \
                                    const float *gamma, const float *beta, float eps, float *out);            \
    void he_gelu_##suffix(float *x, size_t count);                                                            \
    void he_exp_##suffix(const float *x, size_t count, float *y);                                             \
    void he_attention_##suffix(const float *qkv, size_t rows, size_t qkv_stride, size_t heads,               \
                               size_t head_dim, float *ctx, size_t ctx_stride, float *scratch);

HE_DECLARE_VARIANT(generic)
#if defined(__x86_64__)
HE_DECLARE_VARIANT(avx2)
HE_DECLARE_VARIANT(avx512)
#endif

// Scalar binary16 conversions shared by the packer and the generic kernel (inline there).
/// float → binary16, round to nearest even.
static inline uint16_t he_half_from_float(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    const uint16_t sign = (uint16_t)((bits >> 16) & 0x8000u);
    const uint32_t magnitude = bits & 0x7FFFFFFFu;
    if (magnitude > 0x7F800000u) return sign | 0x7E00u;  // NaN stays a (quiet) NaN
    if (magnitude >= 0x47800000u) return sign | 0x7C00u;  // ≥ 2^16 (and inf): infinity
    if (magnitude < 0x38800000u) {
        // Below the smallest normal half (2^-14): a subnormal, counted in units of 2^-24.
        if (magnitude < 0x33000000u) return sign;  // < 2^-25 rounds to zero
        const uint32_t mantissa = (magnitude & 0x7FFFFFu) | 0x800000u;
        const uint32_t shift = 126u - (magnitude >> 23);  // 14 ... 24
        uint32_t half = mantissa >> shift;
        const uint32_t rest = mantissa & ((1u << shift) - 1u), tie = 1u << (shift - 1u);
        if (rest > tie || (rest == tie && (half & 1u))) half++;  // may carry into the smallest normal: correct
        return sign | (uint16_t)half;
    }
    uint32_t half = ((magnitude >> 23) - 112u) << 10 | (magnitude & 0x7FFFFFu) >> 13;
    const uint32_t rest = magnitude & 0x1FFFu;
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) half++;  // a carry rounds up the exponent (to inf at most)
    return sign | (uint16_t)half;
}

/// binary16 → float, exact.
static inline float he_float_from_half(uint16_t half) {
    const uint32_t sign = (uint32_t)(half & 0x8000u) << 16;
    const uint32_t exponent = (half >> 10) & 0x1Fu, mantissa = half & 0x3FFu;
    uint32_t bits;
    if (exponent == 0) {
        const float magnitude = (float)mantissa * 5.9604644775390625e-8f;  // m·2^-24, exact
        memcpy(&bits, &magnitude, sizeof bits);
        bits |= sign;
    } else if (exponent == 31) {
        bits = sign | 0x7F800000u | mantissa << 13;
    } else {
        bits = sign | (exponent + 112u) << 23 | mantissa << 13;
    }
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

#endif
