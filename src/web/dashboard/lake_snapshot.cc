#include "web/dashboard/lake_snapshot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <numeric>

#include "base/clock.h"
#include "base/logging.h"
#include "lake/layout.h"
#include "web/dashboard/grouped_totals.h"
#include "web/dashboard/pipeline_port.h"

namespace saleslake::web {
namespace {

CommitSummary Summarise(const lake::LedgerCommit& c) {
  CommitSummary s;
  s.seq = c.seq;
  s.kind = c.kind;
  s.run_id = c.run_id;
  s.committed_at_micros = c.committed_at_micros;
  s.files_added = c.added.size();
  s.files_removed = c.removed.size();
  for (const lake::LedgerFile& f : c.added) {
    s.rows_added += f.rows;
    s.bytes_added += f.bytes;
  }
  s.landed_batches = c.landed_batches;
  s.consumed_batches = c.consumed_batches;
  Pipeline().add_quarantine_counts(c.details_json, &s.quarantine_by_reason);
  s.details_json = c.details_json.empty() ? "{}" : c.details_json;
  return s;
}

// Interns strings into dense ids, remembering the first descriptive values seen.
template <typename Info>
struct Interner {
  std::map<std::string, int32_t> ids;
  std::vector<std::string> keys;
  std::vector<Info> infos;
  int32_t Id(const std::string& key, const Info& info) {
    auto [it, inserted] = ids.emplace(key, static_cast<int32_t>(keys.size()));
    if (inserted) {
      keys.push_back(key);
      infos.push_back(info);
    }
    return it->second;
  }
};

// The business_utc_offset_seconds a transform commit's details record (0 when absent).
int32_t OffsetOf(std::string_view details) {
  constexpr std::string_view kKey = "\"business_utc_offset_seconds\":";
  const size_t at = details.find(kKey);
  if (at == std::string_view::npos) return 0;
  return static_cast<int32_t>(std::strtol(details.data() + at + kKey.size(), nullptr, 10));
}

// "year=2026/month=03/day=20" as days since the epoch.
Result<int32_t> DayOfPartition(std::string_view partition) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(std::string(partition).c_str(), "year=%d/month=%d/day=%d", &y, &m, &d) != 3) {
    return Status::InvalidArgument("not a day partition: " + std::string(partition));
  }
  return static_cast<int32_t>(DaysFromCivil({y, m, d}));
}

// daily_sales summed per day and `key` (per day only when null), sorted by day then key, through
// the aggregation kernel. REQUIRES: snap has rows.
DayColumns PreAggregate(const LakeSnapshot& snap, const int32_t* key) {
  GroupedTotals grouped(key == nullptr ? 1 : 2);
  grouped.Add(DayRows::Of(snap).WithKeys(snap.date.data(), key), {}, snap.date.size());
  DayColumns out = grouped.Columns();
  const size_t days = static_cast<size_t>(snap.last_day - snap.first_day) + 1;
  out.day_begin.assign(days + 1, 0);
  size_t row = 0;
  for (size_t d = 0; d <= days; ++d) {
    while (row < out.date.size() && out.date[row] < snap.first_day + static_cast<int32_t>(d)) {
      ++row;
    }
    out.day_begin[d] = static_cast<uint32_t>(row);
  }
  return out;
}

struct StoreInfo {
  std::string name, city;
};
struct ProductInfo {
  std::string name, brand, category;
};

}  // namespace

// The rows of one daily_sales file with stores and products as interned ids.
struct LakeSnapshotLoader::Dimensions {
  Interner<StoreInfo> stores;
  Interner<ProductInfo> products;
};

LakeSnapshotLoader::LakeSnapshotLoader(std::shared_ptr<io::FileSystem> fs)
    : fs_(std::move(fs)), dims_(std::make_unique<Dimensions>()) {}
LakeSnapshotLoader::~LakeSnapshotLoader() = default;

struct LakeSnapshotLoader::DailyFile {
  std::vector<int32_t> date, store, product;
  std::vector<int64_t> orders, units, sales, cost, profit;
};

