// ColumnVector: the values of one column for a run of rows, in columnar form.
//
// Exactly one value vector is used, chosen by the physical type: BOOLEAN -> bools (0/1),
// INT32 -> int32s, INT64 -> int64s, FLOAT -> floats, DOUBLE -> doubles, and BYTE_ARRAY,
// FIXED_LEN_BYTE_ARRAY and INT96 -> binaries (views; INT96 values are their 12 raw bytes). Every
// row has a slot; a null row's slot holds a zero value. The bytes the views point at are owned by
// `buffers` (decompressed pages and dictionaries), so a ColumnVector stays valid on its own.
//
// Byte arrays may instead be in dictionary form (when ReaderOptions::keep_dictionaries is set and
// every page of the chunk is dictionary-encoded): `indices` has a slot per row and `dictionary`
// holds the distinct values; `binaries` is then empty. BinaryAt works for both forms, and
// Materialize turns the dictionary form into the plain one.
//
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
  // Owners of the bytes `binaries` (or the dictionary) point into: page buffers, chunk buffers.
  std::vector<std::shared_ptr<const void>> buffers;
  // Dictionary form (byte arrays only).
  std::shared_ptr<const ColumnVector> dictionary;
  std::vector<uint32_t> indices;

  bool IsNull(int64_t row) const { return !valid.empty() && valid[static_cast<size_t>(row)] == 0; }
  bool is_dictionary() const { return dictionary != nullptr; }
  // The byte-array value of `row` in either form (empty for a null row).
  std::string_view BinaryAt(int64_t row) const {
    const auto r = static_cast<size_t>(row);
    if (dictionary == nullptr) return binaries[r];
    const uint32_t i = indices[r];
    return i < dictionary->binaries.size() ? dictionary->binaries[i] : std::string_view();
  }
  // Converts the dictionary form to plain views (which keep the dictionary's buffers alive).
  void Materialize();

  // Resizes the value vector of the physical type (and `valid`, when `nullable`) to `rows`.
  void Resize(int64_t rows, bool nullable);
  // Reserves room for `rows` rows in the same vectors.
  void Reserve(int64_t rows, bool nullable);
  // Appends rows [offset, offset + count) of `other` (same physical type), sharing its buffers.
  void AppendSlice(const ColumnVector& other, int64_t offset, int64_t count);
  // Empties the vector, keeping its physical type and its capacity.
  void Clear();
};

}  // namespace saleslake::parquet
