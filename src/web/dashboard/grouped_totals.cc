#include "web/dashboard/grouped_totals.h"

namespace saleslake::web {
namespace {

// The aggregates, in this order: SUM of each measure.
enum Measure : size_t { kOrders, kUnits, kSales, kCost, kProfit, kMeasures };

std::vector<table::AggSpec> Sums() {
  return std::vector<table::AggSpec>(kMeasures, table::AggSpec{table::AggOp::kSum});
}

}  // namespace

DayRows DayRows::Of(const LakeSnapshot& snap) {
  DayRows r;
  r.orders = snap.orders.data();
  r.units = snap.units.data();
  r.sales = snap.sales.data();
  r.cost = snap.cost.data();
  r.profit = snap.profit.data();
  return r;
}

DayRows DayRows::Of(const DayColumns& table) {
  DayRows r;
  r.orders = table.orders.data();
  r.units = table.units.data();
  r.sales = table.sales.data();
  r.cost = table.cost.data();
  r.profit = table.profit.data();
  return r;
}

DayRows DayRows::WithKeys(const int32_t* first, const int32_t* second) const {
  DayRows r = *this;
  r.keys = {first, second};
  return r;
}

DayRows DayRows::From(size_t begin) const {
  DayRows r = *this;
  for (const int32_t*& k : r.keys) {
    if (k != nullptr) k += begin;
  }
  for (const int64_t** m : {&r.orders, &r.units, &r.sales, &r.cost, &r.profit}) {
    if (*m != nullptr) *m += begin;
  }
  return r;
}

GroupedTotals::GroupedTotals(size_t num_keys)
    : num_keys_(num_keys),
      kernel_(std::vector<table::KeyKind>(num_keys, table::KeyKind::kInt), Sums()) {}

void GroupedTotals::Add(const DayRows& in, std::span<const uint32_t> rows, size_t num_rows) {
  std::array<table::KeyColumn, 2> keys;
  for (size_t k = 0; k < num_keys_; ++k) keys[k] = table::KeyColumn::Int32(in.keys[k]);
  kernel_.FindGroups(std::span<const table::KeyColumn>(keys.data(), num_keys_), rows, num_rows,
                     &groups_);
  const int64_t* measures[kMeasures] = {in.orders, in.units, in.sales, in.cost, in.profit};
  for (size_t m = 0; m < kMeasures; ++m) {
    kernel_.Update(m, groups_, rows, table::AggInput::Int64(measures[m]));
  }
}

std::vector<GroupedTotals::Group> GroupedTotals::Groups() const {
  std::vector<Group> out;
  for (uint32_t g : kernel_.SortedGroups()) {
    Group group;
    for (size_t k = 0; k < num_keys_; ++k) {
      group.keys[k] = static_cast<int32_t>(kernel_.KeyInt(g, k));
    }
    RollupTotals& t = group.totals;
    t.orders = static_cast<int64_t>(kernel_.Sum(kOrders, g));
    t.units = static_cast<int64_t>(kernel_.Sum(kUnits, g));
    t.sales = static_cast<int64_t>(kernel_.Sum(kSales, g));
    t.cost = static_cast<int64_t>(kernel_.Sum(kCost, g));
    t.profit = static_cast<int64_t>(kernel_.Sum(kProfit, g));
    out.push_back(group);
  }
  return out;
}

bool GroupedTotals::Fits(bool margin) const {
  for (uint32_t g = 0; g < kernel_.num_groups(); ++g) {
    for (size_t m = 0; m < kMeasures; ++m) {
      if (!kernel_.SumInt64(m, g).has_value()) return false;
    }
    const __int128 both = kernel_.Sum(kSales, g) + kernel_.Sum(kCost, g);
    if (margin && (both > INT64_MAX || both < INT64_MIN)) return false;
  }
  return true;
}

DayColumns GroupedTotals::Columns() const {
  DayColumns out;
  for (const Group& g : Groups()) {
    out.date.push_back(g.keys[0]);
    out.key.push_back(g.keys[1]);
    out.orders.push_back(g.totals.orders);
    out.units.push_back(g.totals.units);
    out.sales.push_back(g.totals.sales);
    out.cost.push_back(g.totals.cost);
    out.profit.push_back(g.totals.profit);
  }
  return out;
}

RollupTotals GroupedTotals::Total() const {
  std::vector<Group> groups = Groups();
  return groups.empty() ? RollupTotals{} : groups.front().totals;
}

}  // namespace saleslake::web
