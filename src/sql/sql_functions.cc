#include "sql/sql_functions.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include "base/clock.h"

namespace saleslake::sql {
namespace {

constexpr int kMaxScale = 4;
constexpr int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

// The state of sum/total/avg/decimal_sum: an exact 128-bit sum at the largest scale seen, as long
// as every input is an integer or a short decimal; a compensated double sum beside it for the
// inputs that are not (then the result is a REAL, as SQLite's own would be).
// sqlite3_aggregate_context gives 8-byte aligned memory: the 128-bit sum is declared with that
// alignment (x86-64 and arm64 load it unaligned without fault).
typedef __int128 Int128Align8 __attribute__((aligned(8)));

struct SumState {
  Int128Align8 exact = 0;
  int scale = 0;
  bool any_real = false;  // (zero-filled by SQLite: every flag starts false)
  bool inexact = false;
  double fsum = 0;  // Neumaier-compensated sum of every input, used once inexact
  double fcomp = 0;
  int64_t count = 0;
  int round_scale = 0;  // avg(x, s): the scale the average is rounded to (half away from zero)
};

void AddFloat(SumState* s, double v) {
  const double t = s->fsum + v;
  if (std::fabs(s->fsum) >= std::fabs(v)) {
    s->fcomp += (s->fsum - t) + v;
  } else {
    s->fcomp += (v - t) + s->fsum;
  }
  s->fsum = t;
}

void Rescale(SumState* s, int scale) {
  if (scale > s->scale) {
    s->exact *= kPow10[scale - s->scale];
    s->scale = scale;
  }
}

void Accumulate(sqlite3_context* ctx, sqlite3_value* arg, int sign) {
  int type = sqlite3_value_numeric_type(arg);
  if (type == SQLITE_NULL) return;
  auto* s = static_cast<SumState*>(sqlite3_aggregate_context(ctx, sizeof(SumState)));
  if (s == nullptr) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  s->count += sign;
  if (type == SQLITE_INTEGER) {
    const int64_t v = sqlite3_value_int64(arg);
    AddFloat(s, sign * static_cast<double>(v));
    s->exact += sign * static_cast<__int128>(v) * kPow10[s->scale];
    return;
  }
  // REAL (TEXT and BLOB arguments read as numbers the way SQLite's sum does: 0 when not one).
  const double v = type == SQLITE_FLOAT ? sqlite3_value_double(arg) : 0.0;
  AddFloat(s, sign * v);
  s->any_real = true;
  if (s->inexact) return;
  std::optional<ScaledValue> d = RecoverDecimal(v);
  if (!d) {
    s->inexact = true;
    return;
  }
  Rescale(s, d->scale);
  s->exact += sign * static_cast<__int128>(d->unscaled) * kPow10[s->scale - d->scale];
}

void SumStep(sqlite3_context* ctx, int, sqlite3_value** argv) { Accumulate(ctx, argv[0], 1); }

// avg(x, s): the second argument is the scale of the result (a constant).
void RoundedAvgStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  Accumulate(ctx, argv[0], 1);
  auto* s = static_cast<SumState*>(sqlite3_aggregate_context(ctx, 0));
  if (s != nullptr) s->round_scale = std::clamp(sqlite3_value_int(argv[1]), 0, kMaxScale + 2);
}
void SumInverse(sqlite3_context* ctx, int, sqlite3_value** argv) { Accumulate(ctx, argv[0], -1); }

double ExactToDouble(const SumState& s) {
  // strtod of the exact decimal text rounds correctly, so a sum shows its exact paise whenever a
  // double can hold them.
  const std::string text = FormatScaled128(s.exact, s.scale);
  return std::strtod(text.c_str(), nullptr);
}

// kind: 0 sum, 1 total, 2 avg, 3 decimal_sum, 4 avg rounded at a scale
template <int kind>
void SumResult(sqlite3_context* ctx) {
  auto* s = static_cast<SumState*>(sqlite3_aggregate_context(ctx, 0));
  if (s == nullptr || s->count == 0) {
    if (kind == 1) {
      sqlite3_result_double(ctx, 0.0);
    } else {
      sqlite3_result_null(ctx);
    }
    return;
  }
  if (s->inexact) {
    const double total = s->fsum + s->fcomp;
    if (kind == 2) {
      sqlite3_result_double(ctx, total / static_cast<double>(s->count));
    } else if (kind == 3) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", total);
      sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
    } else {
      sqlite3_result_double(ctx, total);
    }
    return;
  }
  if (kind == 3) {
    const std::string text = FormatScaled128(s->exact, s->scale);
    sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return;
  }
  if (kind == 2) {
    sqlite3_result_double(ctx, ExactAverage(s->exact, s->scale, s->count));
    return;
  }
  if (kind == 4) {
    sqlite3_result_double(ctx, RoundedAverage(s->exact, s->scale, s->count, s->round_scale));
    return;
  }
  if (kind == 0 && !s->any_real) {
    if (s->exact > INT64_MAX || s->exact < INT64_MIN) {
      sqlite3_result_error(ctx, "integer overflow", -1);
      return;
    }
    sqlite3_result_int64(ctx, static_cast<int64_t>(s->exact));
    return;
  }
  sqlite3_result_double(ctx, ExactToDouble(*s));
}

