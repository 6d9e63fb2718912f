// Encoders for the RLE / bit-packed hybrid (Encodings.md "RLE"): definition levels and dictionary
// indices. Runs of 8 or more equal values become RLE runs; everything else is bit-packed in groups
// of 8, least significant bit first. Also the bit packer that DELTA_BINARY_PACKED shares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace saleslake::parquet {

// Appends `count` values of `width` bits (0..32 for uint32_t, 0..64 for uint64_t), packed least
// significant bit first, to *out. The last byte is zero-padded. REQUIRES: every value < 2^width.
void PackBits(const uint32_t* values, size_t count, int width, std::string* out);
void PackBits(const uint64_t* values, size_t count, int width, std::string* out);

// Appends the hybrid encoding of `count` values of `width` bits (1..32) to *out, without any
// length prefix. REQUIRES: every value < 2^width. A final partial group is padded with zeros,
// which readers ignore because they know how many values the page holds.
void EncodeRleBitPacked(const uint32_t* values, size_t count, int width, std::string* out);
void EncodeRleBitPacked(const uint8_t* values, size_t count, int width, std::string* out);

// Appends a data page v1 level section: a 4-byte little-endian length, then the hybrid encoding.
void EncodeLengthPrefixedLevels(const uint8_t* levels, size_t count, int width, std::string* out);

// Appends v as an unsigned LEB128 varint.
inline void AppendUleb128(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

inline uint64_t ZigZagEncode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

// Bits needed for values up to max_value (0 for 0).
inline int BitsFor(uint64_t max_value) {
  return max_value == 0 ? 0 : 64 - __builtin_clzll(max_value);
}

}  // namespace saleslake::parquet
