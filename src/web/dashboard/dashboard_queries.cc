#include "web/dashboard/dashboard_queries.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <numeric>

#include "base/clock.h"
#include "base/json_writer.h"
#include "web/dashboard/grouped_totals.h"
#include "web/dashboard/partial_day.h"

namespace saleslake::web {
namespace {

constexpr int32_t kMaxRangeDays = 20 * 366;

using Totals = RollupTotals;

// The filter resolved against a snapshot's dimensions: which stores and products pass.
struct RowMask {
  std::vector<char> store_ok, product_ok;
  bool all = true;  // no dimension filter: every row in the date range passes

  RowMask(const LakeSnapshot& s, const DashboardFilter& f) {
    store_ok.assign(s.stores.size(), 1);
    product_ok.assign(s.products.size(), 1);
    auto in = [](const std::vector<std::string>& values, const std::string& v) {
      return values.empty() || std::find(values.begin(), values.end(), v) != values.end();
    };
    for (size_t i = 0; i < s.stores.size(); ++i) {
      store_ok[i] = in(f.stores, s.stores[i].id) && in(f.cities, s.stores[i].city);
    }
    for (size_t i = 0; i < s.products.size(); ++i) {
      const ProductDim& p = s.products[i];
      product_ok[i] =
          in(f.brands, s.brands[p.brand_index]) && in(f.categories, s.categories[p.category_index]);
    }
    all = f.stores.empty() && f.cities.empty() && f.brands.empty() && f.categories.empty();
  }
  bool Pass(const LakeSnapshot& s, size_t i) const {
    return all || (store_ok[s.store[i]] && product_ok[s.product[i]]);
  }
  RowMask(const RowMask&) = delete;
};

// The rows a view groups, as the aggregation kernel reads them. Without a dimension filter: the
// rows of days [from, to] of the pre-aggregate `pre` (keys: its day and its key). With one: the
// rows of daily_sales of those days that pass the filter, as a selection vector (keys: the day
// and `row_key`, one value per row of daily_sales).
struct Selection {
  DayRows in;
  std::vector<uint32_t> rows;  // empty: rows 0..num_rows-1 of `in`
  size_t num_rows = 0;
};

Selection Select(const LakeSnapshot& s, const RowMask& mask, int32_t from, int32_t to,
                 const DayColumns& pre, const int32_t* row_key) {
  Selection sel;
  if (mask.all) {
    if (s.empty() || to < s.first_day || from > s.last_day || from > to) return sel;
    const size_t first = static_cast<size_t>(std::max(from, s.first_day) - s.first_day);
    const size_t last = static_cast<size_t>(std::min(to, s.last_day) - s.first_day);
    const size_t begin = pre.day_begin[first], end = pre.day_begin[last + 1];
    sel.in = DayRows::Of(pre).WithKeys(pre.date.data(), pre.key.data()).From(begin);
    sel.num_rows = end - begin;
    return sel;
  }
  sel.in = DayRows::Of(s).WithKeys(s.date.data(), row_key);
  auto [begin, end] = s.DayRange(from, to);
  for (size_t i = begin; i < end; ++i) {
    if (mask.Pass(s, i)) sel.rows.push_back(static_cast<uint32_t>(i));
  }
  return sel;
}

// The selection's rows summed into one total, or grouped by the key or by the day.
Totals SumOf(const Selection& sel) {
  GroupedTotals all(0);
  all.Add(sel.in, sel.rows, sel.num_rows);
  return all.Total();
}
std::vector<GroupedTotals::Group> ByKey(const Selection& sel) {
  GroupedTotals by_key(1);
  by_key.Add(sel.in.WithKeys(sel.in.keys[1]), sel.rows, sel.num_rows);
  return by_key.Groups();
}
GroupedTotals ByDay(const Selection& sel) {
  GroupedTotals by_day(1);
  by_day.Add(sel.in.WithKeys(sel.in.keys[0]), sel.rows, sel.num_rows);
  return by_day;
}

Totals Sum(const LakeSnapshot& s, const RowMask& mask, int32_t from, int32_t to) {
  return SumOf(Select(s, mask, from, to, s.per_day, nullptr));
}

void WriteAsOf(JsonWriter& w, const LakeSnapshot& s) {
  w.Key("as_of");
  w.BeginObject();
  w.Field("commit", s.last_seq);
  if (s.last_commit_micros != 0) {
    w.Field("committed_at", FormatIso8601Millis(s.last_commit_micros));
  } else {
    w.Key("committed_at");
    w.Null();
  }
  w.EndObject();
}

void WriteStrings(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  w.Key(key);
  w.BeginArray();
  for (const std::string& x : v) w.String(x);
  w.EndArray();
}

void WriteFilter(JsonWriter& w, const DashboardFilter& f) {
  w.Key("filter");
  w.BeginObject();
  w.Field("from", FormatDay(f.from));
  w.Field("to", FormatDay(f.to));
  if (!f.range.empty()) w.Field("range", f.range);
  WriteStrings(w, "brand", f.brands);
  WriteStrings(w, "category", f.categories);
  WriteStrings(w, "store", f.stores);
  WriteStrings(w, "city", f.cities);
  w.EndObject();
}

void WriteTotals(JsonWriter& w, const Totals& t) {
  w.Key("sales");
  w.Raw(FormatMoney(t.sales));
  w.Field("orders", t.orders);
  w.Field("units", t.units);
  w.Key("gross_profit");
  w.Raw(FormatMoney(t.profit));
  w.Key("margin_pct");
  if (t.sales != 0) {
    w.Raw(FormatRatio(__int128{t.profit} * 100, t.sales));
  } else {
    w.Null();
  }
}

// A new document with the parts every dashboard answer shares.
void BeginAnswer(JsonWriter& w, const LakeSnapshot& s, const DashboardFilter& f) {
  w.BeginObject();
  WriteFilter(w, f);
  WriteAsOf(w, s);
}

int32_t AddMonths(int32_t day, int months, bool clamp_to_month_end, bool* clamped = nullptr) {
  CivilDate d = CivilFromDays(day);
  int m = d.year * 12 + (d.month - 1) + months;
  CivilDate out{m / 12, m % 12 + 1, 1};
  const int32_t first = static_cast<int32_t>(DaysFromCivil(out));
  CivilDate next{(m + 1) / 12, (m + 1) % 12 + 1, 1};
  const int32_t days_in_month = static_cast<int32_t>(DaysFromCivil(next)) - first;
  int wanted = d.day;
  if (wanted > days_in_month) {
    if (clamped) *clamped = true;
    wanted = clamp_to_month_end ? days_in_month : days_in_month;
  }
  return first + wanted - 1;
}

constexpr int64_t kMicrosPerDay = int64_t{86'400} * 1'000'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// "2026-03-20T13:20:00.000+05:30": a UTC instant written in the business day's offset.
std::string FormatInstant(int64_t micros, int32_t offset_seconds) {
  std::string text = FormatIso8601Millis(micros + int64_t{offset_seconds} * 1'000'000);
  text.pop_back();  // the 'Z'
  const int32_t abs = offset_seconds < 0 ? -offset_seconds : offset_seconds;
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%c%02d:%02d", offset_seconds < 0 ? '-' : '+', abs / 3600,
                abs / 60 % 60);
  return text + buf;
}

void WriteBounds(JsonWriter& w, int32_t from, int32_t to, int64_t start, int64_t end,
                 int32_t offset_seconds) {
  w.BeginObject();
  w.Field("from", FormatDay(from));
  w.Field("to", FormatDay(to));
  w.Field("days", int64_t{to - from + 1});
  w.Field("start", FormatInstant(start, offset_seconds));
  w.Field("end", FormatInstant(end, offset_seconds));
  w.EndObject();
}

Status BadParam(std::string_view name, std::string_view message) {
  return Status::InvalidArgument(std::string(name) + ": " + std::string(message));
}

}  // namespace

std::string FormatMoney(int64_t paise) {
  const bool negative = paise < 0;
  const uint64_t abs = negative ? 0 - static_cast<uint64_t>(paise) : static_cast<uint64_t>(paise);
  std::string out = negative ? "-" : "";
  out += std::to_string(abs / 100);
  out += '.';
  out += static_cast<char>('0' + (abs % 100) / 10);
  out += static_cast<char>('0' + abs % 10);
  return out;
}

std::string FormatRatio(__int128 num, __int128 den) {
  const bool negative = (num < 0) != (den < 0) && num != 0;
  if (num < 0) num = -num;
  if (den < 0) den = -den;
  const __int128 scaled = (num * 200 + den) / (den * 2);  // round(num * 100 / den)
  const int64_t v = static_cast<int64_t>(scaled);
  std::string out = FormatMoney(v);
  return negative && v != 0 ? "-" + out : out;
}

std::pair<int32_t, int32_t> PreviousPeriod(int32_t from, int32_t to, CompareMode mode) {
  if (mode == CompareMode::kNone) return {0, -1};
  const CivilDate f = CivilFromDays(from), t = CivilFromDays(to);
  const bool month_aligned = f.day == 1 && f.year == t.year && f.month == t.month;
  if (mode == CompareMode::kPreviousMonth || (mode == CompareMode::kAuto && month_aligned)) {
    // The same days of the previous month; when it is shorter (March 31 -> February), its end.
    return {AddMonths(from, -1, true), AddMonths(to, -1, true)};
  }
  const int32_t len = to - from + 1;
  return {from - len, from - 1};
}

Result<DashboardFilter> ParseDashboardFilter(const QueryParams& params, const LakeSnapshot& snap,
                                             const std::vector<std::string>& extra) {
  DashboardFilter f;
  std::string from_text, to_text;
  for (const auto& [name, value] : params) {
    if (name == "from" || name == "to") {
      (name == "from" ? from_text : to_text) = value;
    } else if (name == "range") {
      f.range = value;
    } else if (name == "brand" || name == "category" || name == "store" || name == "city") {
      auto& list = name == "brand"      ? f.brands
                   : name == "category" ? f.categories
                   : name == "store"    ? f.stores
                                        : f.cities;
      if (value.size() > 200) return BadParam(name, "value longer than 200 bytes");
      if (list.size() >= 100) return BadParam(name, "more than 100 values");
      if (!value.empty()) list.push_back(value);
    } else if (name == "compare") {
      if (value == "auto") {
        f.compare = CompareMode::kAuto;
      } else if (value == "previous_period") {
        f.compare = CompareMode::kPreviousPeriod;
      } else if (value == "previous_month") {
        f.compare = CompareMode::kPreviousMonth;
      } else if (value == "none") {
        f.compare = CompareMode::kNone;
      } else {
        return BadParam(name, "'" + value.substr(0, 40) +
                                  "' is not one of auto, previous_period, previous_month, none");
      }
    } else if (std::find(extra.begin(), extra.end(), name) == extra.end()) {
      std::string known = "from, to, range, brand, category, store, city, compare";
      for (const std::string& e : extra) known += ", " + e;
      return Status::InvalidArgument(name.substr(0, 40) + ": unknown parameter (known: " + known +
                                     ")");
    }
  }
  // The data's last day anchors relative ranges; an empty lake anchors at today.
  f.now_micros = NowMicros();
  const int32_t today = static_cast<int32_t>(NowMicros() / (int64_t{86'400} * 1'000'000));
  const int32_t anchor = snap.empty() ? today : snap.last_day;
  const int32_t first = snap.empty() ? today : snap.first_day;
  if (!f.range.empty() && (!from_text.empty() || !to_text.empty())) {
    return BadParam("range", "give either range or from/to, not both");
  }
  if (f.range.empty() && from_text.empty() && to_text.empty()) f.range = "mtd";
  if (!f.range.empty()) {
    f.to = anchor;
    if (f.range == "mtd") {
      CivilDate d = CivilFromDays(anchor);
      f.from = static_cast<int32_t>(DaysFromCivil({d.year, d.month, 1}));
    } else if (f.range == "last7" || f.range == "last30" || f.range == "last90") {
      f.from = anchor - std::atoi(f.range.c_str() + 4) + 1;
    } else if (f.range == "all") {
      f.from = first;
    } else {
      return BadParam(
          "range", "'" + f.range.substr(0, 40) + "' is not one of mtd, last7, last30, last90, all");
    }
    return f;
  }
  if (!from_text.empty()) {
    Result<int32_t> d = ParseDay(from_text);
    if (!d.ok()) return BadParam("from", d.status().message());
    f.from = *d;
  } else {
    f.from = std::min(first, anchor);
  }
  if (!to_text.empty()) {
    Result<int32_t> d = ParseDay(to_text);
    if (!d.ok()) return BadParam("to", d.status().message());
    f.to = *d;
  } else {
    f.to = std::max(anchor, f.from);
  }
  if (f.from > f.to) {
    return BadParam("from",
                    "from (" + FormatDay(f.from) + ") is after to (" + FormatDay(f.to) + ")");
  }
  if (f.to - f.from >= kMaxRangeDays) return BadParam("to", "the range is longer than 20 years");
  return f;
}

Result<std::string> SummaryJson(const LakeSnapshot& s, const DashboardFilter& f) {
  RowMask mask(s, f);
  const Totals cur = Sum(s, mask, f.from, f.to);
  auto [pfrom, pto] = PreviousPeriod(f.from, f.to, f.compare);
  const bool compare = pfrom <= pto;
  // Day d of the business calendar begins at d * kMicrosPerDay - offset (UTC).
  const int32_t offset = s.business_utc_offset_seconds;
  const int64_t offset_micros = int64_t{offset} * 1'000'000;
  auto day_start = [&](int64_t day) { return day * kMicrosPerDay - offset_micros; };
  const int64_t today = FloorDiv(f.now_micros + offset_micros, kMicrosPerDay);
  // A period ending today ends now: the earlier one ends at the same time of day of its last day.
  const bool cut = f.to == today;
  const int64_t time_of_day = f.now_micros - day_start(today);
  Totals prev;
  int64_t prev_end = day_start(int64_t{pto} + 1);
  if (compare && cut) {
    prev = Sum(s, mask, pfrom, pto - 1);
    prev_end = day_start(pto) + time_of_day;
    SL_ASSIGN_OR_RETURN(RollupTotals last_day, SumDayBefore(s, f, pto, prev_end));
    prev.Add(last_day);
  } else if (compare) {
    prev = Sum(s, mask, pfrom, pto);
  }
  std::string out;
  JsonWriter w(&out);
  BeginAnswer(w, s, f);
  w.Key("period");
  WriteBounds(w, f.from, f.to, day_start(f.from), cut ? f.now_micros : day_start(int64_t{f.to} + 1),
              offset);
  w.Key("previous");
  if (compare) {
    WriteBounds(w, pfrom, pto, day_start(pfrom), prev_end, offset);
  } else {
    w.Null();
  }
  // Each KPI: value, previous value, change in percent (null when there is nothing to compare).
  struct Kpi {
    const char* name;
    std::string value, previous;
    __int128 v = 0, p = 0;  // comparable magnitudes for the change
    bool has_value = true, has_previous = true;
  };
  auto money = [](int64_t paise) { return FormatMoney(paise); };
  std::vector<Kpi> kpis;
  kpis.push_back({"sales", money(cur.sales), money(prev.sales), cur.sales, prev.sales});
  kpis.push_back(
      {"orders", std::to_string(cur.orders), std::to_string(prev.orders), cur.orders, prev.orders});
  kpis.push_back(
      {"units", std::to_string(cur.units), std::to_string(prev.units), cur.units, prev.units});
  {
    Kpi k{"average_order_value", "", "", 0, 0};
    k.has_value = cur.orders != 0;
    k.has_previous = prev.orders != 0;
    if (k.has_value) k.value = FormatRatio(cur.sales, __int128{cur.orders} * 100);
    if (k.has_previous) k.previous = FormatRatio(prev.sales, __int128{prev.orders} * 100);
    // Compare sales/orders exactly: cur.sales*prev.orders vs prev.sales*cur.orders.
    k.v = __int128{cur.sales} * prev.orders;
    k.p = __int128{prev.sales} * cur.orders;
    kpis.push_back(k);
  }
  kpis.push_back({"gross_profit", money(cur.profit), money(prev.profit), cur.profit, prev.profit});
  kpis.push_back({"cost", money(cur.cost), money(prev.cost), cur.cost, prev.cost});
  {
    Kpi k{"margin_pct", "", "", 0, 0};
    k.has_value = cur.sales != 0;
    k.has_previous = prev.sales != 0;
    if (k.has_value) k.value = FormatRatio(__int128{cur.profit} * 100, cur.sales);
    if (k.has_previous) k.previous = FormatRatio(__int128{prev.profit} * 100, prev.sales);
    kpis.push_back(k);
  }
  w.Key("kpis");
  w.BeginObject();
  for (const Kpi& k : kpis) {
    w.Key(k.name);
    w.BeginObject();
    w.Key("value");
    k.has_value ? w.Raw(k.value) : w.Null();
    w.Key("previous");
    compare&& k.has_previous ? w.Raw(k.previous) : w.Null();
    if (std::string_view(k.name) == "margin_pct") {
      // A ratio changes in percentage points, not percent.
      w.Key("change_points");
      if (compare && k.has_value && k.has_previous) {
        const __int128 a = __int128{cur.profit} * 100 * prev.sales;
        const __int128 b = __int128{prev.profit} * 100 * cur.sales;
        w.Raw(FormatRatio(a - b, __int128{cur.sales} * prev.sales));
      } else {
        w.Null();
      }
    } else {
      w.Key("change_pct");
      if (compare && k.has_value && k.has_previous && k.p != 0) {
        w.Raw(FormatRatio((k.v - k.p) * 100, k.p));
      } else {
        w.Null();
      }
    }
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  return out;
}

std::string TimeseriesJson(const LakeSnapshot& s, const DashboardFilter& f,
                           std::string_view grain) {
  RowMask mask(s, f);
  // Bucket start of a day: itself, its week's Monday (1970-01-01 was a Thursday), or its month's
  // first day.
  auto bucket_of = [&](int32_t day) -> int32_t {
    if (grain == "week") return day - ((day + 3) % 7 + 7) % 7;
    if (grain == "month") {
      CivilDate d = CivilFromDays(day);
      return static_cast<int32_t>(DaysFromCivil({d.year, d.month, 1}));
    }
    return day;
  };
  std::vector<int32_t> starts;
  for (int32_t d = f.from; d <= f.to; ++d) {
    int32_t b = bucket_of(d);
    if (starts.empty() || starts.back() != b) starts.push_back(b);
  }
  // The period's rows by day, then the days by bucket: two passes of the kernel.
  const DayColumns days = ByDay(Select(s, mask, f.from, f.to, s.per_day, nullptr)).Columns();
  std::vector<int32_t> bucket(days.size());
  for (size_t i = 0; i < days.size(); ++i) bucket[i] = bucket_of(days.date[i]);
  GroupedTotals by_bucket(1);
  by_bucket.Add(DayRows::Of(days).WithKeys(bucket.data()), {}, days.size());
  // Every bucket of the period is a point, those without sales too.
  std::vector<Totals> totals(starts.size());
  size_t k = 0;
  for (const GroupedTotals::Group& g : by_bucket.Groups()) {
    while (k < starts.size() && starts[k] < g.keys[0]) ++k;
    if (k < starts.size() && starts[k] == g.keys[0]) totals[k] = g.totals;
  }
  std::string out;
  JsonWriter w(&out);
  BeginAnswer(w, s, f);
  w.Field("grain", grain);
  w.Key("points");
  w.BeginArray();
  for (size_t i = 0; i < starts.size(); ++i) {
    w.BeginObject();
    w.Field("date", FormatDay(starts[i]));
    WriteTotals(w, totals[i]);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out;
}

std::string BreakdownJson(const LakeSnapshot& s, const DashboardFilter& f, std::string_view by,
                          size_t limit) {
  RowMask mask(s, f);
  const bool store = by == "store", city = by == "city", brand = by == "brand";
  const size_t n = store   ? s.stores.size()
                   : city  ? s.cities.size()
                   : brand ? s.brands.size()
                           : s.categories.size();
  const DayColumns& pre = store   ? s.per_store
                          : city  ? s.per_city
                          : brand ? s.per_brand
                                  : s.per_category;
  const std::vector<int32_t>& row_key = store   ? s.store
                                        : city  ? s.row_city
                                        : brand ? s.row_brand
                                                : s.row_category;
  const Selection sel = Select(s, mask, f.from, f.to, pre, row_key.data());
  std::vector<Totals> totals(n);
  for (const GroupedTotals::Group& g : ByKey(sel))
    totals[static_cast<size_t>(g.keys[0])] = g.totals;
  const Totals all = SumOf(sel);
  std::vector<size_t> order;
  for (size_t i = 0; i < n; ++i) {
    if (totals[i].orders != 0) order.push_back(i);
  }
  auto key_of = [&](size_t i) -> const std::string& {
    return store ? s.stores[i].id : city ? s.cities[i] : brand ? s.brands[i] : s.categories[i];
  };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (totals[a].sales != totals[b].sales) return totals[a].sales > totals[b].sales;
    return key_of(a) < key_of(b);
  });
  std::string out;
  JsonWriter w(&out);
  BeginAnswer(w, s, f);
  w.Field("by", by);
  w.Field("total_rows", static_cast<uint64_t>(order.size()));
  w.Key("total");
  w.BeginObject();
  WriteTotals(w, all);
  w.EndObject();
  w.Key("rows");
  w.BeginArray();
  for (size_t j = 0; j < order.size() && j < limit; ++j) {
    const size_t i = order[j];
    w.BeginObject();
    w.Field("key", key_of(i));
    if (store) {
      w.Field("label", s.stores[i].name);
      w.Field("city", s.stores[i].city);
    } else {
      w.Field("label", key_of(i));
    }
    WriteTotals(w, totals[i]);
    w.Key("share_pct");
    all.sales != 0 ? w.Raw(FormatRatio(__int128{totals[i].sales} * 100, all.sales)) : w.Null();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out;
}

std::string TopProductsJson(const LakeSnapshot& s, const DashboardFilter& f,
                            std::string_view order_by, size_t limit) {
  RowMask mask(s, f);
  std::vector<Totals> totals(s.products.size());
  const Selection sel = Select(s, mask, f.from, f.to, s.per_product, s.product.data());
  for (const GroupedTotals::Group& g : ByKey(sel))
    totals[static_cast<size_t>(g.keys[0])] = g.totals;
  std::vector<size_t> order;
  for (size_t i = 0; i < totals.size(); ++i) {
    if (totals[i].orders != 0) order.push_back(i);
  }
  const bool by_units = order_by == "units";
  auto before = [&](size_t a, size_t b) {
    const Totals &x = totals[a], &y = totals[b];
    if (by_units && x.units != y.units) return x.units > y.units;
    if (x.sales != y.sales) return x.sales > y.sales;
    if (!by_units && x.units != y.units) return x.units > y.units;
    return s.products[a].id < s.products[b].id;
  };
  const size_t keep = std::min(limit, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<ptrdiff_t>(keep), order.end(),
                    before);
  std::string out;
  JsonWriter w(&out);
  BeginAnswer(w, s, f);
  w.Field("order", order_by);
  w.Field("total_rows", static_cast<uint64_t>(order.size()));
  w.Key("rows");
  w.BeginArray();
  for (size_t j = 0; j < keep; ++j) {
    const size_t i = order[j];
    const ProductDim& p = s.products[i];
    w.BeginObject();
    w.Field("rank", static_cast<uint64_t>(j + 1));
    w.Field("product_id", p.id);
    w.Field("product_name", p.name);
    w.Field("brand", s.brands[p.brand_index]);
    w.Field("category", s.categories[p.category_index]);
    WriteTotals(w, totals[i]);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out;
}

std::string FilterValuesJson(const LakeSnapshot& s) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  WriteAsOf(w, s);
  w.Key("dates");
  if (s.empty()) {
    w.Null();
  } else {
    w.BeginObject();
    w.Field("first", FormatDay(s.first_day));
    w.Field("last", FormatDay(s.last_day));
    w.EndObject();
  }
  WriteStrings(w, "brands", s.brands);
  WriteStrings(w, "categories", s.categories);
  WriteStrings(w, "cities", s.cities);
  w.Key("stores");
  w.BeginArray();
  for (const StoreDim& d : s.stores) {
    w.BeginObject();
    w.Field("id", d.id);
    w.Field("name", d.name);
    w.Field("city", d.city);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out;
}

}  // namespace saleslake::web
