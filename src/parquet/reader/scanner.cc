#include "parquet/reader/scanner.h"

#include <fmt/format.h>

#include "parquet/bloom_filter.h"

namespace saleslake::parquet {

Result<std::unique_ptr<ParquetScanner>> ParquetScanner::Make(const ParquetFileReader* reader,
                                                             ScanOptions options) {
  std::unique_ptr<ParquetScanner> scanner(new ParquetScanner(reader, std::move(options)));
  const FileSchema& schema = reader->schema();
  SL_ASSIGN_OR_RETURN(scanner->columns_, schema.ResolveProjection(scanner->options_.columns));
  for (const ColumnPredicate& p : scanner->options_.predicates) {
    SL_ASSIGN_OR_RETURN(int index, schema.FindColumn(p.column));
    SL_RETURN_IF_ERROR(ValidatePredicate(schema.column(index), p));
    scanner->predicate_columns_.push_back(index);
  }
  scanner->stats_.row_groups = reader->num_row_groups();
  return scanner;
}

Result<bool> ParquetScanner::StatisticsMayMatch(int row_group, int column,
                                                const ColumnPredicate& p) const {
  SL_ASSIGN_OR_RETURN(const ColumnMetaData* meta, reader_->ChunkMetadata(row_group, column));
  if (!meta->statistics) return true;
  // min_value/max_value follow the column order; only the type-defined order is understood.
  const auto& orders = reader_->metadata().column_orders;
  if (static_cast<size_t>(column) < orders.size() &&
      !orders[static_cast<size_t>(column)].is_type_defined_order()) {
    return true;
  }
  const ColumnDescriptor& c = reader_->schema().column(column);
  return MayMatch(c, p, BoundsFromStatistics(c, *meta->statistics, meta->num_values));
}

Result<bool> ParquetScanner::BloomFilterMayMatch(int row_group, int column,
                                                 const ColumnPredicate& p) const {
  if (p.op != CompareOp::kEq && p.op != CompareOp::kIn) return true;
  const ColumnDescriptor& c = reader_->schema().column(column);
  std::vector<std::string> keys;
  for (const Literal& l : p.values) {
    std::optional<std::string> bytes = PlainBytesOf(c, l);
    if (!bytes) return true;  // not hashable exactly: the filter cannot tell
    keys.push_back(std::move(*bytes));
  }
  auto bitset = reader_->ReadBloomFilter(row_group, column);
  if (!bitset.ok()) {
    // A filter we cannot use (unknown algorithm) just gives no answer; a corrupt one is an error.
    if (bitset.status().code() == StatusCode::kNotSupported) return true;
    return bitset.status();
  }
  if (!bitset->has_value()) return true;
  auto filter = SplitBlockBloomFilter::FromBitset(**bitset);
  if (!filter.ok()) {
    return Status::Corruption(reader_->ChunkContext(row_group, column) +
                              ": bad bloom filter: " + filter.status().message());
  }
  for (const std::string& key : keys) {
    if (filter->MightContainHash(SplitBlockBloomFilter::Hash(key))) return true;
  }
  return false;
}

Result<std::optional<RowRanges>> ParquetScanner::PageIndexRows(int row_group, int column,
                                                               const ColumnPredicate& p) const {
  SL_ASSIGN_OR_RETURN(std::optional<ColumnIndex> index,
                      reader_->ReadColumnIndex(row_group, column));
  if (!index) return std::optional<RowRanges>();
  SL_ASSIGN_OR_RETURN(std::optional<OffsetIndex> offsets,
                      reader_->ReadOffsetIndex(row_group, column));
  if (!offsets) return std::optional<RowRanges>();
  const std::vector<PageLocation>& pages = offsets->page_locations;
  const size_t n = index->null_pages.size();
  if (pages.size() != n) {
    return Status::Corruption(fmt::format("{}: the column index has {} pages, the offset index {}",
                                          reader_->ChunkContext(row_group, column), n,
                                          pages.size()));
  }
  const ColumnDescriptor& c = reader_->schema().column(column);
  const int64_t rows = reader_->row_group_rows(row_group);
  RowRanges out;
  for (size_t i = 0; i < n; ++i) {
    const int64_t begin = pages[i].first_row_index;
    const int64_t end = i + 1 < n ? pages[i + 1].first_row_index : rows;
    if (begin < 0 || end < begin || end > rows) {
      return Status::Corruption(fmt::format("{}: the offset index's row numbers are inconsistent",
                                            reader_->ChunkContext(row_group, column)));
    }
    ValueBounds bounds;
    bounds.all_null = index->null_pages[i];
    if (!bounds.all_null) {
      bounds.min = index->min_values[i];
      bounds.max = index->max_values[i];
    }
    SL_ASSIGN_OR_RETURN(bool may, MayMatch(c, p, bounds));
    if (may) out.Add(begin, end);
  }
  return std::optional<RowRanges>(std::move(out));
}

Result<RowRanges> ParquetScanner::SelectRows(int row_group) {
  const int64_t rows = reader_->row_group_rows(row_group);
  RowRanges selected = RowRanges::All(rows);
  for (size_t i = 0; i < options_.predicates.size(); ++i) {
    const ColumnPredicate& p = options_.predicates[i];
    const int column = predicate_columns_[i];
    if (options_.use_statistics) {
      SL_ASSIGN_OR_RETURN(bool may, StatisticsMayMatch(row_group, column, p));
      if (!may) {
        ++stats_.pruned_by_statistics;
        return RowRanges();
      }
    }
    if (options_.use_bloom_filters) {
      SL_ASSIGN_OR_RETURN(bool may, BloomFilterMayMatch(row_group, column, p));
      if (!may) {
        ++stats_.pruned_by_bloom_filter;
        return RowRanges();
      }
    }
  }
  if (options_.use_page_index) {
    for (size_t i = 0; i < options_.predicates.size(); ++i) {
      SL_ASSIGN_OR_RETURN(std::optional<RowRanges> pages,
                          PageIndexRows(row_group, predicate_columns_[i], options_.predicates[i]));
      if (pages) selected = selected.Intersect(*pages);
    }
    if (selected.empty() && rows > 0) {
      ++stats_.pruned_by_page_index;
      return selected;
    }
  }
  return selected;
}

Result<bool> ParquetScanner::Next(ScanBatch* batch) {
  while (next_row_group_ < reader_->num_row_groups()) {
    const int rg = next_row_group_++;
    SL_ASSIGN_OR_RETURN(RowRanges rows, SelectRows(rg));
    if (rows.empty()) continue;
    const int64_t total = reader_->row_group_rows(rg);
    const bool whole = rows.row_count() == total;
    stats_.rows_skipped_by_page_index += total - rows.row_count();
    ++stats_.row_groups_read;
    batch->row_group = rg;
    batch->num_rows = rows.row_count();
    batch->columns.resize(columns_.size());
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (whole) {
        SL_RETURN_IF_ERROR(
            reader_->ReadColumnChunk(rg, columns_[i], &batch->columns[i], &buffers_));
      } else {
        SL_RETURN_IF_ERROR(reader_->ReadColumnChunkRows(rg, columns_[i], rows, &batch->columns[i]));
      }
    }
    batch->rows = std::move(rows);
    return true;
  }
  return false;
}

}  // namespace saleslake::parquet
