// RowGroupWriter: one ColumnWriter per column for the row group being built. Column chunks must
// be contiguous in the file, so every column's pages stay in memory (compressed) until Flush
// writes the chunks one after the other; memory is bounded by the row-group size.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "parquet/column_buffer.h"
#include "parquet/writer/column_writer.h"

namespace saleslake::parquet {

// A WritableFile and the number of bytes appended to it: the file offset of the next byte.
class OutputSink {
 public:
  explicit OutputSink(io::WritableFile* file) : file_(file) {}
  Status Append(std::string_view bytes) {
    SL_RETURN_IF_ERROR(file_->Append(bytes));
    position_ += static_cast<int64_t>(bytes.size());
    return Status::OK();
  }
  int64_t position() const { return position_; }

 private:
  io::WritableFile* file_;
  int64_t position_ = 0;
};

// What a written row group leaves for the end of the file, column by column.
struct FlushedRowGroup {
  RowGroup row_group;  // absolute offsets
  std::vector<std::optional<ColumnIndex>> column_indexes;
  std::vector<OffsetIndex> offset_indexes;  // absolute page offsets
  std::vector<std::optional<SplitBlockBloomFilter>> bloom_filters;
};

class RowGroupWriter {
 public:
  static Result<std::unique_ptr<RowGroupWriter>> Make(const std::vector<ColumnSpec>& columns,
                                                      const WriterOptions& options);

  // Checks a batch against every column without writing anything.
  Status CheckBatch(std::span<const ColumnBuffer> batch, size_t rows) const;
  // Appends rows [offset, offset + count) of every column. REQUIRES: CheckBatch passed.
  Status Write(std::span<const ColumnBuffer> batch, size_t offset, size_t count);

  int64_t num_rows() const { return num_rows_; }
  int64_t EstimatedBytes() const;

  // Writes the row group's chunks to `sink`, describes them in *out, and starts the next group.
  Status Flush(OutputSink* sink, int16_t ordinal, FlushedRowGroup* out);

 private:
  explicit RowGroupWriter(std::vector<std::unique_ptr<ColumnWriter>> writers)
      : writers_(std::move(writers)) {}

  std::vector<std::unique_ptr<ColumnWriter>> writers_;
  int64_t num_rows_ = 0;
};

}  // namespace saleslake::parquet
