// Time: the wall clock, civil dates and ISO 8601 text. All times are UTC microseconds since the
// Unix epoch (int64), the unit of Parquet TIMESTAMP(MICROS).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake {

int64_t NowMicros();        // wall clock
int64_t MonotonicMicros();  // for durations

struct CivilDate {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
int64_t DaysFromCivil(CivilDate d);
CivilDate CivilFromDays(int64_t days);

// "2026-11-26T10:20:01.123Z" and "2026-11-26T10:20:01.123456Z".
std::string FormatIso8601Millis(int64_t micros);
std::string FormatIso8601Micros(int64_t micros);
// "2026-11-26T10:20:01" or with a fraction when non-zero ("...:01.5", up to 6 digits): the
// generator's format (no offset; the clock is UTC).
std::string FormatIso8601Local(int64_t micros);

// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.f{1,9}]]" with an optional "Z" or "±HH:MM" offset
// (a space may stand for 'T'). Without an offset the time is taken as UTC. Fractions beyond
// microseconds are truncated. Rejects out-of-range fields (month 13, Feb 30, hour 24, ...).
Result<int64_t> ParseIso8601Micros(std::string_view text);

// Parses "+05:30", "-08:00", "+00:00", "Z" into seconds east of UTC.
Result<int32_t> ParseUtcOffset(std::string_view text);

// Parses durations such as "15m", "30s", "2h", "1h30m", "500ms" into microseconds.
Result<int64_t> ParseDurationMicros(std::string_view text);

}  // namespace saleslake
