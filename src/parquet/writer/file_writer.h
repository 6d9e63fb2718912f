// ParquetFileWriter: writes one Parquet file through an io::WritableFile.
//
// Layout: "PAR1", the row groups (each column chunk: dictionary page, then data pages), the bloom
// filters, the column indexes, the offset indexes, the footer (FileMetaData), its length, "PAR1".
// Row groups end at options.row_group_rows or row_group_bytes, or when FlushRowGroup is called.
//
//   SL_ASSIGN_OR_RETURN(auto file, fs->OpenForWrite("part-0.parquet"));
//   SL_ASSIGN_OR_RETURN(auto writer, ParquetFileWriter::Open(std::move(file), columns, options));
//   SL_RETURN_IF_ERROR(writer->Write(batch));   // std::vector<ColumnBuffer>, one per column
//   SL_RETURN_IF_ERROR(writer->Close());        // publishes the file
//
// After any error the writer is failed: later calls return that error and the file is aborted
// (nothing becomes visible). Destroying an unclosed writer aborts too.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "parquet/column_buffer.h"
#include "parquet/metadata.h"
#include "parquet/writer/column_spec.h"
#include "parquet/writer/row_group_writer.h"
#include "parquet/writer/writer_options.h"

namespace saleslake::parquet {

class ParquetFileWriter {
 public:
  // Validates the schema (unique names, supported types) and writes the leading magic.
  static Result<std::unique_ptr<ParquetFileWriter>> Open(std::unique_ptr<io::WritableFile> file,
                                                         std::vector<ColumnSpec> columns,
                                                         WriterOptions options);
  ~ParquetFileWriter();

  const std::vector<ColumnSpec>& columns() const { return columns_; }

  // Appends a batch: one vector per column, in schema order, all the same length. A batch that
  // does not fit the schema is refused whole (nothing of it is written) and fails the writer.
  Status Write(std::span<const ColumnBuffer> batch);
  // Lets `runner` write the columns of each batch and row group at once (e.g. on a thread pool);
  // the file's bytes do not change.
  void set_column_runner(ColumnRunner runner) { row_group_->set_column_runner(std::move(runner)); }
  // Ends the current row group now, if it has rows.
  Status FlushRowGroup();
  // Finishes and publishes the file.
  Status Close();
  // Discards the file.
  Status Abort();

  int64_t rows_written() const { return rows_written_; }
  // The footer as written (valid after a successful Close).
  const FileMetaData& metadata() const { return metadata_; }
  int64_t file_size() const { return sink_.position(); }

 private:
  ParquetFileWriter(std::unique_ptr<io::WritableFile> file, std::vector<ColumnSpec> columns,
                    WriterOptions options);
  Status Fail(Status status);
  Status WriteTrailer();

  std::unique_ptr<io::WritableFile> file_;
  std::vector<ColumnSpec> columns_;
  WriterOptions options_;  // the column writers keep a reference to this copy
  OutputSink sink_;
  std::unique_ptr<RowGroupWriter> row_group_;
  std::vector<FlushedRowGroup> flushed_;
  int64_t rows_written_ = 0;
  FileMetaData metadata_;
  Status failed_;
  bool closed_ = false;
};

}  // namespace saleslake::parquet
