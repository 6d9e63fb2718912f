#include "pipeline/rollups.h"

#include <algorithm>

#include "base/hash.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/transform_io.h"

namespace saleslake::pipeline {
namespace {

using parquet::ColumnBuffer;
using parquet::ColumnSpec;
using table::SalesField;

ColumnSpec Money(std::string name) {
  return ColumnSpec::Decimal(std::move(name), kMoneyPrecision, kMoneyScale).Required();
}
ColumnSpec Str(std::string name) { return ColumnSpec::String(std::move(name)).Required(); }
ColumnSpec Count(std::string name) { return ColumnSpec::Int64(std::move(name)).Required(); }

const std::string& Field(const SaleRow& s, SalesField f) { return s.text[static_cast<int>(f)]; }

// num / den rounded half away from zero (0 when den is 0): averages and percentages of DECIMAL
// values, e.g. 12.345 -> 12.35 and -12.345 -> -12.35.
int64_t DivideRounded(__int128 num, int64_t den) {
  if (den == 0) return 0;
  __int128 q = num / den, r = num % den;
  if (2 * (r < 0 ? -r : r) >= (den < 0 ? -static_cast<__int128>(den) : den)) {
    q += (num < 0) != (den < 0) ? -1 : 1;
  }
  return static_cast<int64_t>(q);
}

Result<parquet::WriterOptions> AggregateOptions() {
  return parquet::WriterOptions::Builder().RowGroupRows(kLakeRowGroupRows).Build();
}

}  // namespace

std::string PartFileName(std::string_view key) {
  return "part-" + Sha256Hex(key).substr(0, 32) + ".parquet";
}

std::vector<ColumnSpec> DailySalesColumns() {
  return {ColumnSpec::Date("date").Required(),
          Str("store_id"),
          Str("store_name"),
          Str("store_location"),
          Str("product_id"),
          Str("product_name"),
          Str("category"),
          Str("brand"),
          Count("orders"),
          Count("units"),
          Money("sales"),
          Money("cost"),
          Money("gross_profit")};
}

bool DailyRollup::SameNames(const DailyRow& a, const DailyRow& b) {
  return a.store_name == b.store_name && a.store_location == b.store_location &&
         a.product_name == b.product_name && a.category == b.category && a.brand == b.brand;
}

namespace {

bool SaleHasNames(const SaleRow& s, const DailyRow& r) {
  return Field(s, SalesField::kStoreName) == r.store_name &&
         Field(s, SalesField::kStoreLocation) == r.store_location &&
         Field(s, SalesField::kProductName) == r.product_name &&
         Field(s, SalesField::kCategory) == r.category && Field(s, SalesField::kBrand) == r.brand;
}

void AddTotals(DailyRow* r, int64_t orders, int64_t units, int64_t sales, int64_t cost,
               int64_t gross_profit) {
  r->orders += orders;
  r->units += units;
  r->sales += sales;
  r->cost += cost;
  r->gross_profit += gross_profit;
}

}  // namespace

void DailyRollup::KeyOf(std::string_view store_id, std::string_view product_id, std::string* key) {
  key->clear();
  key->append(std::to_string(store_id.size()));
  key->push_back(':');
  key->append(store_id);
  key->append(product_id);
}

void DailyRollup::AddSale(int32_t date, const SaleRow& s) {
  const std::string& store_id = Field(s, SalesField::kStoreId);
  const std::string& product_id = Field(s, SalesField::kProductId);
  KeyOf(store_id, product_id, &key_);
  std::vector<DailyRow>& variants = rows_[key_];
  DailyRow* row = nullptr;
  for (DailyRow& r : variants) {
    if (SaleHasNames(s, r)) {
      row = &r;
      break;
    }
  }
  if (row == nullptr) {
    row = &variants.emplace_back();
    row->date = date;
    row->store_id = store_id;
    row->store_name = Field(s, SalesField::kStoreName);
    row->store_location = Field(s, SalesField::kStoreLocation);
    row->product_id = product_id;
    row->product_name = Field(s, SalesField::kProductName);
    row->category = Field(s, SalesField::kCategory);
    row->brand = Field(s, SalesField::kBrand);
  }
  AddTotals(row, 1, s.quantity, s.total, s.retail_price * s.quantity,
            (s.mrp - s.retail_price) * s.quantity);
}

void DailyRollup::AddDaily(const DailyRow& d) {
  KeyOf(d.store_id, d.product_id, &key_);
  std::vector<DailyRow>& variants = rows_[key_];
  for (DailyRow& r : variants) {
    if (SameNames(r, d)) {
      AddTotals(&r, d.orders, d.units, d.sales, d.cost, d.gross_profit);
      return;
    }
  }
  variants.push_back(d);
}

std::vector<DailyRow> DailyRollup::Rows() const {
  std::vector<DailyRow> out;
  out.reserve(rows_.size());
  for (const auto& [key, variants] : rows_) out.insert(out.end(), variants.begin(), variants.end());
  auto tie = [](const DailyRow& r) {
    return std::tie(r.store_id, r.product_id, r.store_name, r.store_location, r.product_name,
                    r.category, r.brand);
  };
  std::sort(out.begin(), out.end(),
            [&tie](const DailyRow& a, const DailyRow& b) { return tie(a) < tie(b); });
  return out;
}

Status ReadDailyRows(io::FileSystem& fs, const std::string& path, std::vector<DailyRow>* rows) {
  SL_ASSIGN_OR_RETURN(auto reader, OpenLakeFile(fs, path));
  std::vector<std::string> names;
  for (const auto& c : DailySalesColumns()) names.push_back(c.name);
  SL_ASSIGN_OR_RETURN(std::vector<int> projection, reader->schema().ResolveProjection(names));
  for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
    SL_ASSIGN_OR_RETURN(auto cols, reader->ReadRowGroup(rg, projection));
    for (int64_t i = 0; i < reader->row_group_rows(rg); ++i) {
      DailyRow& r = rows->emplace_back();
      r.date = cols[0].int32s[i];
      std::string* strings[] = {&r.store_id,     &r.store_name, &r.store_location, &r.product_id,
                                &r.product_name, &r.category,   &r.brand};
      for (int c = 0; c < 7; ++c) strings[c]->assign(cols[1 + c].binaries[i]);
      r.orders = cols[8].int64s[i];
      r.units = cols[9].int64s[i];
      r.sales = cols[10].int64s[i];
      r.cost = cols[11].int64s[i];
      r.gross_profit = cols[12].int64s[i];
    }
  }
  return Status::OK();
}

