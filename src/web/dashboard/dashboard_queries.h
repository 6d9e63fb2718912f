// The dashboard's numbers, computed from a LakeSnapshot (main/daily_sales in memory): KPIs with
// a date-aligned comparison, a time series, breakdowns by brand / category / store / city, and
// top products — each under the same filters (date range, brand, category, store, city).
//
// Every function returns the JSON document of one /api/v1 endpoint. Money is exact: sums are
// integer paise, written as decimal literals with two digits ("1234.50"); ratios (average order
// value, margin, change) are rounded half away from zero to two digits.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "web/dashboard/lake_snapshot.h"
#include "web/http_exchange.h"

namespace saleslake::web {

enum class CompareMode { kAuto, kPreviousPeriod, kPreviousMonth, kNone };

struct DashboardFilter {
  // Inclusive day range (days since the epoch) after resolving `range`, from and to.
  int32_t from = 0, to = -1;
  std::string range;  // "mtd", "last7", "last30", "last90", "all", or "" when from/to were given
  std::vector<std::string> brands, categories, stores, cities;  // OR within, AND across
  CompareMode compare = CompareMode::kAuto;
  // The clock (UTC microseconds): a period whose last day is today ends now, and the earlier
  // period it is compared with ends at the same time of day of its corresponding day.
  int64_t now_micros = 0;
};

// The query parameters every dashboard endpoint accepts besides its own `extra` ones. An
// unknown parameter, a bad date, from > to or a range over 20 years is InvalidArgument naming
// the parameter (the API answers 400). Without from/to/range the period is month-to-date of the
// data's last day.
Result<DashboardFilter> ParseDashboardFilter(const QueryParams& params, const LakeSnapshot& snap,
                                             const std::vector<std::string>& extra);

// The previous period the KPIs compare with: the same days of the previous month when the period
// starts on a month's first day and ends in that month (month-to-date vs the same days of last
// month), otherwise the period of the same length just before. {0, -1} with CompareMode::kNone.
std::pair<int32_t, int32_t> PreviousPeriod(int32_t from, int32_t to, CompareMode mode);

// GET /api/v1/summary. Both periods state their exact bounds (`start` inclusive, `end`
// exclusive, ISO 8601 in the business day's offset). When the period's last day is today (in the
// business offset of the lake's last transform), it ends at filter.now_micros and the previous
// period at the same time of day of its own last day (whose sales are then read from main/sales);
// otherwise both are whole days. Fails only when that day's main/sales files cannot be read.
Result<std::string> SummaryJson(const LakeSnapshot& snap, const DashboardFilter& filter);
// GET /api/v1/timeseries; grain "day", "week" (ISO weeks, Monday first) or "month".
std::string TimeseriesJson(const LakeSnapshot& snap, const DashboardFilter& filter,
                           std::string_view grain);
// GET /api/v1/breakdowns; by "brand", "category", "store" or "city"; rows by sales, descending.
std::string BreakdownJson(const LakeSnapshot& snap, const DashboardFilter& filter,
                          std::string_view by, size_t limit);
// GET /api/v1/top-products; order "sales" or "units".
std::string TopProductsJson(const LakeSnapshot& snap, const DashboardFilter& filter,
                            std::string_view order, size_t limit);
// GET /api/v1/filters: the values the filters can take and the data's date range.
std::string FilterValuesJson(const LakeSnapshot& snap);

// "1234.50" for 123450 paise.
std::string FormatMoney(int64_t paise);
// num / den with two decimals, rounded half away from zero: "12.34" (den != 0).
std::string FormatRatio(__int128 num, __int128 den);

}  // namespace saleslake::web
