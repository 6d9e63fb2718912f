#include "parquet/encoding/bit_unpack.h"

#include <algorithm>
#include <bit>
#include <utility>

namespace saleslake::parquet {

static_assert(std::endian::native == std::endian::little,
              "the Parquet decoders load little-endian values directly");

namespace {

// Loads up to 8 bytes at `byte` without reading past `size` (missing bytes read as zero).
inline uint64_t LoadWord(const uint8_t* data, size_t size, size_t byte) {
  if (byte + 8 <= size) return LoadLittleEndian<uint64_t>(data + byte);
  uint64_t w = 0;
  for (size_t i = 0; byte + i < size && i < 8; ++i) w |= uint64_t{data[byte + i]} << (8 * i);
  return w;
}

// Values of a width known at compile time, none of whose 8-byte loads passes the buffer: the
// shifts and masks become constants and the loop unrolls (dictionary indices of 1..16 bits).
template <int W>
void UnpackFixed(const uint8_t* data, uint64_t bit_offset, uint32_t* out, size_t count) {
  constexpr uint64_t kMask = (uint64_t{1} << W) - 1;
  for (size_t i = 0; i < count; ++i) {
    const uint64_t bit = bit_offset + i * W;
    out[i] =
        static_cast<uint32_t>((LoadLittleEndian<uint64_t>(data + (bit >> 3)) >> (bit & 7)) & kMask);
  }
}

template <int... W>
bool UnpackKnownWidth(int width, const uint8_t* data, uint64_t bit_offset, uint32_t* out,
                      size_t count, std::integer_sequence<int, W...>) {
  return ((width == W + 1 ? (UnpackFixed<W + 1>(data, bit_offset, out, count), true) : false) ||
          ...);
}

}  // namespace

void UnpackBits32(const uint8_t* data, size_t size, uint64_t bit_offset, int width, uint32_t* out,
                  size_t count) {
  if (width == 0) {
    std::memset(out, 0, count * sizeof(uint32_t));
    return;
  }
  if (width == 8 && bit_offset % 8 == 0) {
    const uint8_t* p = data + bit_offset / 8;
    for (size_t i = 0; i < count; ++i) out[i] = p[i];
    return;
  }
  const uint64_t mask = (uint64_t{1} << width) - 1;
  // width <= 32 and the in-byte shift <= 7, so one 64-bit word always holds a whole value.
  size_t i = 0;
  // Values whose 8-byte load stays inside the buffer: those starting before byte size - 8.
  if (size >= 8 && width <= 16) {
    const uint64_t last_bit = (static_cast<uint64_t>(size) - 8) * 8 + 7;
    if (last_bit >= bit_offset) {
      const size_t safe =
          std::min<size_t>(count, static_cast<size_t>((last_bit - bit_offset) / width) + 1);
      if (UnpackKnownWidth(width, data, bit_offset, out, safe,
                           std::make_integer_sequence<int, 16>())) {
        i = safe;
      }
    }
  }
  // Fast path while a full 8-byte load stays inside the buffer.
  for (; i < count; ++i) {
    const uint64_t bit = bit_offset + i * static_cast<uint64_t>(width);
    const size_t byte = bit >> 3;
    if (byte + 8 > size) break;
    out[i] = static_cast<uint32_t>((LoadLittleEndian<uint64_t>(data + byte) >> (bit & 7)) & mask);
  }
  for (; i < count; ++i) {
    const uint64_t bit = bit_offset + i * static_cast<uint64_t>(width);
    out[i] = static_cast<uint32_t>((LoadWord(data, size, bit >> 3) >> (bit & 7)) & mask);
  }
}

void UnpackBits64(const uint8_t* data, size_t size, uint64_t bit_offset, int width, uint64_t* out,
                  size_t count) {
  if (width <= 32) {
    // Reuse the 32-bit path through a small stack buffer.
    uint32_t tmp[64];
    size_t done = 0;
    while (done < count) {
      const size_t n = count - done < 64 ? count - done : 64;
      UnpackBits32(data, size, bit_offset + done * static_cast<uint64_t>(width), width, tmp, n);
      for (size_t i = 0; i < n; ++i) out[done + i] = tmp[i];
      done += n;
    }
    return;
  }
  const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  for (size_t i = 0; i < count; ++i) {
    const uint64_t bit = bit_offset + i * static_cast<uint64_t>(width);
    const size_t byte = bit >> 3;
    const int shift = static_cast<int>(bit & 7);
    uint64_t v = LoadWord(data, size, byte) >> shift;
    // A value of up to 64 bits plus a 7-bit shift can spill into a ninth byte.
    if (shift + width > 64) v |= LoadWord(data, size, byte + 8) << (64 - shift);
    out[i] = v & mask;
  }
}

}  // namespace saleslake::parquet
