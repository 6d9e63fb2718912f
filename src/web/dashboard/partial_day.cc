#include "web/dashboard/partial_day.h"

#include <algorithm>
#include <string>
#include <vector>

#include "lake/lake_files.h"
#include "lake/ledger.h"

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
  RollupTotals t;
  auto files = snap.sales_files.find(day);
  if (files == snap.sales_files.end() || snap.fs == nullptr) return t;
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
      for (int64_t i = 0; i < (*reader)->row_group_rows(rg); ++i) {
        if (cols[kTimestamp].int64s[i] >= cut_micros) continue;
        if (!In(f.stores, cols[kStoreId].binaries[i]) ||
            !In(f.cities, cols[kStoreLocation].binaries[i]) ||
            !In(f.brands, cols[kBrand].binaries[i]) ||
            !In(f.categories, cols[kCategory].binaries[i])) {
          continue;
        }
        const int64_t quantity = cols[kQuantity].int32s[i];
        const int64_t retail = cols[kRetail].int64s[i];
        t.Add({1, quantity, cols[kTotal].int64s[i], retail * quantity,
               (cols[kMrp].int64s[i] - retail) * quantity});
      }
    }
  }
  return t;
}

}  // namespace saleslake::web
