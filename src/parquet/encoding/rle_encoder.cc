#include "parquet/encoding/rle_encoder.h"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <utility>

namespace saleslake::parquet {
namespace {

// Longest bit-packed run we emit: 63 groups keep the run header to one byte, which is what
// readers written against the reference implementation expect to see.
constexpr size_t kMaxGroupsPerRun = 63;

// Groups of 8 values of a width known at compile time: a group is exactly W bytes, built in one
// register (8 x 16 bits fit 128) and stored at once, so the loop has no data-dependent branch.
template <int W, typename V>
void PackGroups(const V* values, size_t groups, uint8_t* dst) {
  using Acc = std::conditional_t<(W <= 8), uint64_t, unsigned __int128>;
  for (size_t g = 0; g < groups; ++g) {
    Acc acc = 0;
    for (int k = 0; k < 8; ++k) acc |= static_cast<Acc>(values[k]) << (k * W);
    std::memcpy(dst, &acc, W);  // little-endian host
    values += 8;
    dst += W;
  }
}

template <typename V, int... W>
bool PackGroupsOfKnownWidth(int width, const V* values, size_t groups, uint8_t* dst,
                            std::integer_sequence<int, W...>) {
  return ((width == W + 1 ? (PackGroups<W + 1>(values, groups, dst), true) : false) || ...);
}

template <typename Acc, typename V>
void PackInto(const V* values, size_t count, int width, std::string* out) {
  if (width == 0 || count == 0) return;
  const size_t bytes = (count * static_cast<size_t>(width) + 7) / 8;
  const size_t start = out->size();
  out->resize(start + bytes);
  uint8_t* dst = reinterpret_cast<uint8_t*>(out->data() + start);
  // Whole groups of 8 end on a byte boundary: the narrow widths (dictionary ids, levels, most
  // deltas) take the unrolled path, the rest of the values the general loop below.
  if (width <= 16) {
    const size_t groups = count / 8;
    if (groups > 0 &&
        PackGroupsOfKnownWidth(width, values, groups, dst, std::make_integer_sequence<int, 16>())) {
      values += groups * 8;
      count -= groups * 8;
      dst += groups * static_cast<size_t>(width);
    }
  }
  Acc acc = 0;
  int bits = 0;
  for (size_t i = 0; i < count; ++i) {
    acc |= static_cast<Acc>(values[i]) << bits;
    bits += width;
    while (bits >= 8) {
      *dst++ = static_cast<uint8_t>(acc);
      acc >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) *dst = static_cast<uint8_t>(acc);
}

template <typename V>
void AppendLiteralRuns(const V* values, size_t count, int width, std::string* out) {
  while (count > 0) {
    const size_t take = std::min(count, 8 * kMaxGroupsPerRun);
    const size_t groups = (take + 7) / 8;
    AppendUleb128((groups << 1) | 1, out);
    // Whole groups end on a byte boundary, so a padded final group can be packed on its own.
    const size_t whole = take / 8 * 8;
    PackInto<uint64_t>(values, whole, width, out);
    if (whole < take) {
      uint32_t last[8] = {0, 0, 0, 0, 0, 0, 0, 0};  // the padding values are zeros
      for (size_t i = whole; i < take; ++i) last[i - whole] = values[i];
      PackInto<uint64_t>(last, 8, width, out);
    }
    values += take;
    count -= take;
  }
}

template <typename V>
void AppendRleRun(V value, size_t count, int width, std::string* out) {
  AppendUleb128(static_cast<uint64_t>(count) << 1, out);
  const int value_bytes = (width + 7) / 8;
  uint32_t v = value;
  for (int i = 0; i < value_bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

template <typename V>
void EncodeHybrid(const V* values, size_t count, int width, std::string* out) {
  size_t literal_start = 0;  // values [literal_start, i) wait to be bit-packed
  size_t i = 0;
  while (i < count) {
    size_t j = i + 1;
    while (j < count && values[j] == values[i]) ++j;
    const size_t run = j - i;
    if (run >= 8) {
      // Literal runs must hold whole groups of 8: lend the first values of this run to the
      // literals to complete their last group, and RLE the rest if it is still a real run.
      const size_t pending = i - literal_start;
      const size_t lend = (8 - pending % 8) % 8;
      if (run - lend >= 8) {
        AppendLiteralRuns(values + literal_start, pending + lend, width, out);
        AppendRleRun(values[i], run - lend, width, out);
        literal_start = j;
      }
    }
    i = j;
  }
  AppendLiteralRuns(values + literal_start, count - literal_start, width, out);
}

}  // namespace

void PackBits(const uint32_t* values, size_t count, int width, std::string* out) {
  PackInto<uint64_t>(values, count, width, out);
}

void PackBits(const uint64_t* values, size_t count, int width, std::string* out) {
  PackInto<unsigned __int128>(values, count, width, out);
}

void EncodeRleBitPacked(const uint32_t* values, size_t count, int width, std::string* out) {
  EncodeHybrid(values, count, width, out);
}

void EncodeRleBitPacked(const uint8_t* values, size_t count, int width, std::string* out) {
  EncodeHybrid(values, count, width, out);
}

void EncodeLengthPrefixedLevels(const uint8_t* levels, size_t count, int width, std::string* out) {
  const size_t length_at = out->size();
  out->append(4, '\0');
  EncodeHybrid(levels, count, width, out);
  const uint32_t length = static_cast<uint32_t>(out->size() - length_at - 4);
  std::memcpy(out->data() + length_at, &length, 4);  // little-endian host
}

}  // namespace saleslake::parquet
