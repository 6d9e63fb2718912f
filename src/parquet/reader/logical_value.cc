#include "parquet/reader/logical_value.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "base/clock.h"
#include "base/decimal.h"

namespace saleslake::parquet {
namespace {

constexpr int64_t kNanosPerSecond = 1000000000;
constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kJulianDayOfEpoch = 2440588;  // 1970-01-01

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t UnitsPerSecond(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis:
      return 1000;
    case TimeUnit::kMicros:
      return 1000000;
    case TimeUnit::kNanos:
      return kNanosPerSecond;
  }
  return 1;
}

int FractionDigits(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis:
      return 3;
    case TimeUnit::kMicros:
      return 6;
    case TimeUnit::kNanos:
      return 9;
  }
  return 0;
}

void AppendFraction(std::string* out, int32_t nanos, TimeUnit unit) {
  const int digits = FractionDigits(unit);
  const int64_t value = nanos / (kNanosPerSecond / UnitsPerSecond(unit));
  fmt::format_to(std::back_inserter(*out), ".{:0{}}", value, digits);
}

}  // namespace

std::string BigEndianDecimalToString(std::string_view bytes, int scale) {
  // Magnitude as base-256 digits, most significant first, then repeated division by 10.
  std::vector<uint8_t> mag(bytes.begin(), bytes.end());
  const bool negative = !mag.empty() && (mag[0] & 0x80);
  if (negative) {  // two's complement negate: invert and add one
    for (uint8_t& b : mag) b = static_cast<uint8_t>(~b);
    for (size_t i = mag.size(); i-- > 0;) {
      if (++mag[i] != 0) break;
    }
  }
  std::string digits;
  size_t start = 0;
  while (start < mag.size() && mag[start] == 0) ++start;
  while (start < mag.size()) {
    unsigned remainder = 0;
    for (size_t i = start; i < mag.size(); ++i) {
      const unsigned cur = (remainder << 8) | mag[i];
      mag[i] = static_cast<uint8_t>(cur / 10);
      remainder = cur % 10;
    }
    digits.push_back(static_cast<char>('0' + remainder));
    while (start < mag.size() && mag[start] == 0) ++start;
  }
  if (scale < 0) scale = 0;
  while (digits.size() <= static_cast<size_t>(scale)) digits.push_back('0');
  std::string out = negative ? "-" : "";
  for (size_t i = digits.size(); i-- > 0;) {
    out.push_back(digits[i]);
    if (i == static_cast<size_t>(scale) && scale > 0) out.push_back('.');
  }
  return out;
}

SecondsAndNanos Int96ToTime(std::string_view b) {
  int64_t nanos_of_day;
  int32_t julian_day;
  std::memcpy(&nanos_of_day, b.data(), 8);
  std::memcpy(&julian_day, b.data() + 8, 4);
  // Microseconds in wrapping 64-bit arithmetic, as Spark computes them when writing: this gives
  // back the value Spark was given even when its own conversion overflowed (parquet-testing's
  // int96_from_spark.parquet holds such a value), and it cannot overflow here.
  const int64_t micros_of_day = FloorDiv(nanos_of_day, 1000);
  const uint64_t micros =
      static_cast<uint64_t>(static_cast<int64_t>(julian_day) - kJulianDayOfEpoch) *
          static_cast<uint64_t>(kSecondsPerDay * 1000000) +
      static_cast<uint64_t>(micros_of_day);
  const SecondsAndNanos t = SplitTime(static_cast<int64_t>(micros), TimeUnit::kMicros);
  return {t.seconds, t.nanos + static_cast<int32_t>(nanos_of_day - micros_of_day * 1000)};
}

SecondsAndNanos SplitTime(int64_t value, TimeUnit unit) {
  const int64_t per_second = UnitsPerSecond(unit);
  SecondsAndNanos t;
  t.seconds = FloorDiv(value, per_second);
  t.nanos = static_cast<int32_t>((value - t.seconds * per_second) * (kNanosPerSecond / per_second));
  return t;
}

std::string FormatTimestamp(SecondsAndNanos t, TimeUnit unit, bool utc) {
  const int64_t days = FloorDiv(t.seconds, kSecondsPerDay);
  const int64_t secs = t.seconds - days * kSecondsPerDay;
  const CivilDate d = CivilFromDays(days);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", d.year, d.month, d.day,
                                secs / 3600, secs / 60 % 60, secs % 60);
  AppendFraction(&out, t.nanos, unit);
  if (utc) out.push_back('Z');
  return out;
}

std::string FormatDate(int64_t days) {
  const CivilDate d = CivilFromDays(days);
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

std::string FormatTimeOfDay(int64_t value, TimeUnit unit) {
  const SecondsAndNanos t = SplitTime(value, unit);
  std::string out =
      fmt::format("{:02}:{:02}:{:02}", t.seconds / 3600, t.seconds / 60 % 60, t.seconds % 60);
  AppendFraction(&out, t.nanos, unit);
  return out;
}

std::string FormatUuid(std::string_view b) {
  std::string out;
  static const char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    const auto c = static_cast<uint8_t>(b[i]);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

float HalfToFloat(uint16_t h) {
  const int sign = (h >> 15) & 1;
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  float v;
  if (exponent == 0) {
    v = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    v = mantissa ? NAN : INFINITY;
  } else {
    v = std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
  }
  return sign ? -v : v;
}

std::string DecimalText(const ColumnDescriptor& column, int64_t int_value, std::string_view bytes) {
  if (column.physical_type == Type::kInt32 || column.physical_type == Type::kInt64) {
    if (column.decimal_scale <= 18) return FormatScaledDecimal(int_value, column.decimal_scale);
    char be[8];  // a scale beyond int64's digits: go through the any-width path
    for (int i = 0; i < 8; ++i)
      be[i] = static_cast<char>(static_cast<uint64_t>(int_value) >> (56 - 8 * i));
    return BigEndianDecimalToString(std::string_view(be, 8), column.decimal_scale);
  }
  return BigEndianDecimalToString(bytes, column.decimal_scale);
}

}  // namespace saleslake::parquet
