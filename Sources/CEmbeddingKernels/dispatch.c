// Runtime selection of the kernel variant (cpuid, once) and the ISA-independent helpers.
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "kernels_internal.h"

int he_isa_supported(he_isa isa) {
    switch (isa) {
        case HE_ISA_GENERIC: return 1;
#if defined(__x86_64__)
        case HE_ISA_AVX2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        case HE_ISA_AVX512:
            return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                   __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
                   __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
        default: return 0;
    }
}

he_isa he_best_isa(void) {
    // Benign race: every thread computes the same answer.
    static volatile int cached = -1;
    int isa = cached;
    if (isa < 0) {
        isa = he_isa_supported(HE_ISA_AVX512) ? HE_ISA_AVX512
              : he_isa_supported(HE_ISA_AVX2) ? HE_ISA_AVX2
                                              : HE_ISA_GENERIC;
        cached = isa;
    }
    return (he_isa)isa;
}

const char *he_isa_name(he_isa isa) {
    switch (isa) {
        case HE_ISA_AVX512: return "avx512";
        case HE_ISA_AVX2: return "avx2";
        default: return "generic";
    }
}

// An unsupported request falls back to the generic variant instead of faulting on an illegal
// instruction.
#if defined(__x86_64__)
#define HE_DISPATCH(isa, fn, ...)                                                                   \
    do {                                                                                            \
        if ((isa) == HE_ISA_AVX512 && he_isa_supported(HE_ISA_AVX512)) fn##_avx512(__VA_ARGS__);    \
        else if ((isa) == HE_ISA_AVX2 && he_isa_supported(HE_ISA_AVX2)) fn##_avx2(__VA_ARGS__);     \
        else fn##_generic(__VA_ARGS__);                                                             \
    } while (0)
#else
#define HE_DISPATCH(isa, fn, ...) fn##_generic(__VA_ARGS__)
#endif

size_t he_panel_count(size_t out) { return (out + HE_PANEL_WIDTH - 1) / HE_PANEL_WIDTH; }

size_t he_packed_weight_count(size_t out, size_t in) { return he_panel_count(out) * HE_PANEL_WIDTH * in; }

void he_pack_weights(const float *weights, size_t out, size_t in, float *packed) {
    const size_t panels = he_panel_count(out);
    for (size_t p = 0; p < panels; p++) {
        float *panel = packed + p * in * HE_PANEL_WIDTH;
        for (size_t j = 0; j < HE_PANEL_WIDTH; j++) {
            const size_t c = p * HE_PANEL_WIDTH + j;
            if (c < out) {
                const float *row = weights + c * in;
                for (size_t k = 0; k < in; k++) panel[k * HE_PANEL_WIDTH + j] = row[k];
            } else {
                for (size_t k = 0; k < in; k++) panel[k * HE_PANEL_WIDTH + j] = 0.0f;
            }
        }
    }
}

uint16_t he_f32_to_f16(float value) { return he_half_from_float(value); }

float he_f16_to_f32(uint16_t half) { return he_float_from_half(half); }

void he_pack_weights_f16(const float *weights, size_t out, size_t in, uint16_t *packed) {
    const size_t panels = he_panel_count(out);
    for (size_t p = 0; p < panels; p++) {
        uint16_t *panel = packed + p * in * HE_PANEL_WIDTH;
        for (size_t j = 0; j < HE_PANEL_WIDTH; j++) {
            const size_t c = p * HE_PANEL_WIDTH + j;
            const float *row = c < out ? weights + c * in : NULL;
            for (size_t k = 0; k < in; k++) panel[k * HE_PANEL_WIDTH + j] = row ? he_half_from_float(row[k]) : 0;
        }
    }
}

void he_linear_f16(he_isa isa, const float *x, size_t rows, size_t x_stride, size_t in, const uint16_t *packed,
                   const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin, size_t panel_end) {
    const size_t panels = he_panel_count(out);
    if (panel_end > panels) panel_end = panels;
    if (rows == 0 || panel_begin >= panel_end) return;
#if defined(__x86_64__)
    // vcvtph2ps on ymm is F16C, not AVX2: checked here rather than made part of HE_ISA_AVX2.
    if (isa == HE_ISA_AVX2 && !__builtin_cpu_supports("f16c")) isa = HE_ISA_GENERIC;
#endif
    HE_DISPATCH(isa, he_linear_f16, x, rows, x_stride, in, packed, bias, out, y, y_stride, panel_begin, panel_end);
}

void he_linear(he_isa isa, const float *x, size_t rows, size_t x_stride, size_t in, const float *packed,
               const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin, size_t panel_end) {
    const size_t panels = he_panel_count(out);
    if (panel_end > panels) panel_end = panels;
    if (rows == 0 || panel_begin >= panel_end) return;
    HE_DISPATCH(isa, he_linear, x, rows, x_stride, in, packed, bias, out, y, y_stride, panel_begin, panel_end);
}

void he_add_layer_norm(he_isa isa, const float *a, const float *residual, size_t rows, size_t dim,
                       const float *gamma, const float *beta, float eps, float *out) {
    HE_DISPATCH(isa, he_add_layer_norm, a, residual, rows, dim, gamma, beta, eps, out);
}

void he_gelu(he_isa isa, float *x, size_t count) { HE_DISPATCH(isa, he_gelu, x, count); }

void he_exp(he_isa isa, const float *x, size_t count, float *y) { HE_DISPATCH(isa, he_exp, x, count, y); }

size_t he_attention_scratch_count(size_t rows, size_t head_dim) {
    // Transposed keys [head_dim][padded], contiguous values [padded][head_dim] and 4 score rows
    // (layer_kernels.inc, ATTENTION_QUERIES).
    const size_t padded = (rows + 31) & ~(size_t)31;
    return 2 * head_dim * padded + 4 * padded;
}

void he_attention(he_isa isa, const float *qkv, size_t rows, size_t qkv_stride, size_t heads, size_t head_dim,
                  float *ctx, size_t ctx_stride, float *scratch) {
    // The vector code holds one head in ≤ 4 registers of 16 lanes; callers check this too.
    if (head_dim == 0 || head_dim % 16 != 0 || head_dim > 64 || rows == 0) return;
    HE_DISPATCH(isa, he_attention, qkv, rows, qkv_stride, heads, head_dim, ctx, ctx_stride, scratch);
}

void he_embeddings_sum(const int32_t *ids, size_t rows, const float *word, const float *position,
                       const float *type_row, size_t dim, float *out) {
    for (size_t r = 0; r < rows; r++) {
        const float *w = word + (size_t)ids[r] * dim;
        const float *p = position + r * dim;
        float *o = out + r * dim;
        // Same association as the reference: (word + position) + token type.
        for (size_t i = 0; i < dim; i++) o[i] = (w[i] + p[i]) + type_row[i];
    }
}

void he_mean_pool_normalize(const float *x, size_t rows, size_t dim, float *out) {
    for (size_t i = 0; i < dim; i++) out[i] = 0.0f;
    for (size_t r = 0; r < rows; r++)
        for (size_t i = 0; i < dim; i++) out[i] += x[r * dim + i];
    const float count = rows > 0 ? (float)rows : 1.0f;
    double norm2 = 0.0;
    for (size_t i = 0; i < dim; i++) {
        out[i] /= count;
        norm2 += (double)out[i] * out[i];
    }
    float norm = (float)sqrt(norm2);
    if (norm < 1e-12f) norm = 1e-12f;
    for (size_t i = 0; i < dim; i++) out[i] /= norm;
}
