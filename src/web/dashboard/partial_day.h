// The part of one business day sold before an instant, read from main/sales: what lets the
// dashboard compare "month to date at 13:20" with the earlier period up to 13:20 of its
// corresponding day, where main/daily_sales only knows whole days.
#pragma once

#include <cstdint>

#include "base/status.h"
#include "web/dashboard/dashboard_queries.h"
#include "web/dashboard/lake_snapshot.h"

namespace saleslake::web {

// Totals of the main/sales rows of business day `day` whose timestamp is before `cut_micros`
// (UTC), under the filter's brand / category / store / city (as the rows name them). Reads only
// that day's committed files; a day without files sums to zero.
Result<RollupTotals> SumDayBefore(const LakeSnapshot& snap, const DashboardFilter& filter,
                                  int32_t day, int64_t cut_micros);

}  // namespace saleslake::web
