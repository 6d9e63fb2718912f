// PLAIN decoding (Encodings.md "Plain"): fixed-width values little-endian back to back, booleans
// one bit each (least significant first), BYTE_ARRAY as a 4-byte length then the bytes,
// FIXED_LEN_BYTE_ARRAY and INT96 as their bytes.
//
// Each function decodes exactly `count` values from the front of *data and advances *data past
// them; fewer bytes than the values need is Corruption. Byte-array results are views into *data's
// buffer, which the caller keeps alive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace saleslake::parquet {

// One byte per value, 0 or 1.
Status DecodePlainBooleans(std::string_view* data, size_t count, uint8_t* out);

// int32_t, int64_t, float, double.
template <typename T>
Status DecodePlainFixed(std::string_view* data, size_t count, T* out);

Status DecodePlainByteArrays(std::string_view* data, size_t count, std::string_view* out);

// FIXED_LEN_BYTE_ARRAY of `width` bytes (1.. bytes), and INT96 with width 12.
Status DecodePlainFixedLenByteArrays(std::string_view* data, size_t count, size_t width,
                                     std::string_view* out);

extern template Status DecodePlainFixed<int32_t>(std::string_view*, size_t, int32_t*);
extern template Status DecodePlainFixed<int64_t>(std::string_view*, size_t, int64_t*);
extern template Status DecodePlainFixed<float>(std::string_view*, size_t, float*);
extern template Status DecodePlainFixed<double>(std::string_view*, size_t, double*);

}  // namespace saleslake::parquet
