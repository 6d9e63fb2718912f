// Dictionaries for RLE_DICTIONARY: each distinct value of a column chunk gets a dense id in order
// of first appearance; the data pages hold ids, the dictionary page holds the values PLAIN-encoded.
//
// Both tables are open addressing with linear probing at most half full. Fixed-width values are
// compared by their bits (so NaN payloads and -0.0/+0.0 stay distinct, as PLAIN would keep them);
// byte arrays are kept in one arena with their hash, so a lookup that hits costs one hash and one
// memcmp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace saleslake::parquet {

// Equality of n bytes for the short keys dictionaries mostly hold, without a library call: whole
// words, the tail as one word overlapping the previous one.
inline bool SameBytes(const char* a, const char* b, size_t n) {
  auto same = [&](size_t at, auto width) {
    decltype(width) x, y;
    std::memcpy(&x, a + at, sizeof(x));
    std::memcpy(&y, b + at, sizeof(y));
    return x == y;
  };
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (!same(i, uint64_t{})) return false;
    }
    return same(n - 8, uint64_t{});
  }
  if (n >= 4) return same(0, uint32_t{}) && same(n - 4, uint32_t{});
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// int32_t, int64_t, float, double.
template <typename T>
class FixedDictionary {
 public:
  FixedDictionary() { Clear(); }

  // The id of `v`, inserted if new.
  uint32_t IdOf(T v) {
    const uint64_t bits = Bits(v);
    size_t slot = Hash(bits) & mask_;
    while (true) {
      const uint32_t id_plus_one = slots_[slot];
      if (id_plus_one == 0) break;
      if (Bits(values_[id_plus_one - 1]) == bits) return id_plus_one - 1;
      slot = (slot + 1) & mask_;
    }
    const uint32_t id = static_cast<uint32_t>(values_.size());
    values_.push_back(v);
    slots_[slot] = id + 1;
    if (values_.size() * 2 > slots_.size()) Grow();
    return id;
  }

  size_t size() const { return values_.size(); }
  size_t plain_bytes() const { return values_.size() * sizeof(T); }
  const std::vector<T>& values() const { return values_; }
  void Clear() {
    values_.clear();
    slots_.assign(1024, 0);
    mask_ = slots_.size() - 1;
  }

 private:
  static uint64_t Bits(T v) {
    if constexpr (sizeof(T) == 4) {
      uint32_t b;
      std::memcpy(&b, &v, 4);
      return b;
    } else {
      uint64_t b;
      std::memcpy(&b, &v, 8);
      return b;
    }
  }
  static uint64_t Hash(uint64_t bits) {
    bits ^= bits >> 29;
    bits *= 0xBF58476D1CE4E5B9ULL;
    return bits ^ (bits >> 32);
  }
  void Grow() {
    slots_.assign(slots_.size() * 2, 0);
    mask_ = slots_.size() - 1;
    for (uint32_t id = 0; id < values_.size(); ++id) {
      size_t slot = Hash(Bits(values_[id])) & mask_;
      while (slots_[slot] != 0) slot = (slot + 1) & mask_;
      slots_[slot] = id + 1;
    }
  }

  std::vector<T> values_;
  std::vector<uint32_t> slots_;  // id + 1, 0 = empty
  size_t mask_ = 0;
};

// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values.
class ByteArrayDictionary {
 public:
  ByteArrayDictionary() { Clear(); }

  uint32_t IdOf(std::string_view v);

  size_t size() const { return offsets_.size() - 1; }
  std::string_view value(uint32_t id) const {
    return std::string_view(arena_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  // Bytes of the PLAIN dictionary page: values plus a 4-byte length each (none when fixed-width).
  size_t plain_bytes(bool fixed_width) const {
    return arena_.size() + (fixed_width ? 0 : 4 * size());
  }
  void AppendPlain(bool fixed_width, std::string* out) const;
  void Clear();

 private:
  struct Slot {
    uint32_t id_plus_one;  // 0 = empty
    uint32_t hash_tag;     // high bits of the hash, to skip most memcmps
  };
  void Grow();

  std::string arena_;
  std::vector<uint32_t> offsets_;  // size() + 1 entries
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

}  // namespace saleslake::parquet
