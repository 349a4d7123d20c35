// Numeric kernels for the MiniLM encoder, one implementation per instruction set.
//
// Every entry point takes the instruction set explicitly (`he_isa`), so tests can run each
// available variant against a reference; production code passes `he_best_isa()`, which is
// chosen once from cpuid. The portable ("generic") variant is plain C that the compiler
// vectorises for the baseline target, so it also serves non-x86 hosts.
#ifndef C_EMBEDDING_KERNELS_H
#define C_EMBEDDING_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction-set variants of the kernels.
typedef enum {
    HE_ISA_GENERIC = 0,  ///< portable C (baseline SIMD of the target at best)
    HE_ISA_AVX2 = 1,     ///< x86-64 AVX2 + FMA
    HE_ISA_AVX512 = 2,   ///< x86-64 AVX-512 F/VL/DQ/BW
} he_isa;

/// Whether this CPU can run `isa` (generic is always supported).
int he_isa_supported(he_isa isa);
/// The fastest supported variant; detected once and cached.
he_isa he_best_isa(void);
/// Human-readable name of a variant ("avx512", "avx2", "generic").
const char *he_isa_name(he_isa isa);

// ---------------------------------------------------------------------------------------------
// Linear layers: y[T,out] = x[T,in] · Wᵀ + b with W in PyTorch layout [out,in].
// W is packed once into column panels of HE_PANEL_WIDTH outputs: for panel p and input k the
// HE_PANEL_WIDTH weights W[p·w + j, k] are contiguous, so the microkernels stream one panel
// linearly while holding a block of output rows in registers. The last panel is zero-padded.
// ---------------------------------------------------------------------------------------------
enum { HE_PANEL_WIDTH = 32 };

/// Number of panels for `out` outputs.
size_t he_panel_count(size_t out);
/// Number of floats the packed form of a [out,in] weight needs.
size_t he_packed_weight_count(size_t out, size_t in);
/// Packs row-major W[out,in] into `packed` (he_packed_weight_count floats, 64-byte aligned preferred).
void he_pack_weights(const float *weights, size_t out, size_t in, float *packed);

/// y[t, c] = Σ_k x[t,k]·W[c,k] + bias[c] for the output columns of panels [panel_begin, panel_end).
/// x rows are `x_stride` floats apart, y rows `y_stride` floats apart. `bias` may be NULL.
/// Column ranges of different calls never overlap, so disjoint panel ranges can run in parallel.
void he_linear(he_isa isa, const float *x, size_t rows, size_t x_stride, size_t in,
               const float *packed, const float *bias, size_t out, float *y, size_t y_stride,
               size_t panel_begin, size_t panel_end);

// Reduced-precision weights: the same panel layout holding IEEE binary16 values, half the bytes to
// stream. The microkernels widen them to f32 as they load (F16C / AVX-512F vcvtph2ps, exact) and
// accumulate in f32, so only the weights are rounded, never the activations or the sums.

/// Packs row-major W[out,in] like he_pack_weights, as binary16 (he_packed_weight_count values),
/// rounding each weight to nearest even (beyond ±65504 → ±inf; tiny values become subnormal).
void he_pack_weights_f16(const float *weights, size_t out, size_t in, uint16_t *packed);

/// he_linear over binary16 weights packed by he_pack_weights_f16; same contract otherwise. The AVX2
/// variant also needs F16C; without it the generic variant runs.
void he_linear_f16(he_isa isa, const float *x, size_t rows, size_t x_stride, size_t in,
                   const uint16_t *packed, const float *bias, size_t out, float *y, size_t y_stride,
                   size_t panel_begin, size_t panel_end);

/// Scalar binary16 conversions (round to nearest even; exact widening), as the packer and the
/// generic kernel use them; exported for tests.
uint16_t he_f32_to_f16(float value);
float he_f16_to_f32(uint16_t half);

// ---------------------------------------------------------------------------------------------
// Element-wise and row-wise pieces of a BERT layer.
// ---------------------------------------------------------------------------------------------

/// out[r] = LayerNorm(a[r] + residual[r]) · gamma + beta with biased variance over `dim`.
/// `residual` may be NULL; `out` may alias `a` or `residual`.
void he_add_layer_norm(he_isa isa, const float *a, const float *residual, size_t rows, size_t dim,
                       const float *gamma, const float *beta, float eps, float *out);

/// x ← 0.5·x·(1 + erf(x/√2)) in place (erf, not the tanh approximation).
void he_gelu(he_isa isa, float *x, size_t count);

/// y ← exp(x) (vectorised; used by softmax, exported for tests).
void he_exp(he_isa isa, const float *x, size_t count, float *y);

/// Multi-head self-attention for one unpadded sequence.
/// `qkv` is [rows, 3·heads·head_dim] (query | key | value, head h = columns h·head_dim ..< (h+1)·head_dim
/// of each part), rows `qkv_stride` floats apart; writes the concatenated heads to ctx[rows, heads·head_dim]
/// (rows `ctx_stride` apart). `scratch` needs he_attention_scratch_count(rows, head_dim) floats.
void he_attention(he_isa isa, const float *qkv, size_t rows, size_t qkv_stride, size_t heads,
                  size_t head_dim, float *ctx, size_t ctx_stride, float *scratch);
size_t he_attention_scratch_count(size_t rows, size_t head_dim);

/// out[r] = word[ids[r]] + position[r] + type_row, the BERT input embedding before its LayerNorm.
/// Callers guarantee every id is < the word table's row count and rows ≤ the position table's.
void he_embeddings_sum(const int32_t *ids, size_t rows, const float *word, const float *position,
                       const float *type_row, size_t dim, float *out);

/// out[dim] = L2-normalised mean of the `rows` rows of x (norm floored at 1e-12).
void he_mean_pool_normalize(const float *x, size_t rows, size_t dim, float *out);

#ifdef __cplusplus
}
#endif

#endif
