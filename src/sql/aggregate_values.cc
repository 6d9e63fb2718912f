#include "sql/aggregate_values.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>

#include "sql/sql_functions.h"

namespace saleslake::sql {

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
  if (ra == 2) {
    const int c = std::get<std::string>(a).compare(std::get<std::string>(b));
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (ra == 3) {
    const int c = std::get<Blob>(a).bytes.compare(std::get<Blob>(b).bytes);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return 0;
}

double ExactToDouble(__int128 v, int scale) {
  return std::strtod(FormatScaled128(v, scale).c_str(), nullptr);
}

void AppendKey(const Value& v, std::string* out) {
  out->push_back(static_cast<char>(v.index()));
  const std::string text =
      std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : CellText(v);
  const auto n = static_cast<uint32_t>(text.size());
  out->append(reinterpret_cast<const char*>(&n), sizeof n);
  out->append(text);
}

}  // namespace saleslake::sql
