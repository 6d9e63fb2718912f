// Conversions from stored values to what they mean, per ColumnDescriptor: exact decimal text from
// any decimal storage, INT96 and TIMESTAMP/TIME/DATE to ISO 8601, UUID text, half floats. Used by
// `parquet cat`, `parquet inspect` (statistics) and anyone who needs a value as text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "parquet/reader/schema.h"

namespace saleslake::parquet {

// Big-endian two's complement bytes (a DECIMAL on BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY) as exact
// decimal text with `scale` fraction digits: "-1234.50". Any width; empty bytes are 0.
std::string BigEndianDecimalToString(std::string_view bytes, int scale);

// An INT96 timestamp (8 bytes little-endian nanoseconds of the day, 4 bytes little-endian Julian
// day) as seconds since the epoch and nanoseconds within that second.
struct SecondsAndNanos {
  int64_t seconds = 0;
  int32_t nanos = 0;  // 0..999999999
};
SecondsAndNanos Int96ToTime(std::string_view twelve_bytes);

// `value` in `unit` since the epoch, split into seconds and nanoseconds (floor division).
SecondsAndNanos SplitTime(int64_t value, TimeUnit unit);

// "2024-01-01T20:34:56.123456Z": the fraction has 3, 6 or 9 digits for millis, micros, nanos;
// "Z" is added when `utc` (instants); local timestamps have no suffix.
std::string FormatTimestamp(SecondsAndNanos t, TimeUnit unit, bool utc);
std::string FormatDate(int64_t days_since_epoch);           // "2024-01-01"
std::string FormatTimeOfDay(int64_t value, TimeUnit unit);  // "20:34:56.123456"
std::string FormatUuid(std::string_view sixteen_bytes);  // "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
float HalfToFloat(uint16_t half);

// The unscaled decimal value of row `row` as exact text (any storage).
std::string DecimalText(const ColumnDescriptor& column, int64_t int_value, std::string_view bytes);

}  // namespace saleslake::parquet
