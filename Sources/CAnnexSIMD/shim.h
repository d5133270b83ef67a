#ifndef CANNEX_SIMD_SHIM_H
#define CANNEX_SIMD_SHIM_H
// Byte classification and search with vector compares. Why C: Swift's SIMD types compare lanes but cannot turn
// the result into a bit mask (SSE2's movemask), which is what a scanner needs to find bytes fast.
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Where the 64 bytes of a block are a delimiter, a quote, a CR or an LF: bit k for byte k.
typedef struct {
    uint64_t delimiters;
    uint64_t quotes;
    uint64_t crs;
    uint64_t lfs;
} annex_byte_classes;

static inline annex_byte_classes annex_classify64(const uint8_t *p, uint8_t delimiter) {
    annex_byte_classes result = {0, 0, 0, 0};
#if defined(__SSE2__)
    const __m128i d = _mm_set1_epi8((char)delimiter);
    const __m128i q = _mm_set1_epi8('"');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n');
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        result.delimiters |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, d)) << (16 * k);
        result.quotes |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q)) << (16 * k);
        result.crs |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, cr)) << (16 * k);
        result.lfs |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf)) << (16 * k);
    }
#else
    for (int k = 0; k < 64; k++) {
        uint64_t bit = (uint64_t)1 << k;
        if (p[k] == delimiter) result.delimiters |= bit;
        if (p[k] == '"') result.quotes |= bit;
        if (p[k] == '\r') result.crs |= bit;
        if (p[k] == '\n') result.lfs |= bit;
    }
#endif
    return result;
}
/// The offset of the first byte of p[start..<count] that is a, b, c or d; count when there is none.
/// Sixteen bytes at a time while sixteen remain, then byte by byte. (For three bytes, repeat one.)
static inline long annex_find_any4(const uint8_t *p, long start, long count, uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
    long i = start;
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a);
    const __m128i vb = _mm_set1_epi8((char)b);
    const __m128i vc = _mm_set1_epi8((char)c);
    const __m128i vd = _mm_set1_epi8((char)d);
    while (i + 16 <= count) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
        int mask = _mm_movemask_epi8(hit);
        if (mask != 0) return i + __builtin_ctz((unsigned)mask);
        i += 16;
    }
#endif
    for (; i < count; i++) {
        if (p[i] == a || p[i] == b || p[i] == c || p[i] == d) return i;
    }
    return count;
}
#endif
