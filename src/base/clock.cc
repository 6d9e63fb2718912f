#include "base/clock.h"

#include <fmt/format.h>
#include <time.h>

namespace saleslake {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `*pos`.
bool ReadDigits(std::string_view s, size_t* pos, int n, int* out) {
  if (*pos + static_cast<size_t>(n) > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + static_cast<size_t>(i)];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += static_cast<size_t>(n);
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

std::string Format(int64_t micros, int frac_digits) {
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t rem = micros - days * kMicrosPerDay;
  CivilDate d = CivilFromDays(days);
  int64_t secs = rem / kMicrosPerSecond;
  int64_t frac = rem % kMicrosPerSecond;
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", d.year, d.month, d.day,
                                secs / 3600, secs / 60 % 60, secs % 60);
  if (frac_digits == 3) {
    out += fmt::format(".{:03}", frac / 1000);
  } else if (frac_digits == 6) {
    out += fmt::format(".{:06}", frac);
  } else if (frac != 0) {  // shortest
    std::string f = fmt::format("{:06}", frac);
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += '.';
    out += f;
  }
  return out;
}

}  // namespace

int64_t NowMicros() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * kMicrosPerSecond + ts.tv_nsec / 1000;
}

int64_t MonotonicMicros() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * kMicrosPerSecond + ts.tv_nsec / 1000;
}

// Howard Hinnant's civil-date algorithms (public domain arithmetic).
int64_t DaysFromCivil(CivilDate d) {
  int64_t y = d.year - (d.month <= 2);
  int64_t era = FloorDiv(y, 400);
  int64_t yoe = y - era * 400;
  int64_t mp = (d.month + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  int64_t era = FloorDiv(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

std::string FormatIso8601Millis(int64_t micros) { return Format(micros, 3) + "Z"; }
std::string FormatIso8601Micros(int64_t micros) { return Format(micros, 6) + "Z"; }
std::string FormatIso8601Local(int64_t micros) { return Format(micros, 0); }

Result<int64_t> ParseIso8601Micros(std::string_view s) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(
        fmt::format("invalid timestamp '{}': {} (expected ISO 8601, e.g. 2026-11-26T10:20:01)",
                    s.substr(0, 64), why));
  };
  size_t pos = 0;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!ReadDigits(s, &pos, 4, &y) || !Expect(s, &pos, '-') || !ReadDigits(s, &pos, 2, &mo) ||
      !Expect(s, &pos, '-') || !ReadDigits(s, &pos, 2, &d)) {
    return bad("date is not YYYY-MM-DD");
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo)) return bad("no such date");
  int64_t frac_micros = 0;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    ++pos;
    if (!ReadDigits(s, &pos, 2, &h) || !Expect(s, &pos, ':') || !ReadDigits(s, &pos, 2, &mi)) {
      return bad("time is not HH:MM");
    }
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!ReadDigits(s, &pos, 2, &sec)) return bad("seconds are not two digits");
      if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int digits = 0;
        int64_t scale = 100000;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          if (digits < 6) frac_micros += (s[pos] - '0') * scale;
          scale /= 10;
          ++digits;
          ++pos;
          if (digits > 9) return bad("fraction longer than 9 digits");
        }
        if (digits == 0) return bad("empty fraction");
      }
    }
    if (h > 23 || mi > 59 || sec > 59) return bad("no such time of day");
  }
  int64_t offset_seconds = 0;
  if (pos < s.size()) {
    auto off = ParseUtcOffset(s.substr(pos));
    if (!off.ok()) return bad("bad UTC offset");
    offset_seconds = *off;
    pos = s.size();
  }
  int64_t days = DaysFromCivil({y, mo, d});
  return days * kMicrosPerDay + (h * 3600 + mi * 60 + sec - offset_seconds) * kMicrosPerSecond +
         frac_micros;
}

Result<int32_t> ParseUtcOffset(std::string_view s) {
  if (s == "Z" || s == "z") return 0;
  size_t pos = 1;
  int h, m;
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || !ReadDigits(s, &pos, 2, &h) ||
      !Expect(s, &pos, ':') || !ReadDigits(s, &pos, 2, &m) || h > 23 || m > 59) {
    return Status::InvalidArgument(
        fmt::format("invalid UTC offset '{}': use +HH:MM or -HH:MM, e.g. +05:30", s.substr(0, 32)));
  }
  int32_t secs = h * 3600 + m * 60;
  return s[0] == '-' ? -secs : secs;
}

Result<int64_t> ParseDurationMicros(std::string_view s) {
  auto bad = [&] {
    return Status::InvalidArgument(
        fmt::format("invalid duration '{}': use e.g. 30s, 15m, 1h30m, 500ms", s.substr(0, 32)));
  };
  if (s.empty()) return bad();
  int64_t total = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    int64_t n = 0;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      n = n * 10 + (s[pos] - '0');
      if (n > 1'000'000'000) return bad();
      ++pos;
    }
    if (pos == start) return bad();
    std::string_view unit = s.substr(pos, 2);
    int64_t scale;
    if (unit == "ms") {
      scale = 1000;
      pos += 2;
    } else if (unit.substr(0, 1) == "s") {
      scale = kMicrosPerSecond;
      pos += 1;
    } else if (unit.substr(0, 1) == "m") {
      scale = 60 * kMicrosPerSecond;
      pos += 1;
    } else if (unit.substr(0, 1) == "h") {
      scale = 3600 * kMicrosPerSecond;
      pos += 1;
    } else if (unit.substr(0, 1) == "d") {
      scale = kMicrosPerDay;
      pos += 1;
    } else {
      return bad();
    }
    total += n * scale;
  }
  return total;
}

}  // namespace saleslake
