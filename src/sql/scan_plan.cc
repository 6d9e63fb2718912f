#include "sql/scan_plan.h"

#include <sqlite3.h>

#include <charconv>
#include <cmath>

#include "base/clock.h"

namespace saleslake::sql {
namespace {

using parquet::ColumnKind;
using parquet::CompareOp;
using parquet::Literal;

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// A numeric view of a literal for comparisons with integer partition values: TEXT that is an
// integer counts (SQLite gives an INTEGER column's comparisons numeric affinity).
std::optional<double> NumericOf(const SqlLiteral& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) {
    if (auto i = ParseInt(*s)) return static_cast<double>(*i);
  }
  return std::nullopt;
}

template <typename T>
bool Compare(int op, const T& a, const T& b) {
  switch (op) {
    case SQLITE_INDEX_CONSTRAINT_EQ:
      return a == b;
    case SQLITE_INDEX_CONSTRAINT_GT:
      return a > b;
    case SQLITE_INDEX_CONSTRAINT_GE:
      return a >= b;
    case SQLITE_INDEX_CONSTRAINT_LT:
      return a < b;
    case SQLITE_INDEX_CONSTRAINT_LE:
      return a <= b;
    default:
      return true;
  }
}

// Does the partition value (int or text) satisfy the constraint? true when unsure.
bool KeyMayMatch(const table::LakeColumn& key, std::optional<int64_t> as_int,
                 const std::string& text, const PlanConstraint& c) {
  const bool integer_key = key.type != table::LakeType::kString;
  bool any = false;
  for (const SqlLiteral& v : c.values) {
    if (std::holds_alternative<std::monostate>(v)) continue;  // = NULL matches nothing
    if (integer_key) {
      std::optional<double> n = NumericOf(v);
      if (!n || !as_int) return true;
      if (Compare(c.op, static_cast<double>(*as_int), *n)) any = true;
    } else {
      const auto* s = std::get_if<std::string>(&v);
      if (s == nullptr) return true;
      if (Compare(c.op, text, *s)) any = true;
    }
  }
  return any;
}

// Loosened numeric bounds: x > 2.5 becomes x >= 2 and so on; = a non-integer gives nothing.
std::optional<parquet::ColumnPredicate> IntegerPredicate(const std::string& name, int op,
                                                         const SqlLiteral& v, int64_t scale) {
  double d = 0;
  if (const auto* i = std::get_if<int64_t>(&v)) {
    const __int128 scaled = static_cast<__int128>(*i) * scale;
    if (scaled > INT64_MAX || scaled < INT64_MIN) return std::nullopt;
    const int64_t lit = static_cast<int64_t>(scaled);
    switch (op) {
      case SQLITE_INDEX_CONSTRAINT_EQ:
        return parquet::ColumnPredicate{name, CompareOp::kEq, {lit}};
      case SQLITE_INDEX_CONSTRAINT_GT:
        return parquet::ColumnPredicate{name, CompareOp::kGt, {lit}};
      case SQLITE_INDEX_CONSTRAINT_GE:
        return parquet::ColumnPredicate{name, CompareOp::kGe, {lit}};
      case SQLITE_INDEX_CONSTRAINT_LT:
        return parquet::ColumnPredicate{name, CompareOp::kLt, {lit}};
      case SQLITE_INDEX_CONSTRAINT_LE:
        return parquet::ColumnPredicate{name, CompareOp::kLe, {lit}};
      default:
        return std::nullopt;
    }
  }
  if (const auto* r = std::get_if<double>(&v)) {
    d = *r * static_cast<double>(scale);
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(d) || std::fabs(d) > 9e15) return std::nullopt;
  switch (op) {
    case SQLITE_INDEX_CONSTRAINT_EQ: {
      const double rounded = std::nearbyint(d);
      if (std::fabs(d - rounded) > 1e-6) return std::nullopt;  // cannot equal a stored value
      const auto lit = static_cast<int64_t>(rounded);
      return parquet::ColumnPredicate{name, CompareOp::kBetween, {lit - 1, lit + 1}};
    }
    case SQLITE_INDEX_CONSTRAINT_GT:
    case SQLITE_INDEX_CONSTRAINT_GE:
      return parquet::ColumnPredicate{
          name, CompareOp::kGe, {static_cast<int64_t>(std::floor(d)) - 1}};
    case SQLITE_INDEX_CONSTRAINT_LT:
    case SQLITE_INDEX_CONSTRAINT_LE:
      return parquet::ColumnPredicate{
          name, CompareOp::kLe, {static_cast<int64_t>(std::ceil(d)) + 1}};
    default:
      return std::nullopt;
  }
}

int64_t UnitsPerMicro(parquet::TimeUnit unit, bool* divide) {
  *divide = unit == parquet::TimeUnit::kMillis;
  return unit == parquet::TimeUnit::kNanos ? 1000 : (unit == parquet::TimeUnit::kMillis ? 1000 : 1);
}

// A text bound on a timestamp or date column, by its leading date (see docs/sql.md: timestamps
// compare as text, so a text >= 'D…' can only hold rows of day D or later, and <= 'D…' rows of
// day D or earlier). [first_unit, last_unit] in the column's own unit.
std::optional<parquet::ColumnPredicate> TemporalPredicate(const parquet::ColumnDescriptor& d,
                                                          int op, const SqlLiteral& v) {
  const auto* s = std::get_if<std::string>(&v);
  if (s == nullptr) return std::nullopt;
  std::optional<int64_t> day = LeadingDate(*s);
  if (!day) return std::nullopt;
  int64_t first = 0, last = 0;
  if (d.kind == ColumnKind::kDate) {
    first = last = *day;
  } else {
    if (d.is_int96) return std::nullopt;
    bool divide = false;
    const int64_t f = UnitsPerMicro(d.time_unit, &divide);
    const int64_t start = *day * kMicrosPerDay;
    const int64_t end = start + kMicrosPerDay - 1;
    first = divide ? start / f : start * f;
    last = divide ? end / f + 1 : end * f + (f - 1);
  }
  switch (op) {
    case SQLITE_INDEX_CONSTRAINT_EQ:
      return parquet::ColumnPredicate{d.name, CompareOp::kBetween, {first, last}};
    case SQLITE_INDEX_CONSTRAINT_GT:
    case SQLITE_INDEX_CONSTRAINT_GE:
      return parquet::ColumnPredicate{d.name, CompareOp::kGe, {first}};
    case SQLITE_INDEX_CONSTRAINT_LT:
    case SQLITE_INDEX_CONSTRAINT_LE:
      return parquet::ColumnPredicate{d.name, CompareOp::kLe, {last}};
    default:
      return std::nullopt;
  }
}

std::optional<parquet::ColumnPredicate> OnePredicate(const parquet::ColumnDescriptor& d, int op,
                                                     const SqlLiteral& v) {
  switch (d.kind) {
    case ColumnKind::kInt:
      if (d.physical_type != parquet::Type::kInt32 && d.physical_type != parquet::Type::kInt64)
        return std::nullopt;
      return IntegerPredicate(d.name, op, v, 1);
    case ColumnKind::kDecimal: {
      if (d.decimal_scale < 0 || d.decimal_scale > 18) return std::nullopt;
      int64_t scale = 1;
      for (int i = 0; i < d.decimal_scale; ++i) scale *= 10;
      if (std::holds_alternative<int64_t>(v)) {
        // An exact integer scaled exactly; loosen strict bounds anyway (same rows, simpler).
        return IntegerPredicate(d.name, op, v, scale);
      }
      return IntegerPredicate(d.name, op, v, scale);
    }
    case ColumnKind::kFloat:
    case ColumnKind::kDouble: {
      std::optional<double> n;
      if (const auto* i = std::get_if<int64_t>(&v)) n = static_cast<double>(*i);
      if (const auto* r = std::get_if<double>(&v)) n = *r;
      if (!n || std::isnan(*n)) return std::nullopt;
      switch (op) {
        case SQLITE_INDEX_CONSTRAINT_EQ:
          return parquet::ColumnPredicate{d.name, CompareOp::kEq, {*n}};
        case SQLITE_INDEX_CONSTRAINT_GT:
        case SQLITE_INDEX_CONSTRAINT_GE:
          return parquet::ColumnPredicate{d.name, CompareOp::kGe, {*n}};
        case SQLITE_INDEX_CONSTRAINT_LT:
        case SQLITE_INDEX_CONSTRAINT_LE:
          return parquet::ColumnPredicate{d.name, CompareOp::kLe, {*n}};
        default:
          return std::nullopt;
      }
    }
    case ColumnKind::kString: {
      const auto* s = std::get_if<std::string>(&v);
      if (s == nullptr) return std::nullopt;
      switch (op) {
        case SQLITE_INDEX_CONSTRAINT_EQ:
          return parquet::ColumnPredicate{d.name, CompareOp::kEq, {*s}};
        case SQLITE_INDEX_CONSTRAINT_GT:
          return parquet::ColumnPredicate{d.name, CompareOp::kGt, {*s}};
        case SQLITE_INDEX_CONSTRAINT_GE:
          return parquet::ColumnPredicate{d.name, CompareOp::kGe, {*s}};
        case SQLITE_INDEX_CONSTRAINT_LT:
          return parquet::ColumnPredicate{d.name, CompareOp::kLt, {*s}};
        case SQLITE_INDEX_CONSTRAINT_LE:
          return parquet::ColumnPredicate{d.name, CompareOp::kLe, {*s}};
        default:
          return std::nullopt;
      }
    }
    case ColumnKind::kTimestamp:
    case ColumnKind::kDate:
      return TemporalPredicate(d, op, v);
    default:
      return std::nullopt;
  }
}

}  // namespace

