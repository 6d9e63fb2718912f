// When sales happen: timestamps in [now - days, now] that fall inside store hours (10:00-21:30 in
// the stores' local time) with the shape of real retail: a slow morning, a lunch bump, a busy
// evening, busier weekends and paydays. Timestamps are UTC and written like Python's
// datetime.isoformat() (the seed's format): "2026-11-26T13:42:07.120931", no offset.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "generator/random.h"

namespace saleslake::generator {

constexpr int kStoreOpenMinute = 10 * 60;        // local time
constexpr int kStoreCloseMinute = 21 * 60 + 30;  // exclusive
constexpr int32_t kIndiaUtcOffsetSeconds = 5 * 3600 + 30 * 60;
// "YYYY-MM-DDTHH:MM:SS.ffffff"
constexpr size_t kTimestampMaxBytes = 26;

class SaleTimeSampler {
 public:
  // REQUIRES for success: days >= 1 (any window of a day or more holds a whole store day).
  static Result<SaleTimeSampler> Create(int64_t now_micros, int days, int32_t utc_offset_seconds);

  // A UTC instant in [now - days, now], inside store hours.
  int64_t Sample(Rng& rng) const;

  int64_t window_start() const { return window_start_; }
  int64_t window_end() const { return window_end_; }

 private:
  struct Day {
    int64_t open_utc;  // store opening, UTC micros
    int64_t first_ok;  // the part of the store day inside the window
    int64_t last_ok;   // inclusive
  };
  int64_t window_start_ = 0;
  int64_t window_end_ = 0;
  std::vector<Day> days_;
  AliasTable day_table_;
  AliasTable minute_table_;  // minute of the store day, from opening
};

// Writes `micros` (UTC) as ISO 8601 without offset at `out`; returns the end. Fraction digits
// are written only when the sub-second part is not zero, like Python's isoformat().
char* WriteIsoTimestamp(int64_t micros, char* out);

}  // namespace saleslake::generator
