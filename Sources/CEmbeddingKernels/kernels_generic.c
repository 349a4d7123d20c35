// Portable variants: plain C that the compiler vectorises for the baseline target. They are the
// fallback on CPUs without AVX2 and on non-x86 hosts.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernels_internal.h"

#define HE_FN(name) name##_generic
#include "layer_kernels.inc"

enum { MR_GENERIC = 4 };

void he_linear_generic(const float *x, size_t rows, size_t x_stride, size_t in, const float *packed,
                       const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin,
                       size_t panel_end) {
    for (size_t p = panel_begin; p < panel_end; p++) {
        const size_t col0 = p * HE_PANEL_WIDTH;
        const size_t cols = out - col0 < HE_PANEL_WIDTH ? out - col0 : HE_PANEL_WIDTH;
        const float *panel = packed + p * in * HE_PANEL_WIDTH;
        for (size_t r0 = 0; r0 < rows; r0 += MR_GENERIC) {
            const size_t m = rows - r0 < MR_GENERIC ? rows - r0 : MR_GENERIC;
            float acc[MR_GENERIC][HE_PANEL_WIDTH];
            for (size_t i = 0; i < m; i++)
                for (size_t j = 0; j < HE_PANEL_WIDTH; j++) acc[i][j] = (bias && j < cols) ? bias[col0 + j] : 0.0f;
            for (size_t k = 0; k < in; k++) {
                const float *w = panel + k * HE_PANEL_WIDTH;
                for (size_t i = 0; i < m; i++) {
                    const float a = x[(r0 + i) * x_stride + k];
                    for (size_t j = 0; j < HE_PANEL_WIDTH; j++) acc[i][j] += a * w[j];
                }
            }
            for (size_t i = 0; i < m; i++) memcpy(y + (r0 + i) * y_stride + col0, acc[i], cols * sizeof(float));
        }
    }
}

void he_linear_f16_generic(const float *x, size_t rows, size_t x_stride, size_t in, const uint16_t *packed,
                           const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin,
                           size_t panel_end) {
    for (size_t p = panel_begin; p < panel_end; p++) {
        const size_t col0 = p * HE_PANEL_WIDTH;
        const size_t cols = out - col0 < HE_PANEL_WIDTH ? out - col0 : HE_PANEL_WIDTH;
        const uint16_t *panel = packed + p * in * HE_PANEL_WIDTH;
        for (size_t r0 = 0; r0 < rows; r0 += MR_GENERIC) {
            const size_t m = rows - r0 < MR_GENERIC ? rows - r0 : MR_GENERIC;
            float acc[MR_GENERIC][HE_PANEL_WIDTH];
            for (size_t i = 0; i < m; i++)
                for (size_t j = 0; j < HE_PANEL_WIDTH; j++) acc[i][j] = (bias && j < cols) ? bias[col0 + j] : 0.0f;
            for (size_t k = 0; k < in; k++) {
                // Widen one step of the panel, then the same loop as the f32 kernel.
                float w[HE_PANEL_WIDTH];
                for (size_t j = 0; j < HE_PANEL_WIDTH; j++) w[j] = he_float_from_half(panel[k * HE_PANEL_WIDTH + j]);
                for (size_t i = 0; i < m; i++) {
                    const float a = x[(r0 + i) * x_stride + k];
                    for (size_t j = 0; j < HE_PANEL_WIDTH; j++) acc[i][j] += a * w[j];
                }
            }
            for (size_t i = 0; i < m; i++) memcpy(y + (r0 + i) * y_stride + col0, acc[i], cols * sizeof(float));
        }
    }
}
