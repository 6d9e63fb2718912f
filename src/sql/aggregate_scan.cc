#include "sql/aggregate_scan.h"

#include <algorithm>
#include <limits>

#include "parquet/reader/logical_value.h"
#include "sql/sql_functions.h"

namespace saleslake::sql {
namespace {

using parquet::ColumnKind;
using table::AggOp;
using table::KeyColumn;

// Groups kept in memory at most; a query with more (GROUP BY transaction_id) goes to SQLite.
constexpr size_t kMaxGroups = 1 << 20;

bool FitsInt64(__int128 v) {
  return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
}

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
  if (column >= ncols_) return nullptr;
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

std::vector<std::string_view>& AggregateScan::JoinTexts(const AggExpr& e, Scratch* s) {
  if (s->join_texts.empty() && ctx_.join->rows > 0) {
    const auto rows = static_cast<size_t>(ctx_.join->rows);
    s->join_texts.resize(rows);
    s->join_valid.resize(rows);
    for (size_t j = 0; j < rows; ++j) {
      cur_ = static_cast<uint32_t>(j);
      s->join_valid[j] = KeyText(e, 0, &s->join_texts[j]) ? 1 : 0;
    }
  }
  return s->join_texts;
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

// The common case: keys and values straight from the batch's vectors (dictionary indices for
// strings, unscaled integers for decimals), `rows` the rows passing the WHERE (empty: all).
void AggregateScan::BatchColumnar(std::span<const uint32_t> rows) {
  const auto n = static_cast<size_t>(batch_.num_rows);
  key_scratch_.resize(plan_.keys.size());
  keys_.clear();
  for (size_t k = 0; k < plan_.keys.size(); ++k) {
    const AggExpr& e = *plan_.items[static_cast<size_t>(plan_.keys[k])].expr;
    Scratch& s = key_scratch_[k];
    const AggExpr& col = e.kind == AggExpr::Kind::kDateOf ? *e.lhs : e;
    if (col.column >= ncols_) {
      std::string_view text;
      int64_t v = 0;
      if (ctx_.key_kinds[k] == table::KeyKind::kString) {
        keys_.push_back(KeyText(e, 0, &text) ? KeyColumn::ConstantText(text) : KeyColumn::Null());
      } else {
        keys_.push_back(KeyInt(e, 0, &v) ? KeyColumn::ConstantInt(v) : KeyColumn::Null());
      }
      continue;
    }
    const parquet::ColumnVector* v = Vector(col.column);
    if (v == nullptr) {
      keys_.push_back(KeyColumn::Null());
      continue;
    }
    const uint8_t* valid = v->valid.empty() ? nullptr : v->valid.data();
    if (e.kind == AggExpr::Kind::kDateOf) {
      s.ints.resize(n);
      for (size_t r = 0; r < n; ++r) {
        const int64_t t = v->int64s[r];
        s.ints[r] = t / kMicrosPerDay - (t % kMicrosPerDay < 0 ? 1 : 0);
      }
      keys_.push_back(KeyColumn::Int64(s.ints.data(), valid));
    } else if (ctx_.key_kinds[k] == table::KeyKind::kString) {
      keys_.push_back(v->is_dictionary()
                          ? KeyColumn::Dictionary(v->indices.data(), v->dictionary->binaries, valid)
                          : KeyColumn::Strings(v->binaries.data(), valid));
    } else if (v->physical_type == parquet::Type::kInt64) {
      keys_.push_back(KeyColumn::Int64(v->int64s.data(), valid));
    } else if (v->physical_type == parquet::Type::kInt32) {
      keys_.push_back(KeyColumn::Int32(v->int32s.data(), valid));
    } else {  // booleans
      s.ints.assign(v->bools.begin(), v->bools.end());
      keys_.push_back(KeyColumn::Int64(s.ints.data(), valid));
    }
  }
  kernel_.FindGroups(keys_, rows, n, &groups_);
  agg_scratch_.resize(ctx_.agg_items.size());
  for (size_t a = 0; a < ctx_.agg_items.size(); ++a) {
    const AggExpr& e = *plan_.items[static_cast<size_t>(ctx_.agg_items[a])].expr;
    Scratch& s = agg_scratch_[a];
    table::AggInput in;
    if (e.agg != AggKind::kCountStar) {
      const parquet::ColumnVector* v =
          e.lhs->kind == AggExpr::Kind::kColumn ? Vector(e.lhs->column) : nullptr;
      const bool direct = v != nullptr && (v->physical_type == parquet::Type::kInt64 ||
                                           v->physical_type == parquet::Type::kInt32 ||
                                           v->physical_type == parquet::Type::kByteArray);
      if (direct) {
        in.valid = v->valid.empty() ? nullptr : v->valid.data();
        if (v->physical_type == parquet::Type::kInt64) {
          in.int64s = v->int64s.data();
        } else if (v->physical_type == parquet::Type::kInt32) {
          in.int32s = v->int32s.data();
        } else if (v->is_dictionary()) {
          in.indices = v->indices.data();
          in.dictionary = v->dictionary->binaries;
        } else {
          in.strings = v->binaries.data();
        }
      } else {
        int scale = 0;
        if (!EvalColumn(*e.lhs, &s.ints, &s.valid, &scale)) {
          unsupported_ = true;
          return;
        }
        in.int64s = s.ints.data();
        in.valid = s.valid.data();
      }
    }
    kernel_.Update(a, groups_, rows, in);
  }
}

bool AggregateScan::EvalColumn(const AggExpr& e, std::vector<int64_t>* values,
                               std::vector<uint8_t>* valid, int* scale) {
  const auto n = static_cast<size_t>(batch_.num_rows);
  switch (e.kind) {
    case AggExpr::Kind::kNumber:
      if (!FitsInt64(e.value)) return false;
      values->assign(n, static_cast<int64_t>(e.value));
      valid->assign(n, 1);
      *scale = e.scale;
      return true;
    case AggExpr::Kind::kColumn: {
      const parquet::ColumnVector* v = Vector(e.column);
      if (v == nullptr) {
        const Num c = RawNum(e.column, 0);  // a partition key: one value per file (or NULL)
        values->assign(n, static_cast<int64_t>(c.v));
        valid->assign(n, c.null ? 0 : 1);
        *scale = 0;
        return true;
      }
      *scale = e.scale;
      values->resize(n);
      if (v->physical_type == parquet::Type::kInt64) {
        std::copy(v->int64s.begin(), v->int64s.begin() + static_cast<std::ptrdiff_t>(n),
                  values->begin());
      } else if (v->physical_type == parquet::Type::kInt32) {
        std::copy(v->int32s.begin(), v->int32s.begin() + static_cast<std::ptrdiff_t>(n),
                  values->begin());
      } else if (v->physical_type == parquet::Type::kBoolean) {
        std::copy(v->bools.begin(), v->bools.begin() + static_cast<std::ptrdiff_t>(n),
                  values->begin());
      } else {
        return false;
      }
      if (v->valid.empty()) {
        valid->assign(n, 1);
      } else {
        valid->assign(v->valid.begin(), v->valid.begin() + static_cast<std::ptrdiff_t>(n));
      }
      return true;
    }
    case AggExpr::Kind::kAdd:
    case AggExpr::Kind::kSub:
    case AggExpr::Kind::kMul: {
      std::vector<int64_t> rhs;
      std::vector<uint8_t> rhs_valid;
      int ls = 0, rs = 0;
      if (!EvalColumn(*e.lhs, values, valid, &ls) || !EvalColumn(*e.rhs, &rhs, &rhs_valid, &rs)) {
        return false;
      }
      int64_t* x = values->data();
      const int64_t* y = rhs.data();
      bool overflow = false;
      if (e.kind == AggExpr::Kind::kMul) {
        for (size_t r = 0; r < n; ++r) overflow |= __builtin_mul_overflow(x[r], y[r], &x[r]);
        *scale = ls + rs;
      } else {
        const int s = std::max(ls, rs);
        const __int128 px = Pow10(s - ls), py = Pow10(s - rs);
        if (!FitsInt64(px) || !FitsInt64(py)) return false;
        const auto fx = static_cast<int64_t>(px), fy = static_cast<int64_t>(py);
        for (size_t r = 0; r < n; ++r) {
          int64_t a = x[r], b = y[r];
          if (fx != 1) overflow |= __builtin_mul_overflow(a, fx, &a);
          if (fy != 1) overflow |= __builtin_mul_overflow(b, fy, &b);
          overflow |= e.kind == AggExpr::Kind::kAdd ? __builtin_add_overflow(a, b, &x[r])
                                                    : __builtin_sub_overflow(a, b, &x[r]);
        }
        *scale = s;
      }
      uint8_t* ok = valid->data();
      for (size_t r = 0; r < n; ++r) ok[r] &= rhs_valid[r];
      return !overflow;
    }
    default:
      return false;
  }
}

// Joins and collecting: each row (and each joined row it matches) is looked at in turn, its
// keys and values gathered into vectors the kernel then reads.
void AggregateScan::BatchRowWise(std::span<const uint32_t> rows) {
  if (ctx_.collect != nullptr) {
    JoinTable* c = ctx_.collect;
    for (uint32_t row : rows) {
      if (c->rows >= kJoinBuildRows) {
        unsupported_ = true;
        return;
      }
      for (size_t i = 0; i < plan_.items.size(); ++i) {
        const AggExpr& e = *plan_.items[i].expr;
        c->values[i].push_back(KeyValue(e, row));
        c->nums[i].push_back(RawNum(e.column, row));
      }
      ++c->rows;
    }
    return;
  }
  pair_rows_.clear();
  pair_curs_.clear();
  if (ctx_.join != nullptr) {
    StartProbe();
    const JoinTable& j = *ctx_.join;
    for (uint32_t row : rows) {
      const int32_t list = ProbeList(row);
      if (list < 0) continue;
      const auto l = static_cast<size_t>(list);
      for (uint32_t k = j.list_begin[l]; k < j.list_begin[l + 1]; ++k) {
        pair_rows_.push_back(row);
        pair_curs_.push_back(j.list_rows[k]);
      }
    }
  } else {
    pair_rows_.assign(rows.begin(), rows.end());
    pair_curs_.assign(rows.size(), 0);
  }
  const size_t n = pair_rows_.size();
  key_scratch_.resize(plan_.keys.size());
  keys_.clear();
  for (size_t k = 0; k < plan_.keys.size(); ++k) {
    const AggExpr& e = *plan_.items[static_cast<size_t>(plan_.keys[k])].expr;
    Scratch& s = key_scratch_[k];
    s.valid.resize(n);
    if (ctx_.key_kinds[k] == table::KeyKind::kString && e.side == 1) {
      // The joined row's number is its index into the column's values.
      std::vector<std::string_view>& dict = JoinTexts(e, &s);
      for (size_t i = 0; i < n; ++i) s.valid[i] = s.join_valid[pair_curs_[i]];
      keys_.push_back(KeyColumn::Dictionary(pair_curs_.data(), dict, s.valid.data()));
    } else if (const parquet::ColumnVector* v = e.side == 0 ? Vector(e.column) : nullptr;
               ctx_.key_kinds[k] == table::KeyKind::kString && v != nullptr && v->is_dictionary()) {
      s.indices.resize(n);
      for (size_t i = 0; i < n; ++i) {
        s.indices[i] = v->indices[pair_rows_[i]];
        s.valid[i] = v->IsNull(pair_rows_[i]) ? 0 : 1;
      }
      keys_.push_back(
          KeyColumn::Dictionary(s.indices.data(), v->dictionary->binaries, s.valid.data()));
    } else if (ctx_.key_kinds[k] == table::KeyKind::kString) {
      s.texts.resize(n);
      for (size_t i = 0; i < n; ++i) {
        cur_ = pair_curs_[i];
        s.valid[i] = KeyText(e, pair_rows_[i], &s.texts[i]) ? 1 : 0;
      }
      keys_.push_back(KeyColumn::Strings(s.texts.data(), s.valid.data()));
    } else {
      s.ints.resize(n);
      for (size_t i = 0; i < n; ++i) {
        cur_ = pair_curs_[i];
        s.valid[i] = KeyInt(e, pair_rows_[i], &s.ints[i]) ? 1 : 0;
      }
      keys_.push_back(KeyColumn::Int64(s.ints.data(), s.valid.data()));
    }
  }
  kernel_.FindGroups(keys_, {}, n, &groups_);
  agg_scratch_.resize(ctx_.agg_items.size());
  for (size_t a = 0; a < ctx_.agg_items.size(); ++a) {
    const AggExpr& e = *plan_.items[static_cast<size_t>(ctx_.agg_items[a])].expr;
    Scratch& s = agg_scratch_[a];
    table::AggInput in;
    const AggOp op = ctx_.specs[a].op;
    if (op != AggOp::kCountStar) {
      s.valid.resize(n);
      s.ints.resize(n);
      s.texts.resize(n);
      for (size_t i = 0; i < n; ++i) {
        cur_ = pair_curs_[i];
        const int64_t row = pair_rows_[i];
        if (op == AggOp::kMinString || op == AggOp::kMaxString) {
          s.valid[i] = KeyText(*e.lhs, row, &s.texts[i]) ? 1 : 0;
        } else if (op == AggOp::kMin || op == AggOp::kMax) {
          const Num x = e.lhs->side == 1 ? JoinNum(*e.lhs) : RawNum(e.lhs->column, row);
          s.valid[i] = x.null ? 0 : 1;
          s.ints[i] = static_cast<int64_t>(x.v);
        } else if (op == AggOp::kCount && e.lhs->kind == AggExpr::Kind::kColumn) {
          s.valid[i] = NullAt(*e.lhs, row) ? 0 : 1;
        } else {
          const Num x = Eval(*e.lhs, row);
          if (!FitsInt64(x.v)) {
            unsupported_ = true;
            return;
          }
          s.valid[i] = x.null ? 0 : 1;
          s.ints[i] = static_cast<int64_t>(x.v);
        }
      }
      in.valid = s.valid.data();
      if (op == AggOp::kMinString || op == AggOp::kMaxString) {
        in.strings = s.texts.data();
      } else {
        in.int64s = s.ints.data();
      }
    }
    kernel_.Update(a, groups_, {}, in);
  }
}

}  // namespace saleslake::sql
