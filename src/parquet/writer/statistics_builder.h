// Min/max tracking for the writer, in the column's sort order: signed or unsigned integers,
// IEEE floats without NaN (zeros written as -0.0 for min and +0.0 for max, as the spec asks),
// false < true, and unsigned byte-wise order for byte arrays. Values are stored PLAIN-encoded in
// statistics; long byte arrays are truncated to a prefix (min) or a prefix rounded up (max).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "parquet/writer/column_spec.h"

namespace saleslake::parquet {

// T is uint8_t (booleans), int32_t, int64_t, float, double, or std::string_view (byte arrays).
template <typename T>
struct ValueOrder {
  bool is_unsigned = false;  // integers only

  bool Less(T a, T b) const {
    if constexpr (std::is_same_v<T, std::string_view>) {
      // The first 8 bytes as big-endian integers order like memcmp, and decide almost every
      // comparison of ids, emails and names without a library call.
      if (a.size() >= 8 && b.size() >= 8) {
        uint64_t x, y;
        std::memcpy(&x, a.data(), 8);
        std::memcpy(&y, b.data(), 8);
        if (x != y) return __builtin_bswap64(x) < __builtin_bswap64(y);
      }
      const size_t n = std::min(a.size(), b.size());
      const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
      return c < 0 || (c == 0 && a.size() < b.size());
    } else if constexpr (std::is_integral_v<T> && sizeof(T) >= 4) {
      if (is_unsigned) {
        using U = std::make_unsigned_t<T>;
        return static_cast<U>(a) < static_cast<U>(b);
      }
      return a < b;
    } else {
      return a < b;
    }
  }
  // Floats: NaN has no place in the order and is left out of min/max.
  static bool Ignored(T v) {
    if constexpr (std::is_floating_point_v<T>) return std::isnan(v);
    return false;
  }
};

// What min/max are kept as while a chunk is written.
template <typename T>
using StoredValue = std::conditional_t<std::is_same_v<T, std::string_view>, std::string, T>;

template <typename T>
class MinMax {
 public:
  void Update(T v, const ValueOrder<T>& order) {
    if (ValueOrder<T>::Ignored(v)) return;
    if (!has_) {
      min_ = StoredValue<T>(v);
      max_ = StoredValue<T>(v);
      has_ = true;
      return;
    }
    if (order.Less(v, T(min_))) min_ = StoredValue<T>(v);
    if (order.Less(T(max_), v)) max_ = StoredValue<T>(v);
  }
  void Merge(const MinMax& other, const ValueOrder<T>& order) {
    if (!other.has_) return;
    Update(T(other.min_), order);
    Update(T(other.max_), order);
  }
  bool has_value() const { return has_; }
  T min() const { return T(min_); }
  T max() const { return T(max_); }
  void Reset() { has_ = false; }

 private:
  bool has_ = false;
  StoredValue<T> min_{};
  StoredValue<T> max_{};
};

// PLAIN bytes of a statistics value (no length prefix for byte arrays).
template <typename T>
std::string EncodeStatistic(T v, bool is_min) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    return std::string(v);
  } else {
    if constexpr (std::is_floating_point_v<T>) {
      if (v == 0) v = is_min ? -T(0) : T(0);
    }
    return std::string(reinterpret_cast<const char*>(&v), sizeof(T));
  }
}

// A lower bound of at most `limit` bytes: the prefix.
inline std::string TruncateMin(std::string_view v, size_t limit) {
  return std::string(v.substr(0, std::min(v.size(), limit)));
}

// An upper bound of at most `limit` bytes: the prefix with its last byte that is not 0xFF
// incremented; nullopt when no such bound exists (the prefix is all 0xFF).
inline std::optional<std::string> TruncateMax(std::string_view v, size_t limit) {
  if (v.size() <= limit) return std::string(v);
  std::string s(v.substr(0, limit));
  while (!s.empty() && static_cast<uint8_t>(s.back()) == 0xFF) s.pop_back();
  if (s.empty()) return std::nullopt;
  s.back() = static_cast<char>(static_cast<uint8_t>(s.back()) + 1);
  return s;
}

}  // namespace saleslake::parquet