Status WriteDailyRows(io::FileSystem& fs, const std::string& path, const std::string& partition,
                      const std::vector<DailyRow>& rows, lake::LedgerFile* file) {
  std::vector<ColumnSpec> columns = DailySalesColumns();
  std::vector<ColumnBuffer> b = MakeBuffers(columns);
  for (const DailyRow& r : rows) {
    b[0].AppendInt32(r.date);
    const std::string* strings[] = {&r.store_id,   &r.store_name,   &r.store_location,
                                    &r.product_id, &r.product_name, &r.category,
                                    &r.brand};
    for (int c = 0; c < 7; ++c) b[1 + c].AppendBytes(*strings[c]);
    b[8].AppendInt64(r.orders);
    b[9].AppendInt64(r.units);
    b[10].AppendInt64(r.sales);
    b[11].AppendInt64(r.cost);
    b[12].AppendInt64(r.gross_profit);
  }
  SL_ASSIGN_OR_RETURN(parquet::WriterOptions options, AggregateOptions());
  SL_ASSIGN_OR_RETURN(*file,
                      WritePendingFile(fs, path, kDailySalesTable, partition, columns, options, b));
  return Status::OK();
}

const std::vector<std::string>& AggregateTables::TableNames() {
  static const std::vector<std::string> names = {
      "main/brand_sales",         "main/category_sales", "main/profit_per_brand",
      "main/profit_per_category", "main/store_sales",    "main/highest_sold_product"};
  return names;
}

void AggregateTables::Add(const DailyRow& r) {
  brand_[r.brand].Add(r);
  category_[r.category].Add(r);
  store_[{r.store_name, r.store_location}].Add(r);
  product_[{r.product_name, r.brand, r.store_name, r.store_location}].Add(r);
}

std::vector<AggregateTables::Ranked> AggregateTables::RankedProducts() const {
  std::vector<Ranked> ranked;
  ranked.reserve(product_.size());
  for (const auto& p : product_) ranked.push_back(&p);
  // The map is in key order and the sort is stable: ties fall back to the four keys.
  std::stable_sort(ranked.begin(), ranked.end(), [](Ranked a, Ranked b) {
    if (a->second.sales != b->second.sales) return a->second.sales > b->second.sales;
    return a->second.units > b->second.units;
  });
  return ranked;
}

