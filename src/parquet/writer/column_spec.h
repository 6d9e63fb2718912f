// The schema the writer accepts: a flat list of columns, each a physical type, REQUIRED or
// OPTIONAL, and optionally a logical type. Factories build the supported shapes; Validate refuses
// the rest (nested columns, INT96, a DECIMAL on floating point, a logical type on the wrong
// physical type) with a message that says what to use instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "parquet/metadata.h"

namespace saleslake::parquet {

struct ColumnSpec {
  std::string name;
  Type type = Type::kByteArray;
  bool required = false;  // REQUIRED (no nulls) or OPTIONAL
  std::optional<LogicalType> logical_type;
  int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY width in bytes

  // Physical types without annotation.
  static ColumnSpec Boolean(std::string name);
  static ColumnSpec Int32(std::string name);
  static ColumnSpec Int64(std::string name);
  static ColumnSpec Float(std::string name);
  static ColumnSpec Double(std::string name);
  static ColumnSpec Binary(std::string name);
  static ColumnSpec FixedLenByteArray(std::string name, int32_t width);
  // Annotated shapes.
  static ColumnSpec String(std::string name);
  static ColumnSpec Enum(std::string name);
  static ColumnSpec Json(std::string name);
  // INT32 for precision <= 9, INT64 for precision <= 18; values are unscaled integers.
  static ColumnSpec Decimal(std::string name, int32_t precision, int32_t scale);
  static ColumnSpec Timestamp(std::string name, TimeUnit unit, bool is_adjusted_to_utc = true);
  static ColumnSpec Date(std::string name);  // INT32 days since 1970-01-01
  static ColumnSpec Uuid(std::string name);  // FIXED_LEN_BYTE_ARRAY(16), big-endian bytes
  // INT32 for 8/16/32 bits, INT64 for 64; unsigned values are stored as their bit pattern.
  static ColumnSpec Integer(std::string name, int bit_width, bool is_signed);

  ColumnSpec& Required() {
    required = true;
    return *this;
  }
};

// How min/max compare for a column (parquet.thrift ColumnOrder TYPE_ORDER).
enum class SortOrder { kSigned, kUnsigned, kUndefined };

// OK when the writer supports the column; InvalidArgument naming the column otherwise.
Status ValidateColumn(const ColumnSpec& column);
SortOrder SortOrderOf(const ColumnSpec& column);

// The footer's schema: the root group then one leaf per column, with the legacy ConvertedType
// (and decimal scale/precision) set beside the logical type for older readers.
std::vector<SchemaElement> ToSchemaElements(const std::vector<ColumnSpec>& columns);

}  // namespace saleslake::parquet
