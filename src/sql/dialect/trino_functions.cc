#include "sql/dialect/trino_functions.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/strings.h"
#include "sql/dialect/dialect_internal.h"
#include "sql/sql_functions.h"

namespace saleslake::sql {
namespace {

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

std::string_view Text(sqlite3_value* v) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
  return p ? std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(v))) : std::string_view();
}

void ResultText(sqlite3_context* ctx, const std::string& s) {
  sqlite3_result_text(ctx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

void Fail(sqlite3_context* ctx, const std::string& message) {
  sqlite3_result_error(ctx, message.c_str(), static_cast<int>(message.size()));
}

// A cast that cannot convert: NULL for TRY_CAST, else Trino's error.
void CastFailed(sqlite3_context* ctx, sqlite3_value* v, bool try_cast, const char* type) {
  if (try_cast) {
    sqlite3_result_null(ctx);
    return;
  }
  const std::string shown = sqlite3_value_type(v) == SQLITE_TEXT ? "'" + std::string(Text(v)) + "'"
                                                                 : std::string(Text(v));
  Fail(ctx, fmt::format("Cannot cast {} to {}", shown, type));
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

const __int128 kPow10_38[] = {1,
                              10,
                              100,
                              1000,
                              10000,
                              100000,
                              1000000,
                              10000000,
                              100000000,
                              1000000000,
                              static_cast<__int128>(10000000000LL),
                              static_cast<__int128>(100000000000LL),
                              static_cast<__int128>(1000000000000LL),
                              static_cast<__int128>(10000000000000LL),
                              static_cast<__int128>(100000000000000LL),
                              static_cast<__int128>(1000000000000000LL),
                              static_cast<__int128>(10000000000000000LL),
                              static_cast<__int128>(100000000000000000LL),
                              static_cast<__int128>(1000000000000000000LL)};

__int128 Pow10(int n) {
  __int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return n < 19 ? kPow10_38[n] : p;
}

// An exact decimal: integers at scale 0, REALs that stand for short decimals (RecoverDecimal).
struct Dec {
  __int128 unscaled = 0;
  int scale = 0;
};
std::optional<Dec> ExactDecimal(sqlite3_value* v) {
  if (sqlite3_value_type(v) == SQLITE_INTEGER) return Dec{sqlite3_value_int64(v), 0};
  if (sqlite3_value_type(v) != SQLITE_FLOAT) return std::nullopt;
  std::optional<ScaledValue> d = RecoverDecimal(sqlite3_value_double(v));
  if (!d) return std::nullopt;
  return Dec{d->unscaled, d->scale};
}

// Decimal text ("-12.345", "7", ".5") to unscaled at `scale`, rounded half away from zero.
std::optional<__int128> ParseDecimalText(std::string_view s, int scale) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  __int128 v = 0;
  int frac = 0;
  bool dot = false, digits = false, round_up = false;
  for (char c : s) {
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    digits = true;
    if (dot && frac >= scale) {
      if (frac == scale) round_up = c >= '5';  // the first dropped digit: half away from zero
      ++frac;
      continue;
    }
    if (v > Pow10(37)) return std::nullopt;
    v = v * 10 + (c - '0');
    if (dot) ++frac;
  }
  if (!digits) return std::nullopt;
  for (int i = std::min(frac, scale); i < scale; ++i) v *= 10;
  if (round_up) ++v;
  return neg ? -v : v;
}

std::optional<int64_t> TimestampOf(sqlite3_value* v) {
  if (sqlite3_value_type(v) != SQLITE_TEXT) return std::nullopt;
  return ParseTimestampText(Text(v));
}
bool IsDateText(sqlite3_value* v) {
  return sqlite3_value_type(v) == SQLITE_TEXT && Text(v).size() == 10;
}

std::string DateText(int64_t micros) { return FormatSqlTimestamp(micros).substr(0, 10); }

// --- casts -------------------------------------------------------------------------------------

void CastDate(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const bool try_cast = sqlite3_value_int(argv[1]) != 0;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  std::optional<int64_t> t = TimestampOf(argv[0]);
  if (!t) return CastFailed(ctx, argv[0], try_cast, "DATE");
  ResultText(ctx, DateText(*t));
}

void CastTimestamp(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const bool try_cast = sqlite3_value_int(argv[1]) != 0;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  std::optional<int64_t> t = TimestampOf(argv[0]);
  if (!t) return CastFailed(ctx, argv[0], try_cast, "TIMESTAMP");
  ResultText(ctx, FormatSqlTimestamp(*t));
}

void CastVarchar(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const int scale = sqlite3_value_int(argv[1]);
  const int64_t length = sqlite3_value_int64(argv[2]);
  std::string s;
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_NULL:
      return sqlite3_result_null(ctx);
    case SQLITE_FLOAT: {
      const double d = sqlite3_value_double(argv[0]);
      if (scale >= 0 && std::isfinite(d) && std::fabs(d) < 9e15 / std::pow(10.0, scale)) {
        s = FormatScaled128(std::llround(d * std::pow(10.0, scale)), scale);
      } else {
        s = std::string(Text(argv[0]));
      }
      break;
    }
    default:
      s = std::string(Text(argv[0]));
  }
  if (length >= 0) {
    // Trino truncates to the length in characters (UTF-8 code points).
    size_t chars = 0, i = 0;
    for (; i < s.size(); ++i) {
      if ((static_cast<unsigned char>(s[i]) & 0xc0) != 0x80 &&
          chars++ == static_cast<size_t>(length))
        break;
    }
    s.resize(i);
  }
  ResultText(ctx, s);
}

void CastDecimal(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const int precision = sqlite3_value_int(argv[1]);
  const int scale = sqlite3_value_int(argv[2]);
  const bool try_cast = sqlite3_value_int(argv[3]) != 0;
  const std::string type = fmt::format("DECIMAL({},{})", precision, scale);
  std::optional<__int128> u;
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_NULL:
      return sqlite3_result_null(ctx);
    case SQLITE_INTEGER:
      u = static_cast<__int128>(sqlite3_value_int64(argv[0])) * Pow10(scale);
      break;
    case SQLITE_FLOAT: {
      std::optional<Dec> d = ExactDecimal(argv[0]);
      if (d) {
        u = d->scale <= scale ? d->unscaled * Pow10(scale - d->scale)
                              : DivideRoundHalfAway(d->unscaled, Pow10(d->scale - scale));
      } else {
        const long double x =
            static_cast<long double>(sqlite3_value_double(argv[0])) * std::pow(10.0L, scale);
        if (std::isfinite(static_cast<double>(x)) && std::fabs(x) < 1e36L)
          u = static_cast<__int128>(std::roundl(x));
      }
      break;
    }
    case SQLITE_TEXT:
      u = ParseDecimalText(Text(argv[0]), scale);
      break;
    default:
      break;
  }
  if (!u || *u >= Pow10(precision) || *u <= -Pow10(precision)) {
    return CastFailed(ctx, argv[0], try_cast, type.c_str());
  }
  sqlite3_result_double(ctx, ScaledToDouble(*u, scale));
}

