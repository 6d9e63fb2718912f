// RowGroupWriter: one ColumnWriter per column for the row group being built. Column chunks must
// be contiguous in the file, so every column's pages stay in memory (compressed) until Flush
// writes the chunks one after the other; memory is bounded by the row-group size.
#pragma once

#include <cstdint>
#include <functional>
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

// Runs task(0) ... task(count - 1), in any order, possibly several at once on other threads, and
// returns when all have finished. Column writers share nothing, so the columns of a row group can
// be encoded and compressed at once; the bytes written are the same whatever the order.
using ColumnRunner = std::function<void(size_t count, const std::function<void(size_t)>& task)>;

class RowGroupWriter {
 public:
  static Result<std::unique_ptr<RowGroupWriter>> Make(const std::vector<ColumnSpec>& columns,
                                                      const WriterOptions& options);

  // Checks a batch against every column without writing anything.
  Status CheckBatch(std::span<const ColumnBuffer> batch, size_t rows) const;
  // Appends rows [offset, offset + count) of every column. REQUIRES: CheckBatch passed.
  Status Write(std::span<const ColumnBuffer> batch, size_t offset, size_t count);

  // Columns are written one after the other on the calling thread unless a runner is set.
  void set_column_runner(ColumnRunner runner) { runner_ = std::move(runner); }

  int64_t num_rows() const { return num_rows_; }
  int64_t EstimatedBytes() const;

  // Writes the row group's chunks to `sink`, describes them in *out, and starts the next group.
  Status Flush(OutputSink* sink, int16_t ordinal, FlushedRowGroup* out);

 private:
  explicit RowGroupWriter(std::vector<std::unique_ptr<ColumnWriter>> writers)
      : writers_(std::move(writers)) {}
  // Runs task(i) for every column i; the first error in column order.
  Status ForEachColumn(const std::function<Status(size_t)>& task);

  std::vector<std::unique_ptr<ColumnWriter>> writers_;
  ColumnRunner runner_;
  int64_t num_rows_ = 0;
};

}  // namespace saleslake::parquet
