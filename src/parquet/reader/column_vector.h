// ColumnVector: the values of one column for a run of rows, in columnar form.
//
// Exactly one value vector is used, chosen by the physical type: BOOLEAN -> bools (0/1),
// INT32 -> int32s, INT64 -> int64s, FLOAT -> floats, DOUBLE -> doubles, and BYTE_ARRAY,
// FIXED_LEN_BYTE_ARRAY and INT96 -> binaries (views; INT96 values are their 12 raw bytes). Every
// row has a slot; a null row's slot holds a zero value. The bytes the views point at are owned by
// `buffers` (decompressed pages and dictionaries), so a ColumnVector stays valid on its own.
// What the values mean (decimal scale, time unit, ...) is in the column's ColumnDescriptor;
// logical_value.h converts them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/metadata.h"

namespace saleslake::parquet {

struct ColumnVector {
  Type physical_type = Type::kInt32;
  int64_t length = 0;
  int64_t null_count = 0;
  // One byte per row, 1 when the row has a value. Empty for columns that cannot hold nulls.
  std::vector<uint8_t> valid;

  std::vector<uint8_t> bools;
  std::vector<int32_t> int32s;
  std::vector<int64_t> int64s;
  std::vector<float> floats;
  std::vector<double> doubles;
  std::vector<std::string_view> binaries;
  std::vector<std::shared_ptr<const std::string>> buffers;

  bool IsNull(int64_t row) const { return !valid.empty() && valid[static_cast<size_t>(row)] == 0; }

  // Resizes the value vector of the physical type (and `valid`, when `nullable`) to `rows`.
  void Resize(int64_t rows, bool nullable);
  // Appends rows [offset, offset + count) of `other` (same physical type), sharing its buffers.
  void AppendSlice(const ColumnVector& other, int64_t offset, int64_t count);
  void Clear();
};

}  // namespace saleslake::parquet