void CastInteger(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const int bits = sqlite3_value_int(argv[1]);
  const bool try_cast = sqlite3_value_int(argv[2]) != 0;
  const char* type = bits == 64   ? "BIGINT"
                     : bits == 32 ? "INTEGER"
                     : bits == 16 ? "SMALLINT"
                                  : "TINYINT";
  std::optional<__int128> v;
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_NULL:
      return sqlite3_result_null(ctx);
    case SQLITE_INTEGER:
      v = sqlite3_value_int64(argv[0]);
      break;
    case SQLITE_FLOAT: {
      std::optional<Dec> d = ExactDecimal(argv[0]);
      if (d) {
        v = DivideRoundHalfAway(d->unscaled, Pow10(d->scale));
      } else {
        const double x = sqlite3_value_double(argv[0]);
        if (std::isfinite(x) && std::fabs(x) < 9.2e18) v = std::llround(x);
      }
      break;
    }
    case SQLITE_TEXT: {
      int64_t parsed = 0;
      if (dialect::ParseInt(Text(argv[0]), &parsed)) v = parsed;
      break;
    }
    default:
      break;
  }
  const __int128 limit = static_cast<__int128>(1) << (bits - 1);
  if (!v || *v >= limit || *v < -limit) return CastFailed(ctx, argv[0], try_cast, type);
  sqlite3_result_int64(ctx, static_cast<int64_t>(*v));
}

