#include "sql/aggregate_query.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include "base/clock.h"
#include "parquet/reader/logical_value.h"
#include "parquet/reader/scanner.h"
#include "sql/aggregate_plan.h"
#include "sql/sql_functions.h"

namespace saleslake::sql {
namespace {

using parquet::ColumnKind;

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;
// Groups kept in memory at most; a query with more (GROUP BY transaction_id) goes to SQLite.
constexpr size_t kMaxGroups = 1 << 20;

struct Num {
  __int128 v = 0;
  int scale = 0;
  bool null = false;
};

__int128 Pow10(int n) {
  __int128 p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

int CompareNum(const Num& a, const Num& b) {
  const int s = std::max(a.scale, b.scale);
  const __int128 x = a.v * Pow10(s - a.scale), y = b.v * Pow10(s - b.scale);
  return x < y ? -1 : (x > y ? 1 : 0);
}

bool OpHolds(int op, int cmp) {
  switch (op) {
    case SQLITE_INDEX_CONSTRAINT_EQ:
      return cmp == 0;
    case SQLITE_INDEX_CONSTRAINT_NE:
      return cmp != 0;
    case SQLITE_INDEX_CONSTRAINT_LT:
      return cmp < 0;
    case SQLITE_INDEX_CONSTRAINT_LE:
      return cmp <= 0;
    case SQLITE_INDEX_CONSTRAINT_GT:
      return cmp > 0;
    case SQLITE_INDEX_CONSTRAINT_GE:
      return cmp >= 0;
    default:
      return false;
  }
}

std::optional<Num> LiteralNum(const SqlLiteral& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return Num{*i, 0, false};
  if (const auto* d = std::get_if<double>(&v)) {
    std::optional<ScaledValue> s = RecoverDecimal(*d);
    if (!s) return std::nullopt;
    return Num{s->unscaled, s->scale, false};
  }
  return std::nullopt;
}

// SQLite's order of values: NULL, numbers (by value), text (bytes), blobs.
int CompareValues(const Value& a, const Value& b) {
  auto rank = [](const Value& v) {
    if (std::holds_alternative<std::monostate>(v)) return 0;
    if (std::holds_alternative<int64_t>(v) || std::holds_alternative<double>(v)) return 1;
    if (std::holds_alternative<std::string>(v)) return 2;
    return 3;
  };
  const int ra = rank(a), rb = rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 1) {
    if (std::holds_alternative<int64_t>(a) && std::holds_alternative<int64_t>(b)) {
      const int64_t x = std::get<int64_t>(a), y = std::get<int64_t>(b);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    const double x = std::holds_alternative<int64_t>(a) ? static_cast<double>(std::get<int64_t>(a))
                                                        : std::get<double>(a);
    const double y = std::holds_alternative<int64_t>(b) ? static_cast<double>(std::get<int64_t>(b))
                                                        : std::get<double>(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (ra == 2)
    return std::get<std::string>(a).compare(std::get<std::string>(b)) < 0
               ? -1
               : (std::get<std::string>(a) == std::get<std::string>(b) ? 0 : 1);
  if (ra == 3) {
    const int c = std::get<Blob>(a).bytes.compare(std::get<Blob>(b).bytes);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return 0;
}

struct KeyLess {
  bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
      const int c = CompareValues(a[i], b[i]);
      if (c != 0) return c < 0;
    }
    return a.size() < b.size();
  }
};

double ExactToDouble(__int128 v, int scale) {
  return std::strtod(FormatScaled128(v, scale).c_str(), nullptr);
}

struct Acc {
  __int128 sum = 0;
  int64_t count = 0;
  bool has = false;
  Num num;           // MIN/MAX of numbers (and timestamps, dates, booleans as integers)
  std::string text;  // MIN/MAX of text
};

// The joined table (side 1) in memory: the values of the columns the query uses, and its rows
// by join key.
struct JoinTable {
  int64_t rows = 0;
  std::vector<int> slot;                   // side-1 column -> loaded column, -1 when not loaded
  std::vector<std::vector<Value>> values;  // per loaded column, per row: the SQL value
  std::vector<std::vector<Num>> nums;      // the same as a number: unscaled decimals, integers,
                                           // timestamps in micros, dates in days
  std::unordered_map<std::string, int32_t> list_of;  // key bytes -> its list of rows
  std::vector<uint32_t> list_begin;  // list i: list_rows[list_begin[i] .. list_begin[i + 1])
  std::vector<uint32_t> list_rows;
};

// The bytes of a join key part: equal SQL values (of one key class) give equal bytes.
void AppendKey(const Value& v, std::string* out) {
  out->push_back(static_cast<char>(v.index()));
  const std::string text =
      std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : CellText(v);
  const auto n = static_cast<uint32_t>(text.size());
  out->append(reinterpret_cast<const char*>(&n), sizeof n);
  out->append(text);
}

class Executor {
 public:
  // With `collect`, the plan's items are plain columns whose rows (those passing the WHERE) are
  // loaded into it: the joined table of another plan.
  Executor(LakeTables& tables, const AggPlan& plan, const QueryOptions& options,
           const std::function<Status()>& stop, JoinTable* collect = nullptr)
      : tables_(tables),
        st_(tables.states()[plan.table]),
        plan_(plan),
        options_(options),
        stop_(stop),
        ncols_(static_cast<int>(st_.table.columns.size())),
        collect_(collect) {}

  // nullopt: a file holds a column in a form this path does not read (SQLite then runs it).
  std::optional<Result<QueryResult>> Run();

 private:
  const table::LakeColumn& Column(int c) const {
    return c < ncols_ ? st_.table.columns[static_cast<size_t>(c)]
                      : st_.table.partition_keys[static_cast<size_t>(c - ncols_)];
  }
  const table::LakeColumn& ColumnOf(const AggExpr& e) const {
    if (e.side == 0) return Column(e.column);
    const table::LakeTable& t = tables_.states()[plan_.join->table].table;
    const auto n = static_cast<int>(t.columns.size());
    return e.column < n ? t.columns[static_cast<size_t>(e.column)]
                        : t.partition_keys[static_cast<size_t>(e.column - n)];
  }
  // The columns of side `side` an expression reads (side 0: data columns only).
  void Collect(const AggExpr& e, std::vector<int>* used, int side = 0) const {
    if (e.kind == AggExpr::Kind::kColumn && e.side == side && (side == 1 || e.column < ncols_)) {
      used->push_back(e.column);
    }
    if (e.lhs) Collect(*e.lhs, used, side);
    if (e.rhs) Collect(*e.rhs, used, side);
  }
  // The value of a side-1 column in the current joined row.
  const Value& JoinValue(const AggExpr& e) const {
    return join_.values[static_cast<size_t>(join_.slot[static_cast<size_t>(e.column)])]
                       [static_cast<size_t>(cur_)];
  }
  const Num& JoinNum(const AggExpr& e) const {
    return join_.nums[static_cast<size_t>(join_.slot[static_cast<size_t>(e.column)])]
                     [static_cast<size_t>(cur_)];
  }
  bool NullAt(const AggExpr& e, int64_t row) const {
    return e.side == 1 ? std::holds_alternative<std::monostate>(JoinValue(e))
                       : IsNull(e.column, row);
  }
  std::optional<Result<QueryResult>> LoadJoin();
  void StartProbe();
  int32_t ProbeList(int64_t row);
  Num RawNum(int column, int64_t row) const;
  void Row(int64_t row);
  bool FileMatchesKeys(const LakeFileState& f) const;
  bool Supported(const parquet::ColumnDescriptor& d) const;
  Num Eval(const AggExpr& e, int64_t row) const;
  bool IsNull(int column, int64_t row) const;
  bool Passes(int64_t row) const;
  Value KeyValue(const AggExpr& e, int64_t row) const;
  void Accumulate(std::vector<Acc>& accs, int64_t row) const;
  int32_t GroupOf(int64_t row);
  void StartBatch();
  Value Finish(const AggItem& item, const Acc& acc) const;
  Status ScanFile(LakeFileState* file, const std::vector<int>& used);

  LakeTables& tables_;
  LakeTableState& st_;
  const AggPlan& plan_;
  const QueryOptions& options_;
  const std::function<Status()>& stop_;
  const int ncols_;

  // Per file / row group.
  LakeFileState* file_ = nullptr;
  parquet::ScanBatch batch_;
  std::vector<int> slot_;  // vtab data column -> batch column, -1 when absent
  std::vector<const parquet::ColumnDescriptor*> desc_;
  std::unordered_map<uint64_t, int32_t> local_;  // per row group: key code -> group
  std::vector<int32_t> dense_;  // the same as an array, when the codes are few (< 256 Ki)
  struct KeyCode {
    int slot = -1;       // batch column (-1: the constant code of partition-only keys)
    bool day = false;    // date(timestamp): days since the batch's first day; else dictionary
    bool build = false;  // a side-1 key: the joined row's number
    int64_t base = 0;
    uint64_t space = 1;  // codes 0 (NULL) .. space - 1
  };
  std::vector<KeyCode> codes_;  // empty: the keys have no codes in this batch
  std::unordered_map<std::string, int32_t> local_text_;
  std::string key_scratch_;

  std::map<std::vector<Value>, int32_t, KeyLess> groups_;
  std::vector<std::vector<Value>> group_keys_;
  std::vector<std::vector<Acc>> accs_;
  std::vector<int> agg_items_;    // items that aggregate
  bool too_many_groups_ = false;  // (also: the collected table passed kJoinBuildRows)

  JoinTable* collect_ = nullptr;     // loading a joined table (see the constructor)
  JoinTable join_;                   // the joined table of this plan, when it has one
  uint32_t cur_ = 0;                 // the joined row being aggregated
  std::vector<int32_t> probe_dict_;  // per dictionary entry of the key: its list, -1 for none
  int probe_slot_ = -1;              // the batch column probe_dict_ is for, -1 when none
  std::string probe_key_;
};

bool Executor::Supported(const parquet::ColumnDescriptor& d) const {
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
      return !d.is_int96;
    default:
      return false;
  }
}

bool Executor::FileMatchesKeys(const LakeFileState& f) const {
  for (const PlanConstraint& c : plan_.where) {
    if (c.column < ncols_) continue;
    const auto k = static_cast<size_t>(c.column - ncols_);
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

bool Executor::IsNull(int column, int64_t row) const {
  if (column >= ncols_) return column - ncols_ >= static_cast<int>(file_->file->partition.size());
  const int s = slot_[static_cast<size_t>(column)];
  return s < 0 || batch_.columns[static_cast<size_t>(s)].IsNull(row);
}

Num Executor::Eval(const AggExpr& e, int64_t row) const {
  switch (e.kind) {
    case AggExpr::Kind::kNumber:
      return Num{e.value, e.scale, false};
    case AggExpr::Kind::kColumn: {
      if (e.side == 1) {
        const Num& n = JoinNum(e);
        return Num{n.v, e.scale, n.null};
      }
      if (e.column >= ncols_) {
        const auto k = static_cast<size_t>(e.column - ncols_);
        if (k >= file_->key_ints.size() || !file_->key_ints[k]) return Num{0, 0, true};
        return Num{*file_->key_ints[k], 0, false};
      }
      if (IsNull(e.column, row)) return Num{0, e.scale, true};
      const auto& v = batch_.columns[static_cast<size_t>(slot_[static_cast<size_t>(e.column)])];
      const auto r = static_cast<size_t>(row);
      const __int128 x = v.physical_type == parquet::Type::kInt64 ? v.int64s[r] : v.int32s[r];
      return Num{x, e.scale, false};
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
Value Executor::KeyValue(const AggExpr& e, int64_t row) const {
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
    if (Column(c).type != table::LakeType::kString && file_->key_ints[k]) {
      return *file_->key_ints[k];
    }
    return file_->file->partition[k].second;
  }
  if (IsNull(c, row)) return Value();
  const parquet::ColumnDescriptor& d = *desc_[static_cast<size_t>(c)];
  const auto& v = batch_.columns[static_cast<size_t>(slot_[static_cast<size_t>(c)])];
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
    case ColumnKind::kTimestamp: {
      int64_t t = v.int64s[r];
      if (d.time_unit == parquet::TimeUnit::kMillis) t *= 1000;
      if (d.time_unit == parquet::TimeUnit::kNanos) t = t >= 0 ? t / 1000 : -((-t + 999) / 1000);
      return FormatSqlTimestamp(t);
    }
    default:
      return Value();
  }
}

bool Executor::Passes(int64_t row) const {
  for (const PlanConstraint& c : plan_.where) {
    if (c.column >= ncols_) continue;  // checked per file
    if (IsNull(c.column, row)) return false;
    const auto type = Column(c.column).type;
    bool any = false;
    if (type == table::LakeType::kString || type == table::LakeType::kTimestamp ||
        type == table::LakeType::kDate) {
      std::string text;
      std::string_view value;
      if (type == table::LakeType::kString) {
        const int s = slot_[static_cast<size_t>(c.column)];
        value = batch_.columns[static_cast<size_t>(s)].BinaryAt(row);
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
      e.scale = Column(c.column).type == table::LakeType::kDecimal ? Column(c.column).scale : 0;
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

int32_t Executor::GroupOf(int64_t row) {
  if (plan_.keys.empty()) return 0;
  // A code from the keys' codes in this row group (StartBatch) when every key has one;
  // otherwise the key's bytes.
  uint64_t code = 0;
  const bool coded = !codes_.empty();
  for (const KeyCode& kc : codes_) {
    if (kc.build) {
      code = code * kc.space + cur_;
      continue;
    }
    if (kc.slot < 0) continue;
    const auto& v = batch_.columns[static_cast<size_t>(kc.slot)];
    uint64_t c = 0;
    if (!v.IsNull(row)) {
      c = kc.day ? static_cast<uint64_t>(v.int64s[static_cast<size_t>(row)] / kMicrosPerDay -
                                         kc.base) +
                       1
                 : v.indices[static_cast<size_t>(row)] + 1;
    }
    code = code * kc.space + c;
  }
  int32_t* slot = nullptr;
  if (coded && code < dense_.size()) {
    slot = &dense_[code];
  } else if (coded) {
    auto [it, inserted] = local_.try_emplace(code, -1);
    slot = &it->second;
  } else {
    key_scratch_.clear();
    for (int k : plan_.keys) {
      Value v = KeyValue(*plan_.items[static_cast<size_t>(k)].expr, row);
      key_scratch_ += static_cast<char>(v.index());
      key_scratch_ += CellText(v);
      key_scratch_ += '\0';
    }
    auto [it, inserted] = local_text_.try_emplace(key_scratch_, -1);
    slot = &it->second;
  }
  if (*slot >= 0) return *slot;
  std::vector<Value> key;
  for (int k : plan_.keys) key.push_back(KeyValue(*plan_.items[static_cast<size_t>(k)].expr, row));
  auto [it, inserted] = groups_.try_emplace(key, static_cast<int32_t>(group_keys_.size()));
  if (inserted) {
    group_keys_.push_back(std::move(key));
    if (group_keys_.size() > kMaxGroups) too_many_groups_ = true;
    accs_.emplace_back(agg_items_.size());
  }
  *slot = it->second;
  return *slot;
}

void Executor::Accumulate(std::vector<Acc>& accs, int64_t row) const {
  for (size_t a = 0; a < agg_items_.size(); ++a) {
    const AggExpr& e = *plan_.items[static_cast<size_t>(agg_items_[a])].expr;
    Acc& acc = accs[a];
    switch (e.agg) {
      case AggKind::kCountStar:
        ++acc.count;
        break;
      case AggKind::kCount:
        if (e.lhs->kind == AggExpr::Kind::kColumn ? !NullAt(*e.lhs, row)
                                                  : !Eval(*e.lhs, row).null) {
          ++acc.count;
        }
        break;
      case AggKind::kSum:
      case AggKind::kAvg: {
        const Num x = Eval(*e.lhs, row);
        if (x.null) break;
        acc.sum += x.v;
        ++acc.count;
        break;
      }
      case AggKind::kMin:
      case AggKind::kMax: {
        const int c = e.lhs->column;
        if (NullAt(*e.lhs, row)) break;
        const auto type = ColumnOf(*e.lhs).type;
        int cmp = 0;
        if (e.lhs->side == 1) {
          if (const auto* s = std::get_if<std::string>(&JoinValue(*e.lhs))) {
            if (acc.has) cmp = s->compare(acc.text) < 0 ? -1 : (*s == acc.text ? 0 : 1);
            if (!acc.has || (e.agg == AggKind::kMin ? cmp < 0 : cmp > 0)) acc.text = *s;
          } else {
            const Num& x = JoinNum(*e.lhs);
            if (acc.has) cmp = CompareNum(x, acc.num);
            if (!acc.has || (e.agg == AggKind::kMin ? cmp < 0 : cmp > 0)) acc.num = x;
          }
        } else if (type == table::LakeType::kString) {
          const std::string_view s =
              batch_.columns[static_cast<size_t>(slot_[static_cast<size_t>(c)])].BinaryAt(row);
          if (acc.has) cmp = s.compare(acc.text) < 0 ? -1 : (s == acc.text ? 0 : 1);
          if (!acc.has || (e.agg == AggKind::kMin ? cmp < 0 : cmp > 0)) acc.text = s;
        } else if (c < ncols_ &&
                   (type == table::LakeType::kTimestamp || type == table::LakeType::kDate ||
                    type == table::LakeType::kBoolean)) {
          const auto& v = batch_.columns[static_cast<size_t>(slot_[static_cast<size_t>(c)])];
          const auto r = static_cast<size_t>(row);
          Num x{type == table::LakeType::kTimestamp ? v.int64s[r]
                : type == table::LakeType::kDate    ? v.int32s[r]
                                                    : v.bools[r],
                0, false};
          if (acc.has) cmp = CompareNum(x, acc.num);
          if (!acc.has || (e.agg == AggKind::kMin ? cmp < 0 : cmp > 0)) acc.num = x;
        } else {
          const Num x = Eval(*e.lhs, row);
          if (acc.has) cmp = CompareNum(x, acc.num);
          if (!acc.has || (e.agg == AggKind::kMin ? cmp < 0 : cmp > 0)) acc.num = x;
        }
        acc.has = true;
        break;
      }
    }
  }
}

Value Executor::Finish(const AggItem& item, const Acc& acc) const {
  const AggExpr& e = *item.expr;
  switch (e.agg) {
    case AggKind::kCount:
    case AggKind::kCountStar:
      return acc.count;
    case AggKind::kSum:
      if (acc.count == 0) return Value();
      if (e.decimal) return ExactToDouble(acc.sum, e.scale);
      return static_cast<int64_t>(acc.sum);
    case AggKind::kAvg:
      if (acc.count == 0) return Value();
      if (e.round_scale >= 0) return RoundedAverage(acc.sum, e.scale, acc.count, e.round_scale);
      return ExactAverage(acc.sum, e.scale, acc.count);
    case AggKind::kMin:
    case AggKind::kMax: {
      if (!acc.has) return Value();
      const table::LakeColumn& c = ColumnOf(*e.lhs);
      switch (c.type) {
        case table::LakeType::kString:
          return acc.text;
        case table::LakeType::kDecimal:
          return ExactToDouble(acc.num.v, c.scale);
        case table::LakeType::kTimestamp: {
          // The unit of the file that held it: micros in every lake file (checked in Run).
          return FormatSqlTimestamp(static_cast<int64_t>(acc.num.v));
        }
        case table::LakeType::kDate:
          return parquet::FormatDate(static_cast<int64_t>(acc.num.v));
        default:
          return static_cast<int64_t>(acc.num.v);
      }
    }
  }
  return Value();
}

void Executor::StartBatch() {
  local_.clear();
  local_text_.clear();
  dense_.clear();
  codes_.clear();
  uint64_t space = 1;
  for (int k : plan_.keys) {
    const AggExpr& e = *plan_.items[static_cast<size_t>(k)].expr;
    if (e.kind == AggExpr::Kind::kColumn && e.side == 0 && e.column >= ncols_) {
      continue;  // one value per file
    }
    const AggExpr& col = e.kind == AggExpr::Kind::kDateOf ? *e.lhs : e;
    if (col.side == 1) {
      KeyCode kc;
      kc.build = true;
      kc.space = static_cast<uint64_t>(std::max<int64_t>(join_.rows, 1));
      codes_.push_back(kc);
      space = space > (uint64_t{1} << 40) / kc.space ? (uint64_t{1} << 41) : space * kc.space;
      continue;
    }
    const int s = col.kind == AggExpr::Kind::kColumn && col.column < ncols_
                      ? slot_[static_cast<size_t>(col.column)]
                      : -1;
    KeyCode kc;
    kc.slot = s;
    if (s >= 0 && e.kind == AggExpr::Kind::kDateOf) {
      // Days of a TIMESTAMP(MICROS) column (Run checked the unit), offset by the batch's first.
      const auto& v = batch_.columns[static_cast<size_t>(s)];
      int64_t lo = INT64_MAX, hi = INT64_MIN;
      for (int64_t r = 0; r < batch_.num_rows; ++r) {
        if (v.IsNull(r)) continue;
        const int64_t t = v.int64s[static_cast<size_t>(r)];
        if (t < 0) {  // floor division below would need care: leave such data to the bytes path
          codes_.clear();
          return;
        }
        lo = std::min(lo, t / kMicrosPerDay);
        hi = std::max(hi, t / kMicrosPerDay);
      }
      kc.day = true;
      kc.base = lo == INT64_MAX ? 0 : lo;
      kc.space = lo == INT64_MAX ? 1 : static_cast<uint64_t>(hi - lo) + 2;
    } else if (s >= 0 && e.kind == AggExpr::Kind::kColumn &&
               batch_.columns[static_cast<size_t>(s)].is_dictionary()) {
      kc.space = batch_.columns[static_cast<size_t>(s)].dictionary->binaries.size() + 1;
    } else {
      codes_.clear();
      return;
    }
    codes_.push_back(kc);
    space = space > (uint64_t{1} << 40) / kc.space ? (uint64_t{1} << 41) : space * kc.space;
  }
  if (space > (uint64_t{1} << 40)) {
    codes_.clear();
    return;
  }
  if (codes_.empty()) codes_.push_back(KeyCode{});  // only partition keys: one code
  if (space <= (1u << 18)) dense_.assign(space, -1);
}

Status Executor::ScanFile(LakeFileState* file, const std::vector<int>& used) {
  SL_ASSIGN_OR_RETURN(parquet::ParquetFileReader * reader, tables_.Reader(&st_, file));
  ScanCounters& k = tables_.counters();
  ++k.files_opened;
  k.row_groups_total += reader->num_row_groups();
  file_ = file;
  const parquet::FileSchema& schema = reader->schema();
  parquet::ScanOptions options;
  slot_.assign(static_cast<size_t>(ncols_), -1);
  desc_.assign(static_cast<size_t>(ncols_), nullptr);
  for (int c : used) {
    Result<int> leaf = schema.FindColumn(st_.table.columns[static_cast<size_t>(c)].name);
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
    k.row_groups_read += reader->num_row_groups();
    StartBatch();
    StartProbe();
    for (int64_t r = 0; r < reader->num_rows(); ++r) Row(r);
    k.rows_read += reader->num_rows();
    return Status::OK();
  }
  SL_ASSIGN_OR_RETURN(auto scanner, parquet::ParquetScanner::Make(reader, std::move(options)));
  while (true) {
    SL_RETURN_IF_ERROR(stop_());
    if (too_many_groups_) return Status::OK();
    SL_ASSIGN_OR_RETURN(bool more, scanner->Next(&batch_));
    if (!more) break;
    StartBatch();
    StartProbe();
    const bool filtered = std::any_of(plan_.where.begin(), plan_.where.end(),
                                      [&](const PlanConstraint& c) { return c.column < ncols_; });
    const bool plain = !plan_.join && !collect_;
    const bool single = plan_.keys.empty();
    for (int64_t r = 0; r < batch_.num_rows; ++r) {
      if (filtered && !Passes(r)) continue;
      if (plain) {
        Accumulate(accs_[single ? 0 : static_cast<size_t>(GroupOf(r))], r);
      } else {
        Row(r);
      }
    }
    k.rows_read += batch_.num_rows;
  }
  const parquet::ScanStats& s = scanner->stats();
  k.row_groups_read += s.row_groups_read;
  k.row_groups_pruned += s.pruned_by_statistics + s.pruned_by_bloom_filter + s.pruned_by_page_index;
  return Status::OK();
}

// A number of the column at `row` as stored: the unscaled decimal, the integer, the timestamp's
// micros, the date's days.
Num Executor::RawNum(int column, int64_t row) const {
  if (column >= ncols_) {
    const auto k = static_cast<size_t>(column - ncols_);
    if (k >= file_->key_ints.size() || !file_->key_ints[k]) return Num{0, 0, true};
    return Num{*file_->key_ints[k], 0, false};
  }
  if (IsNull(column, row)) return Num{0, 0, true};
  const parquet::ColumnDescriptor& d = *desc_[static_cast<size_t>(column)];
  const auto& v = batch_.columns[static_cast<size_t>(slot_[static_cast<size_t>(column)])];
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

// One row of the scanned table (it passed the WHERE): loaded (collect_), or aggregated once per
// joined row its key matches.
void Executor::Row(int64_t row) {
  const bool single = plan_.keys.empty();
  if (collect_) {
    if (collect_->rows >= kJoinBuildRows) {
      too_many_groups_ = true;
      return;
    }
    for (size_t i = 0; i < plan_.items.size(); ++i) {
      const AggExpr& e = *plan_.items[i].expr;
      collect_->values[i].push_back(KeyValue(e, row));
      collect_->nums[i].push_back(RawNum(e.column, row));
    }
    ++collect_->rows;
    return;
  }
  if (!plan_.join) {
    Accumulate(accs_[single ? 0 : static_cast<size_t>(GroupOf(row))], row);
    return;
  }
  const int32_t list = ProbeList(row);
  if (list < 0) return;
  const auto l = static_cast<size_t>(list);
  for (uint32_t k = join_.list_begin[l]; k < join_.list_begin[l + 1]; ++k) {
    cur_ = join_.list_rows[k];
    Accumulate(accs_[single ? 0 : static_cast<size_t>(GroupOf(row))], row);
  }
}

// A one-column key read from a dictionary: each entry looked up once per row group.
void Executor::StartProbe() {
  probe_slot_ = -1;
  if (!plan_.join || plan_.join->on.size() != 1) return;
  const int c = plan_.join->on[0].first;
  if (c >= ncols_) return;
  const int s = slot_[static_cast<size_t>(c)];
  if (s < 0 || desc_[static_cast<size_t>(c)]->kind != ColumnKind::kString) return;
  const parquet::ColumnVector& v = batch_.columns[static_cast<size_t>(s)];
  if (!v.is_dictionary()) return;
  probe_dict_.assign(v.dictionary->binaries.size(), -1);
  for (size_t i = 0; i < probe_dict_.size(); ++i) {
    probe_key_.clear();
    AppendKey(std::string(v.dictionary->binaries[i]), &probe_key_);
    if (auto it = join_.list_of.find(probe_key_); it != join_.list_of.end()) {
      probe_dict_[i] = it->second;
    }
  }
  probe_slot_ = s;
}

// The list of joined rows whose key equals the row's, -1 when none (a NULL key matches nothing).
int32_t Executor::ProbeList(int64_t row) {
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
  auto it = join_.list_of.find(probe_key_);
  return it == join_.list_of.end() ? -1 : it->second;
}

// Loads side 1 (the columns the plan reads of it, its rows passing its WHERE terms) and lists
// its rows by key. nullopt: too many rows, or a form this path does not read.
std::optional<Result<QueryResult>> Executor::LoadJoin() {
  const AggJoin& join = *plan_.join;
  LakeTableState& st = tables_.states()[join.table];
  if (st.total_rows > kJoinBuildRows) return std::nullopt;
  std::vector<int> used;
  for (const auto& on : join.on) used.push_back(on.second);
  for (const AggItem& item : plan_.items) Collect(*item.expr, &used, 1);
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  AggPlan load;
  load.table = join.table;
  load.where = join.where;
  join_.slot.assign(st.table.columns.size() + st.table.partition_keys.size(), -1);
  for (int c : used) {
    join_.slot[static_cast<size_t>(c)] = static_cast<int>(load.items.size());
    AggItem item;
    item.expr = std::make_unique<AggExpr>();
    item.expr->column = c;
    load.items.push_back(std::move(item));
  }
  join_.values.resize(used.size());
  join_.nums.resize(used.size());
  std::optional<Result<QueryResult>> loaded =
      Executor(tables_, load, options_, stop_, &join_).Run();
  if (!loaded || !loaded->ok()) return loaded;
  std::vector<std::vector<uint32_t>> lists;
  std::string key;
  for (int64_t j = 0; j < join_.rows; ++j) {
    key.clear();
    bool null = false;
    for (const auto& on : join.on) {
      const Value& v = join_.values[static_cast<size_t>(join_.slot[static_cast<size_t>(on.second)])]
                                   [static_cast<size_t>(j)];
      null |= std::holds_alternative<std::monostate>(v);
      AppendKey(v, &key);
    }
    if (null) continue;
    auto [it, inserted] = join_.list_of.try_emplace(key, static_cast<int32_t>(lists.size()));
    if (inserted) lists.emplace_back();
    lists[static_cast<size_t>(it->second)].push_back(static_cast<uint32_t>(j));
  }
  join_.list_begin.push_back(0);
  for (const auto& l : lists) {
    join_.list_rows.insert(join_.list_rows.end(), l.begin(), l.end());
    join_.list_begin.push_back(static_cast<uint32_t>(join_.list_rows.size()));
  }
  return loaded;
}

std::optional<Result<QueryResult>> Executor::Run() {
  std::vector<int> used;
  for (const AggItem& item : plan_.items) Collect(*item.expr, &used);
  for (const PlanConstraint& c : plan_.where) {
    if (c.column < ncols_) used.push_back(c.column);
  }
  if (plan_.join) {
    for (const auto& on : plan_.join->on) {
      if (on.first < ncols_) used.push_back(on.first);
    }
    std::optional<Result<QueryResult>> loaded = LoadJoin();
    if (!loaded || !loaded->ok()) return loaded;
  }
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  for (size_t i = 0; i < plan_.items.size(); ++i) {
    if (plan_.items[i].expr->kind == AggExpr::Kind::kAggregate) {
      agg_items_.push_back(static_cast<int>(i));
    }
  }
  // Candidate files, and a check that every used column is in a form read here.
  ScanCounters& k = tables_.counters();
  const DayRange days = SourceDayRange(st_, plan_.where);
  std::vector<LakeFileState*> files;
  k.files_total += static_cast<int64_t>(st_.files.size());
  for (LakeFileState& f : st_.files) {
    if (!FileMatchesKeys(f) || !FileMayMatch(st_, f, plan_.where, days)) {
      ++k.files_pruned;
      continue;
    }
    Result<parquet::ParquetFileReader*> reader = tables_.Reader(&st_, &f);
    if (!reader.ok()) return std::nullopt;  // SQLite's path reports it, naming the file
    for (int c : used) {
      Result<int> leaf =
          (*reader)->schema().FindColumn(st_.table.columns[static_cast<size_t>(c)].name);
      if (!leaf.ok()) continue;
      const parquet::ColumnDescriptor& d = (*reader)->schema().column(*leaf);
      if (!Supported(d)) return std::nullopt;
      if (d.kind == ColumnKind::kTimestamp && d.time_unit != parquet::TimeUnit::kMicros) {
        return std::nullopt;
      }
      const auto type = st_.table.columns[static_cast<size_t>(c)].type;
      const bool decimal = d.kind == ColumnKind::kDecimal;
      if (decimal != (type == table::LakeType::kDecimal) ||
          (decimal && d.decimal_scale != st_.table.columns[static_cast<size_t>(c)].scale)) {
        return std::nullopt;  // a file whose type differs from the table's
      }
    }
    files.push_back(&f);
  }
  if (plan_.keys.empty()) accs_.emplace_back(agg_items_.size());
  for (LakeFileState* f : files) {
    Status s = ScanFile(f, used);
    if (too_many_groups_)
      return std::nullopt;  // SQLite's sorter spills to disk; this map would not
    if (!s.ok()) return Result<QueryResult>(s);
  }
  if (collect_) return Result<QueryResult>(QueryResult());
  // Check sums fit what SQLite's path returns (an INTEGER sum past 64 bits is its error).
  for (const auto& accs : accs_) {
    for (size_t a = 0; a < agg_items_.size(); ++a) {
      const AggExpr& e = *plan_.items[static_cast<size_t>(agg_items_[a])].expr;
      if (e.agg == AggKind::kSum && !e.decimal &&
          (accs[a].sum > INT64_MAX || accs[a].sum < INT64_MIN)) {
        return std::nullopt;
      }
    }
  }
  QueryResult result;
  for (const AggItem& item : plan_.items) result.columns.push_back({item.name, item.declared_type});
  std::vector<std::vector<Value>> rows;
  for (size_t g = 0; g < accs_.size(); ++g) {
    std::vector<Value> row(plan_.items.size());
    for (size_t k2 = 0; k2 < plan_.keys.size(); ++k2) {
      row[static_cast<size_t>(plan_.keys[k2])] = group_keys_[g][k2];
    }
    for (size_t a = 0; a < agg_items_.size(); ++a) {
      row[static_cast<size_t>(agg_items_[a])] =
          Finish(plan_.items[static_cast<size_t>(agg_items_[a])], accs_[g][a]);
    }
    rows.push_back(std::move(row));
  }
  // GROUP BY keys ascending (SQLite's sorter order), then the ORDER BY terms.
  std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    for (int k2 : plan_.keys) {
      const int c = CompareValues(a[static_cast<size_t>(k2)], b[static_cast<size_t>(k2)]);
      if (c != 0) return c < 0;
    }
    return false;
  });
  if (!plan_.order.empty()) {
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
      for (const AggOrder& o : plan_.order) {
        int c = CompareValues(a[static_cast<size_t>(o.item)], b[static_cast<size_t>(o.item)]);
        if (o.desc) c = -c;
        if (c != 0) return c < 0;
      }
      return false;
    });
  }
  const auto begin = static_cast<size_t>(std::min<int64_t>(plan_.offset, rows.size()));
  size_t end = rows.size();
  if (plan_.limit >= 0) end = std::min(end, begin + static_cast<size_t>(plan_.limit));
  for (size_t i = begin; i < end; ++i) {
    if (options_.max_rows > 0 && static_cast<int64_t>(result.rows.size()) >= options_.max_rows) {
      result.truncated = true;
      break;
    }
    result.rows.push_back(std::move(rows[i]));
  }
  result.scan = k;
  return Result<QueryResult>(std::move(result));
}

}  // namespace

std::optional<Result<QueryResult>> TryColumnarAggregate(LakeTables& tables, const std::string& sql,
                                                        const QueryOptions& options,
                                                        const std::function<Status()>& stop) {
  std::optional<AggPlan> plan = ParseAggregateQuery(tables, sql, options.mask_personal_data);
  if (!plan) return std::nullopt;
  const ScanCounters before = tables.counters();
  std::optional<Result<QueryResult>> r = Executor(tables, *plan, options, stop).Run();
  if (!r) tables.counters() = before;  // SQLite's path counts its own reads
  return r;
}

}  // namespace saleslake::sql
