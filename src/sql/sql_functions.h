// Functions the query engine adds to SQLite:
//   sum(x), total(x), avg(x)  exact replacements of SQLite's own (also as window functions): see
//                             ExactSum below; sum of integers stays an INTEGER.
//   avg(x, s)                 the exact average rounded half away from zero to s digits (the
//                             Trino dialect's AVG of a DECIMAL with scale s).
//   decimal_sum(x)            the exact sum as decimal TEXT ("123456789012.34"), any magnitude,
//                             with as many fraction digits as the inputs needed (0.10 needs one).
//   date_trunc(unit, ts)      'YYYY-MM-DD HH:MM:SS' at the start of the year, quarter, month,
//                             week (Monday), day, hour, minute or second holding ts.
//   year(ts) month(ts) day(ts) hour(ts) minute(ts) quarter(ts)  INTEGER parts of ts.
// A ts is text SQLite's date functions read ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS[.f]', with 'T'
// and 'Z' allowed) or a number of seconds since the epoch; anything else gives NULL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;

namespace saleslake::sql {

// Registers every function above on `db`; SQLite's result code.
int RegisterSqlFunctions(sqlite3* db);

// The exact value of a REAL that stands for a decimal: the integer u and scale s (0..4) of the
// fewest fraction digits such that v * 10^s lies within 2^-20 of u (u != 0 unless v == 0), and
// |v * 10^s| < 2^44. A DECIMAL(18,2) value read as the nearest double always comes back exactly;
// so do sums, differences and integer multiples of such values (their rounding error is far
// below 2^-20 of a paisa). nullopt for values that are not short decimals (1/3, 1e-9): these
// make the sum fall back to floating point.
struct ScaledValue {
  int64_t unscaled = 0;
  int scale = 0;
};
std::optional<ScaledValue> RecoverDecimal(double v);

// The average of `count` values summing to unscaled / 10^scale, as a double: the same for every
// way of writing the same sum (trailing zeros are dropped first).
double ExactAverage(__int128 unscaled, int scale, int64_t count);

// avg(x, s) of a DECIMAL: the exact average rounded half away from zero to `out_scale` digits,
// as the double nearest that decimal (Trino: AVG of DECIMAL(p,s) is DECIMAL(p,s)).
double RoundedAverage(__int128 unscaled, int scale, int64_t count, int out_scale);

// num / den rounded half away from zero (den != 0).
__int128 DivideRoundHalfAway(__int128 num, __int128 den);

// The double nearest the decimal unscaled / 10^scale.
double ScaledToDouble(__int128 unscaled, int scale);

// Text of the exact decimal `unscaled / 10^scale` (any 128-bit value).
std::string FormatScaled128(__int128 unscaled, int scale);

// Parses a timestamp argument (see above) into microseconds since the epoch.
std::optional<int64_t> ParseTimestampText(std::string_view text);

// 'YYYY-MM-DD HH:MM:SS[.ffffff]' (fraction only when non-zero): how timestamps show in SQL.
std::string FormatSqlTimestamp(int64_t micros);
void AppendSqlTimestamp(std::string* out, int64_t micros);

}  // namespace saleslake::sql
