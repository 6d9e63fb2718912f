#include "parquet/encoding/delta_binary_packed_encoder.h"

#include <algorithm>
#include <type_traits>

#include "parquet/encoding/rle_encoder.h"

namespace saleslake::parquet {
namespace {

constexpr size_t kBlockSize = 128;
constexpr size_t kMiniblocks = 4;
constexpr size_t kMiniblockSize = kBlockSize / kMiniblocks;

// S is the column's signed type, U its unsigned twin (where the wrapping arithmetic happens).
template <typename S>
void Encode(const S* values, size_t count, std::string* out) {
  using U = std::make_unsigned_t<S>;
  AppendUleb128(kBlockSize, out);
  AppendUleb128(kMiniblocks, out);
  AppendUleb128(count, out);
  AppendUleb128(ZigZagEncode(count > 0 ? values[0] : 0), out);
  U deltas[kBlockSize];
  for (size_t i = 1; i < count; i += kBlockSize) {
    const size_t n = std::min(kBlockSize, count - i);
    S min_delta = 0;
    for (size_t k = 0; k < n; ++k) {
      deltas[k] = static_cast<U>(static_cast<U>(values[i + k]) - static_cast<U>(values[i + k - 1]));
      const S d = static_cast<S>(deltas[k]);
      if (k == 0 || d < min_delta) min_delta = d;
    }
    uint8_t widths[kMiniblocks] = {0, 0, 0, 0};
    for (size_t k = 0; k < n; ++k)
      deltas[k] = static_cast<U>(deltas[k] - static_cast<U>(min_delta));
    for (size_t k = n; k < kBlockSize; ++k) deltas[k] = 0;  // padding of the last miniblock
    const size_t used = (n + kMiniblockSize - 1) / kMiniblockSize;
    for (size_t m = 0; m < used; ++m) {
      U max = 0;
      for (size_t k = m * kMiniblockSize; k < (m + 1) * kMiniblockSize; ++k) max |= deltas[k];
      widths[m] = static_cast<uint8_t>(BitsFor(max));
    }
    AppendUleb128(ZigZagEncode(min_delta), out);
    out->append(reinterpret_cast<const char*>(widths), kMiniblocks);
    for (size_t m = 0; m < used; ++m) {
      PackBits(deltas + m * kMiniblockSize, kMiniblockSize, widths[m], out);
    }
  }
}

}  // namespace

void EncodeDeltaBinaryPacked(const int32_t* values, size_t count, std::string* out) {
  Encode(values, count, out);
}

void EncodeDeltaBinaryPacked(const int64_t* values, size_t count, std::string* out) {
  Encode(values, count, out);
}

}  // namespace saleslake::parquet
