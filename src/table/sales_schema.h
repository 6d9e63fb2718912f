// The sale record (sales_record.h) as a typed Parquet schema: strings as STRING, the timestamp as
// TIMESTAMP(MICROS, UTC) on INT64, quantity as INT32, and money (retail_price, mrp, total) as
// DECIMAL(18,2) on INT64 — exact paise, never floating point. Every column is REQUIRED: a record
// missing a field is refused before it reaches a file.
#pragma once

#include <array>
#include <vector>

#include "parquet/column_buffer.h"
#include "parquet/writer/column_spec.h"
#include "table/sales_record.h"

namespace saleslake::table {

inline constexpr int kMoneyPrecision = 18;
inline constexpr int kMoneyScale = 2;

// The 15 columns in SalesField order, named as the JSON fields.
std::vector<parquet::ColumnSpec> SalesParquetColumns();

// One ColumnBuffer per sales column, filled record by record and handed to the writer whole.
class SalesColumns {
 public:
  SalesColumns();

  parquet::ColumnBuffer& column(SalesField f) { return columns_[static_cast<size_t>(f)]; }
  // All 15, in schema order (what ParquetFileWriter::Write takes).
  std::vector<parquet::ColumnBuffer>& columns() { return columns_; }
  size_t rows() const { return columns_[0].size(); }
  void Clear();
  void Reserve(size_t rows);

 private:
  std::vector<parquet::ColumnBuffer> columns_;
};

}  // namespace saleslake::table
