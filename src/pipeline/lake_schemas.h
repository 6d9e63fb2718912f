// The lake's tables as the pipeline writes them: their Parquet columns, where their files go and
// how they are written. Extract, transform, compaction and the tests all take these from here, so
// the contract in docs/pipeline.md ("Schemas", "Lake layout") has exactly one implementation.
//
//   raw/sales         every column OPTIONAL: the 15 sale fields typed as in main (null where the
//                     value did not type), then _raw, _record_index, _batch_id, _ingested_at,
//                     _source, _truncated. By ingestion date (UTC).
//   quarantine/sales  reason, detail, then _raw, _record_index, _batch_id, _ingested_at, _source.
//                     By the ingestion date of the batch.
//   main/sales        the 15 fields REQUIRED, then _batch_id. By sale date (business day).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "lake/layout.h"
#include "parquet/writer/column_spec.h"
#include "parquet/writer/writer_options.h"
#include "table/sales_record.h"

namespace saleslake::pipeline {

// Where the tables and their files go is the lake's layout (lake/layout.h); named here too
// because every pipeline stage uses them.
using lake::BatchFileName;
using lake::kMainSalesTable;
using lake::kQuarantineSalesTable;
using lake::kRawSalesTable;
using lake::ParsePartitionName;
using lake::PartitionName;
using lake::PartitionPath;
using lake::RawBatchPath;
using lake::UtcDateOf;

// Lineage and quarantine column names.
inline constexpr std::string_view kRawTextColumn = "_raw";
inline constexpr std::string_view kRecordIndexColumn = "_record_index";
inline constexpr std::string_view kBatchIdColumn = "_batch_id";
inline constexpr std::string_view kIngestedAtColumn = "_ingested_at";
inline constexpr std::string_view kSourceColumn = "_source";
inline constexpr std::string_view kTruncatedColumn = "_truncated";
inline constexpr std::string_view kReasonColumn = "reason";
inline constexpr std::string_view kDetailColumn = "detail";

inline constexpr int32_t kMoneyPrecision = 18;
inline constexpr int32_t kMoneyScale = 2;

// Positions of the columns of raw/sales. The sale fields come first, at their SalesField value.
enum RawSalesColumn : int {
  kRawFirstLineageColumn = table::kSalesFieldCount,
  kRawText = kRawFirstLineageColumn,  // _raw
  kRawRecordIndex,                    // _record_index
  kRawBatchId,                        // _batch_id
  kRawIngestedAt,                     // _ingested_at
  kRawSource,                         // _source
  // BOOLEAN: true when the record was longer than the extractor's cap, so _raw holds only its
  // first bytes (quarantine it as oversized, not as bad JSON); false otherwise.
  kRawTruncated,
  kRawColumnCount,
};

// Positions of the columns of quarantine/sales.
enum QuarantineSalesColumn : int {
  kQuarantineReason = 0,
  kQuarantineDetail,
  kQuarantineRaw,
  kQuarantineRecordIndex,
  kQuarantineBatchId,
  kQuarantineIngestedAt,
  kQuarantineSource,
  kQuarantineColumnCount,
};

// Positions of the columns of main/sales: the 15 fields at their SalesField value, then _batch_id.
inline constexpr int kMainBatchId = table::kSalesFieldCount;
inline constexpr int kMainColumnCount = kMainBatchId + 1;

// The 15 sale fields as typed columns: STRING, timestamp TIMESTAMP(MICROS, UTC) on INT64, quantity
// INT32, retail_price/mrp/total DECIMAL(18,2) on INT64. OPTIONAL unless `required`.
std::vector<parquet::ColumnSpec> SaleFieldColumns(bool required);

std::vector<parquet::ColumnSpec> RawSalesColumns();
std::vector<parquet::ColumnSpec> QuarantineSalesColumns();
std::vector<parquet::ColumnSpec> MainSalesColumns();

// Rows per row group in every lake file: small enough to stream a row group at a time, big enough
// for engines to read efficiently.
inline constexpr int64_t kLakeRowGroupRows = 64 * 1024;

// The writer options of a lake table: snappy, row groups of kLakeRowGroupRows, and a bloom filter
// on transaction_id for main/sales (point lookups and the dedupe against what main holds).
Result<parquet::WriterOptions> LakeWriterOptions(std::string_view table);

}  // namespace saleslake::pipeline
