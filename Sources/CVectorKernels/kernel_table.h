/* One table of function pointers per ISA; dispatch.c picks the table, the kernel files fill them. */
#ifndef HEIMDALL_KERNEL_TABLE_H
#define HEIMDALL_KERNEL_TABLE_H

#include "CVectorKernels.h"

typedef struct hv_kernel_table {
    void (*scores_f32)(const float *query, const float *rows, size_t n, size_t d, float *out);
    void (*scores_f16)(const float *query, const uint16_t *rows, size_t n, size_t d, float *out);
    void (*scores_i8)(const int8_t *query_codes, float query_scale, const int8_t *rows,
                      const float *row_scales, size_t n, size_t d, float *out);
    float (*dot_f32)(const float *a, const float *b, size_t d);
    void (*f32_to_f16)(const float *src, uint16_t *dst, size_t count);
    void (*f16_to_f32)(const uint16_t *src, float *dst, size_t count);
    float (*quantize_i8)(const float *src, int8_t *codes, size_t count);
} hv_kernel_table;

extern const hv_kernel_table hv_scalar_kernels;
#if defined(__x86_64__)
extern const hv_kernel_table hv_avx2_kernels;
extern const hv_kernel_table hv_avx512_kernels;
#endif

/* The table for a path; the scalar one when the CPU cannot run the requested path. */
const hv_kernel_table *hv_table_for(hv_isa isa);

/* Portable helpers shared by the SIMD files for their tails. */
float hv_half_to_float(uint16_t h);
uint16_t hv_float_to_half(float f);

#endif