SqlLiteral CopySqlValue(sqlite3_value* v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      return sqlite3_value_int64(v);
    case SQLITE_FLOAT:
      return sqlite3_value_double(v);
    case SQLITE_TEXT:
      return std::string(reinterpret_cast<const char*>(sqlite3_value_text(v)),
                         static_cast<size_t>(sqlite3_value_bytes(v)));
    default:
      return std::monostate{};
  }
}

std::optional<int64_t> LeadingDate(const std::string& text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = ParseInt(std::string_view(text).substr(0, 4));
  auto m = ParseInt(std::string_view(text).substr(5, 2));
  auto d = ParseInt(std::string_view(text).substr(8, 2));
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > 31) return std::nullopt;
  return DaysFromCivil({static_cast<int>(*y), static_cast<int>(*m), static_cast<int>(*d)});
}

DayRange SourceDayRange(const LakeTableState& table, const std::vector<PlanConstraint>& cs) {
  DayRange r;
  if (table.source_column < 0) return r;
  for (const PlanConstraint& c : cs) {
    if (c.column != table.source_column || c.values.size() != 1) continue;
    const auto* s = std::get_if<std::string>(&c.values[0]);
    if (s == nullptr) continue;
    std::optional<int64_t> day = LeadingDate(*s);
    if (!day) continue;
    const bool lower = c.op == SQLITE_INDEX_CONSTRAINT_GE || c.op == SQLITE_INDEX_CONSTRAINT_GT ||
                       c.op == SQLITE_INDEX_CONSTRAINT_EQ;
    const bool upper = c.op == SQLITE_INDEX_CONSTRAINT_LE || c.op == SQLITE_INDEX_CONSTRAINT_LT ||
                       c.op == SQLITE_INDEX_CONSTRAINT_EQ;
    if (lower && (!r.first || *day > *r.first)) r.first = day;
    if (upper && (!r.last || *day < *r.last)) r.last = day;
  }
  return r;
}

