#include "generator/sale_time.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>

#include "base/clock.h"

namespace saleslake::generator {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;
constexpr int kStoreMinutes = kStoreCloseMinute - kStoreOpenMinute;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Relative footfall per local hour, 10:00 to 21:00 (the last hour is half an hour long).
constexpr std::array<uint64_t, 12> kHourWeight = {35, 55, 75,  85,  70,  65,
                                                  75, 95, 125, 150, 140, 90};
// Relative sales per weekday, Sunday first: weekends are the big days in Indian retail.
constexpr std::array<uint64_t, 7> kWeekdayWeight = {150, 90, 85, 88, 95, 110, 145};
// The first days of a month (salary credited) sell a little more.
constexpr uint64_t kPaydayPercent = 115;

constexpr std::array<std::array<char, 2>, 100> MakeTwoDigits() {
  std::array<std::array<char, 2>, 100> t{};
  for (int i = 0; i < 100; ++i)
    t[i] = {static_cast<char>('0' + i / 10), static_cast<char>('0' + i % 10)};
  return t;
}
constexpr auto kTwoDigits = MakeTwoDigits();

char* Put2(int v, char* out) {
  out[0] = kTwoDigits[v][0];
  out[1] = kTwoDigits[v][1];
  return out + 2;
}

}  // namespace

Result<SaleTimeSampler> SaleTimeSampler::Create(int64_t now_micros, int days,
                                                int32_t utc_offset_seconds) {
  if (days < 1) {
    return Status::InvalidArgument(
        fmt::format("days must be at least 1 (got {}): sales fall in [now - days, now]", days));
  }
  SaleTimeSampler s;
  s.window_end_ = now_micros;
  s.window_start_ = now_micros - days * kMicrosPerDay;
  const int64_t offset = int64_t{utc_offset_seconds} * kMicrosPerSecond;
  const int64_t first_day = FloorDiv(s.window_start_ + offset, kMicrosPerDay);
  const int64_t last_day = FloorDiv(s.window_end_ + offset, kMicrosPerDay);
  std::vector<uint64_t> day_weights;
  for (int64_t d = first_day; d <= last_day; ++d) {
    const int64_t open = d * kMicrosPerDay + kStoreOpenMinute * kMicrosPerMinute - offset;
    const int64_t close = open + kStoreMinutes * kMicrosPerMinute - 1;
    const int64_t lo = std::max(open, s.window_start_);
    const int64_t hi = std::min(close, s.window_end_);
    if (lo > hi) continue;  // the store was closed during this part of the window
    const int weekday = static_cast<int>(((d % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
    const int day_of_month = CivilFromDays(d).day;
    uint64_t weight = kWeekdayWeight[weekday] * (day_of_month <= 5 ? kPaydayPercent : 100);
    // A day cut by the window sells in proportion to the open time it keeps.
    weight = weight * static_cast<uint64_t>((hi - lo) / kMicrosPerMinute + 1) / kStoreMinutes + 1;
    s.days_.push_back(Day{open, lo, hi});
    day_weights.push_back(weight);
  }
  if (s.days_.empty()) return Status::Internal("no store hours inside the sale window");
  s.day_table_ = AliasTable(day_weights);
  std::vector<uint64_t> minute_weights(kStoreMinutes);
  for (int m = 0; m < kStoreMinutes; ++m) minute_weights[m] = kHourWeight[m / 60];
  s.minute_table_ = AliasTable(minute_weights);
  return s;
}

int64_t SaleTimeSampler::Sample(Rng& rng) const {
  const Day* day = nullptr;
  int64_t t = 0;
  // Rejection keeps the daily shape on days the window cuts; on whole days the first try
  // always lands, and a cut day keeps at least a minute, so a few tries suffice.
  for (int attempt = 0; attempt < 64; ++attempt) {
    day = &days_[day_table_.Sample(rng)];
    const uint64_t x = rng.Next();
    const int64_t minute = minute_table_.Sample(rng);
    t = day->open_utc + minute * kMicrosPerMinute +
        static_cast<int64_t>((static_cast<unsigned __int128>(x) * kMicrosPerMinute) >> 64);
    if (t >= day->first_ok && t <= day->last_ok) return t;
  }
  return std::clamp(t, day->first_ok, day->last_ok);
}

namespace {

// "YYYY-MM-DD" of a day number. Sales fall on ~100 distinct days, so a small direct-mapped
// cache per thread saves the calendar arithmetic on nearly every record.
void WriteDate(int64_t day, char* out) {
  struct Entry {
    int64_t day = INT64_MIN;
    std::array<char, 10> text;
  };
  thread_local std::array<Entry, 256> cache;
  Entry& e = cache[static_cast<uint64_t>(day) & 255];
  if (e.day != day) {
    const CivilDate date = CivilFromDays(day);
    const int year = std::clamp(date.year, 0, 9999);  // ISO 8601's four digits
    char* p = Put2(year / 100, e.text.data());
    p = Put2(year % 100, p);
    *p++ = '-';
    p = Put2(date.month, p);
    *p++ = '-';
    Put2(date.day, p);
    e.day = day;
  }
  std::memcpy(out, e.text.data(), 10);
}

}  // namespace

char* WriteIsoTimestamp(int64_t micros, char* out) {
  const int64_t day = FloorDiv(micros, kMicrosPerDay);
  const int64_t rest = micros - day * kMicrosPerDay;
  WriteDate(day, out);
  out += 10;
  *out++ = 'T';
  const int64_t seconds = rest / kMicrosPerSecond;
  const int fraction = static_cast<int>(rest % kMicrosPerSecond);
  out = Put2(static_cast<int>(seconds / 3600), out);
  *out++ = ':';
  out = Put2(static_cast<int>(seconds / 60 % 60), out);
  *out++ = ':';
  out = Put2(static_cast<int>(seconds % 60), out);
  if (fraction != 0) {
    *out++ = '.';
    out = Put2(fraction / 10000, out);
    out = Put2(fraction / 100 % 100, out);
    out = Put2(fraction % 100, out);
  }
  return out;
}

}  // namespace saleslake::generator
