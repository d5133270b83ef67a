#ifndef CZLIB_ANNEX_SHIM_H
#define CZLIB_ANNEX_SHIM_H
#include <zlib.h>

// inflateInit2/deflateInit2 are macros (they pass ZLIB_VERSION and sizeof(z_stream)); Swift cannot import them.
static inline int annex_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
static inline int annex_deflateInit2(z_streamp strm, int level, int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, memLevel, strategy);
}
#endif
