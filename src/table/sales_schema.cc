#include "table/sales_schema.h"

namespace saleslake::table {

std::vector<parquet::ColumnSpec> SalesParquetColumns() {
  using parquet::ColumnSpec;
  std::vector<ColumnSpec> columns;
  for (const SalesFieldInfo& f : SalesFields()) {
    std::string name(f.name);
    switch (f.field) {
      case SalesField::kTimestamp:
        columns.push_back(ColumnSpec::Timestamp(name, parquet::TimeUnit::kMicros, true));
        break;
      case SalesField::kQuantity:
        columns.push_back(ColumnSpec::Int32(name));
        break;
      case SalesField::kRetailPrice:
      case SalesField::kMrp:
      case SalesField::kTotal:
        columns.push_back(ColumnSpec::Decimal(name, kMoneyPrecision, kMoneyScale));
        break;
      default:
        columns.push_back(ColumnSpec::String(name));
        break;
    }
    columns.back().Required();
  }
  return columns;
}

SalesColumns::SalesColumns() {
  for (const parquet::ColumnSpec& c : SalesParquetColumns()) columns_.emplace_back(c.type);
}

void SalesColumns::Clear() {
  for (parquet::ColumnBuffer& c : columns_) c.Clear();
}

void SalesColumns::Reserve(size_t rows) {
  for (parquet::ColumnBuffer& c : columns_) c.Reserve(rows, rows * 32);
}

}  // namespace saleslake::table