bool FileMayMatch(const LakeTableState& table, const LakeFileState& file,
                  const std::vector<PlanConstraint>& constraints, const DayRange& days) {
  const int ncols = static_cast<int>(table.table.columns.size());
  for (const PlanConstraint& c : constraints) {
    const int k = c.column - ncols;
    if (k < 0 || k >= static_cast<int>(file.file->partition.size())) continue;
    if (!KeyMayMatch(table.table.partition_keys[static_cast<size_t>(k)],
                     file.key_ints[static_cast<size_t>(k)], file.file->partition[k].second, c)) {
      return false;
    }
  }
  if (file.day) {
    // The partition's day is the row's business day, within one day of its UTC date.
    if (days.first && *file.day < *days.first - 1) return false;
    if (days.last && *file.day > *days.last + 1) return false;
  }
  return true;
}

void AddPredicates(const parquet::ColumnDescriptor& descriptor, int column,
                   const std::vector<PlanConstraint>& constraints,
                   std::vector<parquet::ColumnPredicate>* out) {
  for (const PlanConstraint& c : constraints) {
    if (c.column != column || c.values.empty()) continue;
    if (c.values.size() == 1) {
      if (auto p = OnePredicate(descriptor, c.op, c.values[0])) out->push_back(std::move(*p));
      continue;
    }
    // IN: every value must convert to an exact = literal, else nothing is pushed.
    parquet::ColumnPredicate in{descriptor.name, CompareOp::kIn, {}};
    bool ok = true;
    for (const SqlLiteral& v : c.values) {
      if (std::holds_alternative<std::monostate>(v)) continue;
      std::optional<parquet::ColumnPredicate> p = OnePredicate(descriptor, c.op, v);
      if (!p || p->op != CompareOp::kEq) {
        ok = false;
        break;
      }
      in.values.push_back(p->values[0]);
    }
    if (ok && !in.values.empty()) out->push_back(std::move(in));
  }
}

}  // namespace saleslake::sql
