#include "parquet/bloom_filter.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <cmath>
#include <cstring>

namespace saleslake::parquet {
namespace {

constexpr uint32_t kSalt[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                               0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};
constexpr size_t kWordsPerBlock = 8;

bool ValidSize(size_t n) {
  return n >= SplitBlockBloomFilter::kMinBytes && n <= SplitBlockBloomFilter::kMaxBytes &&
         (n & (n - 1)) == 0;
}

}  // namespace

size_t SplitBlockBloomFilter::OptimalBytes(uint64_t ndv, double fpp) {
  if (!(fpp > 0.0 && fpp < 1.0)) fpp = 0.01;
  // Bits per value for eight hash functions: -8 / ln(1 - fpp^(1/8)).
  const double bits = -8.0 * static_cast<double>(ndv) / std::log(1.0 - std::pow(fpp, 1.0 / 8));
  size_t bytes = kMinBytes;
  while (bytes < kMaxBytes && static_cast<double>(bytes) * 8 < bits) bytes <<= 1;
  return bytes;
}

SplitBlockBloomFilter::SplitBlockBloomFilter(size_t num_bytes) {
  if (!ValidSize(num_bytes)) num_bytes = kMinBytes;
  words_.assign(num_bytes / 4, 0);
}

Result<SplitBlockBloomFilter> SplitBlockBloomFilter::FromBitset(std::string_view bitset) {
  if (!ValidSize(bitset.size())) {
    return Status::Corruption(
        fmt::format("bloom filter of {} bytes: the size must be a power of two between {} and {}",
                    bitset.size(), kMinBytes, kMaxBytes));
  }
  SplitBlockBloomFilter f(bitset.size());
  std::memcpy(f.words_.data(), bitset.data(), bitset.size());  // little-endian host
  return f;
}

uint64_t SplitBlockBloomFilter::Hash(std::string_view plain_bytes) {
  return XXH64(plain_bytes.data(), plain_bytes.size(), 0);
}

size_t SplitBlockBloomFilter::BlockOf(uint64_t hash) const {
  const uint64_t blocks = words_.size() / kWordsPerBlock;
  return static_cast<size_t>(((hash >> 32) * blocks) >> 32);
}

void SplitBlockBloomFilter::InsertHash(uint64_t hash) {
  uint32_t* block = words_.data() + BlockOf(hash) * kWordsPerBlock;
  const uint32_t key = static_cast<uint32_t>(hash);
  for (size_t i = 0; i < kWordsPerBlock; ++i) block[i] |= 1u << ((key * kSalt[i]) >> 27);
}

bool SplitBlockBloomFilter::MightContainHash(uint64_t hash) const {
  const uint32_t* block = words_.data() + BlockOf(hash) * kWordsPerBlock;
  const uint32_t key = static_cast<uint32_t>(hash);
  for (size_t i = 0; i < kWordsPerBlock; ++i) {
    if ((block[i] & (1u << ((key * kSalt[i]) >> 27))) == 0) return false;
  }
  return true;
}

}  // namespace saleslake::parquet
