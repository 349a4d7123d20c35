/*
 * Similarity-scan kernels for Heimdall's vector index.
 *
 * Every kernel exists once per instruction set (AVX-512, AVX2, portable scalar). The best one the
 * CPU supports is chosen once, at first use, from cpuid; callers may also name an ISA explicitly
 * (tests compare all paths). Naming an ISA the CPU lacks silently runs the scalar path instead, so
 * a wrong argument can never raise SIGILL.
 *
 * Rows are stored contiguously, row i starting at element i * d. Scores are dot products; the
 * index stores unit-norm vectors, so a dot product is the cosine similarity.
 */
#ifndef HEIMDALL_CVECTORKERNELS_H
#define HEIMDALL_CVECTORKERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction-set paths of the kernels.
typedef enum hv_isa {
    /// Portable C; compiled for any target.
    HV_ISA_SCALAR = 0,
    /// x86-64 AVX2 + FMA + F16C.
    HV_ISA_AVX2 = 1,
    /// x86-64 AVX-512 F/BW/VL + VNNI + F16C.
    HV_ISA_AVX512 = 2,
} hv_isa;

/// Number of hv_isa values.
#define HV_ISA_COUNT 3

/// The ISA chosen at start-up: the best one the CPU supports, unless the environment variable
/// HEIMDALL_VECTOR_ISA (scalar | avx2 | avx512) names a supported, lower one.
hv_isa hv_selected_isa(void);

/// Whether this CPU (and OS) can execute the given path.
bool hv_isa_supported(hv_isa isa);

/// A short lowercase name: "scalar", "avx2", "avx512".
const char *hv_isa_name(hv_isa isa);

/// out[i] = dot(query, rows[i]) for i in 0..<n, float32 rows.
void hv_scores_f32(hv_isa isa, const float *query, const float *rows, size_t n, size_t d, float *out);

/// out[i] = dot(query, half(rows[i])), rows as IEEE 754 binary16 bit patterns.
void hv_scores_f16(hv_isa isa, const float *query, const uint16_t *rows, size_t n, size_t d, float *out);

/// out[i] = query_scale * row_scales[i] * sum_j(query_codes[j] * rows[i][j]).
/// Codes must lie in [-127, 127] (symmetric quantisation; -128 is never produced), which the
/// AVX2 path relies on to keep its 16-bit pair sums from saturating.
void hv_scores_i8(hv_isa isa, const int8_t *query_codes, float query_scale, const int8_t *rows,
                  const float *row_scales, size_t n, size_t d, float *out);

/// Exact float32 dot product of two vectors of length d.
float hv_dot_f32(hv_isa isa, const float *a, const float *b, size_t d);

/// Running top-k selection over a stream of scores. Caller owns the buffers (capacity k each).
/// Entries stay sorted by descending score; equal scores keep the lower row first. NaN is ignored.
typedef struct hv_topk {
    size_t k;
    size_t count;
    size_t *rows;
    float *scores;
} hv_topk;

/// Initialises an empty selection of capacity k over caller-owned buffers.
void hv_topk_init(hv_topk *topk, size_t k, size_t *rows, float *scores);

/// Offers scores[0..<count] as rows base_row..<base_row+count.
void hv_topk_push_block(hv_topk *topk, const float *scores, size_t count, size_t base_row);

/// Top-k scans: write at most k (row, score) pairs, best first, and return how many were written
/// (min(k, n)). They score rows in cache-sized blocks, so no n-sized buffer is needed.
size_t hv_topk_f32(hv_isa isa, const float *query, const float *rows, size_t n, size_t d, size_t k,
                   size_t *out_rows, float *out_scores);
size_t hv_topk_f16(hv_isa isa, const float *query, const uint16_t *rows, size_t n, size_t d, size_t k,
                   size_t *out_rows, float *out_scores);
size_t hv_topk_i8(hv_isa isa, const int8_t *query_codes, float query_scale, const int8_t *rows,
                  const float *row_scales, size_t n, size_t d, size_t k, size_t *out_rows,
                  float *out_scores);

/// float32 -> binary16 bit patterns, round to nearest even (as F16C / Swift's Float16 do).
void hv_f32_to_f16(hv_isa isa, const float *src, uint16_t *dst, size_t count);

/// binary16 bit patterns -> float32 (exact).
void hv_f16_to_f32(hv_isa isa, const uint16_t *src, float *dst, size_t count);

/// Symmetric int8 quantisation: codes[j] = round_even(src[j] / scale) with
/// scale = max|src| / 127, so codes lie in [-127, 127]. Returns the scale (0 for an all-zero input,
/// whose codes are then all 0).
float hv_quantize_i8(hv_isa isa, const float *src, int8_t *codes, size_t count);

#ifdef __cplusplus
}
#endif

#endif
