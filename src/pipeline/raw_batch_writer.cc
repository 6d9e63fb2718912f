#include "pipeline/raw_batch_writer.h"

#include "pipeline/lake_schemas.h"

namespace saleslake::pipeline {

Result<std::unique_ptr<RawBatchWriter>> RawBatchWriter::Open(
    std::unique_ptr<io::WritableFile> file) {
  SL_ASSIGN_OR_RETURN(parquet::WriterOptions options, LakeWriterOptions(kRawSalesTable));
  SL_ASSIGN_OR_RETURN(
      auto writer, parquet::ParquetFileWriter::Open(std::move(file), RawSalesColumns(), options));
  return std::unique_ptr<RawBatchWriter>(new RawBatchWriter(std::move(writer)));
}

RawBatchWriter::~RawBatchWriter() = default;

Status RawBatchWriter::Write(const table::ColumnBatch& batch) {
  if (batch.rows() == 0) return Status::OK();
  return writer_->Write(batch.columns());
}

Status RawBatchWriter::Close() {
  SL_RETURN_IF_ERROR(writer_->Close());
  file_bytes_ = static_cast<uint64_t>(writer_->file_size());
  return Status::OK();
}

Status RawBatchWriter::Abort() { return writer_->Abort(); }

}  // namespace saleslake::pipeline
