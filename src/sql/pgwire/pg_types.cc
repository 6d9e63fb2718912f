#include "sql/pgwire/pg_types.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "sql/pgwire/pg_sql_text.h"

namespace saleslake::sql::pgwire {
namespace {

constexpr int64_t kPgEpochDays = 10957;  // 2000-01-01 in days since 1970-01-01

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool Digits(std::string_view s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

void Put(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t Get(std::string_view s) {
  uint64_t v = 0;
  for (char c : s) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

std::string Fixed(double d, int scale) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", scale, d);
  return buf;
}

std::string FloatText(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return CellText(Value(d));
}

// The value as a decimal string for a numeric column.
std::optional<std::string> DecimalText(const Value& v, const PgType& type) {
  if (const auto* i = std::get_if<int64_t>(&v)) {
    std::string s = std::to_string(*i);
    if (type.scale > 0) s += "." + std::string(static_cast<size_t>(type.scale), '0');
    return s;
  }
  if (const auto* d = std::get_if<double>(&v)) {
    if (!std::isfinite(*d)) return std::nullopt;
    return type.scale >= 0 ? Fixed(*d, type.scale) : CellText(v);
  }
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::nullopt;
}

std::optional<int64_t> AsInt(const Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) {
    if (std::isfinite(*d) && std::trunc(*d) == *d && std::fabs(*d) < 9.2e18) {
      return static_cast<int64_t>(*d);
    }
    return std::nullopt;
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc() && p == s->data() + s->size()) return out;
  }
  return std::nullopt;
}

std::optional<double> AsDouble(const Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) {
    char* end = nullptr;
    double d = std::strtod(s->c_str(), &end);
    if (!s->empty() && end == s->c_str() + s->size()) return d;
  }
  return std::nullopt;
}

std::optional<bool> AsBool(const Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i != 0;
  if (const auto* d = std::get_if<double>(&v)) return *d != 0;
  if (const auto* s = std::get_if<std::string>(&v)) {
    if (*s == "t" || *s == "true" || *s == "1") return true;
    if (*s == "f" || *s == "false" || *s == "0") return false;
  }
  return std::nullopt;
}

std::string Mismatch(const Value& v, const PgType& type) {
  return "the value '" + CellText(v).substr(0, 60) + "' does not fit the column's type (oid " +
         std::to_string(type.oid) + ")";
}

}  // namespace

std::optional<int32_t> PgDays(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() < 10 || !Digits(s, 0, 4, &y) || s[4] != '-' || !Digits(s, 5, 2, &m) || s[7] != '-' ||
      !Digits(s, 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  return static_cast<int32_t>(DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) -
                              kPgEpochDays);
}

std::optional<int64_t> PgMicros(std::string_view s) {
  std::optional<int32_t> days = PgDays(s);
  if (!days) return std::nullopt;
  int64_t micros = int64_t{*days} * 86'400'000'000;
  if (s.size() == 10) return micros;
  int h = 0, mi = 0, sec = 0;
  if (s.size() < 19 || (s[10] != ' ' && s[10] != 'T') || !Digits(s, 11, 2, &h) || s[13] != ':' ||
      !Digits(s, 14, 2, &mi) || s[16] != ':' || !Digits(s, 17, 2, &sec)) {
    return std::nullopt;
  }
  micros += ((int64_t{h} * 60 + mi) * 60 + sec) * 1'000'000;
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    int64_t frac = 0, scale = 100'000;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      frac += (s[i] - '0') * scale;
      scale /= 10;
    }
    micros += frac;
  }
  if (i < s.size() && s.substr(i) != "Z" && s.substr(i) != "+00" && s.substr(i) != "+00:00") {
    return std::nullopt;
  }
  return micros;
}

