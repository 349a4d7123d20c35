/* AVX2 + FMA + F16C kernels, for x86-64 CPUs without AVX-512 (and to keep that path tested on
 * CPUs that have it). Same shape as the AVX-512 file: four rows per step sharing the query load;
 * ragged tails finish in scalar code because AVX2 lacks cheap byte/word masked loads. */
#include "kernel_table.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define HV_AVX2 __attribute__((target("avx2,fma,f16c")))

#ifndef HV_PREFETCH_BYTES
#define HV_PREFETCH_BYTES 4096
#endif

/* Software prefetch 4 KiB ahead of each row stream: see kernels_avx512.c for the measurement. */
HV_AVX2 static inline void prefetch4(const void *a, const void *b, const void *c, const void *d) {
    _mm_prefetch((const char *)a + HV_PREFETCH_BYTES, _MM_HINT_T0);
    _mm_prefetch((const char *)b + HV_PREFETCH_BYTES, _MM_HINT_T0);
    _mm_prefetch((const char *)c + HV_PREFETCH_BYTES, _MM_HINT_T0);
    _mm_prefetch((const char *)d + HV_PREFETCH_BYTES, _MM_HINT_T0);
}

HV_AVX2 static inline float hsum_ps(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

HV_AVX2 static inline int32_t hsum_epi32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(s);
}

/* Same per-row order as the 4-row scan below (one accumulator, then the scalar tail), so
 * re-scoring a row reproduces the f32 scan's value bit for bit. */
HV_AVX2 static float dot_f32(const float *a, const float *b, size_t d) {
    const size_t body = d & ~(size_t)7;
    __m256 acc = _mm256_setzero_ps();
    for (size_t j = 0; j < body; j += 8) acc = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j), acc);
    float sum = hsum_ps(acc);
    for (size_t j = body; j < d; j++) sum += a[j] * b[j];
    return sum;
}

HV_AVX2 static void scores_f32(const float *q, const float *rows, size_t n, size_t d, float *out) {
    const size_t body = d & ~(size_t)7;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const float *r0 = rows + i * d, *r1 = r0 + d, *r2 = r1 + d, *r3 = r2 + d;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (size_t j = 0; j < body; j += 8) {
            prefetch4(r0 + j, r1 + j, r2 + j, r3 + j);
            const __m256 qv = _mm256_loadu_ps(q + j);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(r0 + j), qv, a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(r1 + j), qv, a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(r2 + j), qv, a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(r3 + j), qv, a3);
        }
        float s0 = hsum_ps(a0), s1 = hsum_ps(a1), s2 = hsum_ps(a2), s3 = hsum_ps(a3);
        for (size_t j = body; j < d; j++) {
            s0 += r0[j] * q[j];
            s1 += r1[j] * q[j];
            s2 += r2[j] * q[j];
            s3 += r3[j] * q[j];
        }
        out[i] = s0;
        out[i + 1] = s1;
        out[i + 2] = s2;
        out[i + 3] = s3;
    }
    for (; i < n; i++) out[i] = dot_f32(q, rows + i * d, d);
}

HV_AVX2 static inline __m256 load_half8(const uint16_t *p) {
    return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p));
}

HV_AVX2 static void scores_f16(const float *q, const uint16_t *rows, size_t n, size_t d, float *out) {
    const size_t body = d & ~(size_t)7;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const uint16_t *r0 = rows + i * d, *r1 = r0 + d, *r2 = r1 + d, *r3 = r2 + d;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (size_t j = 0; j < body; j += 8) {
            prefetch4(r0 + j, r1 + j, r2 + j, r3 + j);
            const __m256 qv = _mm256_loadu_ps(q + j);
            a0 = _mm256_fmadd_ps(load_half8(r0 + j), qv, a0);
            a1 = _mm256_fmadd_ps(load_half8(r1 + j), qv, a1);
            a2 = _mm256_fmadd_ps(load_half8(r2 + j), qv, a2);
            a3 = _mm256_fmadd_ps(load_half8(r3 + j), qv, a3);
        }
        float s0 = hsum_ps(a0), s1 = hsum_ps(a1), s2 = hsum_ps(a2), s3 = hsum_ps(a3);
        for (size_t j = body; j < d; j++) {
            s0 += hv_half_to_float(r0[j]) * q[j];
            s1 += hv_half_to_float(r1[j]) * q[j];
            s2 += hv_half_to_float(r2[j]) * q[j];
            s3 += hv_half_to_float(r3[j]) * q[j];
        }
        out[i] = s0;
        out[i + 1] = s1;
        out[i + 2] = s2;
        out[i + 3] = s3;
    }
    for (; i < n; i++) {
        const uint16_t *r = rows + i * d;
        __m256 a = _mm256_setzero_ps();
        for (size_t j = 0; j < body; j += 8) a = _mm256_fmadd_ps(load_half8(r + j), _mm256_loadu_ps(q + j), a);
        float s = hsum_ps(a);
        for (size_t j = body; j < d; j++) s += hv_half_to_float(r[j]) * q[j];
        out[i] = s;
    }
}

