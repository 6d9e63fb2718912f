// ColumnBatch: rows of one table held column by column, the unit data moves in from the JSON
// parser or the Parquet reader to the Parquet writer, with no object per row.
//
// Each column is a parquet::ColumnBuffer of the schema's physical type: a dense fixed-width vector
// (BOOLEAN, INT32, INT64; a DECIMAL is its scaled integer, e.g. paise for DECIMAL(18,2); a
// TIMESTAMP its micros) or, for strings, one byte arena with offsets (appending a string is a
// memcpy, never an allocation). Nulls are a validity mask that exists only once the first null
// arrives: one byte per row, because that is exactly the definition levels the writer stores, so
// a page is written without unpacking bits. The writer takes columns() as it is.
//
// Validation does not move rows: it fills a BatchVerdict (reason bits per row, and the accepted
// and rejected rows as SelectionVectors); AppendSelected then materialises a selection into
// another batch of the same schema (main's rows, quarantine's rows) in one pass per column.
//
//   ColumnBatch batch(RawSalesColumns());
//   batch.column(kTotal).AppendInt64(6598000);  // DECIMAL(18,2) 65980.00
//   SL_RETURN_IF_ERROR(batch.CheckShape());
//   SL_RETURN_IF_ERROR(writer->Write(batch.columns()));
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "parquet/column_buffer.h"
#include "parquet/writer/column_spec.h"

namespace saleslake::table {

// Row numbers of a batch, ascending: the rows an operation applies to.
class SelectionVector {
 public:
  void Clear() { rows_.clear(); }
  void SelectAll(size_t rows);
  void Add(uint32_t row) { rows_.push_back(row); }
  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  uint32_t operator[](size_t i) const { return rows_[i]; }
  std::span<const uint32_t> rows() const { return rows_; }

 private:
  std::vector<uint32_t> rows_;
};

// What validation said about each row of a batch: its reason bits (table::Reason of
// sales_validator.h; 0 = clean), and from them the accepted and the rejected rows.
class BatchVerdict {
 public:
  // Every one of `rows` rows clean, until Reject says otherwise.
  void Reset(size_t rows);
  void Reject(size_t row, uint32_t reasons) { reasons_[row] |= reasons; }
  // Builds accepted() and rejected() from the reasons; call after the last Reject.
  void Finish();

  size_t rows() const { return reasons_.size(); }
  uint32_t reasons(size_t row) const { return reasons_[row]; }
  const SelectionVector& accepted() const { return accepted_; }
  const SelectionVector& rejected() const { return rejected_; }

 private:
  std::vector<uint32_t> reasons_;
  SelectionVector accepted_;
  SelectionVector rejected_;
};

class ColumnBatch {
 public:
  explicit ColumnBatch(std::vector<parquet::ColumnSpec> schema);

  const std::vector<parquet::ColumnSpec>& schema() const { return schema_; }
  size_t num_columns() const { return columns_.size(); }
  // Rows of the first column (CheckShape says whether every column agrees).
  size_t rows() const { return columns_.empty() ? 0 : columns_[0].size(); }
  // The column's position, or -1 when the schema has no such column.
  int ColumnIndex(std::string_view name) const;

  parquet::ColumnBuffer& column(size_t i) { return columns_[i]; }
  const parquet::ColumnBuffer& column(size_t i) const { return columns_[i]; }
  // All columns in schema order: what ParquetFileWriter::Write takes.
  std::span<const parquet::ColumnBuffer> columns() const { return columns_; }

  // The scale of a DECIMAL column (its integers are value x 10^scale); 0 for other columns.
  int32_t decimal_scale(size_t i) const;

  // OK when every column holds rows() values and no REQUIRED column holds a null.
  Status CheckShape() const;

  // Empties every column, keeping its memory for the next batch.
  void Clear();
  // Room for `rows` rows, and `string_bytes` bytes in each string column.
  void Reserve(size_t rows, size_t string_bytes);

  // Appends the rows `selection` names of `from` (REQUIRES: the same schema), in its order.
  void AppendSelected(const ColumnBatch& from, const SelectionVector& selection);

 private:
  std::vector<parquet::ColumnSpec> schema_;
  std::vector<parquet::ColumnBuffer> columns_;
};

}  // namespace saleslake::table
