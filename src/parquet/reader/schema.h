// FileSchema: the footer's depth-first schema tree flattened to its leaf columns, each with what
// its values mean (the logical type resolved from LogicalType, else ConvertedType, else the
// physical type) and its definition/repetition levels.
//
// saleslake reads flat tables: a leaf inside a group or under a repeated field is kept in the
// schema (so `parquet inspect` shows it) but marked unsupported, and reading it is a clear
// "unsupported nested column X" error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "parquet/metadata.h"

namespace saleslake::parquet {

// What a column's values mean, independent of how they are stored.
enum class ColumnKind {
  kBoolean,
  kInt,   // signed integer on INT32/INT64 (bit_width 8/16/32/64)
  kUInt,  // unsigned integer on INT32/INT64, stored as the same bits
  kFloat,
  kDouble,
  kFloat16,    // FIXED_LEN_BYTE_ARRAY(2), IEEE half precision
  kString,     // UTF-8 text (STRING, ENUM, JSON)
  kBinary,     // bytes (BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY without a text type, BSON, INTERVAL)
  kDecimal,    // unscaled integer (INT32, INT64, or big-endian two's complement bytes) + scale
  kDate,       // INT32 days since 1970-01-01
  kTime,       // time of day: INT32 millis, INT64 micros or nanos
  kTimestamp,  // INT64 in `time_unit` since the epoch, or INT96 (Julian day + nanos of day)
  kUuid,       // FIXED_LEN_BYTE_ARRAY(16)
};

std::string_view ColumnKindName(ColumnKind kind);

struct ColumnDescriptor {
  int index = 0;                  // leaf position: RowGroup.columns[index]
  std::string name;               // the path joined with '.'
  std::vector<std::string> path;  // names from below the root to the leaf
  Type physical_type = Type::kInt32;
  int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY width (12 for INT96)
  FieldRepetitionType repetition = FieldRepetitionType::kRequired;
  int16_t max_definition_level = 0;
  int16_t max_repetition_level = 0;
  std::optional<LogicalType> logical_type;
  std::optional<ConvertedType> converted_type;

  ColumnKind kind = ColumnKind::kInt;
  int bit_width = 32;                      // kInt / kUInt
  int32_t decimal_scale = 0;               // kDecimal
  int32_t decimal_precision = 0;           // kDecimal
  TimeUnit time_unit = TimeUnit::kMicros;  // kTime / kTimestamp
  bool utc_adjusted = false;               // kTime / kTimestamp
  bool is_int96 = false;                   // kTimestamp stored as INT96

  // Non-empty when the column cannot be read by this reader (nested), saying why.
  std::string unsupported_reason;
  bool supported() const { return unsupported_reason.empty(); }

  bool nullable() const { return max_definition_level > 0; }
  // "DECIMAL(18,2) on INT64" style description for messages and `inspect`.
  std::string TypeDescription() const;
};

class FileSchema {
 public:
  // Builds the schema from the footer's elements; malformed trees (bad child counts, leaves
  // without a type, FIXED_LEN_BYTE_ARRAY without a width, nesting deeper than 64) are Corruption.
  static Result<FileSchema> Make(const std::vector<SchemaElement>& elements);

  const std::string& root_name() const { return root_name_; }
  const std::vector<ColumnDescriptor>& columns() const { return columns_; }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  const ColumnDescriptor& column(int i) const { return columns_[static_cast<size_t>(i)]; }

  // The leaf index of column `name` (exact match on the dotted name), or NotFound listing the
  // available names.
  Result<int> FindColumn(std::string_view name) const;

  // Indices of `names` (every column, in schema order, when `names` is empty). A nested column
  // among them is NotSupported: "unsupported nested column X".
  Result<std::vector<int>> ResolveProjection(const std::vector<std::string>& names) const;

 private:
  std::string root_name_;
  std::vector<ColumnDescriptor> columns_;
};

}  // namespace saleslake::parquet