std::string FormatPgDate(int32_t days) {
  int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(int64_t{days} + kPgEpochDays, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::string FormatPgTimestamp(int64_t micros) {
  int64_t days = micros / 86'400'000'000;
  int64_t rest = micros % 86'400'000'000;
  if (rest < 0) {
    rest += 86'400'000'000;
    --days;
  }
  std::string out = FormatPgDate(static_cast<int32_t>(days));
  const int64_t secs = rest / 1'000'000, frac = rest % 1'000'000;
  char buf[48];
  std::snprintf(buf, sizeof(buf), " %02lld:%02lld:%02lld", static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  out += buf;
  if (frac != 0) {
    std::snprintf(buf, sizeof(buf), ".%06lld", static_cast<long long>(frac));
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out;
}

std::optional<std::string> NumericBinary(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  const size_t dot = text.find('.');
  std::string ip(text.substr(0, dot));
  std::string fp(dot == std::string_view::npos ? "" : text.substr(dot + 1));
  if ((ip.empty() && fp.empty()) || ip.size() > 1000 || fp.size() > 1000) return std::nullopt;
  for (char c : ip + fp) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const auto dscale = static_cast<int16_t>(fp.size());
  // Pad to whole base-10000 groups on both sides of the point.
  ip.insert(0, (4 - ip.size() % 4) % 4, '0');
  fp.append((4 - fp.size() % 4) % 4, '0');
  std::vector<int16_t> digits;
  for (size_t i = 0; i < ip.size(); i += 4)
    digits.push_back(static_cast<int16_t>(std::stoi(ip.substr(i, 4))));
  for (size_t i = 0; i < fp.size(); i += 4)
    digits.push_back(static_cast<int16_t>(std::stoi(fp.substr(i, 4))));
  int weight = static_cast<int>(ip.size() / 4) - 1;
  size_t first = 0;
  while (first < digits.size() && digits[first] == 0) {
    ++first;
    --weight;
  }
  size_t last = digits.size();
  while (last > first && digits[last - 1] == 0) --last;
  std::string out;
  const size_t n = last - first;
  Put(&out, n, 2);
  Put(&out, static_cast<uint16_t>(n == 0 ? 0 : weight), 2);
  Put(&out, negative && n > 0 ? 0x4000 : 0, 2);
  Put(&out, static_cast<uint16_t>(dscale), 2);
  for (size_t i = first; i < last; ++i) Put(&out, static_cast<uint16_t>(digits[i]), 2);
  return out;
}

std::optional<std::string> NumericFromBinary(std::string_view b) {
  if (b.size() < 8) return std::nullopt;
  const auto n = static_cast<int16_t>(Get(b.substr(0, 2)));
  const auto weight = static_cast<int16_t>(Get(b.substr(2, 2)));
  const auto sign = static_cast<uint16_t>(Get(b.substr(4, 2)));
  const auto dscale = static_cast<int16_t>(Get(b.substr(6, 2)));
  if (n < 0 || dscale < 0 || dscale > 1000 || b.size() != 8 + 2 * static_cast<size_t>(n) ||
      weight > 1000 || weight < -1000 || (sign != 0 && sign != 0x4000)) {
    return std::nullopt;
  }
  std::string ip, fp;
  // Group k (0-based) has weight weight - k: it contributes to the integer part when >= 0.
  for (int w = std::max<int>(weight, 0); w >= 0; --w) {
    const int k = weight - w;
    int d =
        k >= 0 && k < n ? static_cast<int>(Get(b.substr(8 + 2 * static_cast<size_t>(k), 2))) : 0;
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%04d", d);
    ip += buf;
  }
  for (int w = -1; static_cast<int>(fp.size()) < dscale; --w) {
    const int k = weight - w;
    int d =
        k >= 0 && k < n ? static_cast<int>(Get(b.substr(8 + 2 * static_cast<size_t>(k), 2))) : 0;
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%04d", d);
    fp += buf;
  }
  fp.resize(static_cast<size_t>(dscale));
  size_t nz = ip.find_first_not_of('0');
  ip = nz == std::string::npos ? "0" : ip.substr(nz);
  return (sign == 0x4000 ? "-" : "") + ip + (fp.empty() ? "" : "." + fp);
}

std::optional<PgType> TypeOfDeclared(std::string_view declared) {
  std::string t(declared);
  for (char& c : t) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (t.empty()) return std::nullopt;
  if (t == "VARCHAR" || t == "TEXT" || t == "STRING") return PgType{kText, -1, -1, -1};
  if (t == "BIGINT" || t == "INT8") return PgType{kInt8, 8, -1, -1};
  if (t == "INTEGER" || t == "INT" || t == "INT4") return PgType{kInt4, 4, -1, -1};
  if (t == "SMALLINT" || t == "INT2") return PgType{kInt2, 2, -1, -1};
  if (t == "OID") return PgType{kOid, 4, -1, -1};
  if (t == "NAME") return PgType{kName, 64, -1, -1};
  if (t == "CHAR") return PgType{kChar, 1, -1, -1};
  if (t == "DOUBLE" || t == "REAL" || t == "FLOAT" || t == "FLOAT8") {
    return PgType{kFloat8, 8, -1, -1};
  }
  if (t == "BOOLEAN" || t == "BOOL") return PgType{kBool, 1, -1, -1};
  if (t == "DATE") return PgType{kDate, 4, -1, -1};
  if (t == "TIMESTAMP") return PgType{kTimestamp, 8, -1, -1};
  if (t == "BLOB" || t == "BYTEA") return PgType{kBytea, -1, -1, -1};
  int p = 0, s = 0;
  if (std::sscanf(t.c_str(), "DECIMAL(%d,%d)", &p, &s) == 2 && p > 0 && p <= 1000 && s >= 0 &&
      s <= p) {
    return PgType{kNumeric, -1, ((p << 16) | s) + 4, s};
  }
  if (t.starts_with("DECIMAL") || t.starts_with("NUMERIC")) return PgType{kNumeric, -1, -1, -1};
  return PgType{kText, -1, -1, -1};
}

std::vector<PgType> ColumnTypes(const QueryResult& result) {
  std::vector<PgType> types;
  for (size_t c = 0; c < result.columns.size(); ++c) {
    std::optional<PgType> t = TypeOfDeclared(result.columns[c].declared_type);
    if (!t) {
      t = PgType{kText, -1, -1, -1};
      for (const auto& row : result.rows) {
        const Value& v = row[c];
        if (std::holds_alternative<std::monostate>(v)) continue;
        if (std::holds_alternative<int64_t>(v)) t = PgType{kInt8, 8, -1, -1};
        if (std::holds_alternative<double>(v)) t = PgType{kFloat8, 8, -1, -1};
        if (std::holds_alternative<Blob>(v)) t = PgType{kBytea, -1, -1, -1};
        break;
      }
    }
    types.push_back(*t);
  }
  return types;
}

std::optional<std::string> EncodeText(const Value& v, const PgType& type, std::string* error) {
  if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
  switch (type.oid) {
    case kBool: {
      std::optional<bool> b = AsBool(v);
      if (!b) break;
      return std::string(*b ? "t" : "f");
    }
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: {
      std::optional<int64_t> i = AsInt(v);
      if (!i) break;
      return std::to_string(*i);
    }
    case kFloat4:
    case kFloat8: {
      std::optional<double> d = AsDouble(v);
      if (!d) break;
      return FloatText(*d);
    }
    case kNumeric: {
      std::optional<std::string> s = DecimalText(v, type);
      if (!s) break;
      return s;
    }
    case kBytea: {
      const std::string& bytes =
          std::holds_alternative<Blob>(v) ? std::get<Blob>(v).bytes : CellText(v);
      static const char* kHex = "0123456789abcdef";
      std::string out = "\\x";
      for (unsigned char c : bytes) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
      return out;
    }
    default:
      if (const auto* d = std::get_if<double>(&v)) return FloatText(*d);
      return CellText(v);
  }
  *error = Mismatch(v, type);
  return std::nullopt;
}

std::optional<std::string> EncodeBinary(const Value& v, const PgType& type, std::string* error) {
  if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
  std::string out;
  switch (type.oid) {
    case kBool: {
      std::optional<bool> b = AsBool(v);
      if (!b) break;
      return std::string(1, *b ? '\1' : '\0');
    }
    case kInt2:
    case kInt4:
    case kOid:
    case kInt8: {
      std::optional<int64_t> i = AsInt(v);
      if (!i) break;
      const int bytes = type.oid == kInt8 ? 8 : type.oid == kInt2 ? 2 : 4;
      Put(&out, static_cast<uint64_t>(*i), bytes);
      return out;
    }
    case kFloat4: {
      std::optional<double> d = AsDouble(v);
      if (!d) break;
      const auto f = static_cast<float>(*d);
      uint32_t bits = 0;
      std::memcpy(&bits, &f, 4);
      Put(&out, bits, 4);
      return out;
    }
    case kFloat8: {
      std::optional<double> d = AsDouble(v);
      if (!d) break;
      uint64_t bits = 0;
      std::memcpy(&bits, &*d, 8);
      Put(&out, bits, 8);
      return out;
    }
    case kNumeric: {
      std::optional<std::string> s = DecimalText(v, type);
      std::optional<std::string> b = s ? NumericBinary(*s) : std::nullopt;
      if (!b) break;
      return b;
    }
    case kDate: {
      const auto* s = std::get_if<std::string>(&v);
      std::optional<int32_t> days = s ? PgDays(*s) : std::nullopt;
      if (!days || s->size() != 10) break;
      Put(&out, static_cast<uint32_t>(*days), 4);
      return out;
    }
    case kTimestamp:
    case kTimestampTz: {
      const auto* s = std::get_if<std::string>(&v);
      std::optional<int64_t> micros = s ? PgMicros(*s) : std::nullopt;
      if (!micros) break;
      Put(&out, static_cast<uint64_t>(*micros), 8);
      return out;
    }
    case kBytea:
      return std::holds_alternative<Blob>(v) ? std::get<Blob>(v).bytes : CellText(v);
    default:
      return EncodeText(v, type, error);
  }
  *error = Mismatch(v, type);
  return std::nullopt;
}

std::optional<std::string> ParameterLiteral(const std::optional<std::string>& value, uint32_t oid,
                                            bool binary, std::string* error) {
  if (!value) return std::string("NULL");
  const std::string& v = *value;
  if (!binary) {
    switch (oid) {
      case kInt2:
      case kInt4:
      case kInt8:
      case kOid:
      case kFloat4:
      case kFloat8:
      case kNumeric: {
        char* end = nullptr;
        std::strtod(v.c_str(), &end);
        if (v.empty() || end != v.c_str() + v.size() || v.find_first_of("xXnN") != v.npos) {
          *error = "parameter '" + v.substr(0, 40) + "' is not a number";
          return std::nullopt;
        }
        return "(" + v + ")";
      }
      case kBool:
        return std::string(v == "t" || v == "true" || v == "1" || v == "on" ? "1" : "0");
      case 0:
      case kUnknown:
        return QuoteLiteral(v, /*may_be_number=*/true);
      default:
        return QuoteLiteral(v, /*may_be_number=*/false);
    }
  }
  auto size_is = [&](size_t n) {
    if (v.size() == n) return true;
    *error = "binary parameter of type " + std::to_string(oid) + " has " +
             std::to_string(v.size()) + " bytes, not " + std::to_string(n);
    return false;
  };
  switch (oid) {
    case kBool:
      if (!size_is(1)) return std::nullopt;
      return std::string(v[0] ? "1" : "0");
    case kInt2:
      if (!size_is(2)) return std::nullopt;
      return std::to_string(static_cast<int16_t>(Get(v)));
    case kInt4:
    case kOid:
      if (!size_is(4)) return std::nullopt;
      return "(" + std::to_string(static_cast<int32_t>(Get(v))) + ")";
    case kInt8:
      if (!size_is(8)) return std::nullopt;
      return "(" + std::to_string(static_cast<int64_t>(Get(v))) + ")";
    case kFloat4: {
      if (!size_is(4)) return std::nullopt;
      const auto bits = static_cast<uint32_t>(Get(v));
      float f = 0;
      std::memcpy(&f, &bits, 4);
      if (!std::isfinite(f)) return std::string("NULL");
      return "(" + CellText(Value(static_cast<double>(f))) + ")";
    }
    case kFloat8: {
      if (!size_is(8)) return std::nullopt;
      const uint64_t bits = Get(v);
      double d = 0;
      std::memcpy(&d, &bits, 8);
      if (!std::isfinite(d)) return std::string("NULL");
      return "(" + CellText(Value(d)) + ")";
    }
    case kNumeric: {
      std::optional<std::string> s = NumericFromBinary(v);
      if (!s) {
        *error = "malformed binary numeric parameter";
        return std::nullopt;
      }
      return "(" + *s + ")";
    }
    case kDate:
      if (!size_is(4)) return std::nullopt;
      return QuoteLiteral(FormatPgDate(static_cast<int32_t>(Get(v))), false);
    case kTimestamp:
    case kTimestampTz:
      if (!size_is(8)) return std::nullopt;
      return QuoteLiteral(FormatPgTimestamp(static_cast<int64_t>(Get(v))), false);
    case kBytea: {
      static const char* kHex = "0123456789abcdef";
      std::string out = "X'";
      for (unsigned char c : v) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
      return out + "'";
    }
    case kText:
    case kVarchar:
    case kName:
    case kUnknown:
    case 0:
      return QuoteLiteral(v, oid == 0);
    default:
      *error = "binary parameters of type " + std::to_string(oid) + " are not supported";
      return std::nullopt;
  }
}

}  // namespace saleslake::sql::pgwire
