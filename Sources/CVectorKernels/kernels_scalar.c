/* Portable kernels: the fallback on CPUs without AVX2, the only C path on non-x86 targets, and
 * the tail helpers of the SIMD files. Eight independent accumulators let the compiler vectorise
 * with whatever baseline SIMD it has (SSE2 / NEON) without reassociating a reduction. */
#include "kernel_table.h"

#include <math.h>
#include <string.h>

static inline uint32_t bits_of(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline float float_of(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

float hv_half_to_float(uint16_t h) {
    const uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1fu;
    const uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0) {
        /* zero or subnormal: mantissa * 2^-24 is exact in float32 */
        const float magnitude = (float)mantissa * 0x1.0p-24f;
        return float_of(bits_of(magnitude) | sign);
    }
    if (exponent == 31) return float_of(sign | 0x7f800000u | (mantissa << 13)); /* inf / NaN */
    return float_of(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

/* Round-to-nearest-even via float arithmetic (the FP16 library trick): scaling by 2^112 then
 * 2^-110 lets the FPU do the rounding at the half-precision mantissa position, handling
 * subnormals, overflow to infinity and ties exactly like vcvtps2ph. */
uint16_t hv_float_to_half(float f) {
    float base = (fabsf(f) * 0x1.0p+112f) * 0x1.0p-110f;
    const uint32_t w = bits_of(f);
    const uint32_t shl1_w = w + w;
    const uint32_t sign = w & 0x80000000u;
    uint32_t bias = shl1_w & 0xff000000u;
    if (bias < 0x71000000u) bias = 0x71000000u;
    base = float_of((bias >> 1) + 0x07800000u) + base;
    const uint32_t bits = bits_of(base);
    const uint32_t exp_bits = (bits >> 13) & 0x00007c00u;
    const uint32_t mantissa_bits = bits & 0x00000fffu;
    const uint32_t nonsign = exp_bits + mantissa_bits;
    return (uint16_t)((sign >> 16) | (shl1_w > 0xff000000u ? 0x7e00u : nonsign));
}

static float dot_f32(const float *a, const float *b, size_t d) {
    float acc[8] = {0};
    size_t j = 0;
    for (; j + 8 <= d; j += 8)
        for (int l = 0; l < 8; l++) acc[l] += a[j + l] * b[j + l];
    float tail = 0;
    for (; j < d; j++) tail += a[j] * b[j];
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail;
}

static float dot_f16(const float *q, const uint16_t *row, size_t d) {
    float acc[8] = {0};
    size_t j = 0;
    for (; j + 8 <= d; j += 8)
        for (int l = 0; l < 8; l++) acc[l] += q[j + l] * hv_half_to_float(row[j + l]);
    float tail = 0;
    for (; j < d; j++) tail += q[j] * hv_half_to_float(row[j]);
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail;
}

static int32_t dot_i8(const int8_t *q, const int8_t *row, size_t d) {
    int32_t acc = 0;
    for (size_t j = 0; j < d; j++) acc += (int32_t)q[j] * (int32_t)row[j];
    return acc;
}

static void scores_f32(const float *query, const float *rows, size_t n, size_t d, float *out) {
    for (size_t i = 0; i < n; i++) out[i] = dot_f32(query, rows + i * d, d);
}

static void scores_f16(const float *query, const uint16_t *rows, size_t n, size_t d, float *out) {
    for (size_t i = 0; i < n; i++) out[i] = dot_f16(query, rows + i * d, d);
}

static void scores_i8(const int8_t *query_codes, float query_scale, const int8_t *rows,
                      const float *row_scales, size_t n, size_t d, float *out) {
    /* Same operation order as the SIMD paths ((float)dot * row scale * query scale), so every
     * path returns bit-identical int8 scores. */
    for (size_t i = 0; i < n; i++)
        out[i] = (float)dot_i8(query_codes, rows + i * d, d) * row_scales[i] * query_scale;
}

static void f32_to_f16(const float *src, uint16_t *dst, size_t count) {
    for (size_t j = 0; j < count; j++) dst[j] = hv_float_to_half(src[j]);
}

static void f16_to_f32(const uint16_t *src, float *dst, size_t count) {
    for (size_t j = 0; j < count; j++) dst[j] = hv_half_to_float(src[j]);
}

static float quantize_i8(const float *src, int8_t *codes, size_t count) {
    float max_abs = 0;
    for (size_t j = 0; j < count; j++) max_abs = fmaxf(max_abs, fabsf(src[j]));
    if (!(max_abs > 0) || !isfinite(max_abs)) {
        memset(codes, 0, count);
        return 0;
    }
    const float inverse = 127.0f / max_abs;
    for (size_t j = 0; j < count; j++) {
        float v = nearbyintf(src[j] * inverse); /* default rounding mode: nearest even */
        v = fminf(127.0f, fmaxf(-127.0f, v));
        codes[j] = (int8_t)v;
    }
    return max_abs / 127.0f;
}

const hv_kernel_table hv_scalar_kernels = {
    .scores_f32 = scores_f32,
    .scores_f16 = scores_f16,
    .scores_i8 = scores_i8,
    .dot_f32 = dot_f32,
    .f32_to_f16 = f32_to_f16,
    .f16_to_f32 = f16_to_f32,
    .quantize_i8 = quantize_i8,
};
