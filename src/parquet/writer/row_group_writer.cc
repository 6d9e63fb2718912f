#include "parquet/writer/row_group_writer.h"

#include <fmt/format.h>

namespace saleslake::parquet {

Result<std::unique_ptr<RowGroupWriter>> RowGroupWriter::Make(const std::vector<ColumnSpec>& columns,
                                                             const WriterOptions& options) {
  std::vector<std::unique_ptr<ColumnWriter>> writers;
  writers.reserve(columns.size());
  for (const ColumnSpec& c : columns) {
    SL_ASSIGN_OR_RETURN(auto w, ColumnWriter::Make(c, options));
    writers.push_back(std::move(w));
  }
  return std::unique_ptr<RowGroupWriter>(new RowGroupWriter(std::move(writers)));
}

Status RowGroupWriter::CheckBatch(std::span<const ColumnBuffer> batch, size_t rows) const {
  if (batch.size() != writers_.size()) {
    return Status::InvalidArgument(
        fmt::format("a batch of {} columns for a schema of {}", batch.size(), writers_.size()));
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].size() != rows) {
      return Status::InvalidArgument(fmt::format("column '{}' has {} rows, column '{}' has {}",
                                                 writers_[i]->spec().name, batch[i].size(),
                                                 writers_[0]->spec().name, rows));
    }
    SL_RETURN_IF_ERROR(writers_[i]->CheckValues(batch[i], 0, rows));
  }
  return Status::OK();
}

Status RowGroupWriter::ForEachColumn(const std::function<Status(size_t)>& task) {
  if (!runner_) {
    for (size_t i = 0; i < writers_.size(); ++i) SL_RETURN_IF_ERROR(task(i));
    return Status::OK();
  }
  std::vector<Status> results(writers_.size());
  runner_(writers_.size(), [&](size_t i) { results[i] = task(i); });
  for (Status& s : results) SL_RETURN_IF_ERROR(s);
  return Status::OK();
}

Status RowGroupWriter::Write(std::span<const ColumnBuffer> batch, size_t offset, size_t count) {
  SL_RETURN_IF_ERROR(
      ForEachColumn([&](size_t i) { return writers_[i]->Write(batch[i], offset, count); }));
  num_rows_ += static_cast<int64_t>(count);
  return Status::OK();
}

int64_t RowGroupWriter::EstimatedBytes() const {
  int64_t total = 0;
  for (const auto& w : writers_) total += w->EstimatedBytes();
  return total;
}

Status RowGroupWriter::Flush(OutputSink* sink, int16_t ordinal, FlushedRowGroup* out) {
  *out = FlushedRowGroup{};
  RowGroup& group = out->row_group;
  group.num_rows = num_rows_;
  group.ordinal = ordinal;
  group.file_offset = sink->position();
  int64_t compressed = 0;
  // Closing the last pages and the dictionaries may run in parallel; the chunks are then written
  // one after the other, in column order.
  std::vector<FinishedColumnChunk> chunks(writers_.size());
  SL_RETURN_IF_ERROR(ForEachColumn([&](size_t i) { return writers_[i]->FinishChunk(&chunks[i]); }));
  for (size_t i = 0; i < writers_.size(); ++i) {
    ColumnWriter* writer = writers_[i].get();
    FinishedColumnChunk& chunk = chunks[i];
    const PageWriter& pages = writer->pages();
    const int64_t start = sink->position();
    SL_RETURN_IF_ERROR(sink->Append(pages.dictionary_page()));
    const int64_t data_start = sink->position();
    SL_RETURN_IF_ERROR(sink->Append(pages.data_pages()));

    ColumnMetaData& m = chunk.metadata;
    m.data_page_offset += start;
    if (m.dictionary_page_offset) *m.dictionary_page_offset += start;
    ColumnChunk column;
    // Deprecated field; like most writers we point it at the chunk's first page.
    column.file_offset = start;
    column.meta_data = std::move(m);
    group.total_byte_size += column.meta_data->total_uncompressed_size;
    compressed += column.meta_data->total_compressed_size;
    group.columns.push_back(std::move(column));

    OffsetIndex offsets;
    offsets.page_locations = pages.page_locations();
    for (PageLocation& p : offsets.page_locations) p.offset += data_start;
    out->offset_indexes.push_back(std::move(offsets));
    out->column_indexes.push_back(std::move(chunk.column_index));
    out->bloom_filters.push_back(std::move(chunk.bloom_filter));
    writer->Reset();
  }
  group.total_compressed_size = compressed;
  num_rows_ = 0;
  return Status::OK();
}

}  // namespace saleslake::parquet
