// RawBatchWriter: turns the records of one batch into one raw/sales Parquet file.
//
// Each record is typed by SalesValidator (one simdjson DOM pass): a field that typed goes to its
// typed column, one that did not is null. `_raw` keeps the record's original bytes whenever the
// typed columns do not say everything the record said: a field failed to type (missing, null,
// wrong type, bad timestamp, oversized), the record has extra or repeated fields, is not an
// object, is not JSON or not UTF-8, or was truncated by the splitter's cap. Every row carries its
// lineage: _record_index, _batch_id, _ingested_at, _source, _truncated.
//
// Rows are buffered in ColumnBuffers and handed to the Parquet writer every `flush_rows` rows, so
// memory stays bounded by a row group whatever the batch size. Deterministic: the same records
// and lineage give a byte-identical file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "parquet/column_buffer.h"
#include "parquet/writer/file_writer.h"
#include "pipeline/record_splitter.h"
#include "table/sales_validator.h"

namespace saleslake::pipeline {

struct RawLineage {
  std::string batch_id;
  int64_t ingested_at_micros = 0;  // also "now" for the validator
  std::string source;
};

class RawBatchWriter {
 public:
  static constexpr size_t kDefaultFlushRows = 8192;

  // Writes the raw file through `file` (published by Close, discarded by Abort or on error).
  static Result<std::unique_ptr<RawBatchWriter>> Open(std::unique_ptr<io::WritableFile> file,
                                                      RawLineage lineage,
                                                      size_t flush_rows = kDefaultFlushRows);
  ~RawBatchWriter();

  // Types one record and appends its row.
  Status Add(const SplitRecord& record);
  // Writes the buffered rows and the footer, and publishes the file.
  Status Close();
  Status Abort();

  uint64_t rows() const { return rows_; }
  // Rows that keep their text in _raw, and of those the truncated ones.
  uint64_t raw_rows() const { return raw_rows_; }
  uint64_t truncated_rows() const { return truncated_rows_; }
  // The file's size (valid after Close).
  uint64_t file_bytes() const { return file_bytes_; }

 private:
  RawBatchWriter(std::unique_ptr<parquet::ParquetFileWriter> writer, RawLineage lineage,
                 size_t flush_rows);
  Status Flush();

  std::unique_ptr<parquet::ParquetFileWriter> writer_;
  RawLineage lineage_;
  size_t flush_rows_;
  table::SalesValidator validator_;
  std::vector<parquet::ColumnBuffer> columns_;
  uint64_t rows_ = 0;
  uint64_t raw_rows_ = 0;
  uint64_t truncated_rows_ = 0;
  uint64_t file_bytes_ = 0;
};

}  // namespace saleslake::pipeline
