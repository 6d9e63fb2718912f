// BYTE_STREAM_SPLIT (Encodings.md): for values of K bytes, K streams of N bytes each; stream k
// holds byte k of every value. Defined for FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace saleslake::parquet {

// Reassembles `count` values of `width` bytes into `out` (count * width bytes). The page must
// hold exactly count * width bytes.
Status DecodeByteStreamSplit(std::string_view data, size_t count, size_t width, uint8_t* out);

}  // namespace saleslake::parquet
