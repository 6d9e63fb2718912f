#include "parquet/reader/predicate.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>

#include "base/clock.h"
#include "base/decimal.h"

namespace saleslake::parquet {
namespace {

using Int128 = __int128;

// How a column's values are ordered, which decides how statistics compare.
enum class Order { kNone, kSignedInt, kUnsignedInt, kFloat, kBytes, kDecimalBytes, kBool };

Order OrderOf(const ColumnDescriptor& c) {
  switch (c.physical_type) {
    case Type::kBoolean:
      return Order::kBool;
    case Type::kInt32:
    case Type::kInt64:
      return c.kind == ColumnKind::kUInt ? Order::kUnsignedInt : Order::kSignedInt;
    case Type::kFloat:
    case Type::kDouble:
      return Order::kFloat;
    case Type::kInt96:
      return Order::kNone;  // its order was never defined
    case Type::kByteArray:
    case Type::kFixedLenByteArray:
      if (c.kind == ColumnKind::kDecimal) return Order::kDecimalBytes;
      if (c.kind == ColumnKind::kFloat16) return Order::kNone;
      if (c.converted_type == ConvertedType::kInterval) return Order::kNone;
      return Order::kBytes;
  }
  return Order::kNone;
}

// A value ready for comparison in its column's order.
struct Key {
  Int128 integer = 0;
  double real = 0;
  std::string bytes;  // kBytes; kDecimalBytes as big-endian two's complement
  bool boolean = false;
};

// Sign-extended comparison of big-endian two's complement integers of any widths.
int CompareSignedBigEndian(std::string_view a, std::string_view b) {
  const size_t n = std::max(a.size(), b.size());
  auto byte_at = [n](std::string_view v, size_t i) -> uint8_t {
    const size_t pad = n - v.size();
    if (i < pad) return (!v.empty() && (static_cast<uint8_t>(v[0]) & 0x80)) ? 0xFF : 0x00;
    return static_cast<uint8_t>(v[i - pad]);
  };
  for (size_t i = 0; i < n; ++i) {
    uint8_t x = byte_at(a, i), y = byte_at(b, i);
    if (i == 0) {  // the sign byte compares signed
      x ^= 0x80;
      y ^= 0x80;
    }
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

std::string BigEndianOf(int64_t v, size_t width) {
  std::string out(width, '\0');
  for (size_t i = 0; i < width; ++i) {
    const int shift = static_cast<int>(8 * (width - 1 - i));
    out[i] = static_cast<char>(shift >= 64 ? (v < 0 ? 0xFF : 0) : (v >> shift) & 0xFF);
  }
  return out;
}

// Decodes a PLAIN statistics value; nullopt when its size does not fit the column.
std::optional<Key> KeyFromStat(const ColumnDescriptor& c, Order order, std::string_view plain) {
  Key k;
  switch (order) {
    case Order::kBool:
      if (plain.size() != 1) return std::nullopt;
      k.boolean = plain[0] != 0;
      return k;
    case Order::kSignedInt:
    case Order::kUnsignedInt:
      if (c.physical_type == Type::kInt32) {
        if (plain.size() != 4) return std::nullopt;
        uint32_t u;
        std::memcpy(&u, plain.data(), 4);
        k.integer = order == Order::kSignedInt ? Int128{static_cast<int32_t>(u)} : Int128{u};
      } else {
        if (plain.size() != 8) return std::nullopt;
        uint64_t u;
        std::memcpy(&u, plain.data(), 8);
        k.integer = order == Order::kSignedInt ? Int128{static_cast<int64_t>(u)} : Int128{u};
      }
      return k;
    case Order::kFloat:
      if (c.physical_type == Type::kFloat) {
        if (plain.size() != 4) return std::nullopt;
        float f;
        std::memcpy(&f, plain.data(), 4);
        k.real = f;
      } else {
        if (plain.size() != 8) return std::nullopt;
        std::memcpy(&k.real, plain.data(), 8);
      }
      if (std::isnan(k.real)) return std::nullopt;  // a NaN bound says nothing
      return k;
    case Order::kBytes:
    case Order::kDecimalBytes:
      k.bytes.assign(plain);
      return k;
    case Order::kNone:
      return std::nullopt;
  }
  return std::nullopt;
}

Result<Key> KeyFromLiteral(const ColumnDescriptor& c, Order order, const Literal& literal) {
  auto mismatch = [&]() {
    return Status::InvalidArgument(
        fmt::format("a literal of the wrong type for column {} ({})", c.name, c.TypeDescription()));
  };
  Key k;
  switch (order) {
    case Order::kBool:
      if (!std::holds_alternative<bool>(literal)) return mismatch();
      k.boolean = std::get<bool>(literal);
      return k;
    case Order::kSignedInt:
    case Order::kUnsignedInt:
      if (!std::holds_alternative<int64_t>(literal)) return mismatch();
      k.integer = std::get<int64_t>(literal);
      return k;
    case Order::kFloat:
      if (std::holds_alternative<double>(literal)) {
        k.real = std::get<double>(literal);
      } else if (std::holds_alternative<int64_t>(literal)) {
        k.real = static_cast<double>(std::get<int64_t>(literal));
      } else {
        return mismatch();
      }
      return k;
    case Order::kBytes:
      if (!std::holds_alternative<std::string>(literal)) return mismatch();
      k.bytes = std::get<std::string>(literal);
      return k;
    case Order::kDecimalBytes:
      if (!std::holds_alternative<int64_t>(literal)) return mismatch();
      k.bytes = BigEndianOf(std::get<int64_t>(literal), 8);
      return k;
    case Order::kNone:
      return k;
  }
  return k;
}

int CompareKeys(Order order, const Key& a, const Key& b) {
  switch (order) {
    case Order::kBool:
      return a.boolean == b.boolean ? 0 : (a.boolean ? 1 : -1);
    case Order::kSignedInt:
    case Order::kUnsignedInt:
      return a.integer == b.integer ? 0 : (a.integer < b.integer ? -1 : 1);
    case Order::kFloat:
      return a.real == b.real ? 0 : (a.real < b.real ? -1 : 1);
    case Order::kBytes: {
      const int c = a.bytes.compare(b.bytes);  // std::string compares bytes as unsigned char
      return c == 0 ? 0 : (c < 0 ? -1 : 1);
    }
    case Order::kDecimalBytes:
      return CompareSignedBigEndian(a.bytes, b.bytes);
    case Order::kNone:
      return 0;
  }
  return 0;
}

bool IsNanLiteral(const Literal& l) {
  return std::holds_alternative<double>(l) && std::isnan(std::get<double>(l));
}

}  // namespace

std::string_view CompareOpName(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
    case CompareOp::kIn:
      return "IN";
    case CompareOp::kBetween:
      return "BETWEEN";
  }
  return "?";
}

ValueBounds BoundsFromStatistics(const ColumnDescriptor& column, const Statistics& stats,
                                 int64_t num_values) {
  ValueBounds b;
  b.all_null = stats.null_count.has_value() && num_values > 0 && *stats.null_count == num_values;
  const Order order = OrderOf(column);
  if (order == Order::kNone) return b;
  if (stats.min_value || stats.max_value) {
    b.min = stats.min_value;
    b.max = stats.max_value;
  } else if (order == Order::kSignedInt || order == Order::kFloat || order == Order::kBool) {
    // The deprecated fields were written in signed order: right only for these columns.
    b.min = stats.min;
    b.max = stats.max;
  }
  return b;
}

Status ValidatePredicate(const ColumnDescriptor& column, const ColumnPredicate& predicate) {
  const size_t n = predicate.values.size();
  if ((predicate.op == CompareOp::kBetween && n != 2) ||
      (predicate.op == CompareOp::kIn && n == 0) ||
      (predicate.op != CompareOp::kBetween && predicate.op != CompareOp::kIn && n != 1)) {
    return Status::InvalidArgument(fmt::format("predicate {} on {} has {} values",
                                               CompareOpName(predicate.op), column.name, n));
  }
  const Order order = OrderOf(column);
  for (const Literal& l : predicate.values)
    SL_RETURN_IF_ERROR(KeyFromLiteral(column, order, l).status());
  return Status::OK();
}

Result<bool> MayMatch(const ColumnDescriptor& column, const ColumnPredicate& predicate,
                      const ValueBounds& bounds) {
  SL_RETURN_IF_ERROR(ValidatePredicate(column, predicate));
  if (bounds.all_null) return false;  // nulls satisfy no comparison
  const Order order = OrderOf(column);
  if (order == Order::kNone || !bounds.min || !bounds.max) return true;
  const std::optional<Key> min = KeyFromStat(column, order, *bounds.min);
  const std::optional<Key> max = KeyFromStat(column, order, *bounds.max);
  if (!min || !max) return true;
  std::vector<Key> v;
  for (const Literal& l : predicate.values) {
    if (IsNanLiteral(l)) return true;
    SL_ASSIGN_OR_RETURN(Key k, KeyFromLiteral(column, order, l));
    v.push_back(std::move(k));
  }
  auto cmp = [order](const Key& a, const Key& b) { return CompareKeys(order, a, b); };
  switch (predicate.op) {
    case CompareOp::kEq:
      return cmp(v[0], *min) >= 0 && cmp(v[0], *max) <= 0;
    case CompareOp::kLt:
      return cmp(*min, v[0]) < 0;
    case CompareOp::kLe:
      return cmp(*min, v[0]) <= 0;
    case CompareOp::kGt:
      return cmp(*max, v[0]) > 0;
    case CompareOp::kGe:
      return cmp(*max, v[0]) >= 0;
    case CompareOp::kIn:
      for (const Key& k : v) {
        if (cmp(k, *min) >= 0 && cmp(k, *max) <= 0) return true;
      }
      return false;
    case CompareOp::kBetween:
      return cmp(v[0], v[1]) <= 0 && cmp(v[1], *min) >= 0 && cmp(v[0], *max) <= 0;
  }
  return true;
}

std::optional<std::string> PlainBytesOf(const ColumnDescriptor& column, const Literal& literal) {
  auto raw = [](const auto& v) {
    return std::string(reinterpret_cast<const char*>(&v), sizeof(v));
  };
  switch (column.physical_type) {
    case Type::kInt32: {
      if (!std::holds_alternative<int64_t>(literal)) return std::nullopt;
      const int64_t v = std::get<int64_t>(literal);
      const bool fits = column.kind == ColumnKind::kUInt ? (v >= 0 && v <= UINT32_MAX)
                                                         : (v >= INT32_MIN && v <= INT32_MAX);
      if (!fits) return std::nullopt;
      return raw(static_cast<uint32_t>(v));
    }
    case Type::kInt64:
      if (!std::holds_alternative<int64_t>(literal)) return std::nullopt;
      return raw(std::get<int64_t>(literal));
    case Type::kFloat:
    case Type::kDouble: {
      double v;
      if (std::holds_alternative<double>(literal)) {
        v = std::get<double>(literal);
      } else if (std::holds_alternative<int64_t>(literal)) {
        v = static_cast<double>(std::get<int64_t>(literal));
      } else {
        return std::nullopt;
      }
      // -0.0 and +0.0 are equal but hash differently; NaN equals nothing.
      if (v == 0 || std::isnan(v)) return std::nullopt;
      if (column.physical_type == Type::kDouble) return raw(v);
      const auto f = static_cast<float>(v);
      if (static_cast<double>(f) != v) return std::nullopt;
      return raw(f);
    }
    case Type::kByteArray:
      if (column.kind == ColumnKind::kDecimal) return std::nullopt;  // width is the writer's choice
      if (!std::holds_alternative<std::string>(literal)) return std::nullopt;
      return std::get<std::string>(literal);
    case Type::kFixedLenByteArray:
      if (column.kind == ColumnKind::kDecimal) {
        if (!std::holds_alternative<int64_t>(literal)) return std::nullopt;
        return BigEndianOf(std::get<int64_t>(literal), static_cast<size_t>(column.type_length));
      }
      if (!std::holds_alternative<std::string>(literal)) return std::nullopt;
      if (std::get<std::string>(literal).size() != static_cast<size_t>(column.type_length)) {
        return std::nullopt;
      }
      return std::get<std::string>(literal);
    default:
      return std::nullopt;
  }
}

Result<Literal> ParseLiteral(const ColumnDescriptor& column, std::string_view text) {
  auto bad = [&](std::string_view what) {
    return Status::InvalidArgument(fmt::format("'{}' is not {} (column {} is {})", text, what,
                                               column.name, column.TypeDescription()));
  };
  auto parse_int = [&](int64_t* out) {
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
    return ec == std::errc() && p == text.data() + text.size();
  };
  switch (column.kind) {
    case ColumnKind::kBoolean:
      if (text == "true") return Literal(true);
      if (text == "false") return Literal(false);
      return bad("true or false");
    case ColumnKind::kInt:
    case ColumnKind::kUInt: {
      int64_t v;
      if (!parse_int(&v)) return bad("an integer");
      return Literal(v);
    }
    case ColumnKind::kDecimal: {
      auto v = ParseScaledDecimal(text, column.decimal_scale);
      if (!v.ok())
        return bad(fmt::format("a decimal with at most {} fraction digits", column.decimal_scale));
      return Literal(*v);
    }
    case ColumnKind::kDate: {
      auto micros = ParseIso8601Micros(text);
      if (!micros.ok()) return bad("a date (YYYY-MM-DD)");
      const int64_t per_day = int64_t{86400} * 1000000;
      return Literal(*micros / per_day - (*micros % per_day < 0 ? 1 : 0));
    }
    case ColumnKind::kTimestamp:
    case ColumnKind::kTime: {
      auto micros = column.kind == ColumnKind::kTime
                        ? ParseIso8601Micros("1970-01-01T" + std::string(text) + "Z")
                        : ParseIso8601Micros(text);
      if (!micros.ok()) return bad("an ISO 8601 time");
      switch (column.time_unit) {
        case TimeUnit::kMillis:
          return Literal(*micros / 1000 - (*micros % 1000 < 0 ? 1 : 0));
        case TimeUnit::kMicros:
          return Literal(*micros);
        case TimeUnit::kNanos:
          return Literal(*micros * 1000);
      }
      return bad("a time");
    }
    case ColumnKind::kFloat:
    case ColumnKind::kDouble:
    case ColumnKind::kFloat16: {
      std::string s(text);
      char* end = nullptr;
      const double v = std::strtod(s.c_str(), &end);
      if (s.empty() || end != s.c_str() + s.size()) return bad("a number");
      return Literal(v);
    }
    case ColumnKind::kUuid: {
      std::string bytes;
      int nibble = -1;
      for (char ch : text) {
        if (ch == '-') continue;
        int v = std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0'
                : (ch >= 'a' && ch <= 'f')                   ? ch - 'a' + 10
                : (ch >= 'A' && ch <= 'F')                   ? ch - 'A' + 10
                                                             : -1;
        if (v < 0) return bad("a UUID");
        if (nibble < 0) {
          nibble = v;
        } else {
          bytes.push_back(static_cast<char>(nibble << 4 | v));
          nibble = -1;
        }
      }
      if (bytes.size() != 16 || nibble >= 0) return bad("a UUID");
      return Literal(bytes);
    }
    case ColumnKind::kString:
    case ColumnKind::kBinary:
      return Literal(std::string(text));
  }
  return bad("a value");
}

}  // namespace saleslake::parquet
