// zlib (Debian: zlib1g-dev), for GZIP compression of Bitstring Status Lists. No logic lives here.
#pragma once
#include <zlib.h>

// deflateInit2 and inflateInit2 are macros that pass the library version and the stream size.
static inline int mcred_deflateInit2(z_streamp stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
static inline int mcred_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