void CastDouble(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const bool try_cast = sqlite3_value_int(argv[1]) != 0;
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_NULL:
      return sqlite3_result_null(ctx);
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      return sqlite3_result_double(ctx, sqlite3_value_double(argv[0]));
    case SQLITE_TEXT: {
      std::string s(Text(argv[0]));
      char* end = nullptr;
      const double d = std::strtod(s.c_str(), &end);
      if (!s.empty() && end == s.c_str() + s.size() && s[0] != ' ')
        return sqlite3_result_double(ctx, d);
      break;
    }
    default:
      break;
  }
  CastFailed(ctx, argv[0], try_cast, "DOUBLE");
}

void CastBoolean(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const bool try_cast = sqlite3_value_int(argv[1]) != 0;
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_NULL:
      return sqlite3_result_null(ctx);
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      return sqlite3_result_int(ctx, sqlite3_value_double(argv[0]) != 0);
    case SQLITE_TEXT: {
      std::string s(Text(argv[0]));
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (s == "true" || s == "1" || s == "t") return sqlite3_result_int(ctx, 1);
      if (s == "false" || s == "0" || s == "f") return sqlite3_result_int(ctx, 0);
      break;
    }
    default:
      break;
  }
  CastFailed(ctx, argv[0], try_cast, "BOOLEAN");
}

// --- arithmetic --------------------------------------------------------------------------------

template <bool kModulo>
void DivideOrModulo(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const int ta = sqlite3_value_type(argv[0]), tb = sqlite3_value_type(argv[1]);
  if (ta == SQLITE_NULL || tb == SQLITE_NULL) return sqlite3_result_null(ctx);
  const int scale = sqlite3_value_int(argv[2]);
  if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER && scale < 0) {
    const int64_t a = sqlite3_value_int64(argv[0]), b = sqlite3_value_int64(argv[1]);
    if (b == 0) return Fail(ctx, "Division by zero");
    if (b == -1)
      return sqlite3_result_int64(ctx,
                                  kModulo ? 0 : static_cast<int64_t>(-static_cast<__int128>(a)));
    return sqlite3_result_int64(ctx, kModulo ? a % b : a / b);
  }
  const double b = sqlite3_value_double(argv[1]);
  if (scale >= 0) {
    std::optional<Dec> x = ExactDecimal(argv[0]), y = ExactDecimal(argv[1]);
    if (x && y) {
      if (y->unscaled == 0) return Fail(ctx, "Division by zero");
      if (kModulo) {
        const int s = std::max(x->scale, y->scale);
        const __int128 xa = x->unscaled * Pow10(s - x->scale),
                       ya = y->unscaled * Pow10(s - y->scale);
        return sqlite3_result_double(ctx, ScaledToDouble(xa % ya, s));
      }
      // x / y at `scale`: (xu / 10^xs) / (yu / 10^ys) * 10^scale
      const int up = scale + y->scale - x->scale;
      __int128 num = x->unscaled, den = y->unscaled;
      if (up >= 0) {
        num *= Pow10(up);
      } else {
        den *= Pow10(-up);
      }
      return sqlite3_result_double(ctx, ScaledToDouble(DivideRoundHalfAway(num, den), scale));
    }
  }
  if (b == 0 && scale != -2) return Fail(ctx, "Division by zero");
  const double a = sqlite3_value_double(argv[0]);
  sqlite3_result_double(ctx, kModulo ? std::fmod(a, b) : a / b);
}