template <int kind>
void SumFinal(sqlite3_context* ctx) {
  SumResult<kind>(ctx);
}

// --- timestamps --------------------------------------------------------------------------------

std::optional<int64_t> TimestampArg(sqlite3_value* v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      return sqlite3_value_int64(v) * 1000000;
    case SQLITE_FLOAT: {
      const double d = sqlite3_value_double(v);
      if (!std::isfinite(d) || std::fabs(d) > 9e12) return std::nullopt;
      return static_cast<int64_t>(std::llround(d * 1e6));
    }
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
      return ParseTimestampText(std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(v))));
    }
    default:
      return std::nullopt;
  }
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

template <int part>  // 0 year 1 month 2 day 3 hour 4 minute 5 quarter
void PartFunction(sqlite3_context* ctx, int, sqlite3_value** argv) {
  std::optional<int64_t> t = TimestampArg(argv[0]);
  if (!t) {
    sqlite3_result_null(ctx);
    return;
  }
  const int64_t days = FloorDiv(*t, kMicrosPerDay);
  const int64_t in_day = *t - days * kMicrosPerDay;
  const CivilDate d = CivilFromDays(days);
  int64_t r = 0;
  switch (part) {
    case 0:
      r = d.year;
      break;
    case 1:
      r = d.month;
      break;
    case 2:
      r = d.day;
      break;
    case 3:
      r = in_day / 3600000000;
      break;
    case 4:
      r = in_day / 60000000 % 60;
      break;
    default:
      r = (d.month - 1) / 3 + 1;
      break;
  }
  sqlite3_result_int64(ctx, r);
}

void DateTruncFunction(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
    sqlite3_result_error(ctx, "date_trunc: the first argument is a unit such as 'month'", -1);
    return;
  }
  std::string unit(reinterpret_cast<const char*>(sqlite3_value_text(argv[0])));
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::optional<int64_t> t = TimestampArg(argv[1]);
  if (!t) {
    sqlite3_result_null(ctx);
    return;
  }
  const int64_t days = FloorDiv(*t, kMicrosPerDay);
  const CivilDate d = CivilFromDays(days);
  int64_t out = 0;
  if (unit == "year") {
    out = DaysFromCivil({d.year, 1, 1}) * kMicrosPerDay;
  } else if (unit == "quarter") {
    out = DaysFromCivil({d.year, (d.month - 1) / 3 * 3 + 1, 1}) * kMicrosPerDay;
  } else if (unit == "month") {
    out = DaysFromCivil({d.year, d.month, 1}) * kMicrosPerDay;
  } else if (unit == "week") {
    // 1970-01-01 was a Thursday: Monday-based weeks start 3 days before it.
    out = (FloorDiv(days + 3, 7) * 7 - 3) * kMicrosPerDay;
  } else if (unit == "day") {
    out = days * kMicrosPerDay;
  } else if (unit == "hour") {
    out = FloorDiv(*t, 3600000000) * 3600000000;
  } else if (unit == "minute") {
    out = FloorDiv(*t, 60000000) * 60000000;
  } else if (unit == "second") {
    out = FloorDiv(*t, 1000000) * 1000000;
  } else {
    const std::string msg = "date_trunc: unknown unit '" + unit +
                            "' (year, quarter, month, week, day, hour, minute, second)";
    sqlite3_result_error(ctx, msg.c_str(), -1);
    return;
  }
  const std::string text = FormatSqlTimestamp(out);
  sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

}  // namespace

std::optional<ScaledValue> RecoverDecimal(double v) {
  if (v == 0) return ScaledValue{0, 0};
  if (!std::isfinite(v)) return std::nullopt;
  constexpr double kLimit = 17592186044416.0;   // 2^44
  constexpr double kTolerance = 1.0 / 1048576;  // 2^-20
  for (int s = 0; s <= kMaxScale; ++s) {
    const double scaled = v * static_cast<double>(kPow10[s]);
    if (std::fabs(scaled) >= kLimit) return std::nullopt;
    const double rounded = std::nearbyint(scaled);
    if (rounded != 0 && std::fabs(scaled - rounded) <= kTolerance) {
      return ScaledValue{static_cast<int64_t>(rounded), s};
    }
  }
  return std::nullopt;
}

