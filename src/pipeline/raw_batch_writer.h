// RawBatchWriter: writes the rows of one batch, as column batches of raw/sales (typed by
// RawBatchParser), into one raw/sales Parquet file.
//
// Each ColumnBatch goes to the Parquet writer as it is, column by column: the caller hands over
// batches of `flush_rows` rows (the last one shorter) so memory stays bounded by a row group
// whatever the batch size, and so the file's pages and row groups fall where they always have.
// Deterministic: the same batches give a byte-identical file.
#pragma once

#include <cstdint>
#include <memory>

#include "base/status.h"
#include "io/file_system.h"
#include "parquet/writer/file_writer.h"
#include "table/column_batch.h"

namespace saleslake::pipeline {

class RawBatchWriter {
 public:
  static constexpr size_t kDefaultFlushRows = 8192;

  // Writes the raw file through `file` (published by Close, discarded by Abort or on error).
  static Result<std::unique_ptr<RawBatchWriter>> Open(std::unique_ptr<io::WritableFile> file);
  ~RawBatchWriter();

  // Lets `runner` encode and compress the columns at once (the file's bytes do not change).
  void set_column_runner(parquet::ColumnRunner runner) {
    writer_->set_column_runner(std::move(runner));
  }
  // Appends the batch's rows. REQUIRES: the raw/sales schema.
  Status Write(const table::ColumnBatch& batch);
  // Writes the footer and publishes the file.
  Status Close();
  Status Abort();

  uint64_t rows() const { return static_cast<uint64_t>(writer_->rows_written()); }
  // The file's size (valid after Close).
  uint64_t file_bytes() const { return file_bytes_; }

 private:
  explicit RawBatchWriter(std::unique_ptr<parquet::ParquetFileWriter> writer)
      : writer_(std::move(writer)) {}

  std::unique_ptr<parquet::ParquetFileWriter> writer_;
  uint64_t file_bytes_ = 0;
};

}  // namespace saleslake::pipeline