// --- dates -------------------------------------------------------------------------------------

std::string LowerText(sqlite3_value* v) { return Lower(Text(v)); }

int64_t UnitMicros(const std::string& unit) {
  if (unit == "millisecond") return 1000;
  if (unit == "second") return 1000000;
  if (unit == "minute") return 60 * int64_t{1000000};
  if (unit == "hour") return 3600 * int64_t{1000000};
  if (unit == "day") return kMicrosPerDay;
  if (unit == "week") return 7 * kMicrosPerDay;
  return 0;
}
int UnitMonths(const std::string& unit) {
  return unit == "month" ? 1 : unit == "quarter" ? 3 : unit == "year" ? 12 : 0;
}

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

int64_t AddMonths(int64_t micros, int64_t months) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  const int64_t rest = micros - days * kMicrosPerDay;
  CivilDate d = CivilFromDays(days);
  int64_t m = static_cast<int64_t>(d.year) * 12 + (d.month - 1) + months;
  d.year = static_cast<int>(FloorDiv(m, 12));
  d.month = static_cast<int>(m - FloorDiv(m, 12) * 12) + 1;
  d.day = std::min(d.day, DaysInMonth(d.year, d.month));
  return DaysFromCivil(d) * kMicrosPerDay + rest;
}

void DateAdd(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[1]) == SQLITE_NULL || sqlite3_value_type(argv[2]) == SQLITE_NULL) {
    return sqlite3_result_null(ctx);
  }
  const std::string unit = LowerText(argv[0]);
  const int64_t n = sqlite3_value_int64(argv[1]);
  std::optional<int64_t> t = TimestampOf(argv[2]);
  if (!t) return Fail(ctx, fmt::format("date_add: '{}' is not a date or timestamp", Text(argv[2])));
  const bool date = IsDateText(argv[2]);
  int64_t r = 0;
  // Past 10,000 years either way the result is out of any calendar the engine prints.
  constexpr int64_t kMaxMonths = 120'000;
  const std::string range = fmt::format("date_add: {} {}s is out of range", n, unit);
  if (const int months = UnitMonths(unit)) {
    int64_t total = 0;
    if (__builtin_mul_overflow(n, int64_t{months}, &total) || total > kMaxMonths ||
        total < -kMaxMonths) {
      return Fail(ctx, range);
    }
    r = AddMonths(*t, total);
  } else if (const int64_t unit_micros = UnitMicros(unit)) {
    if (date && unit_micros < kMicrosPerDay) {
      return Fail(ctx, fmt::format("date_add: '{}' is not a valid DATE field", unit));
    }
    int64_t delta = 0;
    if (__builtin_mul_overflow(n, unit_micros, &delta) || delta > kMaxMonths * 31 * kMicrosPerDay ||
        delta < -kMaxMonths * 31 * kMicrosPerDay || __builtin_add_overflow(*t, delta, &r)) {
      return Fail(ctx, range);
    }
  } else {
    return Fail(ctx, fmt::format("date_add: '{}' is not a valid unit", unit));
  }
  ResultText(ctx, date ? DateText(r) : FormatSqlTimestamp(r));
}

