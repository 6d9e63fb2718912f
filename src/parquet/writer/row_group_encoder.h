// RowGroupEncoder: encodes rows into whole row groups away from the file they go to — on a worker
// thread, so that several row groups of one file are encoded and compressed at once — cut into
// row groups exactly as ParquetFileWriter::Write cuts them (RowGroupWriter::WriteInSteps). The
// file's writer then only appends each group's bytes, in order (AppendEncodedRowGroup).
//
//   SL_ASSIGN_OR_RETURN(auto encoder, RowGroupEncoder::Make(writer->columns(), writer->options()));
//   SL_RETURN_IF_ERROR(encoder->Write(batch));        // on any thread
//   SL_RETURN_IF_ERROR(encoder->EndRowGroup());
//   for (EncodedRowGroup& g : encoder->TakeRowGroups()) {
//     SL_RETURN_IF_ERROR(writer->AppendEncodedRowGroup(std::move(g)));   // in order
//   }
//
// The same batches give the same bytes as writer->Write of those batches with FlushRowGroup where
// EndRowGroup was called.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "base/status.h"
#include "parquet/column_buffer.h"
#include "parquet/writer/column_spec.h"
#include "parquet/writer/row_group_writer.h"
#include "parquet/writer/writer_options.h"

namespace saleslake::parquet {

class RowGroupEncoder {
 public:
  // REQUIRES: `columns` and `options` (a ParquetFileWriter's, as it completed them) outlive the
  // encoder.
  static Result<std::unique_ptr<RowGroupEncoder>> Make(const std::vector<ColumnSpec>& columns,
                                                       const WriterOptions& options);

  // Appends a batch (one vector per column, all the same length); a row group that fills up is
  // finished. A batch that does not fit the schema is refused whole.
  Status Write(std::span<const ColumnBuffer> batch);
  // Ends the row group in progress, if it has rows.
  Status EndRowGroup();
  // The row groups finished so far, in order; they are the caller's now.
  std::vector<EncodedRowGroup> TakeRowGroups() { return std::move(finished_); }

 private:
  RowGroupEncoder(const WriterOptions& options, std::unique_ptr<RowGroupWriter> row_group)
      : options_(options), row_group_(std::move(row_group)) {}

  const WriterOptions& options_;
  std::unique_ptr<RowGroupWriter> row_group_;
  std::vector<EncodedRowGroup> finished_;
};

}  // namespace saleslake::parquet
