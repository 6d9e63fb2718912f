// GroupedTotals: every sum the dashboard shows — the snapshot's per-day pre-aggregates, the KPIs,
// time series, breakdowns and top products, and the part of a day read from main/sales — is a
// GROUP BY of day rows by nothing, by one integer key or by two, with exact sums of orders,
// units, sales, cost and profit. They all go through table::GroupByKernel, the one aggregation
// kernel that the rollups and SQL use too.
//
//   GroupedTotals by_store(1);
//   by_store.Add(DayRows::Of(snap).WithKeys(snap.store.data()), selection, 0);
//   for (const GroupedTotals::Group& g : by_store.Groups()) use(g.keys[0], g.totals);
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "table/group_by.h"
#include "web/dashboard/lake_snapshot.h"

namespace saleslake::web {

// Column pointers of day rows: up to two int32 key columns and the five sums, addressed by row
// number. Pointers may be offset to start a range at row 0.
struct DayRows {
  std::array<const int32_t*, 2> keys{};
  const int64_t* orders = nullptr;
  const int64_t* units = nullptr;
  const int64_t* sales = nullptr;
  const int64_t* cost = nullptr;
  const int64_t* profit = nullptr;

  // The rows of daily_sales in a snapshot, or of one of its pre-aggregates (keys unset).
  static DayRows Of(const LakeSnapshot& snap);
  static DayRows Of(const DayColumns& table);
  // The same rows with these key columns (one value per row).
  DayRows WithKeys(const int32_t* first, const int32_t* second = nullptr) const;
  // The same rows from row `begin` on (a range starts at 0).
  DayRows From(size_t begin) const;
};

class GroupedTotals {
 public:
  // Groups by the first `num_keys` (0, 1 or 2) key columns of the rows added.
  explicit GroupedTotals(size_t num_keys);

  // Adds the rows of `in` named by `rows`; with `rows` empty, rows 0..num_rows-1.
  void Add(const DayRows& in, std::span<const uint32_t> rows, size_t num_rows);

  struct Group {
    std::array<int32_t, 2> keys{};
    RollupTotals totals;
  };
  // Every group, keys ascending (the first key, then the second). REQUIRES: each sum fits 64
  // bits, which LakeSnapshotLoader checks for the whole of daily_sales once per snapshot (any
  // part of it then fits too).
  std::vector<Group> Groups() const;
  // The groups as day rows in columns: the first key as `date`, the second as `key` (0 when
  // grouping by one key), in Groups' order; day_begin left empty.
  DayColumns Columns() const;
  // The one group's totals when grouping by nothing (zeros when no row was added).
  RollupTotals Total() const;
  // False when some group's sum of some measure does not fit 64 bits; `margin`: also when the
  // sum of sales and cost of a group does not (which bounds every partial sum of profit).
  bool Fits(bool margin = false) const;

 private:
  size_t num_keys_;
  table::GroupByKernel kernel_;
  std::vector<uint32_t> groups_;  // scratch
};

}  // namespace saleslake::web
