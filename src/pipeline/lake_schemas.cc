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

Result<int> ParseKeyValue(std::string_view part, std::string_view key, size_t digits) {
  if (part.size() != key.size() + 1 + digits || part.substr(0, key.size()) != key ||
      part[key.size()] != '=') {
    return Status::InvalidArgument(
        fmt::format("expected {}=<{} digits>, got '{}'", key, digits, part));
  }
  int value = 0;
  std::string_view num = part.substr(key.size() + 1);
  auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), value);
  if (ec != std::errc() || ptr != num.data() + num.size()) {
    return Status::InvalidArgument(fmt::format("'{}' is not a number in '{}'", num, part));
  }
  return value;
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

std::string PartitionName(CivilDate date) {
  return fmt::format("year={:04d}/month={:02d}/day={:02d}", date.year, date.month, date.day);
}

std::string PartitionPath(std::string_view table, CivilDate date) {
  return io::JoinPath(table, PartitionName(date));
}

CivilDate UtcDateOf(int64_t micros) {
  constexpr int64_t kMicrosPerDay = 86'400LL * 1'000'000;
  int64_t days = micros / kMicrosPerDay;
  if (micros % kMicrosPerDay < 0) --days;  // floor, for instants before 1970
  return CivilFromDays(days);
}

Result<CivilDate> ParsePartitionName(std::string_view partition) {
  const size_t a = partition.find('/');
  const size_t b = a == std::string_view::npos ? a : partition.find('/', a + 1);
  if (b == std::string_view::npos) {
    return Status::InvalidArgument(
        fmt::format("partition '{}' is not year=YYYY/month=MM/day=DD", partition));
  }
  SL_ASSIGN_OR_RETURN(int year, ParseKeyValue(partition.substr(0, a), "year", 4));
  SL_ASSIGN_OR_RETURN(int month, ParseKeyValue(partition.substr(a + 1, b - a - 1), "month", 2));
  SL_ASSIGN_OR_RETURN(int day, ParseKeyValue(partition.substr(b + 1), "day", 2));
  CivilDate date{year, month, day};
  const CivilDate round_trip = CivilFromDays(DaysFromCivil(date));
  if (round_trip.year != year || round_trip.month != month || round_trip.day != day) {
    return Status::InvalidArgument(fmt::format("partition '{}' is not a real date", partition));
  }
  return date;
}

std::string BatchFileName(std::string_view batch_id) {
  return fmt::format("batch-{}.parquet", batch_id);
}

std::string RawBatchPath(CivilDate ingestion_date, std::string_view batch_id) {
  return io::JoinPath(PartitionPath(kRawSalesTable, ingestion_date), BatchFileName(batch_id));
}

Result<parquet::WriterOptions> LakeWriterOptions(std::string_view table) {
  parquet::WriterOptions::Builder builder;
  builder.Compression(compress::CodecType::kSnappy).RowGroupRows(kLakeRowGroupRows);
  if (table == kMainSalesTable) builder.BloomFilter("transaction_id");
  return builder.Build();
}

}  // namespace saleslake::pipeline
