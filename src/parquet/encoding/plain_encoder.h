// PLAIN encoding (Encodings.md "Plain"): fixed-width values little-endian back to back, booleans
// one bit each (least significant first), BYTE_ARRAY as a 4-byte little-endian length then the
// bytes, FIXED_LEN_BYTE_ARRAY as the bytes alone. Each function appends to *out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace saleslake::parquet {

// int32_t, int64_t, float, double (saleslake targets little-endian machines only).
template <typename T>
inline void AppendPlain(const T* values, size_t count, std::string* out) {
  out->append(reinterpret_cast<const char*>(values), count * sizeof(T));
}

template <typename T>
inline void AppendPlainValue(T value, std::string* out) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}

inline void AppendPlainByteArray(std::string_view value, std::string* out) {
  const uint32_t length = static_cast<uint32_t>(value.size());
  out->append(reinterpret_cast<const char*>(&length), 4);
  out->append(value);
}

// Booleans given as one byte (0 or 1) per value.
void AppendPlainBooleans(const uint8_t* values, size_t count, std::string* out);

}  // namespace saleslake::parquet
