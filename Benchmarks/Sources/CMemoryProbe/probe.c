#include "CMemoryProbe.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f"))) static uint64_t sum_avx512(const uint64_t *w, size_t count) {
    __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
    size_t i = 0;
    for (; i + 32 <= count; i += 32) {
        a0 = _mm512_add_epi64(a0, _mm512_loadu_si512(w + i));
        a1 = _mm512_add_epi64(a1, _mm512_loadu_si512(w + i + 8));
        a2 = _mm512_add_epi64(a2, _mm512_loadu_si512(w + i + 16));
        a3 = _mm512_add_epi64(a3, _mm512_loadu_si512(w + i + 24));
    }
    uint64_t s = (uint64_t)_mm512_reduce_add_epi64(_mm512_add_epi64(_mm512_add_epi64(a0, a1), _mm512_add_epi64(a2, a3)));
    for (; i < count; i++) s += w[i];
    return s;
}
#endif

static uint64_t sum_scalar(const uint64_t *w, size_t count) {
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        s0 += w[i]; s1 += w[i + 1]; s2 += w[i + 2]; s3 += w[i + 3];
        s4 += w[i + 4]; s5 += w[i + 5]; s6 += w[i + 6]; s7 += w[i + 7];
    }
    for (; i < count; i++) s0 += w[i];
    return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
}

uint64_t hv_probe_sum_u64(const uint64_t *words, size_t count) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx512f")) return sum_avx512(words, count);
#endif
    return sum_scalar(words, count);
}
