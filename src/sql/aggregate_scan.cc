#include "sql/aggregate_scan.h"

#include <algorithm>

#include "parquet/reader/logical_value.h"
#include "sql/sql_functions.h"

namespace saleslake::sql {
namespace {

using parquet::ColumnKind;
using table::AggOp;

// Groups kept in memory at most; a query with more (GROUP BY transaction_id) goes to SQLite.
constexpr size_t kMaxGroups = 1 << 20;

}  // namespace

AggContext::AggContext(LakeTables& t, const AggPlan& p)
    : tables(t),
      st(t.states()[p.table]),
      plan(p),
      ncols(static_cast<int>(st.table.columns.size())) {}

const table::LakeColumn& AggContext::Column(int c) const {
  return c < ncols ? st.table.columns[static_cast<size_t>(c)]
                   : st.table.partition_keys[static_cast<size_t>(c - ncols)];
}

const table::LakeColumn& AggContext::ColumnOf(const AggExpr& e) const {
  if (e.side == 0) return Column(e.column);
  const table::LakeTable& t = tables.states()[plan.join->table].table;
  const auto n = static_cast<int>(t.columns.size());
  return e.column < n ? t.columns[static_cast<size_t>(e.column)]
                      : t.partition_keys[static_cast<size_t>(e.column - n)];
}

void AggContext::Collect(const AggExpr& e, std::vector<int>* used_columns, int side) const {
  if (e.kind == AggExpr::Kind::kColumn && e.side == side && (side == 1 || e.column < ncols)) {
    used_columns->push_back(e.column);
  }
  if (e.lhs) Collect(*e.lhs, used_columns, side);
  if (e.rhs) Collect(*e.rhs, used_columns, side);
}

void AggContext::Prepare() {
  row_wise = join != nullptr || collect != nullptr;
  for (size_t i = 0; i < plan.items.size(); ++i) {
    const AggExpr& e = *plan.items[i].expr;
    if (e.kind != AggExpr::Kind::kAggregate) continue;
    agg_items.push_back(static_cast<int>(i));
    table::AggSpec spec;
    switch (e.agg) {
      case AggKind::kCountStar:
        spec.op = AggOp::kCountStar;
        break;
      case AggKind::kCount:
        spec.op = AggOp::kCount;
        break;
      case AggKind::kSum:
        spec.op = AggOp::kSum;
        break;
      case AggKind::kAvg:
        spec.op = AggOp::kAvg;
        break;
      case AggKind::kMin:
      case AggKind::kMax: {
        const bool text = ColumnOf(*e.lhs).type == table::LakeType::kString;
        const bool min = e.agg == AggKind::kMin;
        spec.op = text ? (min ? AggOp::kMinString : AggOp::kMaxString)
                       : (min ? AggOp::kMin : AggOp::kMax);
        if (e.lhs->side == 0 && e.lhs->column >= ncols) row_wise = true;
        break;
      }
    }
    specs.push_back(spec);
  }
  for (int k : plan.keys) {
    const AggExpr& e = *plan.items[static_cast<size_t>(k)].expr;
    const bool text =
        e.kind == AggExpr::Kind::kColumn && ColumnOf(e).type == table::LakeType::kString;
    key_kinds.push_back(text ? table::KeyKind::kString : table::KeyKind::kInt);
  }
  filtered = std::any_of(plan.where.begin(), plan.where.end(),
                         [&](const PlanConstraint& c) { return c.column < ncols; });
}

AggregateScan::AggregateScan(const AggContext& ctx)
    : ctx_(ctx), plan_(ctx.plan), ncols_(ctx.ncols), kernel_(ctx.key_kinds, ctx.specs) {}

const parquet::ColumnVector* AggregateScan::Vector(int column) const {
  if (column < 0 || column >= ncols_) return nullptr;
  const int s = slot_[static_cast<size_t>(column)];
  return s < 0 ? nullptr : &batch_.columns[static_cast<size_t>(s)];
}

bool AggregateScan::IsNull(int column, int64_t row) const {
  if (column >= ncols_) return column - ncols_ >= static_cast<int>(file_->file->partition.size());
  const parquet::ColumnVector* v = Vector(column);
  return v == nullptr || v->IsNull(row);
}

const Value& AggregateScan::JoinValue(const AggExpr& e) const {
  const JoinTable& j = *ctx_.join;
  return j.values[static_cast<size_t>(j.slot[static_cast<size_t>(e.column)])][cur_];
}

const Num& AggregateScan::JoinNum(const AggExpr& e) const {
  const JoinTable& j = *ctx_.join;
  return j.nums[static_cast<size_t>(j.slot[static_cast<size_t>(e.column)])][cur_];
}

bool AggregateScan::NullAt(const AggExpr& e, int64_t row) const {
  return e.side == 1 ? std::holds_alternative<std::monostate>(JoinValue(e)) : IsNull(e.column, row);
}

Num AggregateScan::RawNum(int column, int64_t row) const {
  if (column >= ncols_) {
    const auto k = static_cast<size_t>(column - ncols_);
    if (k >= file_->key_ints.size() || !file_->key_ints[k]) return Num{0, 0, true};
    return Num{*file_->key_ints[k], 0, false};
  }
  if (IsNull(column, row)) return Num{0, 0, true};
  const parquet::ColumnDescriptor& d = *desc_[static_cast<size_t>(column)];
  const parquet::ColumnVector& v = *Vector(column);
  const auto r = static_cast<size_t>(row);
  switch (d.kind) {
    case ColumnKind::kString:
      return Num{};
    case ColumnKind::kBoolean:
      return Num{v.bools[r] ? 1 : 0, 0, false};
    default:
      return Num{d.physical_type == parquet::Type::kInt64 ? v.int64s[r] : v.int32s[r], 0, false};
  }
}

Num AggregateScan::Eval(const AggExpr& e, int64_t row) const {
  switch (e.kind) {
    case AggExpr::Kind::kNumber:
      return Num{e.value, e.scale, false};
    case AggExpr::Kind::kColumn: {
      const Num n = e.side == 1 ? JoinNum(e) : RawNum(e.column, row);
      if (n.null) return Num{0, e.scale, true};
      return Num{n.v, e.side == 0 && e.column >= ncols_ ? 0 : e.scale, false};
    }
    default: {
      const Num a = Eval(*e.lhs, row);
      const Num b = Eval(*e.rhs, row);
      if (a.null || b.null) return Num{0, e.scale, true};
      if (e.kind == AggExpr::Kind::kMul) return Num{a.v * b.v, a.scale + b.scale, false};
      const int s = std::max(a.scale, b.scale);
      const __int128 x = a.v * Pow10(s - a.scale), y = b.v * Pow10(s - b.scale);
      return Num{e.kind == AggExpr::Kind::kAdd ? x + y : x - y, s, false};
    }
  }
}

// The SQL value of a column (or date(column)) at `row`, as SQLite's path shows it.
Value AggregateScan::KeyValue(const AggExpr& e, int64_t row) const {
  if (e.kind == AggExpr::Kind::kDateOf) {
    Value ts = KeyValue(*e.lhs, row);
    if (!std::holds_alternative<std::string>(ts)) return Value();
    return std::get<std::string>(ts).substr(0, 10);
  }
  if (e.side == 1) return JoinValue(e);
  const int c = e.column;
  if (c >= ncols_) {
    const auto k = static_cast<size_t>(c - ncols_);
    if (k >= file_->file->partition.size()) return Value();
    if (ctx_.Column(c).type != table::LakeType::kString && file_->key_ints[k]) {
      return *file_->key_ints[k];
    }
    return file_->file->partition[k].second;
  }
  if (IsNull(c, row)) return Value();
  const parquet::ColumnDescriptor& d = *desc_[static_cast<size_t>(c)];
  const parquet::ColumnVector& v = *Vector(c);
  const auto r = static_cast<size_t>(row);
  switch (d.kind) {
    case ColumnKind::kString:
      return std::string(v.BinaryAt(row));
    case ColumnKind::kBoolean:
      return int64_t{v.bools[r] ? 1 : 0};
    case ColumnKind::kInt:
      return d.physical_type == parquet::Type::kInt64 ? v.int64s[r] : int64_t{v.int32s[r]};
    case ColumnKind::kDecimal:
      return ExactToDouble(d.physical_type == parquet::Type::kInt64 ? v.int64s[r] : v.int32s[r],
                           d.decimal_scale);
    case ColumnKind::kDate:
      return parquet::FormatDate(v.int32s[r]);
    case ColumnKind::kTimestamp:
      return FormatSqlTimestamp(v.int64s[r]);  // micros in every file read here (Run checks)
    default:
      return Value();
  }
}

bool AggregateScan::KeyInt(const AggExpr& e, int64_t row, int64_t* out) {
  if (e.kind == AggExpr::Kind::kDateOf) {
    const Num n = e.lhs->side == 1 ? JoinNum(*e.lhs) : RawNum(e.lhs->column, row);
    if (n.null) return false;
    const auto t = static_cast<int64_t>(n.v);
    *out = t / kMicrosPerDay - (t % kMicrosPerDay < 0 ? 1 : 0);
    return true;
  }
  if (e.side == 0 && e.column >= ncols_) {
    const auto k = static_cast<size_t>(e.column - ncols_);
    if (k >= file_->file->partition.size()) return false;
    if (!file_->key_ints[k]) {
      unsupported_ = true;  // a partition value that is not a number, of a number column
      return false;
    }
    *out = *file_->key_ints[k];
    return true;
  }
  const Num n = e.side == 1 ? JoinNum(e) : RawNum(e.column, row);
  if (n.null) return false;
  *out = static_cast<int64_t>(n.v);
  return true;
}

bool AggregateScan::KeyText(const AggExpr& e, int64_t row, std::string_view* out) const {
  if (e.side == 1) {
    const auto* s = std::get_if<std::string>(&JoinValue(e));
    if (s == nullptr) return false;
    *out = *s;
    return true;
  }
  if (e.column >= ncols_) {
    const auto k = static_cast<size_t>(e.column - ncols_);
    if (k >= file_->file->partition.size()) return false;
    *out = file_->file->partition[k].second;
    return true;
  }
  if (IsNull(e.column, row)) return false;
  *out = Vector(e.column)->BinaryAt(row);
  return true;
}

bool AggregateScan::Passes(int64_t row) const {
  for (const PlanConstraint& c : plan_.where) {
    if (c.column >= ncols_) continue;  // checked per file
    if (IsNull(c.column, row)) return false;
    const auto type = ctx_.Column(c.column).type;
    bool any = false;
    if (type == table::LakeType::kString || type == table::LakeType::kTimestamp ||
        type == table::LakeType::kDate) {
      std::string text;
      std::string_view value;
      if (type == table::LakeType::kString) {
        value = Vector(c.column)->BinaryAt(row);
      } else {
        AggExpr e;
        e.column = c.column;
        text = std::get<std::string>(KeyValue(e, row));
        value = text;
      }
      for (const SqlLiteral& v : c.values) {
        const int cmp = value.compare(std::get<std::string>(v));
        any |= OpHolds(c.op, cmp < 0 ? -1 : (cmp > 0 ? 1 : 0));
      }
    } else {
      AggExpr e;
      e.column = c.column;
      e.scale =
          ctx_.Column(c.column).type == table::LakeType::kDecimal ? ctx_.Column(c.column).scale : 0;
      const Num x = Eval(e, row);
      for (const SqlLiteral& v : c.values) {
        std::optional<Num> lit = LiteralNum(v);
        if (lit) any |= OpHolds(c.op, CompareNum(x, *lit));
      }
    }
    if (!any) return false;
  }
  return true;
}

Status AggregateScan::ScanFile(LakeFileState* file, const std::function<Status()>& stop) {
  parquet::ParquetFileReader* reader = file->reader.get();
  ++counters_.files_opened;
  counters_.row_groups_total += reader->num_row_groups();
  file_ = file;
  const parquet::FileSchema& schema = reader->schema();
  parquet::ScanOptions options;
  slot_.assign(static_cast<size_t>(ncols_), -1);
  desc_.assign(static_cast<size_t>(ncols_), nullptr);
  for (int c : ctx_.used) {
    Result<int> leaf = schema.FindColumn(ctx_.st.table.columns[static_cast<size_t>(c)].name);
    if (!leaf.ok()) continue;
    const parquet::ColumnDescriptor& d = schema.column(*leaf);
    slot_[static_cast<size_t>(c)] = static_cast<int>(options.columns.size());
    desc_[static_cast<size_t>(c)] = &d;
    options.columns.push_back(d.name);
    AddPredicates(d, c, plan_.where, &options.predicates);
  }
  if (options.columns.empty()) {
    // Only partition keys and counts: the footer's row count is every row.
    batch_ = parquet::ScanBatch();
    batch_.num_rows = reader->num_rows();
    counters_.row_groups_read += reader->num_row_groups();
    Batch();
    counters_.rows_read += reader->num_rows();
    return Status::OK();
  }
  SL_ASSIGN_OR_RETURN(auto scanner, parquet::ParquetScanner::Make(reader, std::move(options)));
  while (true) {
    SL_RETURN_IF_ERROR(stop());
    if (unsupported_) return Status::OK();
    SL_ASSIGN_OR_RETURN(bool more, scanner->Next(&batch_));
    if (!more) break;
    Batch();
    counters_.rows_read += batch_.num_rows;
  }
  const parquet::ScanStats& s = scanner->stats();
  counters_.row_groups_read += s.row_groups_read;
  counters_.row_groups_pruned +=
      s.pruned_by_statistics + s.pruned_by_bloom_filter + s.pruned_by_page_index;
  return Status::OK();
}

void AggregateScan::Batch() {
  selected_.clear();
  const auto n = static_cast<size_t>(batch_.num_rows);
  if (ctx_.filtered) {
    for (size_t r = 0; r < n; ++r) {
      if (Passes(static_cast<int64_t>(r))) selected_.push_back(static_cast<uint32_t>(r));
    }
    if (selected_.empty()) return;
  }
  if (ctx_.row_wise) {
    if (!ctx_.filtered) {
      selected_.resize(n);
      for (size_t r = 0; r < n; ++r) selected_[r] = static_cast<uint32_t>(r);
    }
    BatchRowWise(selected_);
  } else {
    BatchColumnar(selected_);
  }
  if (kernel_.num_groups() > kMaxGroups) unsupported_ = true;
}

}  // namespace saleslake::sql
