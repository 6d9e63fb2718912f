// Split-block Bloom filter (BloomFilter.md): blocks of 256 bits (eight 32-bit words); a value's
// xxHash64 (seed 0, over its PLAIN bytes without a length prefix) picks a block with its high 32
// bits and one bit in each word with its low 32 bits times the spec's eight salt constants.
// Stored little-endian after a BloomFilterHeader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace saleslake::parquet {

class SplitBlockBloomFilter {
 public:
  static constexpr size_t kMinBytes = 32;
  static constexpr size_t kMaxBytes = 128u << 20;

  // Bytes for `ndv` distinct values at false-positive probability `fpp`: a power of two within
  // [kMinBytes, kMaxBytes] (the size readers expect).
  static size_t OptimalBytes(uint64_t ndv, double fpp);

  // An empty filter of `num_bytes` (a power of two within the bounds above).
  explicit SplitBlockBloomFilter(size_t num_bytes);
  // A filter over a stored bitset; fails when its size is not a valid filter size.
  static Result<SplitBlockBloomFilter> FromBitset(std::string_view bitset);

  static uint64_t Hash(std::string_view plain_bytes);
  template <typename T>
  static uint64_t HashValue(T v) {
    return Hash(std::string_view(reinterpret_cast<const char*>(&v), sizeof(T)));
  }

  void InsertHash(uint64_t hash);
  bool MightContainHash(uint64_t hash) const;

  size_t num_bytes() const { return words_.size() * 4; }
  // The bitset as stored in a file.
  std::string_view bitset() const {
    return std::string_view(reinterpret_cast<const char*>(words_.data()), num_bytes());
  }

 private:
  size_t BlockOf(uint64_t hash) const;
  std::vector<uint32_t> words_;
};

}  // namespace saleslake::parquet
