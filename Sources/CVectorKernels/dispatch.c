/* Chooses the kernel table once per process from cpuid (and the OS's saved-register mask), so
 * the binary needs no -march flags and runs on any x86-64 or on aarch64. */
#include "kernel_table.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>

static uint64_t read_xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}
#endif

static bool supported[HV_ISA_COUNT];
static hv_isa selected = HV_ISA_SCALAR;
static pthread_once_t detect_once = PTHREAD_ONCE_INIT;

static void detect(void) {
    supported[HV_ISA_SCALAR] = true;
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) goto choose;
    const bool fma = c & (1u << 12), osxsave = c & (1u << 27), avx = c & (1u << 28), f16c = c & (1u << 29);
    if (!(osxsave && avx)) goto choose;
    const uint64_t xcr0 = read_xcr0();
    const bool ymm_state = (xcr0 & 0x6) == 0x6;    /* SSE + AVX registers saved by the OS */
    const bool zmm_state = (xcr0 & 0xe6) == 0xe6;  /* + opmask, ZMM_Hi256, Hi16_ZMM */
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) goto choose;
    const bool avx2 = b & (1u << 5), avx512f = b & (1u << 16), avx512bw = b & (1u << 30),
               avx512vl = b & (1u << 31), avx512vnni = c & (1u << 11);
    supported[HV_ISA_AVX2] = ymm_state && avx2 && fma && f16c;
    supported[HV_ISA_AVX512] = supported[HV_ISA_AVX2] && zmm_state && avx512f && avx512bw && avx512vl && avx512vnni;
choose:
#endif
    selected = HV_ISA_SCALAR;
    for (int isa = HV_ISA_COUNT - 1; isa > 0; isa--)
        if (supported[isa]) { selected = (hv_isa)isa; break; }
    /* An override may only lower the choice: benchmarks and tests use it to pin a path. */
    const char *forced = getenv("HEIMDALL_VECTOR_ISA");
    if (forced) {
        for (int isa = 0; isa < HV_ISA_COUNT; isa++)
            if (strcmp(forced, hv_isa_name((hv_isa)isa)) == 0 && supported[isa]) selected = (hv_isa)isa;
    }
}

hv_isa hv_selected_isa(void) {
    pthread_once(&detect_once, detect);
    return selected;
}

bool hv_isa_supported(hv_isa isa) {
    pthread_once(&detect_once, detect);
    return (unsigned)isa < HV_ISA_COUNT && supported[isa];
}

const char *hv_isa_name(hv_isa isa) {
    switch (isa) {
    case HV_ISA_SCALAR: return "scalar";
    case HV_ISA_AVX2: return "avx2";
    case HV_ISA_AVX512: return "avx512";
    }
    return "unknown";
}

const hv_kernel_table *hv_table_for(hv_isa isa) {
    if (!hv_isa_supported(isa)) return &hv_scalar_kernels;
#if defined(__x86_64__)
    if (isa == HV_ISA_AVX512) return &hv_avx512_kernels;
    if (isa == HV_ISA_AVX2) return &hv_avx2_kernels;
#endif
    return &hv_scalar_kernels;
}

void hv_scores_f32(hv_isa isa, const float *query, const float *rows, size_t n, size_t d, float *out) {
    hv_table_for(isa)->scores_f32(query, rows, n, d, out);
}

void hv_scores_f16(hv_isa isa, const float *query, const uint16_t *rows, size_t n, size_t d, float *out) {
    hv_table_for(isa)->scores_f16(query, rows, n, d, out);
}

void hv_scores_i8(hv_isa isa, const int8_t *query_codes, float query_scale, const int8_t *rows,
                  const float *row_scales, size_t n, size_t d, float *out) {
    hv_table_for(isa)->scores_i8(query_codes, query_scale, rows, row_scales, n, d, out);
}

float hv_dot_f32(hv_isa isa, const float *a, const float *b, size_t d) {
    return hv_table_for(isa)->dot_f32(a, b, d);
}

void hv_f32_to_f16(hv_isa isa, const float *src, uint16_t *dst, size_t count) {
    hv_table_for(isa)->f32_to_f16(src, dst, count);
}

void hv_f16_to_f32(hv_isa isa, const uint16_t *src, float *dst, size_t count) {
    hv_table_for(isa)->f16_to_f32(src, dst, count);
}

float hv_quantize_i8(hv_isa isa, const float *src, int8_t *codes, size_t count) {
    const hv_kernel_table *table = hv_table_for(isa);
    return (table->quantize_i8 ? table : &hv_scalar_kernels)->quantize_i8(src, codes, count);
}
