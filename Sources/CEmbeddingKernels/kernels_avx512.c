// AVX-512 variants: the register-blocked linear microkernel (up to 12 rows × 32 columns held in
// 24 zmm accumulators; f32 or f16 weights) plus the shared layer kernels compiled for AVX-512.
#if defined(__x86_64__)

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#include "kernels_internal.h"

#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"))), apply_to = function)

#define HE_FN(name) name##_avx512
#include "layer_kernels.inc"

enum {
    MR_AVX512 = 12,
    /// Software prefetch distance (32 f32 k steps of 128 B = 4 KB ahead). The hardware streamer
    /// stops at 4 KB page boundaries; with weights coming from L3 (a 12-token call touches 42 MB
    /// once), prefetching across them was measured to cut the linear layers from 6.1 to 2.1 ms.
    PREFETCH_BYTES = 4096,
};

static inline __mmask16 lane_mask(size_t valid) {
    return valid >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << valid) - 1u);
}

/// y[0..<m, 0..<cols] = x[0..<m, :] · panelᵀ + bias for one 32-wide panel of f32 weights, or of
/// f16 ones (`f16`) widened exactly as they are loaded. `m` and `f16` are compile-time constants at
/// every call site (see the switch below), so the accumulator arrays live in registers and the f32
/// path compiles to exactly the instructions it had before f16 existed.
HE_INLINE void linear_block_avx512(const float *x, size_t x_stride, size_t in, const void *panel,
                                   const float *bias, size_t cols, float *y, size_t y_stride, const int m,
                                   const int f16) {
    const __mmask16 mask0 = lane_mask(cols);
    const __mmask16 mask1 = cols > 16 ? lane_mask(cols - 16) : 0;
    const __m512 bias0 = bias ? _mm512_maskz_loadu_ps(mask0, bias) : _mm512_setzero_ps();
    const __m512 bias1 = bias ? _mm512_maskz_loadu_ps(mask1, bias + 16) : _mm512_setzero_ps();
    const float *panel32 = (const float *)panel;
    const uint16_t *panel16 = (const uint16_t *)panel;
    __m512 acc0[MR_AVX512], acc1[MR_AVX512];
    for (int i = 0; i < m; i++) {
        acc0[i] = bias0;
        acc1[i] = bias1;
    }
    for (size_t k = 0; k < in; k++) {
        // Prefetching past the panel's end touches the next panel (contiguous) or, after the last
        // one, nothing that can fault: prefetches never trap. A k step is two cache lines of f32
        // or one of f16; both stay PREFETCH_BYTES ahead.
        __m512 w0, w1;
        if (f16) {
            _mm_prefetch((const char *)(panel16 + k * HE_PANEL_WIDTH) + PREFETCH_BYTES, _MM_HINT_T0);
            w0 = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(panel16 + k * HE_PANEL_WIDTH)));
            w1 = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(panel16 + k * HE_PANEL_WIDTH + 16)));
        } else {
            _mm_prefetch((const char *)(panel32 + k * HE_PANEL_WIDTH) + PREFETCH_BYTES, _MM_HINT_T0);
            _mm_prefetch((const char *)(panel32 + k * HE_PANEL_WIDTH + 16) + PREFETCH_BYTES, _MM_HINT_T0);
            w0 = _mm512_loadu_ps(panel32 + k * HE_PANEL_WIDTH);
            w1 = _mm512_loadu_ps(panel32 + k * HE_PANEL_WIDTH + 16);
        }
        for (int i = 0; i < m; i++) {
            const __m512 a = _mm512_set1_ps(x[(size_t)i * x_stride + k]);
            acc0[i] = _mm512_fmadd_ps(a, w0, acc0[i]);
            acc1[i] = _mm512_fmadd_ps(a, w1, acc1[i]);
        }
    }
    for (int i = 0; i < m; i++) {
        _mm512_mask_storeu_ps(y + (size_t)i * y_stride, mask0, acc0[i]);
        if (mask1) _mm512_mask_storeu_ps(y + (size_t)i * y_stride + 16, mask1, acc1[i]);
    }
}

#define HE_BLOCK_CASE(M) \
    case M: linear_block_avx512(x, x_stride, in, panel, bias, cols, y, y_stride, M, F16); break;

#define HE_LINEAR_ROWS(name, F16_VALUE)                                                                           \
    static void name(const float *x, size_t x_stride, size_t in, const void *panel, const float *bias, size_t cols, \
                     float *y, size_t y_stride, size_t m) {                                                       \
        enum { F16 = F16_VALUE };                                                                                 \
        switch (m) {                                                                                              \
            HE_BLOCK_CASE(1) HE_BLOCK_CASE(2) HE_BLOCK_CASE(3) HE_BLOCK_CASE(4) HE_BLOCK_CASE(5) HE_BLOCK_CASE(6) \
            HE_BLOCK_CASE(7) HE_BLOCK_CASE(8) HE_BLOCK_CASE(9) HE_BLOCK_CASE(10) HE_BLOCK_CASE(11)                \
            HE_BLOCK_CASE(12)                                                                                     \
            default: break;                                                                                       \
        }                                                                                                         \
    }

HE_LINEAR_ROWS(linear_rows_avx512, 0)
HE_LINEAR_ROWS(linear_rows_f16_avx512, 1)

/// Both weight types: panels of `element_size`-byte weights, row blocks of near-equal size (≤ 12)
/// so a remainder never runs as a lone 1-row block.
HE_INLINE void linear_panels_avx512(const float *x, size_t rows, size_t x_stride, size_t in, const void *packed,
                                    size_t element_size, const float *bias, size_t out, float *y, size_t y_stride,
                                    size_t panel_begin, size_t panel_end, const int f16) {
    const size_t blocks = (rows + MR_AVX512 - 1) / MR_AVX512;
    for (size_t p = panel_begin; p < panel_end; p++) {
        const size_t col0 = p * HE_PANEL_WIDTH;
        const size_t cols = out - col0 < HE_PANEL_WIDTH ? out - col0 : HE_PANEL_WIDTH;
        const void *panel = (const char *)packed + p * in * HE_PANEL_WIDTH * element_size;
        const float *panel_bias = bias ? bias + col0 : NULL;
        // The panel (in × 32 weights) stays in L1/L2 while every row block streams over it.
        size_t r0 = 0;
        for (size_t b = 0; b < blocks; b++) {
            const size_t r1 = rows * (b + 1) / blocks;
            if (f16)
                linear_rows_f16_avx512(x + r0 * x_stride, x_stride, in, panel, panel_bias, cols,
                                       y + r0 * y_stride + col0, y_stride, r1 - r0);
            else
                linear_rows_avx512(x + r0 * x_stride, x_stride, in, panel, panel_bias, cols, y + r0 * y_stride + col0,
                                   y_stride, r1 - r0);
            r0 = r1;
        }
    }
}

void he_linear_avx512(const float *x, size_t rows, size_t x_stride, size_t in, const float *packed,
                      const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin,
                      size_t panel_end) {
    linear_panels_avx512(x, rows, x_stride, in, packed, sizeof(float), bias, out, y, y_stride, panel_begin, panel_end, 0);
}

void he_linear_f16_avx512(const float *x, size_t rows, size_t x_stride, size_t in, const uint16_t *packed,
                          const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin,
                          size_t panel_end) {
    linear_panels_avx512(x, rows, x_stride, in, packed, sizeof(uint16_t), bias, out, y, y_stride, panel_begin,
                         panel_end, 1);
}

#pragma clang attribute pop

#endif