void DateDiff(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[1]) == SQLITE_NULL || sqlite3_value_type(argv[2]) == SQLITE_NULL) {
    return sqlite3_result_null(ctx);
  }
  const std::string unit = LowerText(argv[0]);
  std::optional<int64_t> a = TimestampOf(argv[1]), b = TimestampOf(argv[2]);
  if (!a || !b) return Fail(ctx, "date_diff: the arguments must be dates or timestamps");
  if (const int months = UnitMonths(unit)) {
    const CivilDate da = CivilFromDays(FloorDiv(*a, kMicrosPerDay));
    const CivilDate db = CivilFromDays(FloorDiv(*b, kMicrosPerDay));
    int64_t m = (static_cast<int64_t>(db.year) - da.year) * 12 + (db.month - da.month);
    // A month counts only once complete: back off when b is before a shifted by m months.
    if (m > 0 && AddMonths(*a, m) > *b) --m;
    if (m < 0 && AddMonths(*a, m) < *b) ++m;
    return sqlite3_result_int64(ctx, m / months);
  }
  const int64_t unit_micros = UnitMicros(unit);
  if (unit_micros == 0) return Fail(ctx, fmt::format("date_diff: '{}' is not a valid unit", unit));
  sqlite3_result_int64(ctx, (*b - *a) / unit_micros);
}

int64_t TruncMicros(int64_t t, const std::string& unit, bool* ok) {
  *ok = true;
  const int64_t days = FloorDiv(t, kMicrosPerDay);
  CivilDate d = CivilFromDays(days);
  if (unit == "year") return DaysFromCivil({d.year, 1, 1}) * kMicrosPerDay;
  if (unit == "quarter")
    return DaysFromCivil({d.year, (d.month - 1) / 3 * 3 + 1, 1}) * kMicrosPerDay;
  if (unit == "month") return DaysFromCivil({d.year, d.month, 1}) * kMicrosPerDay;
  if (unit == "week") return (days - ((days + 3) % 7 + 7) % 7) * kMicrosPerDay;  // Monday
  const int64_t u = UnitMicros(unit);
  if (u == 0) {
    *ok = false;
    return 0;
  }
  return FloorDiv(t, u) * u;
}

void TrDateTrunc(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  const std::string unit = LowerText(argv[0]);
  std::optional<int64_t> t = TimestampOf(argv[1]);
  if (!t)
    return Fail(ctx, fmt::format("date_trunc: '{}' is not a date or timestamp", Text(argv[1])));
  bool ok = false;
  const int64_t r = TruncMicros(*t, unit, &ok);
  if (!ok) return Fail(ctx, fmt::format("date_trunc: '{}' is not a valid unit", unit));
  if (IsDateText(argv[1]) && UnitMicros(unit) != 0 && UnitMicros(unit) < kMicrosPerDay) {
    return Fail(ctx, fmt::format("date_trunc: '{}' is not a valid DATE field", unit));
  }
  ResultText(ctx, IsDateText(argv[1]) ? DateText(r) : FormatSqlTimestamp(r));
}

// ISO week and its year.
std::pair<int, int> IsoWeek(int64_t days) {
  const int64_t dow = ((days + 3) % 7 + 7) % 7;  // 0 Monday
  const int64_t thursday = days - dow + 3;
  const CivilDate d = CivilFromDays(thursday);
  const int64_t first = DaysFromCivil({d.year, 1, 1});
  return {static_cast<int>((thursday - first) / 7 + 1), d.year};
}

std::optional<int64_t> Field(const std::string& field, int64_t t) {
  const int64_t days = FloorDiv(t, kMicrosPerDay);
  const int64_t rest = t - days * kMicrosPerDay;
  const CivilDate d = CivilFromDays(days);
  if (field == "year") return d.year;
  if (field == "quarter") return (d.month - 1) / 3 + 1;
  if (field == "month") return d.month;
  if (field == "day" || field == "day_of_month") return d.day;
  if (field == "day_of_week" || field == "dow" || field == "isodow")
    return ((days + 3) % 7 + 7) % 7 + 1;
  if (field == "day_of_year" || field == "doy") return days - DaysFromCivil({d.year, 1, 1}) + 1;
  if (field == "week" || field == "week_of_year") return IsoWeek(days).first;
  if (field == "year_of_week" || field == "yow") return IsoWeek(days).second;
  if (field == "hour") return rest / 3600000000;
  if (field == "minute") return rest / 60000000 % 60;
  if (field == "second") return rest / 1000000 % 60;
  if (field == "millisecond") return rest / 1000 % 1000;
  if (field == "microsecond") return rest % 1000000;
  if (field == "epoch") return FloorDiv(t, 1000000);
  return std::nullopt;
}