/* AVX2 has no VNNI; vpmaddubsw also wants unsigned x signed bytes, but its 16-bit pair sums
 * saturate. Moving the row's sign onto the query (sign_epi8) makes the unsigned operand |row| <= 127,
 * so a pair sum is at most 2 * 127 * 127 = 32258 and never saturates; madd_epi16 then widens. */
HV_AVX2 static inline __m256i dot_i8_step(__m256i acc, __m256i row, __m256i query, __m256i ones16) {
    const __m256i magnitude = _mm256_sign_epi8(row, row);
    const __m256i signed_query = _mm256_sign_epi8(query, row);
    return _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude, signed_query), ones16));
}

HV_AVX2 static void scores_i8(const int8_t *q, float query_scale, const int8_t *rows,
                              const float *row_scales, size_t n, size_t d, float *out) {
    const size_t body = d & ~(size_t)31;
    const __m256i ones16 = _mm256_set1_epi16(1);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const int8_t *r0 = rows + i * d, *r1 = r0 + d, *r2 = r1 + d, *r3 = r2 + d;
        __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
        for (size_t j = 0; j < body; j += 32) {
            prefetch4(r0 + j, r1 + j, r2 + j, r3 + j);
            const __m256i qv = _mm256_loadu_si256((const __m256i *)(q + j));
            a0 = dot_i8_step(a0, _mm256_loadu_si256((const __m256i *)(r0 + j)), qv, ones16);
            a1 = dot_i8_step(a1, _mm256_loadu_si256((const __m256i *)(r1 + j)), qv, ones16);
            a2 = dot_i8_step(a2, _mm256_loadu_si256((const __m256i *)(r2 + j)), qv, ones16);
            a3 = dot_i8_step(a3, _mm256_loadu_si256((const __m256i *)(r3 + j)), qv, ones16);
        }
        int32_t s0 = hsum_epi32(a0), s1 = hsum_epi32(a1), s2 = hsum_epi32(a2), s3 = hsum_epi32(a3);
        for (size_t j = body; j < d; j++) {
            s0 += (int32_t)r0[j] * q[j];
            s1 += (int32_t)r1[j] * q[j];
            s2 += (int32_t)r2[j] * q[j];
            s3 += (int32_t)r3[j] * q[j];
        }
        out[i] = (float)s0 * row_scales[i] * query_scale;
        out[i + 1] = (float)s1 * row_scales[i + 1] * query_scale;
        out[i + 2] = (float)s2 * row_scales[i + 2] * query_scale;
        out[i + 3] = (float)s3 * row_scales[i + 3] * query_scale;
    }
    for (; i < n; i++) {
        const int8_t *r = rows + i * d;
        __m256i a = _mm256_setzero_si256();
        for (size_t j = 0; j < body; j += 32)
            a = dot_i8_step(a, _mm256_loadu_si256((const __m256i *)(r + j)),
                            _mm256_loadu_si256((const __m256i *)(q + j)), ones16);
        int32_t s = hsum_epi32(a);
        for (size_t j = body; j < d; j++) s += (int32_t)r[j] * q[j];
        out[i] = (float)s * row_scales[i] * query_scale;
    }
}

HV_AVX2 static void f32_to_f16(const float *src, uint16_t *dst, size_t count) {
    size_t j = 0;
    for (; j + 8 <= count; j += 8)
        _mm_storeu_si128((__m128i *)(dst + j),
                         _mm256_cvtps_ph(_mm256_loadu_ps(src + j), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    for (; j < count; j++) dst[j] = hv_float_to_half(src[j]);
}

HV_AVX2 static void f16_to_f32(const uint16_t *src, float *dst, size_t count) {
    size_t j = 0;
    for (; j + 8 <= count; j += 8) _mm256_storeu_ps(dst + j, load_half8(src + j));
    for (; j < count; j++) dst[j] = hv_half_to_float(src[j]);
}

const hv_kernel_table hv_avx2_kernels = {
    .scores_f32 = scores_f32,
    .scores_f16 = scores_f16,
    .scores_i8 = scores_i8,
    .dot_f32 = dot_f32,
    .f32_to_f16 = f32_to_f16,
    .f16_to_f32 = f16_to_f32,
    /* Quantisation runs once per insert, far off the scan's hot path: the scalar code is enough. */
    .quantize_i8 = NULL,
};
#endif
