// AVX2+FMA variants: the linear microkernel works on 16-column halves of each 32-wide panel with
// up to 6 rows (12 ymm accumulators of the 16 registers), plus the shared layer kernels.
#if defined(__x86_64__)

#include <immintrin.h>
#include <stddef.h>
#include <string.h>

#include "kernels_internal.h"

#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)

#define HE_FN(name) name##_avx2
#include "layer_kernels.inc"

enum { MR_AVX2 = 6, HALF = HE_PANEL_WIDTH / 2, PREFETCH_STEPS = 32 };

/// y[0..<m, 0..<cols] (cols ≤ 16) for one half panel; `m` is constant at each call site.
HE_INLINE void linear_block_avx2(const float *x, size_t x_stride, size_t in, const float *half_panel,
                                 const float *bias, size_t cols, float *y, size_t y_stride, const int m) {
    float padded_bias[HALF] = {0};
    if (bias) memcpy(padded_bias, bias, cols * sizeof(float));
    const __m256 bias0 = _mm256_loadu_ps(padded_bias);
    const __m256 bias1 = _mm256_loadu_ps(padded_bias + 8);
    __m256 acc0[MR_AVX2], acc1[MR_AVX2];
    for (int i = 0; i < m; i++) {
        acc0[i] = bias0;
        acc1[i] = bias1;
    }
    for (size_t k = 0; k < in; k++) {
        // Same software prefetch as the AVX-512 kernel (see there); one line per step covers
        // this half panel.
        _mm_prefetch((const char *)(half_panel + (k + PREFETCH_STEPS) * HE_PANEL_WIDTH), _MM_HINT_T0);
        const __m256 w0 = _mm256_loadu_ps(half_panel + k * HE_PANEL_WIDTH);
        const __m256 w1 = _mm256_loadu_ps(half_panel + k * HE_PANEL_WIDTH + 8);
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
    case M: linear_block_avx2(x, x_stride, in, half_panel, bias, cols, y, y_stride, M); break;

static void linear_rows_avx2(const float *x, size_t x_stride, size_t in, const float *half_panel, const float *bias,
                             size_t cols, float *y, size_t y_stride, size_t m) {
    switch (m) {
        HE_BLOCK_CASE(1) HE_BLOCK_CASE(2) HE_BLOCK_CASE(3) HE_BLOCK_CASE(4) HE_BLOCK_CASE(5) HE_BLOCK_CASE(6)
        default: break;
    }
}

void he_linear_avx2(const float *x, size_t rows, size_t x_stride, size_t in, const float *packed,
                    const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin,
                    size_t panel_end) {
    const size_t blocks = (rows + MR_AVX2 - 1) / MR_AVX2;
    for (size_t p = panel_begin; p < panel_end; p++) {
        const size_t col0 = p * HE_PANEL_WIDTH;
        const size_t cols = out - col0 < HE_PANEL_WIDTH ? out - col0 : HE_PANEL_WIDTH;
        const float *panel = packed + p * in * HE_PANEL_WIDTH;
        for (size_t half = 0; half * HALF < cols; half++) {
            const size_t c0 = half * HALF;
            const size_t hcols = cols - c0 < HALF ? cols - c0 : HALF;
            const float *half_bias = bias ? bias + col0 + c0 : NULL;
            size_t r0 = 0;
            for (size_t b = 0; b < blocks; b++) {
                const size_t r1 = rows * (b + 1) / blocks;
                linear_rows_avx2(x + r0 * x_stride, x_stride, in, panel + c0, half_bias, hcols,
                                 y + r0 * y_stride + col0 + c0, y_stride, r1 - r0);
                r0 = r1;
            }
        }
    }
}

#pragma clang attribute pop

#endif
