#include "sql/aggregate_join.h"

#include <algorithm>

#include "sql/aggregate_query_internal.h"

namespace saleslake::sql {

// A one-column key read from a dictionary: each entry looked up once per row group.
void AggregateScan::StartProbe() {
  probe_slot_ = -1;
  if (!plan_.join || plan_.join->on.size() != 1) return;
  const int c = plan_.join->on[0].first;
  if (c >= ncols_) return;
  const int s = slot_[static_cast<size_t>(c)];
  if (s < 0 || desc_[static_cast<size_t>(c)]->kind != parquet::ColumnKind::kString) return;
  const parquet::ColumnVector& v = batch_.columns[static_cast<size_t>(s)];
  if (!v.is_dictionary()) return;
  probe_dict_.assign(v.dictionary->binaries.size(), -1);
  for (size_t i = 0; i < probe_dict_.size(); ++i) {
    probe_key_.clear();
    AppendKey(std::string(v.dictionary->binaries[i]), &probe_key_);
    if (auto it = ctx_.join->list_of.find(probe_key_); it != ctx_.join->list_of.end()) {
      probe_dict_[i] = it->second;
    }
  }
  probe_slot_ = s;
}

// The list of joined rows whose key equals the row's, -1 when none (a NULL key matches nothing).
int32_t AggregateScan::ProbeList(int64_t row) {
  if (probe_slot_ >= 0) {
    const parquet::ColumnVector& v = batch_.columns[static_cast<size_t>(probe_slot_)];
    if (v.IsNull(row)) return -1;
    const uint32_t i = v.indices[static_cast<size_t>(row)];
    return i < probe_dict_.size() ? probe_dict_[i] : -1;
  }
  probe_key_.clear();
  for (const auto& on : plan_.join->on) {
    AggExpr e;
    e.column = on.first;
    const Value v = KeyValue(e, row);
    if (std::holds_alternative<std::monostate>(v)) return -1;
    AppendKey(v, &probe_key_);
  }
  auto it = ctx_.join->list_of.find(probe_key_);
  return it == ctx_.join->list_of.end() ? -1 : it->second;
}

std::optional<Status> LoadJoinTable(const AggContext& ctx, const std::function<Status()>& stop,
                                    JoinTable* join) {
  const AggJoin& on = *ctx.plan.join;
  LakeTableState& st = ctx.tables.states()[on.table];
  if (st.total_rows > kJoinBuildRows) return std::nullopt;
  std::vector<int> used;
  for (const auto& o : on.on) used.push_back(o.second);
  for (const AggItem& item : ctx.plan.items) ctx.Collect(*item.expr, &used, 1);
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  AggPlan load;
  load.table = on.table;
  load.where = on.where;
  join->slot.assign(st.table.columns.size() + st.table.partition_keys.size(), -1);
  for (int c : used) {
    join->slot[static_cast<size_t>(c)] = static_cast<int>(load.items.size());
    AggItem item;
    item.expr = std::make_unique<AggExpr>();
    item.expr->column = c;
    load.items.push_back(std::move(item));
  }
  join->values.resize(used.size());
  join->nums.resize(used.size());
  AggContext loader(ctx.tables, load);
  loader.collect = join;
  std::optional<Status> read = ScanTable(loader, stop, /*threads=*/1, nullptr);
  if (!read || !read->ok()) return read;
  std::vector<std::vector<uint32_t>> lists;
  std::string key;
  for (int64_t j = 0; j < join->rows; ++j) {
    key.clear();
    bool null = false;
    for (const auto& o : on.on) {
      const Value& v = join->values[static_cast<size_t>(join->slot[static_cast<size_t>(o.second)])]
                                   [static_cast<size_t>(j)];
      null |= std::holds_alternative<std::monostate>(v);
      AppendKey(v, &key);
    }
    if (null) continue;
    auto [it, inserted] = join->list_of.try_emplace(key, static_cast<int32_t>(lists.size()));
    if (inserted) lists.emplace_back();
    lists[static_cast<size_t>(it->second)].push_back(static_cast<uint32_t>(j));
  }
  join->list_begin.push_back(0);
  for (const auto& l : lists) {
    join->list_rows.insert(join->list_rows.end(), l.begin(), l.end());
    join->list_begin.push_back(static_cast<uint32_t>(join->list_rows.size()));
  }
  return Status::OK();
}

}  // namespace saleslake::sql