double ExactAverage(__int128 unscaled, int scale, int64_t count) {
  while (scale > 0 && unscaled % 10 == 0) {
    unscaled /= 10;
    --scale;
  }
  long double v = static_cast<long double>(unscaled);
  for (int i = 0; i < scale; ++i) v /= 10;
  return static_cast<double>(v / static_cast<long double>(count));
}

__int128 DivideRoundHalfAway(__int128 num, __int128 den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const __int128 q = num / den;
  const __int128 r = num % den;
  if (2 * (r < 0 ? -r : r) >= den) return num < 0 ? q - 1 : q + 1;
  return q;
}

double ScaledToDouble(__int128 unscaled, int scale) {
  const std::string text = FormatScaled128(unscaled, scale);
  return std::strtod(text.c_str(), nullptr);
}

double RoundedAverage(__int128 unscaled, int scale, int64_t count, int out_scale) {
  __int128 num = unscaled;
  __int128 den = count;
  for (int i = scale; i < out_scale; ++i) num *= 10;
  for (int i = out_scale; i < scale; ++i) den *= 10;
  return ScaledToDouble(DivideRoundHalfAway(num, den), out_scale);
}

std::string FormatScaled128(__int128 unscaled, int scale) {
  const bool negative = unscaled < 0;
  unsigned __int128 u = negative ? -static_cast<unsigned __int128>(unscaled)
                                 : static_cast<unsigned __int128>(unscaled);
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u != 0);
  while (static_cast<int>(digits.size()) <= scale) digits.push_back('0');
  std::string out;
  if (negative) out.push_back('-');
  for (size_t i = digits.size(); i-- > 0;) {
    out.push_back(digits[i]);
    if (scale > 0 && i == static_cast<size_t>(scale)) out.push_back('.');
  }
  return out;
}

std::optional<int64_t> ParseTimestampText(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  Result<int64_t> r = ParseIso8601Micros(text);
  if (!r.ok()) return std::nullopt;
  return *r;
}

void AppendSqlTimestamp(std::string* out, int64_t micros) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t rest = micros - days * kMicrosPerDay;
  const CivilDate d = CivilFromDays(days);
  const int64_t secs = rest / 1000000;
  const int64_t frac = rest % 1000000;
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", d.year, d.month, d.day,
                        static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                        static_cast<int>(secs % 60));
  if (frac != 0) {
    n += std::snprintf(buf + n, sizeof buf - static_cast<size_t>(n), ".%06d",
                       static_cast<int>(frac));
    while (buf[n - 1] == '0') --n;
  }
  out->append(buf, static_cast<size_t>(n));
}

std::string FormatSqlTimestamp(int64_t micros) {
  std::string out;
  AppendSqlTimestamp(&out, micros);
  return out;
}

int RegisterSqlFunctions(sqlite3* db) {
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  struct Agg {
    const char* name;
    void (*final)(sqlite3_context*);
    void (*value)(sqlite3_context*);
  };
  const Agg aggs[] = {{"sum", SumFinal<0>, SumResult<0>},
                      {"total", SumFinal<1>, SumResult<1>},
                      {"avg", SumFinal<2>, SumResult<2>},
                      {"decimal_sum", SumFinal<3>, SumResult<3>}};
  for (const Agg& a : aggs) {
    int rc = sqlite3_create_window_function(db, a.name, 1, kFlags, nullptr, SumStep, a.final,
                                            a.value, SumInverse, nullptr);
    if (rc != SQLITE_OK) return rc;
  }
  int rc = sqlite3_create_window_function(db, "avg", 2, kFlags, nullptr, RoundedAvgStep,
                                          SumFinal<4>, SumResult<4>, SumInverse, nullptr);
  if (rc != SQLITE_OK) return rc;
  struct Scalar {
    const char* name;
    int args;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
  };
  const Scalar scalars[] = {{"date_trunc", 2, DateTruncFunction}, {"year", 1, PartFunction<0>},
                            {"month", 1, PartFunction<1>},        {"day", 1, PartFunction<2>},
                            {"hour", 1, PartFunction<3>},         {"minute", 1, PartFunction<4>},
                            {"quarter", 1, PartFunction<5>}};
  for (const Scalar& s : scalars) {
    int rc = sqlite3_create_function_v2(db, s.name, s.args, kFlags, nullptr, s.fn, nullptr, nullptr,
                                        nullptr);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

}  // namespace saleslake::sql