Status AggregateTables::Write(io::FileSystem& fs, const lake::LedgerState& state,
                              const std::string& key, lake::LedgerCommit* commit) const {
  SL_ASSIGN_OR_RETURN(parquet::WriterOptions options, AggregateOptions());
  auto emit = [&](const std::string& table, const std::vector<ColumnSpec>& columns,
                  std::vector<ColumnBuffer>& b) -> Status {
    for (const lake::LedgerFile& old : state.FilesOf(table)) commit->removed.push_back(old.path);
    std::string path = table + "/" + PartFileName(key + "\n" + table);
    SL_ASSIGN_OR_RETURN(lake::LedgerFile file,
                        WritePendingFile(fs, path, table, "", columns, options, b));
    commit->added.push_back(std::move(file));
    return Status::OK();
  };

  // brand_sales / category_sales: the seed's (name, total_sales, total_quantity,
  // sale_per_piece_avg), then ours: orders.
  auto sales_by = [&](const std::string& table, const std::string& name_column,
                      const std::map<std::string, Totals>& groups) -> Status {
    std::vector<ColumnSpec> columns = {Str(name_column), Money("total_sales"),
                                       Count("total_quantity"), Money("sale_per_piece_avg"),
                                       Count("orders")};
    std::vector<ColumnBuffer> b = MakeBuffers(columns);
    for (const auto& [name, t] : groups) {
      b[0].AppendBytes(name);
      b[1].AppendInt64(t.sales);
      b[2].AppendInt64(t.units);
      b[3].AppendInt64(DivideRounded(t.sales, t.units));
      b[4].AppendInt64(t.orders);
    }
    return emit(table, columns, b);
  };
  // profit_per_*: the seed's (name, total_sales, total_retail_price, total_profit_per_brand),
  // then ours: margin_pct.
  auto profit_by = [&](const std::string& table, const std::string& name_column,
                       const std::map<std::string, Totals>& groups) -> Status {
    std::vector<ColumnSpec> columns = {Str(name_column), Money("total_sales"),
                                       Money("total_retail_price"), Money("total_profit_per_brand"),
                                       Money("margin_pct")};
    std::vector<ColumnBuffer> b = MakeBuffers(columns);
    for (const auto& [name, t] : groups) {
      b[0].AppendBytes(name);
      b[1].AppendInt64(t.sales);
      b[2].AppendInt64(t.cost);
      b[3].AppendInt64(t.sales - t.cost);
      b[4].AppendInt64(DivideRounded(static_cast<__int128>(t.sales - t.cost) * 10000, t.sales));
    }
    return emit(table, columns, b);
  };
  SL_RETURN_IF_ERROR(sales_by("main/brand_sales", "brand", brand_));
  SL_RETURN_IF_ERROR(sales_by("main/category_sales", "category", category_));
  SL_RETURN_IF_ERROR(profit_by("main/profit_per_brand", "brand", brand_));
  SL_RETURN_IF_ERROR(profit_by("main/profit_per_category", "category", category_));

  {
    // The seed's (store_name, store_location, total_sales, total_retail_price,
    // total_profit_per_brand), then ours: total_quantity, orders.
    std::vector<ColumnSpec> columns = {Str("store_name"),
                                       Str("store_location"),
                                       Money("total_sales"),
                                       Money("total_retail_price"),
                                       Money("total_profit_per_brand"),
                                       Count("total_quantity"),
                                       Count("orders")};
    std::vector<ColumnBuffer> b = MakeBuffers(columns);
    for (const auto& [names, t] : store_) {
      b[0].AppendBytes(names[0]);
      b[1].AppendBytes(names[1]);
      b[2].AppendInt64(t.sales);
      b[3].AppendInt64(t.cost);
      b[4].AppendInt64(t.sales - t.cost);
      b[5].AppendInt64(t.units);
      b[6].AppendInt64(t.orders);
    }
    SL_RETURN_IF_ERROR(emit("main/store_sales", columns, b));
  }
  {
    // The seed's (product_name, brand, store_name, store_location, total_sales, total_quantity),
    // then ours: orders; by total_sales desc, total_quantity desc, then the four keys.
    std::vector<ColumnSpec> columns = {Str("product_name"),  Str("brand"),
                                       Str("store_name"),    Str("store_location"),
                                       Money("total_sales"), Count("total_quantity"),
                                       Count("orders")};
    std::vector<ColumnBuffer> b = MakeBuffers(columns);
    for (Ranked p : RankedProducts()) {
      for (int c = 0; c < 4; ++c) b[c].AppendBytes(p->first[c]);
      b[4].AppendInt64(p->second.sales);
      b[5].AppendInt64(p->second.units);
      b[6].AppendInt64(p->second.orders);
    }
    SL_RETURN_IF_ERROR(emit("main/highest_sold_product", columns, b));
  }
  return Status::OK();
}

}  // namespace saleslake::pipeline