void Extract(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  std::optional<int64_t> t = TimestampOf(argv[1]);
  if (!t) return Fail(ctx, fmt::format("EXTRACT: '{}' is not a date or timestamp", Text(argv[1])));
  const std::string field = LowerText(argv[0]);
  std::optional<int64_t> v = Field(field, *t);
  if (!v) return Fail(ctx, fmt::format("EXTRACT: '{}' is not a field", field));
  sqlite3_result_int64(ctx, *v);
}

template <int kField>
void FieldFunction(sqlite3_context* ctx, int, sqlite3_value** argv) {
  static const char* kNames[] = {"day_of_week", "day_of_year", "second", "week", "millisecond"};
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  std::optional<int64_t> t = TimestampOf(argv[0]);
  if (!t)
    return Fail(ctx,
                fmt::format("{}: '{}' is not a date or timestamp", kNames[kField], Text(argv[0])));
  sqlite3_result_int64(ctx, *Field(kNames[kField], *t));
}

void DateFormat(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    return sqlite3_result_null(ctx);
  }
  std::optional<int64_t> t = TimestampOf(argv[0]);
  if (!t) return Fail(ctx, fmt::format("date_format: '{}' is not a timestamp", Text(argv[0])));
  static const char* kMonths[] = {"January",   "February", "March",    "April",
                                  "May",       "June",     "July",     "August",
                                  "September", "October",  "November", "December"};
  static const char* kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                "Friday", "Saturday", "Sunday"};
  const int64_t days = FloorDiv(*t, kMicrosPerDay);
  const int64_t rest = *t - days * kMicrosPerDay;
  const CivilDate d = CivilFromDays(days);
  const int h = static_cast<int>(rest / 3600000000), mi = static_cast<int>(rest / 60000000 % 60);
  const int s = static_cast<int>(rest / 1000000 % 60), us = static_cast<int>(rest % 1000000);
  const int dow = static_cast<int>(((days + 3) % 7 + 7) % 7);
  const int h12 = h % 12 == 0 ? 12 : h % 12;
  std::string out;
  const std::string_view f = Text(argv[1]);
  for (size_t i = 0; i < f.size(); ++i) {
    // A format expands at most ~5x (%M: 9 bytes for 2); a bound keeps a hostile one small.
    if (out.size() > (size_t{1} << 20)) {
      return Fail(ctx, "date_format: the result is longer than 1 MiB");
    }
    if (f[i] != '%' || i + 1 == f.size()) {
      out += f[i];
      continue;
    }
    const char c = f[++i];
    switch (c) {
      case 'Y':
        out += fmt::format("{:04d}", d.year);
        break;
      case 'y':
        out += fmt::format("{:02d}", d.year % 100);
        break;
      case 'm':
        out += fmt::format("{:02d}", d.month);
        break;
      case 'c':
        out += std::to_string(d.month);
        break;
      case 'd':
        out += fmt::format("{:02d}", d.day);
        break;
      case 'e':
        out += std::to_string(d.day);
        break;
      case 'H':
        out += fmt::format("{:02d}", h);
        break;
      case 'k':
        out += std::to_string(h);
        break;
      case 'h':
      case 'I':
        out += fmt::format("{:02d}", h12);
        break;
      case 'l':
        out += std::to_string(h12);
        break;
      case 'i':
        out += fmt::format("{:02d}", mi);
        break;
      case 's':
      case 'S':
        out += fmt::format("{:02d}", s);
        break;
      case 'f':
        out += fmt::format("{:06d}", us);
        break;
      case 'p':
        out += h < 12 ? "AM" : "PM";
        break;
      case 'M':
        out += kMonths[d.month - 1];
        break;
      case 'b':
        out += std::string(kMonths[d.month - 1]).substr(0, 3);
        break;
      case 'W':
        out += kDays[dow];
        break;
      case 'a':
        out += std::string(kDays[dow]).substr(0, 3);
        break;
      case 'j':
        out += fmt::format("{:03d}", static_cast<int>(*Field("doy", *t)));
        break;
      case 'T':
        out += fmt::format("{:02d}:{:02d}:{:02d}", h, mi, s);
        break;
      case 'r':
        out += fmt::format("{:02d}:{:02d}:{:02d} {}", h12, mi, s, h < 12 ? "AM" : "PM");
        break;
      case '%':
        out += '%';
        break;
      default:
        return Fail(ctx, fmt::format("date_format: %{} is not supported", c));
    }
  }
  ResultText(ctx, out);
}

