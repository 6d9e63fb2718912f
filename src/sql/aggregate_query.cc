#include "sql/aggregate_query.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "parquet/reader/logical_value.h"
#include "sql/aggregate_join.h"
#include "sql/aggregate_plan.h"
#include "sql/aggregate_query_internal.h"
#include "sql/sql_functions.h"

namespace saleslake::sql {
namespace {

using parquet::ColumnKind;

bool Supported(const parquet::ColumnDescriptor& d) {
  switch (d.kind) {
    case ColumnKind::kInt:
    case ColumnKind::kString:
    case ColumnKind::kBoolean:
    case ColumnKind::kDate:
      return true;
    case ColumnKind::kDecimal:
      return (d.physical_type == parquet::Type::kInt32 ||
              d.physical_type == parquet::Type::kInt64) &&
             d.decimal_scale >= 0 && d.decimal_scale <= 4;
    case ColumnKind::kTimestamp:
      return !d.is_int96 && d.time_unit == parquet::TimeUnit::kMicros;
    default:
      return false;
  }
}

bool FileMatchesKeys(const AggContext& ctx, const LakeFileState& f) {
  for (const PlanConstraint& c : ctx.plan.where) {
    if (c.column < ctx.ncols) continue;
    const auto k = static_cast<size_t>(c.column - ctx.ncols);
    if (k >= f.file->partition.size()) return false;  // NULL compares false
    bool any = false;
    for (const SqlLiteral& v : c.values) {
      int cmp = 0;
      if (const auto* s = std::get_if<std::string>(&v)) {
        cmp = f.file->partition[k].second.compare(*s);
        cmp = cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
      } else {
        std::optional<Num> lit = LiteralNum(v);
        if (!lit || !f.key_ints[k]) return false;
        cmp = CompareNum(Num{*f.key_ints[k], 0, false}, *lit);
      }
      any |= OpHolds(c.op, cmp);
    }
    if (!any) return false;
  }
  return true;
}

// The SQL value of GROUP BY key `k` of group `g`, as SQLite's path shows it.
Value KeyCell(const AggContext& ctx, const table::GroupByKernel& kernel, uint32_t g, size_t k) {
  if (kernel.KeyIsNull(g, k)) return Value();
  const AggExpr& e = *ctx.plan.items[static_cast<size_t>(ctx.plan.keys[k])].expr;
  if (e.kind == AggExpr::Kind::kDateOf) return parquet::FormatDate(kernel.KeyInt(g, k));
  if (ctx.key_kinds[k] == table::KeyKind::kString) return std::string(kernel.KeyText(g, k));
  const int64_t v = kernel.KeyInt(g, k);
  if (e.side == 0 && e.column >= ctx.ncols) return v;  // a partition key
  const table::LakeColumn& c = ctx.ColumnOf(e);
  switch (c.type) {
    case table::LakeType::kDecimal:
      return ExactToDouble(v, c.scale);
    case table::LakeType::kTimestamp:
      return FormatSqlTimestamp(v);
    case table::LakeType::kDate:
      return parquet::FormatDate(v);
    default:
      return v;
  }
}

// The SQL value of aggregate `a` of group `g`; nullopt when SQLite's path would fail (an integer
// sum past 64 bits is its "integer overflow").
std::optional<Value> AggregateCell(const AggContext& ctx, const table::GroupByKernel& kernel,
                                   uint32_t g, size_t a) {
  const AggExpr& e = *ctx.plan.items[static_cast<size_t>(ctx.agg_items[a])].expr;
  switch (e.agg) {
    case AggKind::kCount:
    case AggKind::kCountStar:
      return Value(kernel.Count(a, g));
    case AggKind::kSum: {
      if (kernel.Count(a, g) == 0) return Value();
      if (e.decimal) return Value(ExactToDouble(kernel.Sum(a, g), e.scale));
      std::optional<int64_t> sum = kernel.SumInt64(a, g);
      if (!sum) return std::nullopt;
      return Value(*sum);
    }
    case AggKind::kAvg:
      if (kernel.Count(a, g) == 0) return Value();
      if (e.round_scale >= e.scale) {
        return Value(
            ExactToDouble(*kernel.AverageRounded(a, g, e.round_scale - e.scale), e.round_scale));
      }
      if (e.round_scale >= 0) {
        return Value(RoundedAverage(kernel.Sum(a, g), e.scale, kernel.Count(a, g), e.round_scale));
      }
      return Value(ExactAverage(kernel.Sum(a, g), e.scale, kernel.Count(a, g)));
    case AggKind::kMin:
    case AggKind::kMax: {
      if (!kernel.Has(a, g)) return Value();
      const table::LakeColumn& c = ctx.ColumnOf(*e.lhs);
      if (c.type == table::LakeType::kString) return Value(kernel.MinMaxText(a, g));
      const int64_t v = kernel.MinMaxInt(a, g);
      switch (c.type) {
        case table::LakeType::kDecimal:
          return Value(ExactToDouble(v, c.scale));
        case table::LakeType::kTimestamp:
          return Value(FormatSqlTimestamp(v));
        case table::LakeType::kDate:
          return Value(parquet::FormatDate(v));
        default:
          return Value(v);
      }
    }
  }
  return Value();
}

}  // namespace

std::optional<Status> ScanTable(AggContext& ctx, const std::function<Status()>& stop, int threads,
                                std::unique_ptr<table::GroupByKernel>* kernel) {
  const AggPlan& plan = ctx.plan;
  LakeTableState& st = ctx.st;
  std::vector<int>& used = ctx.used;
  for (const AggItem& item : plan.items) ctx.Collect(*item.expr, &used);
  for (const PlanConstraint& c : plan.where) {
    if (c.column < ctx.ncols) used.push_back(c.column);
  }
  if (plan.join) {
    for (const auto& on : plan.join->on) {
      if (on.first < ctx.ncols) used.push_back(on.first);
    }
  }
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  ctx.Prepare();
  // Candidate files, each opened (footer) and checked to hold every used column in a form read
  // here, before any thread starts.
  ScanCounters& k = ctx.tables.counters();
  const DayRange days = SourceDayRange(st, plan.where);
  std::vector<LakeFileState*> files;
  k.files_total += static_cast<int64_t>(st.files.size());
  for (LakeFileState& f : st.files) {
    if (!FileMatchesKeys(ctx, f) || !FileMayMatch(st, f, plan.where, days)) {
      ++k.files_pruned;
      continue;
    }
    Result<parquet::ParquetFileReader*> reader = ctx.tables.Reader(&st, &f);
    if (!reader.ok()) return std::nullopt;  // SQLite's path reports it, naming the file
    for (int c : used) {
      const table::LakeColumn& column = st.table.columns[static_cast<size_t>(c)];
      Result<int> leaf = (*reader)->schema().FindColumn(column.name);
      if (!leaf.ok()) continue;
      const parquet::ColumnDescriptor& d = (*reader)->schema().column(*leaf);
      if (!Supported(d)) return std::nullopt;
      const bool decimal = d.kind == ColumnKind::kDecimal;
      if (decimal != (column.type == table::LakeType::kDecimal) ||
          (decimal && d.decimal_scale != column.scale)) {
        return std::nullopt;  // a file whose type differs from the table's
      }
    }
    files.push_back(&f);
  }

  // Workers take files in turn; the first (this thread) also polls `stop`.
  const size_t workers =
      ctx.collect != nullptr
          ? 1
          : std::max<size_t>(
                1, std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), files.size()));
  std::vector<std::unique_ptr<AggregateScan>> scans;
  for (size_t w = 0; w < workers; ++w) scans.push_back(std::make_unique<AggregateScan>(ctx));
  std::atomic<size_t> next{0};
  std::atomic<bool> abort{false};
  std::mutex mu;
  Status first_error;
  auto work = [&](size_t w) {
    const std::function<Status()> poll = [&]() -> Status {
      if (w == 0) {
        Status s = stop();
        if (!s.ok()) return s;
      }
      return abort.load() ? Status::Internal("another worker stopped") : Status::OK();
    };
    AggregateScan& scan = *scans[w];
    while (!abort.load()) {
      const size_t i = next.fetch_add(1);
      if (i >= files.size()) break;
      Status s = scan.ScanFile(files[i], poll);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok() && !abort.load()) first_error = s;
        abort = true;
      }
      if (scan.unsupported()) abort = true;
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work, w);
  work(0);
  for (std::thread& t : pool) t.join();
  for (const auto& scan : scans) {
    if (scan->unsupported()) return std::nullopt;
  }
  if (!first_error.ok()) return first_error;
  for (const auto& scan : scans) {
    const ScanCounters& c = scan->counters();
    k.files_opened += c.files_opened;
    k.row_groups_total += c.row_groups_total;
    k.row_groups_read += c.row_groups_read;
    k.row_groups_pruned += c.row_groups_pruned;
    k.rows_read += c.rows_read;
  }
  if (kernel != nullptr) {
    // Merged in worker order; the result's order comes from sorting, not from arrival.
    for (size_t w = 1; w < workers; ++w) scans[0]->kernel().Merge(scans[w]->kernel());
    *kernel = std::make_unique<table::GroupByKernel>(std::move(scans[0]->kernel()));
  }
  return Status::OK();
}

