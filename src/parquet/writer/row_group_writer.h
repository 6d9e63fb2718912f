// RowGroupWriter: one ColumnWriter per column for the row group being built. Column chunks must
// be contiguous in the file, so every column's pages stay in memory (compressed) until Flush
// writes the chunks one after the other; memory is bounded by the row-group size.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "parquet/column_buffer.h"
#include "parquet/writer/column_writer.h"

namespace saleslake::parquet {

// A WritableFile (or a buffer in memory) and the number of bytes appended to it: the offset of
// the next byte.
class OutputSink {
 public:
  explicit OutputSink(io::WritableFile* file) : file_(file) {}
  explicit OutputSink(std::string* buffer) : buffer_(buffer) {}
  Status Append(std::string_view bytes) {
    if (buffer_ != nullptr) {
      buffer_->append(bytes);
    } else {
      SL_RETURN_IF_ERROR(file_->Append(bytes));
    }
    position_ += static_cast<int64_t>(bytes.size());
    return Status::OK();
  }
  int64_t position() const { return position_; }

 private:
  io::WritableFile* file_ = nullptr;
  std::string* buffer_ = nullptr;
  int64_t position_ = 0;
};

// What a written row group leaves for the end of the file, column by column.
struct FlushedRowGroup {
  RowGroup row_group;  // absolute offsets
  std::vector<std::optional<ColumnIndex>> column_indexes;
  std::vector<OffsetIndex> offset_indexes;  // absolute page offsets
  std::vector<std::optional<SplitBlockBloomFilter>> bloom_filters;
};

// A row group encoded apart from its file (on another thread, say): its column chunks back to
// back, described with offsets relative to the start of `bytes`, and ordinal 0.
// ParquetFileWriter::AppendEncodedRowGroup moves them to where the group lands in the file.
struct EncodedRowGroup {
  std::string bytes;
  FlushedRowGroup group;
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
  // Appends the batch's `rows` in steps of at most kStepRows that never cross the end of a row
  // group: after each, `stepped(n, full)` with the step's rows and whether the group is now full
  // (options.row_group_rows, or options.row_group_bytes estimated), in which case it must end
  // the group (Flush or EncodeTo) before returning. Where groups end thus depends only on the
  // rows and the sizes of the batches, not on who calls. REQUIRES: CheckBatch passed.
  static constexpr size_t kStepRows = 65536;  // so a group's byte size is checked often enough
  Status WriteInSteps(std::span<const ColumnBuffer> batch, size_t rows,
                      const WriterOptions& options,
                      const std::function<Status(size_t n, bool full)>& stepped);

  // Columns are written one after the other on the calling thread unless a runner is set.
  void set_column_runner(ColumnRunner runner) { runner_ = std::move(runner); }

  int64_t num_rows() const { return num_rows_; }
  int64_t EstimatedBytes() const;

  // Writes the row group's chunks to `sink`, describes them in *out, and starts the next group.
  Status Flush(OutputSink* sink, int16_t ordinal, FlushedRowGroup* out);
  // Flush into out->bytes (which it replaces), for ParquetFileWriter::AppendEncodedRowGroup.
  Status EncodeTo(EncodedRowGroup* out);

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
