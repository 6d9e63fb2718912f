#include "pipeline/lake_schemas.h"

#include <fmt/format.h>

#include <charconv>

#include "io/path.h"

namespace saleslake::pipeline {

using parquet::ColumnSpec;

std::vector<ColumnSpec> SaleFieldColumns(bool required) {
  std::vector<ColumnSpec> columns;
  columns.reserve(table::kSalesFieldCount);
  for (const table::SalesFieldInfo& f : table::SalesFields()) {
    std::string name(f.name);
    switch (f.field) {
      case table::SalesField::kTimestamp:
        columns.push_back(ColumnSpec::Timestamp(name, parquet::TimeUnit::kMicros, true));
        break;
      case table::SalesField::kQuantity:
        columns.push_back(ColumnSpec::Int32(name));
        break;
      case table::SalesField::kRetailPrice:
      case table::SalesField::kMrp:
      case table::SalesField::kTotal:
        columns.push_back(ColumnSpec::Decimal(name, kMoneyPrecision, kMoneyScale));
        break;
      default:
        columns.push_back(ColumnSpec::String(name));
        break;
    }
    columns.back().required = required;
  }
  return columns;
}

namespace {

// _raw, _record_index, _batch_id, _ingested_at, _source: the lineage every raw and quarantine row
// carries.
void AppendLineageColumns(std::vector<ColumnSpec>* columns, bool required) {
  columns->push_back(ColumnSpec::Binary(std::string(kRawTextColumn)));
  columns->push_back(ColumnSpec::Int64(std::string(kRecordIndexColumn)));
  columns->push_back(ColumnSpec::String(std::string(kBatchIdColumn)));
  columns->push_back(
      ColumnSpec::Timestamp(std::string(kIngestedAtColumn), parquet::TimeUnit::kMicros, true));
  columns->push_back(ColumnSpec::String(std::string(kSourceColumn)));
  for (size_t i = columns->size() - 5; i < columns->size(); ++i) {
    (*columns)[i].required = required;
  }
}

}  // namespace

std::vector<ColumnSpec> RawSalesColumns() {
  std::vector<ColumnSpec> columns = SaleFieldColumns(/*required=*/false);
  AppendLineageColumns(&columns, /*required=*/false);
  columns.push_back(ColumnSpec::Boolean(std::string(kTruncatedColumn)));
  return columns;
}

std::vector<ColumnSpec> QuarantineSalesColumns() {
  std::vector<ColumnSpec> columns;
  columns.push_back(ColumnSpec::String(std::string(kReasonColumn)).Required());
  columns.push_back(ColumnSpec::String(std::string(kDetailColumn)));
  // _raw is OPTIONAL like the raw layer's; the rest of the lineage is always known.
  AppendLineageColumns(&columns, /*required=*/true);
  columns[kQuarantineRaw].required = false;
  return columns;
}

std::vector<ColumnSpec> MainSalesColumns() {
  std::vector<ColumnSpec> columns = SaleFieldColumns(/*required=*/true);
  columns.push_back(ColumnSpec::String(std::string(kBatchIdColumn)).Required());
  return columns;
}

Result<parquet::WriterOptions> LakeWriterOptions(std::string_view table) {
  parquet::WriterOptions::Builder builder;
  builder.Compression(compress::CodecType::kSnappy).RowGroupRows(kLakeRowGroupRows);
  if (table == kMainSalesTable) builder.BloomFilter("transaction_id");
  if (table == kRawSalesTable) {
    // Random UUID text: snappy saves about a tenth of it at a fifth of extract's time.
    builder.CompressionFor("transaction_id", compress::CodecType::kUncompressed);
    // Columns whose values are nearly all distinct start PLAIN (or delta) at their first row,
    // rather than in a dictionary that takes a row group's first 8192 values, hashed one by one,
    // only to be abandoned. The values read back the same; the files get smaller (a record index
    // delta-encoded from its first row costs next to nothing).
    builder.EncodingFor("transaction_id", parquet::ColumnEncoding::kPlain)
        .EncodingFor("customer_email", parquet::ColumnEncoding::kPlain)
        .EncodingFor("timestamp", parquet::ColumnEncoding::kDeltaBinaryPacked)
        .EncodingFor(std::string(kRecordIndexColumn), parquet::ColumnEncoding::kDeltaBinaryPacked);
    // Random UUIDs and emails span "0…" to "f…" and "a…" to "z…" in every page and row group:
    // their min/max would prune nothing, yet cost two string comparisons a row to keep.
    builder.StatisticsFor("transaction_id", false).StatisticsFor("customer_email", false);
  }
  return builder.Build();
}

}  // namespace saleslake::pipeline
