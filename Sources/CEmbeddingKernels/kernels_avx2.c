// AVX2+FMA variants: the linear microkernel (f32 or f16 weights) works on 16-column halves of each
// 32-wide panel with up to 6 rows (12 ymm accumulators of the 16 registers), plus the shared layer kernels.
#if defined(__x86_64__)

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernels_internal.h"

// F16C only for the f16 linear kernel, which dispatch.c runs only when cpuid reports it; no other
// code here converts halves, so the rest needs nothing beyond AVX2 + FMA.
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)

#define HE_FN(name) name##_avx2
#include "layer_kernels.inc"

enum { MR_AVX2 = 6, HALF = HE_PANEL_WIDTH / 2, PREFETCH_BYTES = 4096 };

/// y[0..<m, 0..<cols] (cols ≤ 16) for one half panel of f32 weights, or of f16 ones (`f16`,
/// widened exactly by F16C as they are loaded); `m` and `f16` are constant at each call site.
HE_INLINE void linear_block_avx2(const float *x, size_t x_stride, size_t in, const void *half_panel,
                                 const float *bias, size_t cols, float *y, size_t y_stride, const int m,
                                 const int f16) {
    float padded_bias[HALF] = {0};
    if (bias) memcpy(padded_bias, bias, cols * sizeof(float));
    const __m256 bias0 = _mm256_loadu_ps(padded_bias);
    const __m256 bias1 = _mm256_loadu_ps(padded_bias + 8);
    const float *panel32 = (const float *)half_panel;
    const uint16_t *panel16 = (const uint16_t *)half_panel;
    __m256 acc0[MR_AVX2], acc1[MR_AVX2];
    for (int i = 0; i < m; i++) {
        acc0[i] = bias0;
        acc1[i] = bias1;
    }
    for (size_t k = 0; k < in; k++) {
        // Same software prefetch as the AVX-512 kernel (see there); one line per step covers
        // this half panel.
        __m256 w0, w1;
        if (f16) {
            _mm_prefetch((const char *)(panel16 + k * HE_PANEL_WIDTH) + PREFETCH_BYTES, _MM_HINT_T0);
            w0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(panel16 + k * HE_PANEL_WIDTH)));
            w1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(panel16 + k * HE_PANEL_WIDTH + 8)));
        } else {
            _mm_prefetch((const char *)(panel32 + k * HE_PANEL_WIDTH) + PREFETCH_BYTES, _MM_HINT_T0);
            w0 = _mm256_loadu_ps(panel32 + k * HE_PANEL_WIDTH);
            w1 = _mm256_loadu_ps(panel32 + k * HE_PANEL_WIDTH + 8);
        }
        for (int i = 0; i < m; i++) {
            const __m256 a = _mm256_broadcast_ss(x + (size_t)i * x_stride + k);
            acc0[i] = _mm256_fmadd_ps(a, w0, acc0[i]);
            acc1[i] = _mm256_fmadd_ps(a, w1, acc1[i]);
        }
    }
    for (int i = 0; i < m; i++) {
        float *row = y + (size_t)i * y_stride;
        if (cols == HALF) {
            _mm256_storeu_ps(row, acc0[i]);
            _mm256_storeu_ps(row + 8, acc1[i]);
        } else {
            float tmp[HALF];
            _mm256_storeu_ps(tmp, acc0[i]);
            _mm256_storeu_ps(tmp + 8, acc1[i]);
            memcpy(row, tmp, cols * sizeof(float));
        }
    }
}

#define HE_BLOCK_CASE(M) \
    case M: linear_block_avx2(x, x_stride, in, half_panel, bias, cols, y, y_stride, M, F16); break;

#define HE_LINEAR_ROWS(name, F16_VALUE)                                                                        \
    static void name(const float *x, size_t x_stride, size_t in, const void *half_panel, const float *bias,   \
                     size_t cols, float *y, size_t y_stride, size_t m) {                                       \
        enum { F16 = F16_VALUE };                                                                              \
        switch (m) {                                                                                           \
            HE_BLOCK_CASE(1) HE_BLOCK_CASE(2) HE_BLOCK_CASE(3) HE_BLOCK_CASE(4) HE_BLOCK_CASE(5)               \
            HE_BLOCK_CASE(6)                                                                                   \
            default: break;                                                                                    \
        }                                                                                                      \
    }

HE_LINEAR_ROWS(linear_rows_avx2, 0)
HE_LINEAR_ROWS(linear_rows_f16_avx2, 1)

/// Both weight types: panels of `element_size`-byte weights, each computed as two half panels.
HE_INLINE void linear_panels_avx2(const float *x, size_t rows, size_t x_stride, size_t in, const void *packed,
                                  size_t element_size, const float *bias, size_t out, float *y, size_t y_stride,
                                  size_t panel_begin, size_t panel_end, const int f16) {
    const size_t blocks = (rows + MR_AVX2 - 1) / MR_AVX2;
    for (size_t p = panel_begin; p < panel_end; p++) {
        const size_t col0 = p * HE_PANEL_WIDTH;
        const size_t cols = out - col0 < HE_PANEL_WIDTH ? out - col0 : HE_PANEL_WIDTH;
        const char *panel = (const char *)packed + p * in * HE_PANEL_WIDTH * element_size;
        for (size_t half = 0; half * HALF < cols; half++) {
            const size_t c0 = half * HALF;
            const size_t hcols = cols - c0 < HALF ? cols - c0 : HALF;
            const float *half_bias = bias ? bias + col0 + c0 : NULL;
            size_t r0 = 0;
            for (size_t b = 0; b < blocks; b++) {
                const size_t r1 = rows * (b + 1) / blocks;
                if (f16)
                    linear_rows_f16_avx2(x + r0 * x_stride, x_stride, in, panel + c0 * element_size, half_bias, hcols,
                                         y + r0 * y_stride + col0 + c0, y_stride, r1 - r0);
                else
                    linear_rows_avx2(x + r0 * x_stride, x_stride, in, panel + c0 * element_size, half_bias, hcols,
                                     y + r0 * y_stride + col0 + c0, y_stride, r1 - r0);
                r0 = r1;
            }
        }
    }
}

void he_linear_avx2(const float *x, size_t rows, size_t x_stride, size_t in, const float *packed,
                    const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin,
                    size_t panel_end) {
    linear_panels_avx2(x, rows, x_stride, in, packed, sizeof(float), bias, out, y, y_stride, panel_begin, panel_end, 0);
}

/// Runs only where F16C is present too (dispatch.c checks).
void he_linear_f16_avx2(const float *x, size_t rows, size_t x_stride, size_t in, const uint16_t *packed,
                        const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin,
                        size_t panel_end) {
    linear_panels_avx2(x, rows, x_stride, in, packed, sizeof(uint16_t), bias, out, y, y_stride, panel_begin,
                       panel_end, 1);
}

#pragma clang attribute pop

#endif
