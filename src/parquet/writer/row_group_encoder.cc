#include "parquet/writer/row_group_encoder.h"

namespace saleslake::parquet {

Result<std::unique_ptr<RowGroupEncoder>> RowGroupEncoder::Make(
    const std::vector<ColumnSpec>& columns, const WriterOptions& options) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<RowGroupWriter> row_group,
                      RowGroupWriter::Make(columns, options));
  return std::unique_ptr<RowGroupEncoder>(new RowGroupEncoder(options, std::move(row_group)));
}

Status RowGroupEncoder::Write(std::span<const ColumnBuffer> batch) {
  const size_t rows = batch.empty() ? 0 : batch[0].size();
  SL_RETURN_IF_ERROR(row_group_->CheckBatch(batch, rows));
  return row_group_->WriteInSteps(batch, rows, options_, [&](size_t /*n*/, bool full) {
    return full ? EndRowGroup() : Status::OK();
  });
}

Status RowGroupEncoder::EndRowGroup() {
  if (row_group_->num_rows() == 0) return Status::OK();
  return row_group_->EncodeTo(&finished_.emplace_back());
}

}  // namespace saleslake::parquet