namespace {

std::optional<Result<QueryResult>> Run(LakeTables& tables, const AggPlan& plan,
                                       const QueryOptions& options,
                                       const std::function<Status()>& stop) {
  AggContext ctx(tables, plan);
  JoinTable join;
  if (plan.join) {
    std::optional<Status> loaded = LoadJoinTable(ctx, stop, &join);
    if (!loaded) return std::nullopt;
    if (!loaded->ok()) return Result<QueryResult>(*loaded);
    ctx.join = &join;
  }
  std::unique_ptr<table::GroupByKernel> kernel;
  std::optional<Status> scanned = ScanTable(ctx, stop, options.threads, &kernel);
  if (!scanned) return std::nullopt;
  if (!scanned->ok()) return Result<QueryResult>(*scanned);

  QueryResult result;
  for (const AggItem& item : plan.items) result.columns.push_back({item.name, item.declared_type});
  std::vector<std::vector<Value>> rows;
  // A query without GROUP BY has its one row even over no rows (COUNT 0, SUM NULL).
  if (plan.keys.empty() && kernel->num_groups() == 0) {
    std::vector<uint32_t> none;
    kernel->FindGroups({}, {}, 0, &none);
  }
  for (uint32_t g : kernel->SortedGroups()) {
    std::vector<Value> row(plan.items.size());
    for (size_t k = 0; k < plan.keys.size(); ++k) {
      row[static_cast<size_t>(plan.keys[k])] = KeyCell(ctx, *kernel, g, k);
    }
    for (size_t a = 0; a < ctx.agg_items.size(); ++a) {
      std::optional<Value> v = AggregateCell(ctx, *kernel, g, a);
      if (!v) return std::nullopt;
      row[static_cast<size_t>(ctx.agg_items[a])] = std::move(*v);
    }
    rows.push_back(std::move(row));
  }
  // GROUP BY keys ascending (SQLite's sorter order), then the ORDER BY terms.
  std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    for (int k : plan.keys) {
      const int c = CompareValues(a[static_cast<size_t>(k)], b[static_cast<size_t>(k)]);
      if (c != 0) return c < 0;
    }
    return false;
  });
  if (!plan.order.empty()) {
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
      for (const AggOrder& o : plan.order) {
        int c = CompareValues(a[static_cast<size_t>(o.item)], b[static_cast<size_t>(o.item)]);
        if (o.desc) c = -c;
        if (c != 0) return c < 0;
      }
      return false;
    });
  }
  const auto begin = static_cast<size_t>(std::min<int64_t>(plan.offset, rows.size()));
  size_t end = rows.size();
  if (plan.limit >= 0) end = std::min(end, begin + static_cast<size_t>(plan.limit));
  for (size_t i = begin; i < end; ++i) {
    if (options.max_rows > 0 && static_cast<int64_t>(result.rows.size()) >= options.max_rows) {
      result.truncated = true;
      break;
    }
    result.rows.push_back(std::move(rows[i]));
  }
  result.scan = tables.counters();
  return Result<QueryResult>(std::move(result));
}

}  // namespace

std::optional<Result<QueryResult>> TryColumnarAggregate(LakeTables& tables, const std::string& sql,
                                                        const QueryOptions& options,
                                                        const std::function<Status()>& stop) {
  std::optional<AggPlan> plan = ParseAggregateQuery(tables, sql, options.mask_personal_data);
  if (!plan) return std::nullopt;
  const ScanCounters before = tables.counters();
  std::optional<Result<QueryResult>> r = Run(tables, *plan, options, stop);
  if (!r) tables.counters() = before;  // SQLite's path counts its own reads
  return r;
}

}  // namespace saleslake::sql
