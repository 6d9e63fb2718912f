// The SQLite functions the Trino dialect's rewrite calls (dialect.h), and Trino's own functions
// by their Trino names. Dates are 'YYYY-MM-DD' text, timestamps 'YYYY-MM-DD HH:MM:SS[.ffffff]'
// text in UTC (as the lake's columns read); each function fails with Trino's message where
// Trino fails (a bad cast, a division by zero) rather than answer NULL as SQLite would.
//
//   tr_cast_date(x, try) tr_cast_timestamp(x, try) tr_cast_varchar(x, scale, length)
//   tr_cast_decimal(x, p, s, try) tr_cast_integer(x, bits, try) tr_cast_double(x, try)
//   tr_cast_boolean(x, try)          CAST/TRY_CAST (try = 1: NULL instead of an error)
//   tr_divide(a, b, scale) tr_modulo(a, b, scale)
//                                    a / b and a % b: integers as Trino (truncated), DECIMAL
//                                    quotients rounded half away from zero at `scale` (>= 0),
//                                    -2 doubles (IEEE: x/0 is Infinity), -1 unknown types; a zero
//                                    divisor of integers, decimals or unknown types fails
//                                    "Division by zero"
//   tr_date_trunc(unit, x) tr_extract(field, x)
//   date_add(unit, n, x) date_diff(unit, a, b) date_format(x, format) day_of_week(x) dow(x)
//   day_of_year(x) doy(x) second(x) week(x) week_of_year(x) from_iso8601_timestamp(text)
//   from_iso8601_date(text) now()
//   count_if(x) arbitrary(x) max_by(x, y) min_by(x, y)   aggregates
#pragma once

struct sqlite3;

namespace saleslake::sql {

// Registers every function above on `db`; SQLite's result code.
int RegisterTrinoFunctions(sqlite3* db);

}  // namespace saleslake::sql
