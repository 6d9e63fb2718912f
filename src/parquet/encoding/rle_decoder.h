// The RLE / bit-packed hybrid encoding (Encodings.md "RLE"): definition and repetition levels,
// dictionary indices and RLE booleans. A stream is a sequence of runs, each a ULEB128 header
// whose low bit says bit-packed (groups of 8 values, `width` bits each) or RLE (one value of
// ceil(width/8) bytes, repeated).
//
// Hostile input: run headers are bounded varints, run lengths are clamped to what the caller
// asks for, bit-packed runs never read past the buffer (a final run cut short by the writer is
// accepted as far as its bytes go), and asking for more values than the stream holds is
// Corruption.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace saleslake::parquet {

class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;
  // `width` is 0..32 bits.
  RleBitPackedDecoder(std::string_view data, int width) { Reset(data, width); }
  void Reset(std::string_view data, int width);

  // Decodes exactly `count` values into `out`, or fails with Corruption.
  Status Decode(uint32_t* out, size_t count);
  // Same, into bytes (levels with max level <= 255, booleans). REQUIRES: width <= 8.
  Status Decode(uint8_t* out, size_t count);

  // Decodes `count` values, failing when one is >= `limit` (dictionary indices).
  Status DecodeBounded(uint32_t* out, size_t count, uint32_t limit);

  // Bytes consumed so far (whole runs).
  size_t position() const { return pos_; }

 private:
  template <typename T>
  Status DecodeImpl(T* out, size_t count);
  Status NextRun();

  std::string_view data_;
  int width_ = 0;
  size_t pos_ = 0;
  // Current run.
  bool run_is_rle_ = false;
  uint64_t run_left_ = 0;  // values left in the run
  uint32_t rle_value_ = 0;
  uint64_t packed_bit_ = 0;  // bit offset of the next packed value within data_
};

// Levels of a data page v1: a 4-byte little-endian length, then an RLE hybrid stream of that
// many bytes. Returns the stream and advances *data past it.
Result<std::string_view> TakeLengthPrefixed(std::string_view* data, const char* what);

// The deprecated BIT_PACKED level encoding: `count` values of `width` bits, most significant bit
// first, padded to a whole byte. Advances *data past the values.
Status DecodeLegacyBitPackedLevels(std::string_view* data, int width, uint8_t* out, size_t count);

}  // namespace saleslake::parquet
