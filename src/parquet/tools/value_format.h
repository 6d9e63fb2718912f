// Text forms of column values for `parquet cat` and `parquet inspect`:
//   integers -> numbers; decimals -> exact decimal numbers (JSON number literals, never floats);
//   DATE -> "2024-01-01"; TIMESTAMP/INT96 -> ISO 8601 ("...Z" for UTC instants); TIME ->
//   "20:34:56.123"; UUID -> canonical text; strings -> text (invalid UTF-8 bytes become U+FFFD);
//   binary -> base64; NaN and infinities -> the strings "NaN", "Infinity", "-Infinity".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "parquet/reader/column_vector.h"
#include "parquet/reader/schema.h"

namespace saleslake::parquet {

// Appends row `row` of `values` as one JSON value (null for a null row).
void AppendJsonValue(const ColumnDescriptor& column, const ColumnVector& values, int64_t row,
                     std::string* out);

// Appends row `row` as CSV field text, quoted when needed (RFC 4180); a null row is empty.
void AppendCsvValue(const ColumnDescriptor& column, const ColumnVector& values, int64_t row,
                    std::string* out);

// Decodes one PLAIN-encoded value (as statistics and the column index store them: no length
// prefix for byte arrays) into a one-row vector.
Result<ColumnVector> DecodeStatisticsValue(const ColumnDescriptor& column, std::string_view plain);

// Appends `s` as a JSON string, replacing invalid UTF-8 with U+FFFD.
void AppendJsonText(std::string* out, std::string_view s);

}  // namespace saleslake::parquet
