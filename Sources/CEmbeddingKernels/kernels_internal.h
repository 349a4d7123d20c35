// Declarations of the per-ISA entry points that dispatch.c routes to.
#ifndef HE_KERNELS_INTERNAL_H
#define HE_KERNELS_INTERNAL_H

#include <stddef.h>

#include "CEmbeddingKernels.h"

#define HE_DECLARE_VARIANT(suffix)                                                                              \
    void he_linear_##suffix(const float *x, size_t rows, size_t x_stride, size_t in, const float *packed,     \
                            const float *bias, size_t out, float *y, size_t y_stride, size_t panel_begin,     \
                            size_t panel_end);                                                                \
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

#endif