void FromIso8601(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  std::optional<int64_t> t = TimestampOf(argv[0]);
  if (!t)
    return Fail(ctx, fmt::format("from_iso8601_timestamp: '{}' is not ISO 8601", Text(argv[0])));
  ResultText(ctx, FormatSqlTimestamp(*t));
}

void FromIso8601Date(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  Result<std::string> d = dialect::CastToDate(Text(argv[0]));
  if (!d.ok())
    return Fail(ctx, fmt::format("from_iso8601_date: '{}' is not ISO 8601", Text(argv[0])));
  ResultText(ctx, *d);
}

void Now(sqlite3_context* ctx, int, sqlite3_value**) {
  ResultText(ctx, FormatSqlTimestamp(NowMicros() / 1000 * 1000));
}

// --- aggregates --------------------------------------------------------------------------------

void CountIfStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto* n = static_cast<int64_t*>(sqlite3_aggregate_context(ctx, sizeof(int64_t)));
  if (n == nullptr) return sqlite3_result_error_nomem(ctx);
  if (sqlite3_value_type(argv[0]) != SQLITE_NULL && sqlite3_value_double(argv[0]) != 0) ++*n;
}
void CountIfFinal(sqlite3_context* ctx) {
  auto* n = static_cast<int64_t*>(sqlite3_aggregate_context(ctx, 0));
  sqlite3_result_int64(ctx, n ? *n : 0);
}

struct PickState {
  sqlite3_value* value;  // the value kept (a copy)
  sqlite3_value* key;    // max_by/min_by: its key
};

// SQLite's order of values: NULL < numbers < text < blob; numbers by value, text by bytes.
int Compare(sqlite3_value* a, sqlite3_value* b) {
  auto rank = [](int t) {
    return t == SQLITE_NULL                           ? 0
           : t == SQLITE_INTEGER || t == SQLITE_FLOAT ? 1
           : t == SQLITE_TEXT                         ? 2
                                                      : 3;
  };
  const int ra = rank(sqlite3_value_type(a)), rb = rank(sqlite3_value_type(b));
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 1) {
    if (sqlite3_value_type(a) == SQLITE_INTEGER && sqlite3_value_type(b) == SQLITE_INTEGER) {
      const int64_t x = sqlite3_value_int64(a), y = sqlite3_value_int64(b);
      return x < y ? -1 : x > y;
    }
    const double x = sqlite3_value_double(a), y = sqlite3_value_double(b);
    return x < y ? -1 : x > y;
  }
  const int na = sqlite3_value_bytes(a), nb = sqlite3_value_bytes(b);
  const void* pa =
      ra == 2 ? static_cast<const void*>(sqlite3_value_text(a)) : sqlite3_value_blob(a);
  const void* pb =
      ra == 2 ? static_cast<const void*>(sqlite3_value_text(b)) : sqlite3_value_blob(b);
  const int c = std::memcmp(pa, pb, static_cast<size_t>(std::min(na, nb)));
  return c != 0 ? c : (na < nb ? -1 : na > nb);
}

void ArbitraryStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto* s = static_cast<PickState*>(sqlite3_aggregate_context(ctx, sizeof(PickState)));
  if (s == nullptr) return sqlite3_result_error_nomem(ctx);
  if (s->value == nullptr && sqlite3_value_type(argv[0]) != SQLITE_NULL)
    s->value = sqlite3_value_dup(argv[0]);
}

template <int kSign>  // +1 max_by, -1 min_by
void PickByStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto* s = static_cast<PickState*>(sqlite3_aggregate_context(ctx, sizeof(PickState)));
  if (s == nullptr) return sqlite3_result_error_nomem(ctx);
  if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return;
  if (s->key != nullptr && Compare(argv[1], s->key) * kSign <= 0) return;
  sqlite3_value_free(s->key);
  sqlite3_value_free(s->value);
  s->key = sqlite3_value_dup(argv[1]);
  s->value = sqlite3_value_dup(argv[0]);
}

void PickFinal(sqlite3_context* ctx) {
  auto* s = static_cast<PickState*>(sqlite3_aggregate_context(ctx, 0));
  if (s == nullptr || s->value == nullptr) {
    sqlite3_result_null(ctx);
  } else {
    sqlite3_result_value(ctx, s->value);
  }
  if (s != nullptr) {
    sqlite3_value_free(s->value);
    sqlite3_value_free(s->key);
    s->value = s->key = nullptr;
  }
}

}  // namespace

int RegisterTrinoFunctions(sqlite3* db) {
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  struct Scalar {
    const char* name;
    int args;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
  };
  const Scalar scalars[] = {{"tr_cast_date", 2, CastDate},
                            {"tr_cast_timestamp", 2, CastTimestamp},
                            {"tr_cast_varchar", 3, CastVarchar},
                            {"tr_cast_decimal", 4, CastDecimal},
                            {"tr_cast_integer", 3, CastInteger},
                            {"tr_cast_double", 2, CastDouble},
                            {"tr_cast_boolean", 2, CastBoolean},
                            {"tr_divide", 3, DivideOrModulo<false>},
                            {"tr_modulo", 3, DivideOrModulo<true>},
                            {"tr_date_trunc", 2, TrDateTrunc},
                            {"tr_extract", 2, Extract},
                            {"date_add", 3, DateAdd},
                            {"date_diff", 3, DateDiff},
                            {"date_format", 2, DateFormat},
                            {"day_of_week", 1, FieldFunction<0>},
                            {"dow", 1, FieldFunction<0>},
                            {"day_of_year", 1, FieldFunction<1>},
                            {"doy", 1, FieldFunction<1>},
                            {"second", 1, FieldFunction<2>},
                            {"week", 1, FieldFunction<3>},
                            {"week_of_year", 1, FieldFunction<3>},
                            {"millisecond", 1, FieldFunction<4>},
                            {"from_iso8601_timestamp", 1, FromIso8601},
                            {"from_iso8601_date", 1, FromIso8601Date}};
  for (const Scalar& s : scalars) {
    int rc = sqlite3_create_function_v2(db, s.name, s.args, kFlags, nullptr, s.fn, nullptr, nullptr,
                                        nullptr);
    if (rc != SQLITE_OK) return rc;
  }
  int rc = sqlite3_create_function_v2(db, "now", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, nullptr, Now,
                                      nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return rc;
  struct Agg {
    const char* name;
    int args;
    void (*step)(sqlite3_context*, int, sqlite3_value**);
    void (*final)(sqlite3_context*);
  };
  const Agg aggs[] = {{"count_if", 1, CountIfStep, CountIfFinal},
                      {"arbitrary", 1, ArbitraryStep, PickFinal},
                      {"max_by", 2, PickByStep<1>, PickFinal},
                      {"min_by", 2, PickByStep<-1>, PickFinal}};
  for (const Agg& a : aggs) {
    rc = sqlite3_create_function_v2(db, a.name, a.args, kFlags, nullptr, nullptr, a.step, a.final,
                                    nullptr);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

}  // namespace saleslake::sql
