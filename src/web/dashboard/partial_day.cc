#include "web/dashboard/partial_day.h"

#include <algorithm>
#include <string>
#include <vector>

#include "lake/lake_files.h"
#include "lake/ledger.h"
#include "web/dashboard/grouped_totals.h"

namespace saleslake::web {
namespace {

bool In(const std::vector<std::string>& values, std::string_view v) {
  return values.empty() || std::find(values.begin(), values.end(), v) != values.end();
}

// main/sales columns read, in this order.
enum Column {
  kTimestamp,
  kStoreId,
  kStoreLocation,
  kBrand,
  kCategory,
  kQuantity,
  kTotal,
  kRetail,
  kMrp
};

}  // namespace

Result<RollupTotals> SumDayBefore(const LakeSnapshot& snap, const DashboardFilter& f, int32_t day,
                                  int64_t cut_micros) {
  auto files = snap.sales_files.find(day);
  if (files == snap.sales_files.end() || snap.fs == nullptr) return RollupTotals{};
  // The rows before the cut that pass the filter, summed through the aggregation kernel: one
  // order per row, its units, sales, cost and profit (as daily_sales derives them).
  GroupedTotals sum(0);
  std::vector<uint32_t> rows;
  std::vector<int64_t> orders, units, cost, profit;
  const std::vector<std::string> names = {"timestamp", "store_id",     "store_location",
                                          "brand",     "category",     "quantity",
                                          "total",     "retail_price", "mrp"};
  for (const std::string& path : files->second) {
    // Committed, maybe not yet moved from its pending name (whose content it then is).
    auto reader = lake::OpenCommittedFile(*snap.fs, path);
    if (!reader.ok()) return reader.status();
    SL_ASSIGN_OR_RETURN(std::vector<int> projection, (*reader)->schema().ResolveProjection(names));
    for (int rg = 0; rg < (*reader)->num_row_groups(); ++rg) {
      SL_ASSIGN_OR_RETURN(auto cols, (*reader)->ReadRowGroup(rg, projection));
      const auto n = static_cast<size_t>((*reader)->row_group_rows(rg));
      rows.clear();
      orders.assign(n, 1);
      units.resize(n);
      cost.resize(n);
      profit.resize(n);
      for (size_t i = 0; i < n; ++i) {
        if (cols[kTimestamp].int64s[i] >= cut_micros) continue;
        if (!In(f.stores, cols[kStoreId].binaries[i]) ||
            !In(f.cities, cols[kStoreLocation].binaries[i]) ||
            !In(f.brands, cols[kBrand].binaries[i]) ||
            !In(f.categories, cols[kCategory].binaries[i])) {
          continue;
        }
        const int64_t quantity = cols[kQuantity].int32s[i];
        const int64_t retail = cols[kRetail].int64s[i];
        units[i] = quantity;
        cost[i] = retail * quantity;
        profit[i] = (cols[kMrp].int64s[i] - retail) * quantity;
        rows.push_back(static_cast<uint32_t>(i));
      }
      if (rows.empty()) continue;
      DayRows in;
      in.orders = orders.data();
      in.units = units.data();
      in.sales = cols[kTotal].int64s.data();
      in.cost = cost.data();
      in.profit = profit.data();
      sum.Add(in, rows, 0);
    }
  }
  return sum.Total();
}

}  // namespace saleslake::web
