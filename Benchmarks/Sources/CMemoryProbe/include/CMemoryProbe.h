#ifndef HEIMDALL_CMEMORYPROBE_H
#define HEIMDALL_CMEMORYPROBE_H

#include <stddef.h>
#include <stdint.h>

/// Sums `count` 64-bit words with one thread: a sequential read of count * 8 bytes, the same work
/// as the peer script's membw.c (8 accumulators, -O3), using AVX-512 loads when available so the
/// probe is never slower than the widest loads the scan kernels use.
uint64_t hv_probe_sum_u64(const uint64_t *words, size_t count);

#endif
