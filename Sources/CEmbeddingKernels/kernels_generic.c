// Portable variants: plain C that the compiler vectorises for the baseline target. They are the
// fallback on CPUs without AVX2 and on non-x86 hosts.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernels_internal.h"

#define HE_FN(name) name##_generic
#include "layer_kernels.inc"

enum { MR_GENERIC = 4 };

// One loop for both weight types: `packed` holds f32 or (with `half`) IEEE half weights; a half
// panel step is widened into `widened` first, then the arithmetic is the same, in the same order.
static void linear_generic(const float *x, size_t rows, size_t x_stride, size_t in, const void *packed, int half,
                           const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin,
                           size_t panel_end) {
    for (size_t p = panel_begin; p < panel_end; p++) {
        const size_t col0 = p * HE_PANEL_WIDTH;
        const size_t cols = out - col0 < HE_PANEL_WIDTH ? out - col0 : HE_PANEL_WIDTH;
        const size_t panel = p * in * HE_PANEL_WIDTH;
        for (size_t r0 = 0; r0 < rows; r0 += MR_GENERIC) {
            const size_t m = rows - r0 < MR_GENERIC ? rows - r0 : MR_GENERIC;
            float acc[MR_GENERIC][HE_PANEL_WIDTH];
            for (size_t i = 0; i < m; i++)
                for (size_t j = 0; j < HE_PANEL_WIDTH; j++) acc[i][j] = (bias && j < cols) ? bias[col0 + j] : 0.0f;
            for (size_t k = 0; k < in; k++) {
                float widened[HE_PANEL_WIDTH];
                const float *w;
                if (half) {
                    const uint16_t *step = (const uint16_t *)packed + panel + k * HE_PANEL_WIDTH;
                    for (size_t j = 0; j < HE_PANEL_WIDTH; j++) widened[j] = he_float_from_half(step[j]);
                    w = widened;
                } else {
                    w = (const float *)packed + panel + k * HE_PANEL_WIDTH;
                }
                for (size_t i = 0; i < m; i++) {
                    const float a = x[(r0 + i) * x_stride + k];
                    for (size_t j = 0; j < HE_PANEL_WIDTH; j++) acc[i][j] += a * w[j];
                }
            }
            for (size_t i = 0; i < m; i++) memcpy(y + (r0 + i) * y_stride + col0, acc[i], cols * sizeof(float));
        }
    }
}

void he_linear_generic(const float *x, size_t rows, size_t x_stride, size_t in, const float *packed,
                       const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin,
                       size_t panel_end) {
    linear_generic(x, rows, x_stride, in, packed, 0, bias, out, y, y_stride, panel_begin, panel_end);
}

void he_linear_f16_generic(const float *x, size_t rows, size_t x_stride, size_t in, const uint16_t *packed,
                           const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin,
                           size_t panel_end) {
    linear_generic(x, rows, x_stride, in, packed, 1, bias, out, y, y_stride, panel_begin, panel_end);
}
