#include "parquet/writer/file_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace saleslake::parquet {
namespace {

constexpr std::string_view kMagic = "PAR1";

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
  Status s = row_group_->WriteInSteps(batch, rows, options_, [&](size_t n, bool full) {
    rows_written_ += static_cast<int64_t>(n);
    return full ? FlushRowGroup() : Status::OK();
  });
  return s.ok() ? s : Fail(s);
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

Status ParquetFileWriter::AppendEncodedRowGroup(EncodedRowGroup encoded) {
  if (!failed_.ok()) return failed_;
  if (closed_) return Status::InvalidArgument("AppendEncodedRowGroup after Close");
  if (row_group_->num_rows() != 0) {
    return Fail(Status::InvalidArgument("AppendEncodedRowGroup while a row group is in progress"));
  }
  FlushedRowGroup& g = encoded.group;
  if (g.row_group.num_rows == 0) return Status::OK();
  if (g.row_group.columns.size() != columns_.size() || g.offset_indexes.size() != columns_.size()) {
    return Fail(
        Status::InvalidArgument(fmt::format("an encoded row group of {} columns for a schema of {}",
                                            g.row_group.columns.size(), columns_.size())));
  }
  if (flushed_.size() >= 32767) {
    return Fail(Status::InvalidArgument("a file holds at most 32767 row groups"));
  }
  // Every offset in the description is relative to the encoded bytes; here they start at `base`.
  const int64_t base = sink_.position();
  g.row_group.ordinal = static_cast<int16_t>(flushed_.size());
  if (g.row_group.file_offset) *g.row_group.file_offset += base;
  for (ColumnChunk& column : g.row_group.columns) {
    column.file_offset += base;
    if (column.meta_data) {
      column.meta_data->data_page_offset += base;
      if (column.meta_data->dictionary_page_offset)
        *column.meta_data->dictionary_page_offset += base;
    }
  }
  for (OffsetIndex& index : g.offset_indexes) {
    for (PageLocation& p : index.page_locations) p.offset += base;
  }
  Status s = sink_.Append(encoded.bytes);
  if (!s.ok()) return Fail(s);
  rows_written_ += g.row_group.num_rows;
  flushed_.push_back(std::move(g));
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