std::string FormatDay(int64_t day) {
  CivilDate d = CivilFromDays(day);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

Result<int32_t> ParseDay(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("'" + std::string(text.substr(0, 40)) +
                                   "' is not a date: use YYYY-MM-DD");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return bad();
  }
  Result<int64_t> micros = ParseIso8601Micros(text);
  if (!micros.ok()) return bad();
  int64_t day = *micros / (int64_t{86'400} * 1'000'000);
  if (*micros < 0 && *micros % (int64_t{86'400} * 1'000'000) != 0) --day;
  return static_cast<int32_t>(day);
}

std::pair<size_t, size_t> LakeSnapshot::DayRange(int32_t from, int32_t to) const {
  if (empty() || to < first_day || from > last_day || from > to) return {0, 0};
  from = std::max(from, first_day);
  to = std::min(to, last_day);
  return {day_begin[from - first_day], day_begin[to - first_day + 1]};
}

Result<bool> LakeSnapshotLoader::HasCommitAfter(uint64_t seq) {
  SL_ASSIGN_OR_RETURN(io::FileInfo info, fs_->GetFileInfo(lake::CommitPath(seq + 1)));
  return info.type == io::FileType::kFile;
}

Result<size_t> LakeSnapshotLoader::CountRunRecords() {
  SL_ASSIGN_OR_RETURN(std::vector<io::FileInfo> files, fs_->List(lake::kRunsDir));
  return files.size();
}

std::string LakeSnapshot::DegradedReason() const {
  if (unreadable_daily_files.empty()) return "";
  return fmt::format(
      "the dashboard's figures come from main/daily_sales, and {} of its committed files cannot "
      "be read ({}{}): restore it from a backup ('saleslake status' lists the damaged files); the "
      "SQL console and the other tables still answer",
      unreadable_daily_files.size(), unreadable_daily_files.front(),
      unreadable_daily_files.size() > 1 ? ", …" : "");
}

Result<std::shared_ptr<const LakeSnapshot>> LakeSnapshotLoader::Load() {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::Ledger> ledger,
                      lake::Ledger::Open(fs_, /*recover=*/false));
  const lake::LedgerState& state = ledger->state();
  auto snap = std::make_shared<LakeSnapshot>();
  snap->lake_uri = fs_->root_uri();
  snap->last_seq = state.last_seq;
  snap->loaded_at_micros = NowMicros();

  // History: only the commits not read before (commits never change).
  if (!commits_.empty() && commits_.back().seq > state.last_seq) commits_.clear();  // a new lake
  for (uint64_t seq = commits_.empty() ? ledger->first_seq()
                                       : std::max(commits_.back().seq + 1, ledger->first_seq());
       seq <= state.last_seq; ++seq) {
    SL_ASSIGN_OR_RETURN(lake::LedgerCommit c, ledger->ReadCommit(seq));
    commits_.push_back(Summarise(c));
  }
  snap->commits = commits_;
  if (!commits_.empty()) snap->last_commit_micros = commits_.back().committed_at_micros;
  for (const CommitSummary& c : commits_) {
    for (const auto& [reason, n] : c.quarantine_by_reason) snap->quarantine_by_reason[reason] += n;
    if (c.kind == "transform") snap->business_utc_offset_seconds = OffsetOf(c.details_json);
  }
  for (const auto& [id, batch] : state.batches) {
    ++snap->batches_extracted;
    if (batch.transform_seq != 0) ++snap->batches_transformed;
  }
  snap->batches_pending = snap->batches_extracted - snap->batches_transformed;
  SL_ASSIGN_OR_RETURN(snap->run_record_files, CountRunRecords());
  SL_ASSIGN_OR_RETURN(snap->run_records, Pipeline().recent_run_records(*fs_, 500));

  std::map<std::string, TableStats> tables;
  std::map<std::string, std::set<std::string>> partitions;
  for (const auto& [path, file] : state.files) {
    TableStats& t = tables[file.table];
    t.table = file.table;
    ++t.files;
    t.rows += file.rows;
    t.bytes += file.bytes;
    if (!file.partition.empty()) partitions[file.table].insert(file.partition);
  }
  for (auto& [name, t] : tables) {
    t.partitions = partitions[name].size();
    snap->tables.push_back(t);
  }
  snap->fs = fs_;
  for (const lake::LedgerFile& f : state.FilesOf(lake::kMainSalesTable)) {
    if (Result<int32_t> day = DayOfPartition(f.partition); day.ok()) {
      snap->sales_files[*day].push_back(f.path);
    }
  }

  // daily_sales: read new files, drop the ones no longer committed.
  std::vector<lake::LedgerFile> files = state.FilesOf(lake::kDailySalesTable);
  std::map<std::string, std::shared_ptr<const DailyFile>> live;
  for (const lake::LedgerFile& f : files) {
    auto cached = daily_files_.find(f.path);
    if (cached != daily_files_.end()) {
      live.emplace(f.path, cached->second);
      continue;
    }
    std::vector<DailySalesRow> rows;
    Status read = Pipeline().read_daily_rows(*fs_, f.path, &rows);
    if (read.code() == StatusCode::kNotFound) {
      // The commit is written, its files not yet moved from their pending names (the writer is
      // between steps 2 and 3 of publishing): the pending file is the committed content.
      rows.clear();
      read = Pipeline().read_daily_rows(*fs_, lake::PendingPath(f.path), &rows);
      if (read.code() == StatusCode::kNotFound) {
        read = Status::NotFound(f.path + ": the ledger names it but storage does not have it");
      }
    }
    if (!read.ok()) {
      // Not cached: the next load tries again (the file may be restored).
      snap->unreadable_daily_files.push_back(read.message().find(f.path) == std::string::npos
                                                 ? f.path + ": " + read.message()
                                                 : read.message());
      log::Warn("snapshot.unreadable_file", {{"path", f.path}, {"error", read.message()}});
      continue;
    }
    auto df = std::make_shared<DailyFile>();
    for (const DailySalesRow& r : rows) {
      df->date.push_back(r.date);
      df->store.push_back(dims_->stores.Id(r.store_id, {r.store_name, r.store_location}));
      df->product.push_back(
          dims_->products.Id(r.product_id, {r.product_name, r.brand, r.category}));
      df->orders.push_back(r.orders);
      df->units.push_back(r.units);
      df->sales.push_back(r.sales);
      df->cost.push_back(r.cost);
      df->profit.push_back(r.gross_profit);
    }
    live.emplace(f.path, std::move(df));
  }
  daily_files_ = std::move(live);

  // Dimensions: the stores and products the rows use, sorted by id; brands, categories and
  // cities sorted by name.
  const auto& si = dims_->stores;
  const auto& pi = dims_->products;
  std::vector<char> store_used(si.keys.size()), product_used(pi.keys.size());
  size_t total = 0;
  for (const auto& [path, df] : daily_files_) {
    total += df->date.size();
    for (int32_t s : df->store) store_used[s] = 1;
    for (int32_t p : df->product) product_used[p] = 1;
  }
  std::vector<int32_t> store_map(si.keys.size(), -1), product_map(pi.keys.size(), -1);
  {
    std::set<std::string> cities;
    std::vector<std::pair<std::string, int32_t>> order;
    for (size_t i = 0; i < si.keys.size(); ++i) {
      if (!store_used[i]) continue;
      order.emplace_back(si.keys[i], static_cast<int32_t>(i));
      cities.insert(si.infos[i].city);
    }
    std::sort(order.begin(), order.end());
    snap->cities.assign(cities.begin(), cities.end());
    for (const auto& [key, id] : order) {
      store_map[id] = static_cast<int32_t>(snap->stores.size());
      StoreDim d{key, si.infos[id].name, si.infos[id].city, 0};
      d.city_index =
          static_cast<int32_t>(std::lower_bound(snap->cities.begin(), snap->cities.end(), d.city) -
                               snap->cities.begin());
      snap->stores.push_back(std::move(d));
    }
  }
  {
    std::set<std::string> brands, categories;
    std::vector<std::pair<std::string, int32_t>> order;
    for (size_t i = 0; i < pi.keys.size(); ++i) {
      if (!product_used[i]) continue;
      order.emplace_back(pi.keys[i], static_cast<int32_t>(i));
      brands.insert(pi.infos[i].brand);
      categories.insert(pi.infos[i].category);
    }
    std::sort(order.begin(), order.end());
    snap->brands.assign(brands.begin(), brands.end());
    snap->categories.assign(categories.begin(), categories.end());
    auto index_of = [](const std::vector<std::string>& v, const std::string& s) {
      return static_cast<int32_t>(std::lower_bound(v.begin(), v.end(), s) - v.begin());
    };
    for (const auto& [key, id] : order) {
      product_map[id] = static_cast<int32_t>(snap->products.size());
      snap->products.push_back({key, pi.infos[id].name, index_of(snap->brands, pi.infos[id].brand),
                                index_of(snap->categories, pi.infos[id].category)});
    }
  }

  // Rows, sorted by date (files hold one day each, but nothing here relies on that).
  std::vector<std::pair<int32_t, std::pair<const DailyFile*, uint32_t>>> order;
  order.reserve(total);
  for (const auto& [path, df] : daily_files_) {
    for (uint32_t i = 0; i < df->date.size(); ++i) order.push_back({df->date[i], {df.get(), i}});
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto* v : {&snap->date, &snap->store, &snap->product}) v->reserve(total);
  for (auto* v : {&snap->orders, &snap->units, &snap->sales, &snap->cost, &snap->profit}) {
    v->reserve(total);
  }
  for (const auto& [day, where] : order) {
    const DailyFile& df = *where.first;
    const uint32_t i = where.second;
    snap->date.push_back(day);
    snap->store.push_back(store_map[df.store[i]]);
    snap->product.push_back(product_map[df.product[i]]);
    snap->orders.push_back(df.orders[i]);
    snap->units.push_back(df.units[i]);
    snap->sales.push_back(df.sales[i]);
    snap->cost.push_back(df.cost[i]);
    snap->profit.push_back(df.profit[i]);
  }
  if (!snap->date.empty()) {
    snap->first_day = snap->date.front();
    snap->last_day = snap->date.back();
    const size_t days = static_cast<size_t>(snap->last_day - snap->first_day) + 1;
    snap->day_begin.assign(days + 1, 0);
    size_t row = 0;
    for (size_t d = 0; d <= days; ++d) {
      while (row < snap->date.size() &&
             snap->date[row] < snap->first_day + static_cast<int32_t>(d)) {
        ++row;
      }
      snap->day_begin[d] = static_cast<uint32_t>(row);
    }
  }
  for (const ProductDim& p : snap->products) {
    snap->product_brand.push_back(p.brand_index);
    snap->product_category.push_back(p.category_index);
  }
  for (const StoreDim& st : snap->stores) snap->store_city.push_back(st.city_index);
  const size_t n = snap->date.size();
  snap->row_brand.resize(n);
  snap->row_category.resize(n);
  snap->row_city.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const auto p = static_cast<size_t>(snap->product[i]);
    snap->row_brand[i] = snap->product_brand[p];
    snap->row_category[i] = snap->product_category[p];
    snap->row_city[i] = snap->store_city[static_cast<size_t>(snap->store[i])];
  }
  {
    // Every figure is a sum over part of these rows: when the sums of the whole fit 64 bits
    // (and sales + cost, which bounds profit's), every partial sum does.
    GroupedTotals all(0);
    all.Add(DayRows::Of(*snap), {}, n);
    if (!all.Fits(/*margin=*/true)) {
      return Status::Corruption(
          "main/daily_sales: its sums do not fit 64-bit integers; the dashboard cannot show them "
          "(check the table with 'saleslake query')");
    }
  }
  if (!snap->date.empty()) {
    snap->per_day = PreAggregate(*snap, nullptr);
    snap->per_brand = PreAggregate(*snap, snap->row_brand.data());
    snap->per_category = PreAggregate(*snap, snap->row_category.data());
    snap->per_store = PreAggregate(*snap, snap->store.data());
    snap->per_city = PreAggregate(*snap, snap->row_city.data());
    snap->per_product = PreAggregate(*snap, snap->product.data());
  }
  return std::shared_ptr<const LakeSnapshot>(std::move(snap));
}

}  // namespace saleslake::web
