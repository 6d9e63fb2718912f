#include "parquet/writer/file_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace saleslake::parquet {
namespace {

constexpr std::string_view kMagic = "PAR1";
// Rows per step when filling a row group, so its byte size is checked often enough.
constexpr size_t kStepRows = 65536;

int32_t Length32(size_t n) { return static_cast<int32_t>(n); }

}  // namespace

ParquetFileWriter::ParquetFileWriter(std::unique_ptr<io::WritableFile> file,
                                     std::vector<ColumnSpec> columns, WriterOptions options)
    : file_(std::move(file)),
      columns_(std::move(columns)),
      options_(std::move(options)),
      sink_(file_.get()) {}

ParquetFileWriter::~ParquetFileWriter() {
  if (!closed_ && file_ != nullptr) file_->Abort().IgnoreError();
}

Result<std::unique_ptr<ParquetFileWriter>> ParquetFileWriter::Open(
    std::unique_ptr<io::WritableFile> file, std::vector<ColumnSpec> columns,
    WriterOptions options) {
  if (file == nullptr) return Status::InvalidArgument("ParquetFileWriter needs a file");
  if (columns.empty()) return Status::InvalidArgument("a Parquet file needs at least one column");
  std::set<std::string, std::less<>> names;
  for (const ColumnSpec& c : columns) {
    SL_RETURN_IF_ERROR(ValidateColumn(c));
    if (!names.insert(c.name).second) {
      return Status::InvalidArgument(fmt::format("column '{}' appears twice", c.name));
    }
  }
  for (const auto& [name, ignored] : options.columns) {
    if (!names.count(name)) {
      return Status::InvalidArgument(
          fmt::format("writer options name column '{}', which is not in the schema", name));
    }
  }
  if (options.created_by.empty()) {
    SL_ASSIGN_OR_RETURN(WriterOptions defaults, WriterOptions::Builder().Build());
    options.created_by = defaults.created_by;
  }
  std::unique_ptr<ParquetFileWriter> w(
      new ParquetFileWriter(std::move(file), std::move(columns), std::move(options)));
  SL_ASSIGN_OR_RETURN(w->row_group_, RowGroupWriter::Make(w->columns_, w->options_));
  SL_RETURN_IF_ERROR(w->sink_.Append(kMagic));
  return w;
}

Status ParquetFileWriter::Fail(Status status) {
  if (failed_.ok()) failed_ = status;
  if (!closed_) {
    closed_ = true;
    file_->Abort().IgnoreError();
  }
  return status;
}

Status ParquetFileWriter::Write(std::span<const ColumnBuffer> batch) {
  if (!failed_.ok()) return failed_;
  if (closed_) return Status::InvalidArgument("Write after Close");
  const size_t rows = batch.empty() ? 0 : batch[0].size();
  Status checked = row_group_->CheckBatch(batch, rows);
  if (!checked.ok()) return Fail(checked);
  size_t offset = 0;
  while (offset < rows) {
    const size_t room = static_cast<size_t>(options_.row_group_rows - row_group_->num_rows());
    const size_t n = std::min({rows - offset, room, kStepRows});
    Status s = row_group_->Write(batch, offset, n);
    if (!s.ok()) return Fail(s);
    offset += n;
    rows_written_ += static_cast<int64_t>(n);
    if (row_group_->num_rows() >= options_.row_group_rows ||
        row_group_->EstimatedBytes() >= options_.row_group_bytes) {
      SL_RETURN_IF_ERROR(FlushRowGroup());
    }
  }
  return Status::OK();
}

Status ParquetFileWriter::FlushRowGroup() {
  if (!failed_.ok()) return failed_;
  if (row_group_->num_rows() == 0) return Status::OK();
  if (flushed_.size() >= 32767) {
    return Fail(Status::InvalidArgument("a file holds at most 32767 row groups"));
  }
  FlushedRowGroup group;
  Status s = row_group_->Flush(&sink_, static_cast<int16_t>(flushed_.size()), &group);
  if (!s.ok()) return Fail(s);
  flushed_.push_back(std::move(group));
  return Status::OK();
}

Status ParquetFileWriter::WriteTrailer() {
  // Bloom filters, then column indexes, then offset indexes: each group contiguous, so a reader
  // fetches all of one kind with one ranged read.
  std::string bytes;
  for (FlushedRowGroup& g : flushed_) {
    for (size_t c = 0; c < g.bloom_filters.size(); ++c) {
      if (!g.bloom_filters[c]) continue;
      const SplitBlockBloomFilter& filter = *g.bloom_filters[c];
      bytes.clear();
      BloomFilterHeader header;
      header.num_bytes = Length32(filter.num_bytes());
      Serialize(header, &bytes);
      bytes.append(filter.bitset());
      ColumnMetaData& m = *g.row_group.columns[c].meta_data;
      m.bloom_filter_offset = sink_.position();
      m.bloom_filter_length = Length32(bytes.size());
      SL_RETURN_IF_ERROR(sink_.Append(bytes));
    }
  }
  if (options_.page_index) {
    for (FlushedRowGroup& g : flushed_) {
      for (size_t c = 0; c < g.column_indexes.size(); ++c) {
        if (!g.column_indexes[c]) continue;
        bytes.clear();
        Serialize(*g.column_indexes[c], &bytes);
        g.row_group.columns[c].column_index_offset = sink_.position();
        g.row_group.columns[c].column_index_length = Length32(bytes.size());
        SL_RETURN_IF_ERROR(sink_.Append(bytes));
      }
    }
    for (FlushedRowGroup& g : flushed_) {
      for (size_t c = 0; c < g.offset_indexes.size(); ++c) {
        bytes.clear();
        Serialize(g.offset_indexes[c], &bytes);
        g.row_group.columns[c].offset_index_offset = sink_.position();
        g.row_group.columns[c].offset_index_length = Length32(bytes.size());
        SL_RETURN_IF_ERROR(sink_.Append(bytes));
      }
    }
  }

  FileMetaData& f = metadata_;
  f.version = 2;
  f.schema = ToSchemaElements(columns_);
  f.num_rows = rows_written_;
  f.row_groups.clear();
  for (FlushedRowGroup& g : flushed_) f.row_groups.push_back(std::move(g.row_group));
  f.key_value_metadata = options_.key_value_metadata;
  f.created_by = options_.created_by;
  f.column_orders.assign(columns_.size(), ColumnOrder{});
  bytes.clear();
  Serialize(f, &bytes);
  const uint32_t footer_length = static_cast<uint32_t>(bytes.size());
  bytes.append(reinterpret_cast<const char*>(&footer_length), 4);  // little-endian host
  bytes.append(kMagic);
  return sink_.Append(bytes);
}

Status ParquetFileWriter::Close() {
  if (!failed_.ok()) return failed_;
  if (closed_) return Status::InvalidArgument("Close called twice");
  SL_RETURN_IF_ERROR(FlushRowGroup());
  Status s = WriteTrailer();
  if (!s.ok()) return Fail(s);
  closed_ = true;
  s = file_->Close();
  if (!s.ok()) {
    failed_ = s;
    return s;
  }
  return Status::OK();
}

Status ParquetFileWriter::Abort() {
  if (closed_) return Status::OK();
  closed_ = true;
  return file_->Abort();
}

}  // namespace saleslake::parquet
