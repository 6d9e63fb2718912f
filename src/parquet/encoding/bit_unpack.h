// Bit-level reads shared by the decoders: Parquet packs values least-significant bit first
// (RLE/bit-packed hybrid runs, DELTA_BINARY_PACKED miniblocks), and writes ULEB128 varints.
//
// These functions do no allocation and assume nothing about their input beyond what their
// REQUIRES says; callers check lengths first, so a hostile page is an error there, not a read
// past the end here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace saleslake::parquet {

// Reads an unsigned LEB128 varint from data[*pos..] of at most `max_bytes` bytes (5 for 32-bit
// values, 10 for 64-bit). Returns false when the input ends first or the varint is longer.
inline bool ReadUleb128(std::string_view data, size_t* pos, uint64_t* out, int max_bytes = 10) {
  uint64_t v = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (*pos >= data.size()) return false;
    const uint8_t b = static_cast<uint8_t>(data[(*pos)++]);
    v |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      *out = v;
      return true;
    }
  }
  return false;
}

inline int64_t ZigZagDecode(uint64_t v) { return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1)); }

// Number of bits needed for values up to `max_value` (0 for 0).
inline int BitWidthOf(uint64_t max_value) {
  return max_value == 0 ? 0 : 64 - __builtin_clzll(max_value);
}

// Unpacks `count` values of `width` bits (0..32) starting at bit `bit_offset` of `data`.
// REQUIRES: bit_offset + count * width <= size * 8.
void UnpackBits32(const uint8_t* data, size_t size, uint64_t bit_offset, int width, uint32_t* out,
                  size_t count);

// Same for widths 0..64.
void UnpackBits64(const uint8_t* data, size_t size, uint64_t bit_offset, int width, uint64_t* out,
                  size_t count);

// Little-endian loads of possibly unaligned values.
template <typename T>
inline T LoadLittleEndian(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;  // saleslake targets little-endian machines only (checked in bit_unpack.cc)
}

}  // namespace saleslake::parquet
