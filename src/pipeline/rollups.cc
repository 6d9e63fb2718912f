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

// Gross margin in percent of sales, DECIMAL(18,2), rounded half away from zero.
int64_t MarginPct(int64_t gross_profit, int64_t sales) {
  if (sales == 0) return 0;
  __int128 num = static_cast<__int128>(gross_profit) * 10000;
  __int128 q = num / sales, r = num % sales;
  if (2 * (r < 0 ? -r : r) >= (sales < 0 ? -sales : sales)) q += (num < 0) != (sales < 0) ? -1 : 1;
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
  auto [s, new_store] = store_.try_emplace({r.store_id, r.store_name, r.store_location});
  if (new_store) s->second.names = {r.store_id, r.store_name, r.store_location};
  s->second.totals.Add(r);
  auto [p, new_product] = product_.try_emplace({r.product_id, r.product_name, r.brand, r.category});
  if (new_product) p->second.names = {r.product_id, r.product_name, r.brand, r.category};
  p->second.totals.Add(r);
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

  // brand_sales / category_sales: (name, total_sales, orders, units)
  auto by_name = [&](const std::string& table, const std::string& name_column,
                     const std::map<std::string, Totals>& groups) -> Status {
    std::vector<ColumnSpec> columns = {Str(name_column), Money("total_sales"), Count("orders"),
                                       Count("units")};
    std::vector<ColumnBuffer> b = MakeBuffers(columns);
    for (const auto& [name, t] : groups) {
      b[0].AppendBytes(name);
      b[1].AppendInt64(t.sales);
      b[2].AppendInt64(t.orders);
      b[3].AppendInt64(t.units);
    }
    return emit(table, columns, b);
  };
  // profit_per_*: (name, total_sales, cost, gross_profit, margin_pct)
  auto profit = [&](const std::string& table, const std::string& name_column,
                    const std::map<std::string, Totals>& groups) -> Status {
    std::vector<ColumnSpec> columns = {Str(name_column), Money("total_sales"), Money("cost"),
                                       Money("gross_profit"), Money("margin_pct")};
    std::vector<ColumnBuffer> b = MakeBuffers(columns);
    for (const auto& [name, t] : groups) {
      b[0].AppendBytes(name);
      b[1].AppendInt64(t.sales);
      b[2].AppendInt64(t.cost);
      b[3].AppendInt64(t.gross_profit);
      b[4].AppendInt64(MarginPct(t.gross_profit, t.sales));
    }
    return emit(table, columns, b);
  };
  SL_RETURN_IF_ERROR(by_name("main/brand_sales", "brand", brand_));
  SL_RETURN_IF_ERROR(by_name("main/category_sales", "category", category_));
  SL_RETURN_IF_ERROR(profit("main/profit_per_brand", "brand", brand_));
  SL_RETURN_IF_ERROR(profit("main/profit_per_category", "category", category_));

  {
    std::vector<ColumnSpec> columns = {
        Str("store_id"),       Str("store_name"), Str("store_location"), Money("total_sales"),
        Money("gross_profit"), Count("orders"),   Count("units")};
    std::vector<ColumnBuffer> b = MakeBuffers(columns);
    for (const auto& [id, s] : store_) {
      for (int c = 0; c < 3; ++c) b[c].AppendBytes(s.names[c]);
      b[3].AppendInt64(s.totals.sales);
      b[4].AppendInt64(s.totals.gross_profit);
      b[5].AppendInt64(s.totals.orders);
      b[6].AppendInt64(s.totals.units);
    }
    SL_RETURN_IF_ERROR(emit("main/store_sales", columns, b));
  }
  {
    // Every product, ranked by units sold, then sales, then id and names (ties broken
    // deterministically: the map is in that order and the sort is stable).
    std::vector<const decltype(product_)::value_type*> ranked;
    for (const auto& p : product_) ranked.push_back(&p);
    std::stable_sort(ranked.begin(), ranked.end(), [](auto* a, auto* b) {
      if (a->second.totals.units != b->second.totals.units) {
        return a->second.totals.units > b->second.totals.units;
      }
      return a->second.totals.sales > b->second.totals.sales;
    });
    std::vector<ColumnSpec> columns = {ColumnSpec::Int32("rank").Required(),
                                       Str("product_id"),
                                       Str("product_name"),
                                       Str("brand"),
                                       Str("category"),
                                       Count("units_sold"),
                                       Money("total_sales"),
                                       Count("orders")};
    std::vector<ColumnBuffer> b = MakeBuffers(columns);
    int32_t rank = 0;
    for (auto* p : ranked) {
      b[0].AppendInt32(++rank);
      for (int c = 0; c < 4; ++c) b[1 + c].AppendBytes(p->second.names[c]);
      b[5].AppendInt64(p->second.totals.units);
      b[6].AppendInt64(p->second.totals.sales);
      b[7].AppendInt64(p->second.totals.orders);
    }
    SL_RETURN_IF_ERROR(emit("main/highest_sold_product", columns, b));
  }
  return Status::OK();
}

}  // namespace saleslake::pipeline
