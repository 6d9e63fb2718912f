// ParquetScanner: streams a file one row group at a time, reading only the projected columns and
// skipping what the predicates rule out:
//   1. row groups whose column statistics exclude a predicate,
//   2. row groups whose bloom filter proves an = / IN value absent,
//   3. pages whose ColumnIndex bounds exclude a predicate (the page index): only the rows of the
//      remaining pages are read, through each projected column's OffsetIndex.
// Predicates are ANDed. Pruning keeps every row that matches, but may keep others: it is a
// filter on what is read, not on the rows returned.
//
//   ScanOptions options;
//   options.columns = {"transaction_id", "total"};
//   options.predicates.push_back({"store_id", CompareOp::kEq, {std::string("S012")}});
//   SL_ASSIGN_OR_RETURN(auto scanner, ParquetScanner::Make(reader.get(), options));
//   ScanBatch batch;
//   while (true) {
//     SL_ASSIGN_OR_RETURN(bool more, scanner->Next(&batch));
//     if (!more) break;
//     ...  // batch.columns[i] holds batch.num_rows values of options.columns[i]
//   }
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "parquet/reader/column_vector.h"
#include "parquet/reader/file_reader.h"
#include "parquet/reader/predicate.h"
#include "parquet/reader/row_ranges.h"

namespace saleslake::parquet {

struct ScanOptions {
  std::vector<std::string> columns;  // empty: every column
  std::vector<ColumnPredicate> predicates;
  bool use_statistics = true;
  bool use_bloom_filters = true;
  bool use_page_index = true;
};

struct ScanStats {
  int row_groups = 0;
  int row_groups_read = 0;
  int pruned_by_statistics = 0;
  int pruned_by_bloom_filter = 0;
  int pruned_by_page_index = 0;            // row groups where no page could match
  int64_t rows_skipped_by_page_index = 0;  // rows of read row groups left unread
};

struct ScanBatch {
  int row_group = -1;
  RowRanges rows;  // which rows of the row group these are
  int64_t num_rows = 0;
  std::vector<ColumnVector> columns;  // one per projected column
};

class ParquetScanner {
 public:
  // `reader` must outlive the scanner. Unknown columns and ill-typed literals are errors here.
  static Result<std::unique_ptr<ParquetScanner>> Make(const ParquetFileReader* reader,
                                                      ScanOptions options);

  // The next row group that may hold matching rows; false when there are no more.
  Result<bool> Next(ScanBatch* batch);

  // The rows of `row_group` worth reading (empty: none), counting what was pruned.
  Result<RowRanges> SelectRows(int row_group);

  const std::vector<int>& column_indices() const { return columns_; }
  const ScanStats& stats() const { return stats_; }

 private:
  ParquetScanner(const ParquetFileReader* reader, ScanOptions options)
      : reader_(reader), options_(std::move(options)) {}
  Result<bool> StatisticsMayMatch(int row_group, int column, const ColumnPredicate& p) const;
  Result<bool> BloomFilterMayMatch(int row_group, int column, const ColumnPredicate& p) const;
  // Rows of the pages that may match `p`; nullopt without a page index.
  Result<std::optional<RowRanges>> PageIndexRows(int row_group, int column,
                                                 const ColumnPredicate& p) const;

  const ParquetFileReader* reader_;
  ScanOptions options_;
  std::vector<int> columns_;
  std::vector<int> predicate_columns_;
  int next_row_group_ = 0;
  ScanStats stats_;
  ReadBuffers buffers_;
};

}  // namespace saleslake::parquet
