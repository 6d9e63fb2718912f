#include "sql/aggregate_join.h"

#include <algorithm>

#include "sql/aggregate_query_internal.h"

namespace saleslake::sql {

// Keys read from dictionaries (ON columns of the scanned side that are dictionary-encoded in
// this row group, the usual case): each entry's key bytes are made once, and each combination of
// entries met is looked up once, so a row costs an array lookup.
void AggregateScan::StartProbe() {
  probe_slots_.clear();
  probe_dict_.clear();
  if (!plan_.join) return;
  uint64_t space = 1;
  probe_parts_.clear();
  for (const auto& on : plan_.join->on) {
    const int c = on.first;
    const int s = c < ncols_ ? slot_[static_cast<size_t>(c)] : -1;
    if (s < 0 || desc_[static_cast<size_t>(c)]->kind != parquet::ColumnKind::kString ||
        !batch_.columns[static_cast<size_t>(s)].is_dictionary()) {
      probe_slots_.clear();  // the row's values, key by key (ProbeList)
      return;
    }
    const parquet::ColumnVector& v = batch_.columns[static_cast<size_t>(s)];
    const size_t entries = v.dictionary->binaries.size();
    if (entries == 0 || space > (uint64_t{1} << 20) / entries) {
      probe_slots_.clear();
      return;
    }
    space *= entries;
    std::vector<std::string>& parts = probe_parts_.emplace_back(entries);
    for (size_t i = 0; i < entries; ++i) {
      AppendKey(std::string(v.dictionary->binaries[i]), &parts[i]);
    }
    probe_slots_.push_back(s);
  }
  probe_dict_.assign(space, -2);  // -2: not looked up yet
}

// The list of joined rows whose key equals the row's, -1 when none (a NULL key matches nothing).
int32_t AggregateScan::ProbeList(int64_t row) {
  const auto r = static_cast<size_t>(row);
  if (!probe_slots_.empty()) {
    uint64_t code = 0;
    for (size_t k = 0; k < probe_slots_.size(); ++k) {
      const parquet::ColumnVector& v = batch_.columns[static_cast<size_t>(probe_slots_[k])];
      if (v.IsNull(row)) return -1;
      const uint32_t i = v.indices[r];
      if (i >= probe_parts_[k].size()) return -1;
      code = code * probe_parts_[k].size() + i;
    }
    int32_t& list = probe_dict_[code];
    if (list == -2) {
      probe_key_.clear();
      uint64_t rest = code;
      std::vector<uint32_t> index(probe_slots_.size());
      for (size_t k = probe_slots_.size(); k-- > 0;) {
        index[k] = static_cast<uint32_t>(rest % probe_parts_[k].size());
        rest /= probe_parts_[k].size();
      }
      for (size_t k = 0; k < probe_slots_.size(); ++k) probe_key_ += probe_parts_[k][index[k]];
      auto it = ctx_.join->list_of.find(probe_key_);
      list = it == ctx_.join->list_of.end() ? -1 : it->second;
    }
    return list;
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
