/* Top-k selection fused with the scan: rows are scored in blocks that stay in L1, and each block is
 * merged into a small sorted list. k is small (the index asks for ~8), so insertion into a sorted
 * array beats a heap, and almost every score fails the single compare against the current k-th. */
#include "kernel_table.h"

/* 256 scores = 1 KiB on the stack; large enough that the per-block call overhead vanishes. */
#define HV_BLOCK_ROWS 256

void hv_topk_init(hv_topk *topk, size_t k, size_t *rows, float *scores) {
    topk->k = k;
    topk->count = 0;
    topk->rows = rows;
    topk->scores = scores;
}

static void insert(hv_topk *t, float score, size_t row) {
    size_t pos = t->count < t->k ? t->count : t->k - 1;
    /* Strict '<' keeps earlier (lower) rows ahead of later rows with an equal score. */
    while (pos > 0 && t->scores[pos - 1] < score) {
        t->scores[pos] = t->scores[pos - 1];
        t->rows[pos] = t->rows[pos - 1];
        pos--;
    }
    t->scores[pos] = score;
    t->rows[pos] = row;
    if (t->count < t->k) t->count++;
}

void hv_topk_push_block(hv_topk *t, const float *scores, size_t count, size_t base_row) {
    if (t->k == 0) return;
    size_t i = 0;
    /* Fill phase: accept anything that is not NaN. */
    for (; i < count && t->count < t->k; i++)
        if (scores[i] == scores[i]) insert(t, scores[i], base_row + i);
    if (i == count) return;
    float threshold = t->scores[t->k - 1];
    for (; i < count; i++) {
        if (scores[i] > threshold) { /* NaN compares false */
            insert(t, scores[i], base_row + i);
            threshold = t->scores[t->k - 1];
        }
    }
}

size_t hv_topk_f32(hv_isa isa, const float *query, const float *rows, size_t n, size_t d, size_t k,
                   size_t *out_rows, float *out_scores) {
    hv_topk t;
    hv_topk_init(&t, k, out_rows, out_scores);
    if (k == 0) return 0;
    const hv_kernel_table *table = hv_table_for(isa);
    float block[HV_BLOCK_ROWS];
    for (size_t start = 0; start < n; start += HV_BLOCK_ROWS) {
        const size_t count = n - start < HV_BLOCK_ROWS ? n - start : HV_BLOCK_ROWS;
        table->scores_f32(query, rows + start * d, count, d, block);
        hv_topk_push_block(&t, block, count, start);
    }
    return t.count;
}

size_t hv_topk_f16(hv_isa isa, const float *query, const uint16_t *rows, size_t n, size_t d, size_t k,
                   size_t *out_rows, float *out_scores) {
    hv_topk t;
    hv_topk_init(&t, k, out_rows, out_scores);
    if (k == 0) return 0;
    const hv_kernel_table *table = hv_table_for(isa);
    float block[HV_BLOCK_ROWS];
    for (size_t start = 0; start < n; start += HV_BLOCK_ROWS) {
        const size_t count = n - start < HV_BLOCK_ROWS ? n - start : HV_BLOCK_ROWS;
        table->scores_f16(query, rows + start * d, count, d, block);
        hv_topk_push_block(&t, block, count, start);
    }
    return t.count;
}

size_t hv_topk_i8(hv_isa isa, const int8_t *query_codes, float query_scale, const int8_t *rows,
                  const float *row_scales, size_t n, size_t d, size_t k, size_t *out_rows,
                  float *out_scores) {
    hv_topk t;
    hv_topk_init(&t, k, out_rows, out_scores);
    if (k == 0) return 0;
    const hv_kernel_table *table = hv_table_for(isa);
    float block[HV_BLOCK_ROWS];
    for (size_t start = 0; start < n; start += HV_BLOCK_ROWS) {
        const size_t count = n - start < HV_BLOCK_ROWS ? n - start : HV_BLOCK_ROWS;
        table->scores_i8(query_codes, query_scale, rows + start * d, row_scales + start, count, d, block);
        hv_topk_push_block(&t, block, count, start);
    }
    return t.count;
}
